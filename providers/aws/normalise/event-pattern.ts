/**
 * EventBridge event patterns, evaluated the way EventBridge does: every key of a pattern object must match (AND),
 * the matchers in a leaf array are alternatives (OR), `$or` takes alternative sub-patterns, a field holding an array
 * matches when any element does. Supported matchers: exact values (string, number, boolean, null), `prefix`,
 * `suffix`, `equals-ignore-case`, `wildcard`, `anything-but` (values, or a prefix / suffix / equals-ignore-case /
 * wildcard), `numeric`, `exists` and `cidr`.
 *
 * The scanner never sees a real event: it asks whether a pattern *would* match the CloudTrail event a snapshot
 * creation produces. Fields of that event the scanner cannot know (the caller's identity, its IP address, the
 * request parameters…) hold an opaque value: present, and equal to no value a pattern names. So `anything-but` and
 * `exists: true` match it and a literal does not; every such decision is recorded as an assumption.
 */
import { matchGlob, parseGlob } from '../../../src/core/glob.ts';

/** A field whose value the scanner cannot know. */
export const OPAQUE = Symbol('opaque');

export type SimValue = string | number | boolean | null | typeof OPAQUE | SimValue[] | SimObject;
export interface SimObject {
  /** When true, keys not listed are present with an opaque value; when false they are absent. */
  readonly open: boolean;
  readonly fields: Record<string, SimValue>;
}

export interface PatternMatch {
  matches: boolean;
  /** Decisions taken about fields the scanner cannot know. */
  assumptions: string[];
  /** Why the pattern could not be evaluated at all (invalid pattern), when so. */
  invalid: string | null;
}

class InvalidPattern extends Error {}

type Field = { kind: 'absent' } | { kind: 'opaque' } | { kind: 'value'; value: Exclude<SimValue, typeof OPAQUE> };

function isSimObject(v: SimValue | undefined): v is SimObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'fields' in v;
}

function child(parent: Field, key: string): Field {
  if (parent.kind === 'absent') return parent;
  if (parent.kind === 'opaque') return { kind: 'opaque' };
  const obj = parent.value;
  if (!isSimObject(obj)) return { kind: 'absent' };
  if (Object.hasOwn(obj.fields, key)) {
    const v = obj.fields[key] as SimValue;
    return v === OPAQUE ? { kind: 'opaque' } : { kind: 'value', value: v };
  }
  return obj.open ? { kind: 'opaque' } : { kind: 'absent' };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An EventBridge wildcard: `*` matches any run, `\\*` is a literal star (project's linear-time matcher). */
function wildcardMatcher(pattern: string): (s: string) => boolean {
  const tokens = parseGlob(pattern, { question: false, escape: true });
  return (s) => matchGlob(tokens, s);
}

function ipv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return (((parts[0] as number) << 24) >>> 0) + ((parts[1] as number) << 16) + ((parts[2] as number) << 8) + (parts[3] as number);
}

function stringOperand(v: unknown, op: string): string {
  if (typeof v !== 'string') throw new InvalidPattern(`"${op}" needs a string`);
  return v;
}

/** A string test with its behaviour on an opaque value (does an unknown string match it?). */
interface StringTest {
  test: (s: string) => boolean;
  /** Does an opaque value pass? True only when the test matches any string at all. */
  opaque: boolean;
  describe: string;
}

function stringTest(op: string, operand: unknown): StringTest {
  switch (op) {
    case 'prefix': {
      if (isPlainObject(operand) && 'equals-ignore-case' in operand) {
        const p = stringOperand(operand['equals-ignore-case'], 'prefix equals-ignore-case').toLowerCase();
        return { test: (s) => s.toLowerCase().startsWith(p), opaque: p === '', describe: `prefix (any case) "${p}"` };
      }
      const p = stringOperand(operand, 'prefix');
      return { test: (s) => s.startsWith(p), opaque: p === '', describe: `prefix "${p}"` };
    }
    case 'suffix': {
      if (isPlainObject(operand) && 'equals-ignore-case' in operand) {
        const p = stringOperand(operand['equals-ignore-case'], 'suffix equals-ignore-case').toLowerCase();
        return { test: (s) => s.toLowerCase().endsWith(p), opaque: p === '', describe: `suffix (any case) "${p}"` };
      }
      const p = stringOperand(operand, 'suffix');
      return { test: (s) => s.endsWith(p), opaque: p === '', describe: `suffix "${p}"` };
    }
    case 'equals-ignore-case': {
      const p = stringOperand(operand, 'equals-ignore-case').toLowerCase();
      return { test: (s) => s.toLowerCase() === p, opaque: false, describe: `"${p}" (any case)` };
    }
    case 'wildcard': {
      const p = stringOperand(operand, 'wildcard');
      const test = wildcardMatcher(p);
      return { test, opaque: /^\**$/.test(p) && p.length > 0, describe: `wildcard "${p}"` };
    }
    default:
      throw new InvalidPattern(`unknown matcher "${op}"`);
  }
}

function literalEquals(a: Exclude<SimValue, typeof OPAQUE | SimObject | SimValue[]>, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return a === b;
}

function scalars(v: Exclude<SimValue, typeof OPAQUE>): Array<string | number | boolean | null> {
  if (Array.isArray(v)) return v.flatMap((x) => (x === OPAQUE || isSimObject(x) || Array.isArray(x) ? [] : [x]));
  if (isSimObject(v)) return [];
  return [v];
}

interface Ctx {
  assumptions: string[];
}

/** One matcher (an element of a leaf array) against a field. */
function matchOne(matcher: unknown, field: Field, path: string, ctx: Ctx): boolean {
  if (!isPlainObject(matcher)) {
    if (Array.isArray(matcher)) throw new InvalidPattern(`${path}: a value must be a string, number, boolean or null`);
    if (field.kind === 'absent') return false;
    if (field.kind === 'opaque') {
      ctx.assumptions.push(`${path} is not ${JSON.stringify(matcher)}`);
      return false;
    }
    return scalars(field.value).some((v) => literalEquals(v, matcher));
  }
  const keys = Object.keys(matcher);
  if (keys.length !== 1) throw new InvalidPattern(`${path}: a matcher object has exactly one operator`);
  const op = keys[0] as string;
  const operand = matcher[op];
  switch (op) {
    case 'exists': {
      if (typeof operand !== 'boolean') throw new InvalidPattern(`${path}: exists needs true or false`);
      const present = field.kind !== 'absent';
      if (field.kind === 'opaque') ctx.assumptions.push(`${path} is present`);
      return present === operand;
    }
    case 'anything-but': {
      if (field.kind === 'absent') return false;
      let excluded: (v: string | number | boolean | null) => boolean;
      let describe: string;
      if (isPlainObject(operand)) {
        const [inner] = Object.keys(operand);
        const innerOperand = operand[inner as string];
        const tests = (Array.isArray(innerOperand) ? innerOperand : [innerOperand]).map((o) => stringTest(inner as string, o));
        excluded = (v) => typeof v === 'string' && tests.some((t) => t.test(v));
        describe = tests.map((t) => t.describe).join(' or ');
      } else {
        const values = Array.isArray(operand) ? operand : [operand];
        excluded = (v) => values.some((x) => literalEquals(v, x));
        describe = values.map((v) => JSON.stringify(v)).join(', ');
      }
      if (field.kind === 'opaque') {
        ctx.assumptions.push(`${path} is not ${describe}`);
        return true;
      }
      return scalars(field.value).some((v) => !excluded(v));
    }
    case 'numeric': {
      if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0)
        throw new InvalidPattern(`${path}: numeric needs [operator, number, …]`);
      const conds: Array<[string, number]> = [];
      for (let i = 0; i < operand.length; i += 2) {
        const o = operand[i];
        const n = operand[i + 1];
        if (typeof o !== 'string' || !['=', '<', '<=', '>', '>='].includes(o) || typeof n !== 'number')
          throw new InvalidPattern(`${path}: numeric needs [operator, number, …]`);
        conds.push([o, n]);
      }
      if (field.kind !== 'value') {
        if (field.kind === 'opaque') ctx.assumptions.push(`${path} is not a number in the range`);
        return false;
      }
      return scalars(field.value).some(
        (v) =>
          typeof v === 'number' &&
          conds.every(([o, n]) => (o === '=' ? v === n : o === '<' ? v < n : o === '<=' ? v <= n : o === '>' ? v > n : v >= n)),
      );
    }
    case 'cidr': {
      const spec = stringOperand(operand, 'cidr');
      const [base, bitsText] = spec.split('/');
      const net = ipv4(base ?? '');
      const bits = Number(bitsText ?? '32');
      if (net === null || !Number.isInteger(bits) || bits < 0 || bits > 32)
        throw new InvalidPattern(`${path}: cidr "${spec}" is not an IPv4 CIDR`);
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      if (field.kind !== 'value') {
        if (field.kind === 'opaque') ctx.assumptions.push(`${path} is not in ${spec}`);
        return false;
      }
      return scalars(field.value).some((v) => {
        const ip = typeof v === 'string' ? ipv4(v) : null;
        return ip !== null && (ip & mask) >>> 0 === (net & mask) >>> 0;
      });
    }
    default: {
      const t = stringTest(op, operand);
      if (field.kind === 'absent') return false;
      if (field.kind === 'opaque') {
        if (!t.opaque) ctx.assumptions.push(`${path} does not match ${t.describe}`);
        return t.opaque;
      }
      return scalars(field.value).some((v) => typeof v === 'string' && t.test(v));
    }
  }
}

function matchObject(pattern: Record<string, unknown>, node: Field, path: string, ctx: Ctx): boolean {
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isPlainObject))
        throw new InvalidPattern(`${path || '(top)'}: $or needs at least two pattern objects`);
      // Evaluate every branch so invalid branches are reported, then keep the assumptions of one matching branch.
      const results = value.map((branch) => {
        const sub: Ctx = { assumptions: [] };
        return { ok: matchObject(branch, node, path, sub), sub };
      });
      const hit = results.find((r) => r.ok && r.sub.assumptions.length === 0) ?? results.find((r) => r.ok);
      if (!hit) {
        ctx.assumptions.push(...results.flatMap((r) => r.sub.assumptions));
        return false;
      }
      ctx.assumptions.push(...hit.sub.assumptions);
      continue;
    }
    const p = path ? `${path}.${key}` : key;
    const field = child(node, key);
    if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidPattern(`${p}: an empty list matches nothing`);
      const sub: Ctx = { assumptions: [] };
      const ok = value.map((m) => matchOne(m, field, p, sub)).some(Boolean);
      ctx.assumptions.push(...sub.assumptions);
      if (!ok) return false;
    } else if (isPlainObject(value)) {
      if (!matchObject(value, field, p, ctx)) return false;
    } else {
      throw new InvalidPattern(`${p}: values must be in a list, e.g. ["${String(value)}"]`);
    }
  }
  return true;
}

/** Does an EventBridge pattern (object or JSON text) match the simulated event? */
export function matchEventPattern(pattern: unknown, event: SimObject): PatternMatch {
  let parsed = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch {
      return { matches: false, assumptions: [], invalid: 'the event pattern is not valid JSON' };
    }
  }
  if (!isPlainObject(parsed) || Object.keys(parsed).length === 0)
    return { matches: false, assumptions: [], invalid: 'the event pattern must be a non-empty JSON object' };
  const ctx: Ctx = { assumptions: [] };
  try {
    const matches = matchObject(parsed, { kind: 'value', value: event }, '', ctx);
    return { matches, assumptions: [...new Set(ctx.assumptions)], invalid: null };
  } catch (err) {
    if (err instanceof InvalidPattern) return { matches: false, assumptions: [], invalid: `invalid pattern: ${err.message}` };
    throw err;
  }
}
