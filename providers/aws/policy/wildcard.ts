/**
 * IAM wildcard patterns (`*` = any run of characters, `?` = exactly one) as token lists, so that a literal `*` that
 * came from a policy variable (`${*}`) or a context value never turns into a wildcard. Matching a pattern against a
 * string, and — for the scanner's pattern mode — deciding whether two patterns can match a common string (overlap)
 * or whether one covers every string the other can match (covers).
 */

import { type GlobToken, matchGlob } from '../../../src/core/glob.ts';

export type Token = GlobToken;

/** Parses `*` and `?` as wildcards, every other character as itself. */
export function parseGlob(text: string): Token[] {
  const out: Token[] = [];
  for (const c of text) {
    if (c === '*') {
      // consecutive stars are one star
      if (out.at(-1)?.t !== 'star') out.push({ t: 'star' });
    } else if (c === '?') out.push({ t: 'one' });
    else out.push({ t: 'lit', c });
  }
  return out;
}

/** Every character literal. */
export function literal(text: string): Token[] {
  return [...text].map((c) => ({ t: 'lit', c }) as Token);
}

export function hasWildcard(tokens: readonly Token[]): boolean {
  return tokens.some((k) => k.t !== 'lit');
}

export function tokensToString(tokens: readonly Token[]): string {
  return tokens.map((k) => (k.t === 'star' ? '*' : k.t === 'one' ? '?' : k.c)).join('');
}

/** Does `value` (a plain string) match the pattern? (The project's linear-time matcher, src/core/glob.ts.) */
export function globMatches(tokens: readonly Token[], value: string, ignoreCase = false): boolean {
  return matchGlob(tokens, value, { ignoreCase });
}

function litEq(a: string, b: string, ignoreCase: boolean): boolean {
  return ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** A lone star: it matches every string (and every pattern matches some string). */
function loneStar(tokens: readonly Token[]): boolean {
  return tokens.length === 1 && tokens[0]!.t === 'star';
}

/** Two patterns without wildcards: the same string? */
function sameLiterals(a: readonly Token[], b: readonly Token[], ignoreCase: boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.t !== 'lit' || y.t !== 'lit' || !litEq(x.c, y.c, ignoreCase)) return false;
  }
  return true;
}

/**
 * Can some string match both patterns? Exact: a search over the product of the two patterns' automata (a star
 * loops on any character, `?` eats one, a literal eats itself).
 */
export function globOverlaps(a: readonly Token[], b: readonly Token[], ignoreCase = false): boolean {
  // the common shapes of policy ARNs' parts, decided without the search (and its allocations; the answer is the same)
  if (loneStar(a) || loneStar(b)) return true;
  if (!hasWildcard(a) && !hasWildcard(b)) return sameLiterals(a, b, ignoreCase);
  const seen = new Set<number>();
  const w = b.length + 1;
  const stack: Array<[number, number]> = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = i * w + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const x = a[i];
    const y = b[j];
    // a star may match nothing
    if (x?.t === 'star') stack.push([i + 1, j]);
    if (y?.t === 'star') stack.push([i, j + 1]);
    if (!x || !y) continue;
    // both consume one common character
    const compatible = x.t !== 'lit' || y.t !== 'lit' || litEq(x.c, y.c, ignoreCase);
    if (compatible) stack.push([x.t === 'star' ? i : i + 1, y.t === 'star' ? j : j + 1]);
  }
  return false;
}

/**
 * Does `outer` match every string `inner` can match? Decided symbolically: an inner star can only be absorbed by
 * an outer star, an inner `?` by an outer `?` or star, a literal by itself, `?` or a star. Sound (never claims
 * coverage that is not there); it can miss exotic coverings such as `*?` covering `?*`.
 */
export function globCovers(outer: readonly Token[], inner: readonly Token[], ignoreCase = false): boolean {
  // the common shapes, decided without the search (the same answers): a lone star covers everything; a pattern
  // without wildcards covers only the same literal string
  if (loneStar(outer)) return true;
  if (!hasWildcard(outer)) return !hasWildcard(inner) && sameLiterals(outer, inner, ignoreCase);
  const seen = new Set<number>();
  const w = inner.length + 1;
  const stack: Array<[number, number]> = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = i * w + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === outer.length && j === inner.length) return true;
    const x = outer[i];
    const y = inner[j];
    if (x?.t === 'star') {
      stack.push([i + 1, j]); // the outer star matches nothing more
      if (y) stack.push([i, j + 1]); // the outer star absorbs whatever the inner token stands for
    }
    if (!x || !y || x.t === 'star') continue;
    if (x.t === 'one' && y.t !== 'star') stack.push([i + 1, j + 1]);
    else if (x.t === 'lit' && y.t === 'lit' && litEq(x.c, y.c, ignoreCase)) stack.push([i + 1, j + 1]);
  }
  return false;
}

/** Splits an ARN (or ARN pattern) into its six colon-delimited parts; the last keeps any further colons. */
function arnParts(tokens: readonly Token[]): Token[][] | null {
  const parts: Token[][] = [[]];
  for (const k of tokens) {
    if (k.t === 'lit' && k.c === ':' && parts.length < 6) parts.push([]);
    else parts.at(-1)!.push(k);
  }
  return parts.length === 6 ? parts : null;
}

/**
 * ARN matching as IAM does it for Resource elements and the Arn* operators: each of the six colon-delimited parts
 * is matched on its own (a wildcard never spans the colon between two parts). A pattern without any colon (`*`)
 * is matched against the whole string; a pattern with some colons but fewer than six parts is not a valid ARN
 * pattern and matches nothing.
 */
function colonFree(tokens: readonly Token[]): boolean {
  return !tokens.some((k) => k.t === 'lit' && k.c === ':');
}

export function arnMatches(pattern: readonly Token[], value: string): boolean {
  if (colonFree(pattern)) return globMatches(pattern, value);
  const p = arnParts(pattern);
  if (!p) return false;
  const v = arnParts(literal(value));
  if (!v) return false;
  return p.every((part, i) => globMatches(part, tokensToString(v[i]!)));
}

/** Pattern mode: can the statement's ARN pattern match some resource the requested ARN pattern describes? */
export function arnOverlaps(pattern: readonly Token[], requested: readonly Token[]): boolean {
  if (colonFree(pattern) || colonFree(requested)) return globOverlaps(pattern, requested);
  const p = arnParts(pattern);
  const r = arnParts(requested);
  if (!p || !r) return false;
  return p.every((part, i) => globOverlaps(part, r[i]!));
}

/** Pattern mode: does the statement's ARN pattern match every resource the requested ARN pattern describes? */
export function arnCovers(pattern: readonly Token[], requested: readonly Token[]): boolean {
  if (colonFree(pattern) || colonFree(requested)) return globCovers(pattern, requested);
  const p = arnParts(pattern);
  const r = arnParts(requested);
  if (!p || !r) return false;
  return p.every((part, i) => globCovers(part, r[i]!));
}
