/**
 * A scan result as renderers stream it: a small header, the scopes one at a time and every finding in the order a
 * renderer lays them out, each readable again from the start. The CLI gives renderers either a result held in memory
 * (`resultSource`) or the on-disk spool a scan or `report --from` filled (src/engine/spool.ts), so a renderer that
 * reads through a source never holds the whole result. Renderers stay pure: they yield text, the CLI writes it.
 */
import { compareFindings, compareFindingsByCheck, sortBy, unscopedFindings } from '../src/core/model/order.ts';
import type { Finding, ScanResult, ScopeResult } from '../src/core/model/result.ts';
import type { OutputFile } from '../src/core/output-file.ts';

/** `canonical`: the result's order (severity first). `by-check`: by check, then scope, then canonical (JUnit). */
export type FindingOrder = 'canonical' | 'by-check';

export const findingComparators: Record<FindingOrder, (a: Finding, b: Finding) => number> = {
  canonical: compareFindings,
  'by-check': compareFindingsByCheck,
};

export interface ResultSource {
  /** The result without its scopes (`scopes: []`); its `findings` are those of no scope (discovery failures). */
  readonly header: ScanResult;
  /** Every scope in canonical order (provider, scope id); each call reads them again from the first. */
  scopes(): Iterable<ScopeResult>;
  /** Every finding of the result, the scopes' and the header's, in `order`; each call reads them again. */
  findings(order: FindingOrder): Iterable<Finding>;
  /**
   * result.json's scopes, each laid out as it stands there (reports/json.ts `jsonScopePieces`), in canonical order:
   * a spool that laid them out as they came gives them so (src/engine/spool.ts); absent, they are laid out from
   * `scopes()`.
   */
  jsonScopes?(): Iterable<Iterable<string | Uint8Array>>;
}

/** What a scope is without its inventory and findings: enough to name it, place its gaps and judge what it hides. */
export type ScopeHead = Pick<ScopeResult, 'scope' | 'coverage'>;

/** A rendered output as text chunks, produced on demand (the CLI writes them as they come). */
export interface StreamedFile {
  name: string;
  /**
   * Text, or bytes of UTF-8 text already laid out (the spool's, src/engine/spool.ts): each block of bytes whole
   * characters, the producer's again once the next chunk is asked for (a consumer writes or copies it first).
   */
  chunks(): Iterable<string | Uint8Array>;
}

/** A source over a result held in memory. */
export function resultSource(result: ScanResult): ResultSource {
  const scopes = sortBy(
    result.scopes,
    (s) => s.scope.provider,
    (s) => s.scope.id,
  );
  const header: ScanResult = { ...result, scopes: [], findings: unscopedFindings(result) };
  const all = () => [...header.findings, ...scopes.flatMap((s) => s.findings)];
  return {
    header,
    scopes: () => scopes,
    // A stable sort of the header's findings then each scope's: the same order a merge of the spool's runs gives.
    findings: (order) => all().sort(findingComparators[order]),
  };
}

/** The heads of a source's scopes, in canonical order (one pass; what is kept is small per scope). */
export function scopeHeads(source: ResultSource): ScopeHead[] {
  const heads: ScopeHead[] = [];
  for (const s of source.scopes()) heads.push({ scope: s.scope, coverage: s.coverage });
  return heads;
}

/** The display names of scopes by provider and id (the id itself for a scope not in the result). */
export function scopeNames(heads: readonly ScopeHead[]): (provider: string, scopeId: string) => string {
  const names = new Map<string, string>(heads.map((h) => [`${h.scope.provider}\u0000${h.scope.id}`, h.scope.name]));
  return (provider, scopeId) => names.get(`${provider}\u0000${scopeId}`) ?? scopeId;
}

/** The first `n` items of an iterable. */
export function* take<T>(items: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  let i = 0;
  for (const item of items) {
    yield item;
    if (++i >= n) return;
  }
}

/**
 * An array laid out as `JSON.stringify(…, null, 2)` lays it out `depth` levels deep (0: the document itself), item
 * by item: the text between the brackets of a placeholder written in its place.
 */
export function prettyArray(items: Iterable<unknown>, depth: number): Generator<string> {
  return prettyLaidOut(
    map(items, (item) => prettyItem(item, depth)),
    depth,
  );
}

/** An item of an array `depth` levels deep, laid out in pieces as `JSON.stringify(…, null, 2)` lays it out there. */
export function prettyItem(item: unknown, depth: number): Generator<string> {
  return jsonPieces(item, '  '.repeat(depth + 1), ITEM_LEVELS);
}

/** An array `depth` levels deep whose items are laid out already (each as `prettyItem` lays it out): the brackets and commas around them. */
export function* prettyLaidOut<C extends string | Uint8Array>(items: Iterable<Iterable<C>>, depth: number): Generator<string | C> {
  const pad = '  '.repeat(depth + 1);
  let first = true;
  for (const pieces of items) {
    yield first ? `[\n${pad}` : `,\n${pad}`;
    yield* pieces;
    first = false;
  }
  yield first ? '[]' : `\n${'  '.repeat(depth)}]`;
}

/**
 * How many levels of a streamed item are laid out piece by piece (the item's fields, their elements) before the rest
 * is written whole: a scope then comes as one snapshot, principal or finding at a time, never as one string of its
 * whole text (megabytes for a large account, each a large object V8 frees only in a full collection).
 */
export const ITEM_LEVELS = 2;

/** A plain object or array that JSON.stringify lays out by its own fields (no toJSON of its own). */
export function isPlainContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** Arrays nested `depth` deep around a value, as JSON.stringify(…, null, 2) opens and closes them: what to cut off. */
const nestings: Array<{ open: number; close: number }> = [];
function nesting(depth: number): { open: number; close: number } {
  let n = nestings[depth];
  if (!n) {
    let open = 0;
    let close = 0;
    for (let i = 1; i <= depth; i++) {
      open += 2 + 2 * i; // "[\n" and the next line's indent
      close += 2 + 2 * (i - 1); // "\n", the indent, "]"
    }
    n = { open, close };
    nestings[depth] = n;
  }
  return n;
}

/**
 * `JSON.stringify(value, null, 2)` with every line after the first indented by `indent`: laid out inside as many
 * arrays as the indent has levels, then cut out, so the text is made once rather than made and then re-indented (an
 * indent that is not whole levels of two spaces is re-indented). Undefined, a function or a symbol: null, as in an
 * array (the only place a streamed value stands alone).
 */
function prettyAt(value: unknown, indent: string): string {
  const depth = indent.length / 2;
  if (indent === '' || !Number.isInteger(depth) || indent !== '  '.repeat(depth)) {
    const text = JSON.stringify(value, null, 2) ?? 'null';
    return indent ? text.replace(/\n/g, `\n${indent}`) : text;
  }
  let wrapped: unknown = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  const { open, close } = nesting(depth);
  return text.slice(open, text.length - close);
}

/**
 * `value` as `JSON.stringify(value, null, 2)` lays it out at indentation `indent` — or, with `indent` null, as
 * `JSON.stringify(value)` writes it — in pieces: objects and arrays are laid out field by field down `levels` levels,
 * anything deeper is one piece. Byte for byte the same text.
 */
export function* jsonPieces(value: unknown, indent: string | null, levels: number): Generator<string> {
  if (levels === 0 || !isPlainContainer(value)) {
    if (indent === null) yield JSON.stringify(value) ?? 'null';
    else yield prettyAt(value, indent);
    return;
  }
  const pad = indent === null ? null : `${indent}  `;
  // what comes before a field or an item (the first, or the others), and before the closing bracket
  const [open, next, close] = pad === null ? ['', ',', ''] : [`\n${pad}`, `,\n${pad}`, `\n${indent}`];
  const colon = pad === null ? ':' : ': ';
  let first = true;
  if (Array.isArray(value)) {
    for (const item of value) {
      yield first ? `[${open}` : next;
      yield* jsonPieces(item, pad, levels - 1);
      first = false;
    }
    yield first ? '[]' : `${close}]`;
    return;
  }
  for (const key of Object.keys(value)) {
    const field = value[key];
    // JSON.stringify leaves out a field whose value is undefined, a function or a symbol
    if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
    yield `${first ? `{${open}` : next}${JSON.stringify(key)}${colon}`;
    yield* jsonPieces(field, pad, levels - 1);
    first = false;
  }
  yield first ? '{}' : `${close}}`;
}

/**
 * A document `JSON.stringify(doc, null, 2)` would write, with the arrays named in `arrays` (placeholders in `doc`,
 * each at its `depth`) streamed item by item in place.
 */
export function* prettyDocument(
  doc: unknown,
  arrays: ReadonlyArray<
    { placeholder: string; depth: number } & (
      | { items: () => Iterable<unknown> }
      | { laidOut: () => Iterable<Iterable<string | Uint8Array>> }
    )
  >,
): Generator<string | Uint8Array> {
  let text = JSON.stringify(doc, null, 2);
  for (const a of arrays) {
    const quoted = JSON.stringify(a.placeholder);
    const at = text.indexOf(quoted);
    yield text.slice(0, at);
    yield* 'items' in a ? prettyArray(a.items(), a.depth) : prettyLaidOut(a.laidOut(), a.depth);
    text = text.slice(at + quoted.length);
  }
  yield `${text}\n`;
}

/** Each item of an iterable, mapped. */
export function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

/**
 * The result a renderer that needs every finding at once reads (the framework views): the header and each scope
 * without its inventory (snapshots, principals, activity), so it holds the findings but not what they are about.
 */
export function findingsResult(source: ResultSource): ScanResult {
  const scopes: ScopeResult[] = [];
  for (const { activity: _activity, ...s } of source.scopes()) scopes.push({ ...s, snapshots: [], principals: [] });
  return { ...source.header, scopes };
}

/** The whole text of a streamed file (for a result in memory, and for tests). */
export function collect(file: StreamedFile): string {
  // bytes are decoded as a stream: a block that ends inside a character leaves its first bytes for the next
  const decoder = new TextDecoder();
  let s = '';
  for (const c of file.chunks()) s += typeof c === 'string' ? decoder.decode() + c : decoder.decode(c, { stream: true });
  return s + decoder.decode();
}

/** Streamed files rendered whole (a result in memory). */
export function wholeFiles(files: readonly StreamedFile[]): OutputFile[] {
  return files.map((f) => ({ name: f.name, content: collect(f) }));
}
