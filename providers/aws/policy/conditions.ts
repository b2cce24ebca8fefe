/**
 * The Condition element. Every documented operator family — String*, Numeric*, Date*, Bool, BinaryEquals,
 * IpAddress/NotIpAddress, Arn*, Null — with the `…IfExists` suffix and the `ForAnyValue:` / `ForAllValues:` set
 * qualifiers. Semantics (IAM User Guide, "Condition operators" and "Multivalued context keys"):
 * - several operators, and several keys under one operator, are ANDed; several values for one key are ORed, except
 *   for negated operators (StringNotEquals, NotIpAddress…) where the context value must match none of them;
 * - a key absent from the request: the condition is false, except negated operators (true), `…IfExists` (true),
 *   `ForAllValues:` (true: an empty set satisfies "all") and Null (which tests presence);
 * - `ForAnyValue:` is true when at least one context value passes, `ForAllValues:` when every one does.
 * Offline (partial context), a key whose value is unknown makes the condition `maybe`.
 */
import type { ConditionEntry } from './parse.ts';
import { and, type RequestContext, type Truth } from './context.ts';
import { cidrContains } from './ip.ts';
import { expand } from './variables.ts';
import { arnMatches, globMatches, type Token, tokensToString } from './wildcard.ts';

type Family = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';

interface OperatorSpec {
  family: Family;
  negated: boolean;
  /** Policy values take `*` and `?` as wildcards. */
  wildcards: boolean;
  /** Policy values may hold policy variables. */
  variables: boolean;
  /** Does one context value pass against one policy value (the positive form)? */
  test: (ctx: string, policy: Token[]) => boolean;
}

const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
function num(s: string): number | null {
  return NUM.test(s.trim()) ? Number(s) : null;
}
function date(s: string): number | null {
  const t = s.trim();
  if (NUM.test(t)) return Number(t) * 1000; // epoch seconds
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}
function cmp(parse: (s: string) => number | null, f: (a: number, b: number) => boolean) {
  return (ctx: string, policy: Token[]): boolean => {
    const a = parse(ctx);
    const b = parse(tokensToString(policy));
    return a !== null && b !== null && f(a, b);
  };
}
function b64(s: string): string {
  return Buffer.from(s.trim(), 'base64').toString('base64');
}

const eq = (a: number, b: number) => a === b;
const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;

function spec(family: Family, negated: boolean, test: OperatorSpec['test'], o: Partial<OperatorSpec> = {}): OperatorSpec {
  return { family, negated, wildcards: false, variables: false, test, ...o };
}

const stringEquals = (c: string, p: Token[]) => c === tokensToString(p);
const stringEqualsIc = (c: string, p: Token[]) => c.toLowerCase() === tokensToString(p).toLowerCase();
const stringLike = (c: string, p: Token[]) => globMatches(p, c);
const arnLike = (c: string, p: Token[]) => arnMatches(p, c);
const str = { variables: true };
const arn = { variables: true, wildcards: true };

/** Operators by lower-case base name (without set qualifier and IfExists). */
const operators: Record<string, OperatorSpec> = {
  stringequals: spec('string', false, stringEquals, str),
  stringnotequals: spec('string', true, stringEquals, str),
  stringequalsignorecase: spec('string', false, stringEqualsIc, str),
  stringnotequalsignorecase: spec('string', true, stringEqualsIc, str),
  stringlike: spec('string', false, stringLike, { variables: true, wildcards: true }),
  stringnotlike: spec('string', true, stringLike, { variables: true, wildcards: true }),
  numericequals: spec('numeric', false, cmp(num, eq)),
  numericnotequals: spec('numeric', true, cmp(num, eq)),
  numericlessthan: spec('numeric', false, cmp(num, lt)),
  numericlessthanequals: spec('numeric', false, cmp(num, le)),
  numericgreaterthan: spec('numeric', false, cmp(num, gt)),
  numericgreaterthanequals: spec('numeric', false, cmp(num, ge)),
  dateequals: spec('date', false, cmp(date, eq)),
  datenotequals: spec('date', true, cmp(date, eq)),
  datelessthan: spec('date', false, cmp(date, lt)),
  datelessthanequals: spec('date', false, cmp(date, le)),
  dategreaterthan: spec('date', false, cmp(date, gt)),
  dategreaterthanequals: spec('date', false, cmp(date, ge)),
  bool: spec('bool', false, (c, p) => c.trim().toLowerCase() === tokensToString(p).trim().toLowerCase(), str),
  binaryequals: spec('binary', false, (c, p) => b64(c) === b64(tokensToString(p))),
  ipaddress: spec('ip', false, (c, p) => cidrContains(tokensToString(p), c)),
  notipaddress: spec('ip', true, (c, p) => cidrContains(tokensToString(p), c)),
  arnequals: spec('arn', false, arnLike, arn),
  arnlike: spec('arn', false, arnLike, arn),
  arnnotequals: spec('arn', true, arnLike, arn),
  arnnotlike: spec('arn', true, arnLike, arn),
  null: spec('null', false, () => false),
};

export interface ParsedOperator {
  set: 'any' | 'all' | null;
  ifExists: boolean;
  base: string;
  spec: OperatorSpec | null;
}

export function parseOperator(operator: string): ParsedOperator {
  let rest = operator.trim();
  let set: ParsedOperator['set'] = null;
  const q = /^(ForAnyValue|ForAllValues):/i.exec(rest);
  if (q) {
    set = q[1]!.toLowerCase() === 'foranyvalue' ? 'any' : 'all';
    rest = rest.slice(q[0].length);
  }
  let ifExists = false;
  if (/IfExists$/i.test(rest)) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  return { set, ifExists, base: rest, spec: operators[rest.toLowerCase()] ?? null };
}

export interface ConditionResult {
  operator: string;
  key: string;
  values: string[];
  result: Truth;
  /** Why, in a few words (`key absent`, `aws:SourceIp unknown offline`…). */
  note: string | null;
}

/** Human-readable form: `StringEquals aws:RequestedRegion = eu-west-1 | eu-west-2`. */
export function describeCondition(c: Pick<ConditionEntry, 'operator' | 'key' | 'values'>): string {
  return `${c.operator} ${c.key} = ${c.values.join(' | ')}`;
}

/** Evaluates one (operator, key, values) entry. */
export function evaluateCondition(entry: ConditionEntry, ctx: RequestContext, variables: boolean): ConditionResult {
  const base = { operator: entry.operator, key: entry.key, values: entry.values };
  const op = parseOperator(entry.operator);
  if (!op.spec) return { ...base, result: 'maybe', note: `unknown operator ${entry.operator}` };
  const found = ctx.lookup(entry.key);
  if (found.state === 'unknown') return { ...base, result: 'maybe', note: `${entry.key} not known offline` };
  const present = found.state === 'present' && found.values.length > 0 ? found : null;

  if (op.spec.family === 'null') {
    const wantAbsent = entry.values.map((v) => v.trim().toLowerCase() === 'true');
    const ok = wantAbsent.some((w) => (w ? present === null : present !== null));
    return { ...base, result: ok ? 'yes' : 'no', note: present ? 'key present' : 'key absent' };
  }

  if (!present) {
    if (op.ifExists) return { ...base, result: 'yes', note: 'key absent (IfExists)' };
    if (op.set === 'all') return { ...base, result: 'yes', note: 'key absent or empty (ForAllValues)' };
    if (op.set === 'any') return { ...base, result: 'no', note: 'key absent or empty (ForAnyValue)' };
    return { ...base, result: op.spec.negated ? 'yes' : 'no', note: 'key absent' };
  }

  // resolve the policy values (variables, wildcards)
  const policy: Token[][] = [];
  for (const v of entry.values) {
    const x = expand(v, ctx, { variables: variables && op.spec.variables, wildcards: op.spec.wildcards });
    if (x.state === 'unknown') return { ...base, result: 'maybe', note: `policy variable \${${x.key}} not known offline` };
    if (x.state === 'ok') policy.push(x.tokens);
  }
  if (policy.length === 0) return { ...base, result: 'no', note: 'policy variable has no value' };

  const s = op.spec;
  const passes = (value: string): boolean => {
    const hit = policy.some((p) => s.test(value, p));
    return s.negated ? !hit : hit;
  };
  let ok: boolean;
  if (op.set === 'any') ok = present.values.some(passes);
  else if (op.set === 'all') ok = present.values.every(passes);
  else ok = s.negated ? present.values.every(passes) : present.values.some(passes);
  return { ...base, result: ok ? 'yes' : 'no', note: null };
}

/** Evaluates a statement's whole Condition block (AND of every entry). */
export function evaluateConditions(
  entries: readonly ConditionEntry[],
  ctx: RequestContext,
  variables: boolean,
): { result: Truth; details: ConditionResult[] } {
  let result: Truth = 'yes';
  const details: ConditionResult[] = [];
  for (const e of entries) {
    const r = evaluateCondition(e, ctx, variables);
    details.push(r);
    result = and(result, r.result);
  }
  return { result, details };
}
