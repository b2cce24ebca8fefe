/**
 * A small evaluator for the Cloud Logging query language, enough to answer "does this sink / exclusion / log-based
 * metric filter let a given audit entry through?" for the forms people write in practice: AND / OR / NOT (and `-`),
 * implicit AND by juxtaposition, parentheses, comparisons with `=`, `!=`, `:` (has), `=~` / `!~` (regular
 * expressions), `<`, `<=`, `>`, `>=` (on severity), value lists (`field = ("a" OR "b")`), `field:*`, quoted strings and
 * the LOG_ID() function.
 *
 * Results are three-valued: a filter that uses syntax or fields the evaluator cannot decide offline (SEARCH(),
 * timestamps, the principal of a future entry…) gives `unknown` with a reason, never a guess.
 *
 * Precedence follows AIP-160 / the Logging query language: NOT binds tightest, then OR, then AND (so `a AND b OR c`
 * is `a AND (b OR c)`). String comparisons are case-insensitive. A comparison on a field the entry does not have is
 * false (so `NOT field = x` is true) and `!=` is `NOT =`.
 */
import type { Tri } from '../../src/core/model/result.ts';

export interface FilterVerdict {
  matches: Tri;
  reasons: string[];
}

/** A log entry as far as filters can see it: fields whose values are known, fields known to be absent. */
export interface SyntheticEntry {
  /** Dotted camelCase paths → value (e.g. `protoPayload.methodName`). */
  known: Record<string, string>;
  /** Path prefixes the entry certainly does not have (e.g. `textPayload`). */
  absent: readonly string[];
  /** Human-readable name for reasons. */
  label: string;
}

// ---------------------------------------------------------------- tokens

type Tok =
  | { t: 'str'; v: string; quoted: boolean }
  | { t: 'op'; v: string }
  | { t: '('; v: '(' }
  | { t: ')'; v: ')' }
  | { t: ','; v: ',' }
  | { t: 'kw'; v: 'AND' | 'OR' | 'NOT' }
  | { t: '-'; v: '-' };

class FilterSyntaxError extends Error {}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const n = src[j + 1] as string;
          v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else v += src[j++];
      }
      if (j >= src.length) throw new FilterSyntaxError('unterminated string');
      out.push({ t: 'str', v, quoted: true });
      i = j + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c } as Tok);
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '!=' || two === '=~' || two === '!~' || two === '<=' || two === '>=') {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || c === '<' || c === '>') {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if (c === '-' && i + 1 < src.length && !/\s/.test(src[i + 1] as string)) {
      // A minus that starts a term is negation; inside a word (us-east1) or after an operator it is part of a value.
      const prev = out[out.length - 1];
      if (!prev || prev.t === 'kw' || prev.t === '(' || prev.t === '-' || (prev.t !== 'op' && /\s/.test(src[i - 1] ?? ' '))) {
        out.push({ t: '-', v: '-' });
        i++;
        continue;
      }
    }
    let j = i;
    let v = '';
    for (;;) {
      while (j < src.length && !/[\s()=:<>!,"']/.test(src[j] as string)) v += src[j++];
      // A quoted segment of a field path: protoPayload."@type", labels."compute.googleapis.com/x".
      if (v.endsWith('.') && src[j] === '"') {
        const end = src.indexOf('"', j + 1);
        if (end < 0) throw new FilterSyntaxError('unterminated string');
        v += src.slice(j, end + 1);
        j = end + 1;
        continue;
      }
      break;
    }
    if (src[j] === '!' && src[j + 1] !== '=' && src[j + 1] !== '~') v += src[j++];
    if (v === '') throw new FilterSyntaxError(`unexpected character ${JSON.stringify(src[i])}`);
    if (v === 'AND' || v === 'OR' || v === 'NOT') out.push({ t: 'kw', v });
    else out.push({ t: 'str', v, quoted: false });
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------- AST

export type Node =
  | { k: 'and'; items: Node[] }
  | { k: 'or'; items: Node[] }
  | { k: 'not'; item: Node }
  | { k: 'cmp'; field: string; op: string; value: ValueNode }
  | { k: 'fn'; name: string; args: string[] }
  | { k: 'global'; value: string };

type ValueNode = { k: 'lit'; v: string; quoted: boolean } | { k: 'vand'; items: ValueNode[] } | { k: 'vor'; items: ValueNode[] };

class Parser {
  private i = 0;
  private readonly toks: Tok[];
  constructor(toks: Tok[]) {
    this.toks = toks;
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new FilterSyntaxError('unexpected end of filter');
    return t;
  }
  private isKw(v: string): boolean {
    const t = this.peek();
    return t?.t === 'kw' && t.v === v;
  }

  parse(): Node | null {
    if (this.toks.length === 0) return null;
    const n = this.expression();
    if (this.i < this.toks.length) throw new FilterSyntaxError(`unexpected ${JSON.stringify(this.peek()?.v)}`);
    return n;
  }

  /** expression = sequence { AND sequence } */
  private expression(): Node {
    const items = [this.sequence()];
    while (this.isKw('AND')) {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? (items[0] as Node) : { k: 'and', items };
  }

  /** sequence = factor { factor } (implicit AND) */
  private sequence(): Node {
    const items = [this.factor()];
    for (;;) {
      const t = this.peek();
      if (!t || t.t === ')' || (t.t === 'kw' && (t.v === 'AND' || t.v === 'OR'))) break;
      items.push(this.factor());
    }
    return items.length === 1 ? (items[0] as Node) : { k: 'and', items };
  }

  /** factor = term { OR term } */
  private factor(): Node {
    const items = [this.term()];
    while (this.isKw('OR')) {
      this.i++;
      items.push(this.term());
    }
    return items.length === 1 ? (items[0] as Node) : { k: 'or', items };
  }

  private term(): Node {
    const t = this.peek();
    if ((t?.t === 'kw' && t.v === 'NOT') || t?.t === '-') {
      this.i++;
      return { k: 'not', item: this.term() };
    }
    return this.simple();
  }

  private simple(): Node {
    const t = this.next();
    if (t.t === '(') {
      const n = this.expression();
      if (this.next().t !== ')') throw new FilterSyntaxError('missing )');
      return n;
    }
    if (t.t !== 'str') throw new FilterSyntaxError(`unexpected ${JSON.stringify(t.v)}`);
    // A function call: NAME(args)
    if (!t.quoted && this.peek()?.t === '(' && /^[A-Za-z_]+$/.test(t.v)) {
      this.i++;
      const args: string[] = [];
      while (this.peek()?.t !== ')') {
        const a = this.next();
        if (a.t === ',') continue;
        if (a.t !== 'str') throw new FilterSyntaxError(`unexpected ${JSON.stringify(a.v)} in ${t.v}()`);
        args.push(a.v);
      }
      this.i++;
      return { k: 'fn', name: t.v, args };
    }
    const op = this.peek();
    if (op?.t === 'op') {
      this.i++;
      return { k: 'cmp', field: t.quoted ? `"${t.v}"` : t.v, op: op.v, value: this.value() };
    }
    return { k: 'global', value: t.v };
  }

  private value(): ValueNode {
    const t = this.next();
    if (t.t === 'str') return { k: 'lit', v: t.v, quoted: t.quoted };
    if (t.t === '(') {
      const v = this.valueExpr();
      if (this.next().t !== ')') throw new FilterSyntaxError('missing ) in value list');
      return v;
    }
    throw new FilterSyntaxError(`expected a value, got ${JSON.stringify(t.v)}`);
  }

  private valueExpr(): ValueNode {
    const ands: ValueNode[] = [];
    for (;;) {
      const ors: ValueNode[] = [this.value()];
      while (this.isKw('OR')) {
        this.i++;
        ors.push(this.value());
      }
      ands.push(ors.length === 1 ? (ors[0] as ValueNode) : { k: 'vor', items: ors });
      if (this.isKw('AND')) {
        this.i++;
        continue;
      }
      const p = this.peek();
      if (p && p.t !== ')') continue;
      break;
    }
    return ands.length === 1 ? (ands[0] as ValueNode) : { k: 'vand', items: ands };
  }
}

export function parseFilter(filter: string): Node | null {
  return new Parser(tokenize(filter)).parse();
}

// ---------------------------------------------------------------- evaluation

const severityRank = ['DEFAULT', 'DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'];
const severityNumbers: Record<string, string> = {
  '0': 'DEFAULT',
  '100': 'DEBUG',
  '200': 'INFO',
  '300': 'NOTICE',
  '400': 'WARNING',
  '500': 'ERROR',
  '600': 'CRITICAL',
  '700': 'ALERT',
  '800': 'EMERGENCY',
};

interface Ctx {
  entry: SyntheticEntry;
  unknowns: Set<string>;
}

function and3(values: Tri[]): Tri {
  if (values.includes('no')) return 'no';
  if (values.includes('unknown')) return 'unknown';
  return 'yes';
}
function or3(values: Tri[]): Tri {
  if (values.includes('yes')) return 'yes';
  if (values.includes('unknown')) return 'unknown';
  return 'no';
}
function not3(v: Tri): Tri {
  return v === 'yes' ? 'no' : v === 'no' ? 'yes' : 'unknown';
}

/** `proto_payload.method_name` → `protoPayload.methodName`; quoted segments and label keys kept verbatim. */
export function normaliseField(field: string): string {
  const segs: string[] = [];
  const re = /"([^"]*)"|([^.]+)/g;
  let inLabels = false;
  for (let m = re.exec(field); m; m = re.exec(field)) {
    if (m[1] !== undefined) segs.push(m[1]);
    else segs.push(inLabels ? (m[2] as string) : (m[2] as string).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
    // Label keys are user-defined: keep them as written.
    if (segs[segs.length - 1] === 'labels') inLabels = true;
  }
  return segs.join('.');
}

type Lookup = { kind: 'value'; value: string } | { kind: 'object' } | { kind: 'absent' } | { kind: 'varies' };

function lookup(entry: SyntheticEntry, path: string): Lookup {
  const v = entry.known[path];
  if (v !== undefined) return { kind: 'value', value: v };
  if (Object.keys(entry.known).some((k) => k.startsWith(`${path}.`))) return { kind: 'object' };
  if (entry.absent.some((a) => path === a || path.startsWith(`${a}.`))) return { kind: 'absent' };
  return { kind: 'varies' };
}

function compareLiteral(ctx: Ctx, field: string, actual: string, op: string, expected: string, quoted: boolean): Tri {
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  switch (op) {
    case '=':
      return a === e ? 'yes' : 'no';
    case ':':
      return e === '*' && !quoted ? 'yes' : a.includes(e) ? 'yes' : 'no';
    case '=~':
    case '!~': {
      let pattern = expected;
      let flags = '';
      if (pattern.startsWith('(?i)')) {
        pattern = pattern.slice(4);
        flags = 'i';
      }
      let re: RegExp;
      try {
        re = new RegExp(pattern, flags);
      } catch {
        ctx.unknowns.add(`regular expression ${JSON.stringify(expected)} is not supported offline`);
        return 'unknown';
      }
      const hit = re.test(actual);
      return (op === '=~' ? hit : !hit) ? 'yes' : 'no';
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (field !== 'severity') {
        ctx.unknowns.add(`ordering comparison on ${field} cannot be decided offline`);
        return 'unknown';
      }
      const ra = severityRank.indexOf(actual.toUpperCase());
      const re = severityRank.indexOf((severityNumbers[expected] ?? expected).toUpperCase());
      if (ra < 0 || re < 0) {
        ctx.unknowns.add(`severity ${expected} is not a known severity`);
        return 'unknown';
      }
      const ok = op === '<' ? ra < re : op === '<=' ? ra <= re : op === '>' ? ra > re : ra >= re;
      return ok ? 'yes' : 'no';
    }
    default:
      ctx.unknowns.add(`operator ${op} is not supported`);
      return 'unknown';
  }
}

function evalValue(ctx: Ctx, field: string, actual: Lookup, op: string, value: ValueNode): Tri {
  if (value.k === 'vand') return and3(value.items.map((v) => evalValue(ctx, field, actual, op, v)));
  if (value.k === 'vor') return or3(value.items.map((v) => evalValue(ctx, field, actual, op, v)));
  if (actual.kind === 'absent') return 'no';
  if (actual.kind === 'object') {
    if (op === ':' && value.v === '*' && !value.quoted) return 'yes';
    ctx.unknowns.add(`comparison of the whole ${field} object is not evaluated`);
    return 'unknown';
  }
  if (actual.kind === 'varies') {
    if (op === ':' && value.v === '*' && !value.quoted) {
      ctx.unknowns.add(`whether entries carry ${field} is not known offline`);
      return 'unknown';
    }
    ctx.unknowns.add(`${field} varies from entry to entry`);
    return 'unknown';
  }
  const expected = field === 'severity' ? (severityNumbers[value.v] ?? value.v) : value.v;
  return compareLiteral(ctx, field, actual.value, op, expected, value.quoted);
}

function evalNode(ctx: Ctx, n: Node): Tri {
  switch (n.k) {
    case 'and':
      return and3(n.items.map((x) => evalNode(ctx, x)));
    case 'or':
      return or3(n.items.map((x) => evalNode(ctx, x)));
    case 'not':
      return not3(evalNode(ctx, n.item));
    case 'cmp': {
      const field = normaliseField(n.field);
      const op = n.op === '!=' ? '=' : n.op;
      const r = evalValue(ctx, field, lookup(ctx.entry, field), op, n.value);
      return n.op === '!=' ? not3(r) : r;
    }
    case 'fn': {
      const name = n.name.toUpperCase();
      if (name === 'LOG_ID' && n.args.length === 1) {
        const logName = ctx.entry.known.logName;
        if (logName === undefined) return 'unknown';
        const id = decodeURIComponent(logName.replace(/^.*\/logs\//, ''));
        return id.toLowerCase() === (n.args[0] as string).toLowerCase() ? 'yes' : 'no';
      }
      ctx.unknowns.add(`function ${n.name}() cannot be evaluated offline`);
      return 'unknown';
    }
    case 'global': {
      const needle = n.value.toLowerCase();
      if (Object.values(ctx.entry.known).some((v) => v.toLowerCase().includes(needle))) return 'yes';
      ctx.unknowns.add(`free-text term ${JSON.stringify(n.value)} may match fields that vary from entry to entry`);
      return 'unknown';
    }
  }
}

/** Does `filter` let `entry` through? An empty filter matches everything. */
export function evaluateFilter(filter: string | null | undefined, entry: SyntheticEntry): FilterVerdict {
  let ast: Node | null;
  try {
    ast = parseFilter(filter ?? '');
  } catch (err) {
    return { matches: 'unknown', reasons: [`filter could not be parsed (${(err as Error).message})`] };
  }
  if (ast === null) return { matches: 'yes', reasons: [] };
  const ctx: Ctx = { entry, unknowns: new Set() };
  const matches = evalNode(ctx, ast);
  return { matches, reasons: matches === 'unknown' ? [...ctx.unknowns].sort() : [] };
}
