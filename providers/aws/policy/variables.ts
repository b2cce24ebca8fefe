/**
 * Policy variables in Resource elements and String/Arn condition values: `${aws:username}`, `${aws:PrincipalTag/team}`,
 * the escapes `${*}` `${?}` `${$}` (a literal `*`, `?`, `$`), and the default-value form `${key, 'default'}` (a `''`
 * inside the quotes is one quote). Only policies with `"Version": "2012-10-17"` have variables; older ones take `${…}`
 * literally. A value substituted in is always literal: a `*` inside a user name never becomes a wildcard.
 */
import type { RequestContext } from './context.ts';
import { literal, parseGlob, type Token } from './wildcard.ts';

export type Expansion =
  | { state: 'ok'; tokens: Token[] }
  /** A variable's key is absent and has no default: the element cannot match (AWS: the statement may not apply). */
  | { state: 'absent'; key: string }
  /** A variable's key is not known offline. */
  | { state: 'unknown'; key: string };

export function variablesEnabled(version: string | null): boolean {
  return version === '2012-10-17';
}

interface VarRef {
  key: string;
  fallback: string | null;
}

/** Parses the inside of `${…}`: a key, optionally `, 'default'`. */
function parseRef(inner: string): VarRef | null {
  const m = /^\s*([^,]+?)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/.exec(inner);
  if (!m) return null;
  return { key: m[1]!, fallback: m[2] === undefined ? null : m[2].replace(/''/g, "'") };
}

/**
 * Expands variables and parses wildcards. `wildcards: false` (StringEquals and friends) keeps every character
 * literal apart from the substitutions.
 */
export function expand(text: string, ctx: RequestContext, opts: { variables: boolean; wildcards: boolean }): Expansion {
  const plain = (s: string): Token[] => (opts.wildcards ? parseGlob(s) : literal(s));
  if (!opts.variables || !text.includes('${')) return { state: 'ok', tokens: plain(text) };
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) {
      out.push(...plain(text.slice(i)));
      break;
    }
    const end = text.indexOf('}', start + 2);
    if (end < 0) {
      out.push(...plain(text.slice(i)));
      break;
    }
    out.push(...plain(text.slice(i, start)));
    const inner = text.slice(start + 2, end);
    i = end + 1;
    if (inner === '*' || inner === '?' || inner === '$') {
      out.push({ t: 'lit', c: inner });
      continue;
    }
    const ref = parseRef(inner);
    if (!ref) {
      out.push(...literal(text.slice(start, end + 1)));
      continue;
    }
    const found = ctx.lookup(ref.key);
    if (found.state === 'present' && found.values.length === 1 && !found.multi) {
      out.push(...literal(found.values[0]!));
    } else if (found.state === 'unknown') {
      return { state: 'unknown', key: ref.key };
    } else if (ref.fallback !== null) {
      // absent, or multivalued (which cannot be substituted): the default applies
      out.push(...literal(ref.fallback));
    } else {
      return { state: 'absent', key: ref.key };
    }
  }
  // merge adjacent stars (a variable boundary can leave two)
  return { state: 'ok', tokens: out.filter((k, n) => !(k.t === 'star' && out[n - 1]?.t === 'star')) };
}
