/**
 * CloudWatch Logs filter patterns, evaluated against a simulated CloudTrail record (the JSON a trail writes to its
 * log group). Two syntaxes apply to JSON events:
 * - JSON patterns `{ $.eventName = CreateSnapshot || ($.eventSource = "ec2.amazonaws.com" && $.readOnly IS FALSE) }`
 *   with `=`, `!=`, `<`, `<=`, `>`, `>=`, `*` wildcards in string values, `%regex%`, `IS NULL`, `IS TRUE`,
 *   `IS FALSE`, `NOT EXISTS`, `&&`, `||` and parentheses;
 * - term patterns matched against the raw text: `CreateSnapshot` (all terms), `?CreateSnapshot ?CopySnapshot` (any),
 *   `-term` (must not appear), `"quoted phrase"`; an empty pattern matches every event.
 * Space-delimited patterns (`[ip, user, …]`) do not apply to JSON records and match nothing here.
 * Fields the scanner cannot know hold an opaque value (see event-pattern.ts): `!=` passes, `=` fails.
 */
import { matchGlob, parseGlob } from '../../../src/core/glob.ts';
import { OPAQUE, type SimObject, type SimValue } from './event-pattern.ts';

export interface FilterMatch {
  matches: boolean;
  assumptions: string[];
  invalid: string | null;
}

class InvalidFilter extends Error {}

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'cmp'; path: string[]; raw: string; op: string; value: string; quoted: boolean; regex: boolean }
  | { kind: 'is'; path: string[]; raw: string; what: 'NULL' | 'TRUE' | 'FALSE' | 'NOT EXISTS' };

function tokenize(src: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['&&', '||', '!=', '<=', '>='].includes(two)) {
      tokens.push(two);
      i += 2;
      continue;
    }
    if ('()=<>'.includes(c)) {
      tokens.push(c);
      i++;
      continue;
    }
    if (c === '"' || c === '%') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new InvalidFilter(`unterminated ${c === '"' ? 'string' : 'regular expression'}`);
      tokens.push(src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < src.length && !/[\s()=<>!&|]/.test(src[j] as string)) j++;
    if (j === i) throw new InvalidFilter(`unexpected "${c}"`);
    tokens.push(src.slice(i, j));
    i = j;
  }
  return tokens;
}

function parseSelector(tok: string): string[] {
  if (!tok.startsWith('$')) throw new InvalidFilter(`expected a selector such as $.eventName, got "${tok}"`);
  const path: string[] = [];
  const re = /\.([A-Za-z0-9_\-@:]+)|\[(\d+)\]/g;
  let rest = tok.slice(1);
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(rest)) !== null) {
    if (m.index !== consumed) break;
    path.push((m[1] ?? m[2]) as string);
    consumed = re.lastIndex;
  }
  rest = rest.slice(consumed);
  if (rest !== '' || path.length === 0) throw new InvalidFilter(`"${tok}" is not a selector such as $.eventName`);
  return path;
}

function parseJsonPattern(body: string): Node {
  const tokens = tokenize(body);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (t === undefined) throw new InvalidFilter('the pattern ends too early');
    return t;
  };
  const primary = (): Node => {
    if (peek() === '(') {
      next();
      const inner = or();
      if (next() !== ')') throw new InvalidFilter('a parenthesis is not closed');
      return inner;
    }
    const raw = next();
    const path = parseSelector(raw);
    const op = next();
    if (op.toUpperCase() === 'IS') {
      const what = next().toUpperCase();
      if (what !== 'NULL' && what !== 'TRUE' && what !== 'FALSE') throw new InvalidFilter(`IS ${what} is not supported`);
      return { kind: 'is', path, raw, what };
    }
    if (op.toUpperCase() === 'NOT') {
      if (next().toUpperCase() !== 'EXISTS') throw new InvalidFilter('expected NOT EXISTS');
      return { kind: 'is', path, raw, what: 'NOT EXISTS' };
    }
    if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) throw new InvalidFilter(`unknown operator "${op}"`);
    const v = next();
    const quoted = v.startsWith('"');
    const regex = v.startsWith('%');
    return { kind: 'cmp', path, raw, op, value: quoted || regex ? v.slice(1, -1) : v, quoted, regex };
  };
  const and = (): Node => {
    let left = primary();
    while (peek() === '&&') {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peek() === '||') {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const root = or();
  if (pos !== tokens.length) throw new InvalidFilter(`unexpected "${tokens[pos]}"`);
  return root;
}

type Lookup = { kind: 'absent' } | { kind: 'opaque' } | { kind: 'value'; value: SimValue };

function lookup(record: SimObject, path: readonly string[]): Lookup {
  let cur: SimValue = record;
  for (const key of path) {
    if (cur === OPAQUE) return { kind: 'opaque' };
    if (Array.isArray(cur)) {
      const idx = Number(key);
      if (!Number.isInteger(idx) || idx >= cur.length) return { kind: 'absent' };
      cur = cur[idx] as SimValue;
      continue;
    }
    if (typeof cur !== 'object' || cur === null) return { kind: 'absent' };
    if (Object.hasOwn(cur.fields, key)) cur = cur.fields[key] as SimValue;
    else return cur.open ? { kind: 'opaque' } : { kind: 'absent' };
  }
  return cur === OPAQUE ? { kind: 'opaque' } : { kind: 'value', value: cur };
}

/** A filter term with `*` wildcards (`?` is a literal), matched by the project's linear-time matcher. */
function wildcard(value: string): (s: string) => boolean {
  const tokens = parseGlob(value, { question: false });
  return (s) => matchGlob(tokens, s);
}

function evaluate(node: Node, record: SimObject, assumptions: string[]): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, record, assumptions) && evaluate(node.right, record, assumptions);
    case 'or': {
      const left: string[] = [];
      if (evaluate(node.left, record, left)) {
        assumptions.push(...left);
        return true;
      }
      const right: string[] = [];
      const ok = evaluate(node.right, record, right);
      assumptions.push(...(ok ? right : [...left, ...right]));
      return ok;
    }
    case 'is': {
      const f = lookup(record, node.path);
      if (f.kind === 'opaque') {
        assumptions.push(`${node.raw} is present and not null`);
        return false;
      }
      if (node.what === 'NOT EXISTS') return f.kind === 'absent';
      if (f.kind === 'absent') return false;
      return node.what === 'NULL' ? f.value === null : f.value === (node.what === 'TRUE');
    }
    case 'cmp': {
      const f = lookup(record, node.path);
      if (f.kind === 'absent') return false;
      if (f.kind === 'opaque') {
        const any = node.op === '=' && !node.regex && /^\*+$/.test(node.value);
        const result = node.op === '!=' || any;
        assumptions.push(`${node.raw} ${result ? 'is not' : 'does not match'} ${node.value}`);
        return result;
      }
      const v = f.value;
      const num = Number(node.value);
      if (['<', '<=', '>', '>='].includes(node.op)) {
        if (typeof v !== 'number' || !Number.isFinite(num)) return false;
        return node.op === '<' ? v < num : node.op === '<=' ? v <= num : node.op === '>' ? v > num : v >= num;
      }
      let equal: boolean;
      if (typeof v === 'number' && !node.quoted && Number.isFinite(num)) equal = v === num;
      else if (typeof v === 'string' || typeof v === 'boolean') {
        const s = String(v);
        equal = node.regex ? new RegExp(node.value).test(s) : wildcard(node.value)(s);
      } else equal = false;
      return node.op === '=' ? equal : !equal;
    }
  }
}

function termTokens(pattern: string): string[] {
  const out: string[] = [];
  const re = /([?-]?)"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(pattern)) !== null) out.push(m[3] ?? `${m[1]}${m[2]}`);
  return out;
}

/** Does a metric filter pattern match the simulated record? `knownText` is the raw JSON of the record's known fields. */
export function matchFilterPattern(pattern: string, record: SimObject, knownText: string): FilterMatch {
  const p = pattern.trim();
  if (p === '' || p === '""') return { matches: true, assumptions: [], invalid: null };
  if (p.startsWith('{')) {
    if (!p.endsWith('}')) return { matches: false, assumptions: [], invalid: 'a JSON filter pattern must end with }' };
    try {
      const node = parseJsonPattern(p.slice(1, -1));
      const assumptions: string[] = [];
      const matches = evaluate(node, record, assumptions);
      return { matches, assumptions: [...new Set(assumptions)], invalid: null };
    } catch (err) {
      if (err instanceof InvalidFilter) return { matches: false, assumptions: [], invalid: `invalid filter pattern: ${err.message}` };
      throw err;
    }
  }
  if (p.startsWith('['))
    return { matches: false, assumptions: [], invalid: 'a space-delimited pattern does not apply to CloudTrail JSON events' };
  const terms = termTokens(p);
  const anyOf = terms.filter((t) => t.startsWith('?')).map((t) => t.slice(1));
  const has = (t: string) => knownText.includes(t);
  const assumptions: string[] = [];
  if (anyOf.length > 0) {
    const matches = anyOf.some(has);
    if (!matches) assumptions.push(`the record text contains none of ${anyOf.join(', ')}`);
    return { matches, assumptions, invalid: null };
  }
  const must = terms.filter((t) => !t.startsWith('-'));
  const mustNot = terms.filter((t) => t.startsWith('-')).map((t) => t.slice(1));
  const missing = must.filter((t) => !has(t));
  if (missing.length > 0) assumptions.push(`the record text does not contain ${missing.join(', ')}`);
  const excluded = mustNot.filter(has);
  for (const t of mustNot.filter((x) => !has(x))) assumptions.push(`the record text does not contain ${t}`);
  return { matches: missing.length === 0 && excluded.length === 0, assumptions, invalid: null };
}
