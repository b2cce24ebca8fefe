/**
 * Reads a scan result from disk without ever holding its text whole: result.json is scanned in chunks and each
 * element of its top-level `scopes` and `findings` arrays is parsed on its own (everything else — the header — is
 * small and parsed at the end; the top-level findings that repeat a scope's, as results before schema 4.0.0 wrote
 * them, are dropped as they are read, see resultFromDisk); result.ndjson is read line by line. So a result larger than the biggest string V8 can make (about
 * 512 MiB) can still be read, and the text and the values never coexist.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { expandScope } from '../core/model/compact.ts';
import { resultFromDisk } from '../core/model/order.ts';
import { readableSchemaVersions, SCHEMA_VERSION, type ScanResult, type ScopeResult } from '../core/model/result.ts';

export type ResultPart = { kind: 'scope'; scope: unknown } | { kind: 'header'; header: unknown };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]
const OPEN_ARRAY = 0x5b;

/** The top-level arrays whose elements are parsed one by one. */
type StreamedKey = 'scopes' | 'findings';
const STREAMED = new Set<string>(['scopes', 'findings']);

/** Splits a result.json's bytes into the elements of its top-level `scopes` and `findings` and the rest (with those arrays empty). */
class ResultJsonSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private stringStart = -1;
  private stringParts: Buffer[] = [];
  private lastString = '';
  private lastKey = '';
  /** Depth of the streamed array's elements while inside it, else 0. */
  private scopesDepth = 0;
  private streamed: StreamedKey = 'scopes';
  private element: Buffer[] | null = null;
  private elementStart = 0;
  private readonly header: Buffer[] = [];

  *push(chunk: Buffer): Generator<{ key: StreamedKey; text: string }> {
    let headerStart = this.scopesDepth === 0 ? 0 : -1;
    if (this.element) this.elementStart = 0;
    if (this.inString && this.depth === 1) this.stringStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.depth === 1 && this.stringStart >= 0) {
            this.stringParts.push(chunk.subarray(this.stringStart, i));
            this.lastString = Buffer.concat(this.stringParts).toString('utf8');
            this.stringParts = [];
            this.stringStart = -1;
          }
        }
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1) this.stringStart = i + 1;
      } else if (c === COLON && this.depth === 1) {
        this.lastKey = this.lastString;
      } else if (OPEN.has(c)) {
        this.depth++;
        if (this.depth === 2 && c === OPEN_ARRAY && STREAMED.has(this.lastKey)) {
          // the header keeps `[`; the elements go their own way until the array closes
          this.header.push(chunk.subarray(headerStart, i + 1));
          headerStart = -1;
          this.scopesDepth = 3;
          this.streamed = this.lastKey as StreamedKey;
        } else if (this.scopesDepth !== 0 && this.depth === this.scopesDepth) {
          this.element = [];
          this.elementStart = i;
        }
      } else if (CLOSE.has(c)) {
        if (this.element && this.depth === this.scopesDepth) {
          this.element.push(chunk.subarray(this.elementStart, i + 1));
          yield { key: this.streamed, text: Buffer.concat(this.element).toString('utf8') };
          this.element = null;
        }
        this.depth--;
        if (this.scopesDepth !== 0 && this.depth === 1) {
          this.scopesDepth = 0;
          headerStart = i;
        }
      }
    }
    if (this.element) this.element.push(chunk.subarray(this.elementStart));
    if (this.inString && this.depth === 1 && this.stringStart >= 0) this.stringParts.push(chunk.subarray(this.stringStart));
    if (headerStart >= 0) this.header.push(chunk.subarray(headerStart));
  }

  headerText(): string {
    return Buffer.concat(this.header).toString('utf8');
  }
}

/** The fingerprints of a (not yet validated) scope's findings. */
function fingerprintsOf(scope: unknown): string[] {
  const findings = (scope as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(findings)) return [];
  return findings.map((f) => (f as { fingerprint?: unknown } | null)?.fingerprint).filter((x): x is string => typeof x === 'string');
}

/**
 * The parts of a result.json: each scope as it is read, then the header (the result with `scopes: []`). The top-level
 * `findings` keeps only those no scope read before it holds (a result.json before schema 4.0.0 lists every finding
 * there, scopes first): the header stays as small as the findings of no scope, however many findings the scan has.
 */
export async function* readResultJson(path: string, chunkBytes = 1 << 20): AsyncGenerator<ResultPart> {
  const splitter = new ResultJsonSplitter();
  const scoped = new Set<string>();
  let findings: unknown[] | null = null;
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
    for (const { key, text } of splitter.push(chunk as Buffer)) {
      const value: unknown = JSON.parse(text);
      if (key === 'findings') {
        findings ??= [];
        const fingerprint = (value as { fingerprint?: unknown } | null)?.fingerprint;
        if (typeof fingerprint !== 'string' || !scoped.has(fingerprint)) findings.push(value);
        continue;
      }
      for (const f of fingerprintsOf(value)) scoped.add(f);
      yield { kind: 'scope', scope: value };
    }
  }
  const header = JSON.parse(splitter.headerText()) as Record<string, unknown>;
  if (findings && Array.isArray(header.findings)) header.findings = findings;
  yield { kind: 'header', header };
}

/** The parts of a result.ndjson (reports/ndjson.ts): the header line first, then one scope per line. */
export async function* readResultNdjson(path: string): AsyncGenerator<ResultPart> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let header: Record<string, unknown> | null = null;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const { record, ...value } = JSON.parse(line) as Record<string, unknown>;
    if (record === 'result' && header === null) header = { ...value, scopes: [] };
    else if (record === 'scope' && header !== null) yield { kind: 'scope', scope: value };
    else
      throw new SyntaxError(
        `line with record ${JSON.stringify(record ?? null)} where a ${header ? 'scope' : 'result header'} line belongs`,
      );
  }
  if (header === null) throw new SyntaxError('no result header line');
  yield { kind: 'header', header };
}

/** Reads either form, by its name (`.ndjson` is NDJSON, anything else result.json). */
export function readResultParts(path: string): AsyncGenerator<ResultPart> {
  return path.endsWith('.ndjson') ? readResultNdjson(path) : readResultJson(path);
}

/** How a reader checks each part it reads: the header (with `scopes: []`) and each scope. */
export interface ResultChecks {
  header(value: unknown): ScanResult;
  scope(value: unknown, index: number): ScopeResult;
}

/** A header of a version the readers accept, as the current version (the in-memory shapes did not change). */
function upgradeHeader(header: unknown): unknown {
  const version = (header as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version !== 'string' || !readableSchemaVersions.includes(version)) return header;
  return { ...(header as object), schemaVersion: SCHEMA_VERSION };
}

/**
 * Reads a result's parts, each validated by `check`, handing each scope to `sink` as it is read (an array, or the
 * on-disk spool so that nothing is held); returns the header with `scopes: []` and, for either form, the findings
 * of no scope only (an older result.json's top-level list, which repeats every scope's, is taken back to those as it
 * is read).
 * Each scope's shared references are expanded before it is checked (src/core/model/compact.ts: a SharedReferenceError
 * names a broken one) and an older version's header is read as the current one.
 */
export async function readResultInto(path: string, check: ResultChecks, sink: { add(scope: ScopeResult): void }): Promise<ScanResult> {
  let index = 0;
  for await (const part of readResultParts(path)) {
    if (part.kind === 'scope') {
      sink.add(check.scope(expandScope(part.scope, `scopes.${index}`), index));
      index++;
    } else return { ...check.header(upgradeHeader(part.header)), scopes: [] };
  }
  throw new SyntaxError('no result header');
}

/**
 * A result read whole from its parts, each validated by `check` (header with its scopes, or one scope), in its
 * in-memory shape: the top-level `findings` of a result.json before schema 4.0.0 lists every finding, so it is taken
 * back to the findings of no scope (resultFromDisk) and nothing counts twice; result.json since 4.0.0 and
 * result.ndjson hold only those already.
 */
export async function readResult(path: string, check: ResultChecks): Promise<ScanResult> {
  const scopes: ScopeResult[] = [];
  const header = await readResultInto(path, check, { add: (s) => scopes.push(s) });
  return resultFromDisk({ ...header, scopes });
}
