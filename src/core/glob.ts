/**
 * The one glob matcher of the project: config filters, baselines, suppressions, ticket routing, IAM and RBAC
 * action patterns, GCP permission patterns, EventBridge and CloudWatch wildcards, the lab's fault rules.
 *
 * Patterns are matched by simulating their automaton over the value (one set of live pattern positions, advanced
 * one character at a time), never by a backtracking regular expression: a pattern of m tokens against a value of
 * n characters costs at most n × (m + 1) steps, whatever either holds. (The regex translation this replaces took
 * 51 s for `*a*a*a*a*b` against 256 characters: a backtracking engine tries every way to split the value among the
 * stars.)
 */

export type GlobToken = { t: 'star' } | { t: 'one' } | { t: 'lit'; c: string };

export interface GlobSyntax {
  /** `?` matches exactly one character (default true); otherwise it is a literal. */
  question?: boolean;
  /** A backslash makes the next character literal (EventBridge: `\*`); default false. */
  escape?: boolean;
}

export interface GlobOptions {
  ignoreCase?: boolean;
  /** A character no wildcard matches (GCP permission patterns: `*` stays within one `/`-separated segment). */
  separator?: string;
  /** Incremented by the steps the match took (tests assert the bound). */
  steps?: { count: number };
}

/** Tokens of a pattern, one per code point; runs of `*` are one star. */
export function parseGlob(pattern: string, syntax: GlobSyntax = {}): GlobToken[] {
  const question = syntax.question ?? true;
  const out: GlobToken[] = [];
  let escaped = false;
  for (const c of pattern) {
    if (escaped) {
      out.push({ t: 'lit', c });
      escaped = false;
    } else if (syntax.escape && c === '\\') escaped = true;
    else if (c === '*') {
      if (out.at(-1)?.t !== 'star') out.push({ t: 'star' });
    } else if (c === '?' && question) out.push({ t: 'one' });
    else out.push({ t: 'lit', c });
  }
  if (escaped) out.push({ t: 'lit', c: '\\' });
  return out;
}

const STAR = 0;
const ONE = 1;
const LIT = 2;

/** Lower-case code point (ASCII inline; other scripts through toLowerCase). */
function lower(cp: number): number {
  if (cp < 128) return cp >= 65 && cp <= 90 ? cp + 32 : cp;
  return String.fromCodePoint(cp).toLowerCase().codePointAt(0) ?? cp;
}

// Scratch state for the automaton, reused across calls (matching is synchronous and never re-entered).
let scratch = {
  kinds: new Uint8Array(16),
  lits: new Int32Array(16),
  a: new Int32Array(17),
  b: new Int32Array(17),
  seen: new Int32Array(17),
};
let generation = 0;

/** Where the wildcards are: none, one trailing star only (`ec2:Create*`, the common IAM shape), or elsewhere. */
function shape(tokens: readonly GlobToken[]): 'literal' | 'prefix' | 'general' {
  let wild = 0;
  for (const k of tokens) if (k.t !== 'lit') wild++;
  if (wild === 0) return 'literal';
  return wild === 1 && tokens.at(-1)?.t === 'star' ? 'prefix' : 'general';
}

function literalText(tokens: readonly GlobToken[]): string {
  let s = '';
  for (const k of tokens) if (k.t === 'lit') s += k.c;
  return s;
}

/** Does the whole of `value` match the pattern's tokens? Linear in the length of the value for a given pattern. */
export function matchGlob(tokens: readonly GlobToken[], value: string, opts: GlobOptions = {}): boolean {
  const ic = opts.ignoreCase === true;
  const n = tokens.length;
  const form = shape(tokens);
  if (form !== 'general' && opts.separator === undefined) {
    // A literal pattern is an equality test; a literal with one trailing star a prefix test.
    if (opts.steps) opts.steps.count += value.length + 1;
    const text = literalText(tokens);
    const v = form === 'prefix' ? value.slice(0, text.length) : value;
    return ic ? text.length === v.length && text.toLowerCase() === v.toLowerCase() : text === v;
  }
  if (scratch.kinds.length < n + 1) {
    const size = 2 * (n + 1);
    scratch = {
      kinds: new Uint8Array(size),
      lits: new Int32Array(size),
      a: new Int32Array(size),
      b: new Int32Array(size),
      seen: new Int32Array(size),
    };
    generation = 0;
  }
  const { kinds, lits, seen } = scratch;
  let cur = scratch.a;
  let nxt = scratch.b;
  for (let i = 0; i < n; i++) {
    const k = tokens[i]!;
    kinds[i] = k.t === 'star' ? STAR : k.t === 'one' ? ONE : LIT;
    lits[i] = k.t === 'lit' ? (ic ? lower(k.c.codePointAt(0)!) : k.c.codePointAt(0)!) : -1;
  }
  kinds[n] = LIT;
  const sep = opts.separator === undefined ? -1 : opts.separator.codePointAt(0)!;
  // The start position, and the positions after leading stars (a star may match nothing).
  let gen = ++generation;
  let curLen = 0;
  for (let x = 0; ; x++) {
    seen[x] = gen;
    cur[curLen++] = x;
    if (x === n || kinds[x] !== STAR) break;
  }
  let steps = 0;
  const len = value.length;
  for (let p = 0; p < len; p++) {
    let c = value.charCodeAt(p);
    // A surrogate pair is one character, as `?` sees it.
    if (c >= 0xd800 && c <= 0xdbff && p + 1 < len) {
      const d = value.charCodeAt(p + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        p++;
      }
    }
    const cl = ic ? lower(c) : c;
    gen = ++generation;
    let nxtLen = 0;
    for (let j = 0; j < curLen; j++) {
      const i = cur[j]!;
      steps++;
      if (i === n) continue;
      const kind = kinds[i];
      let x: number;
      if (kind === STAR) {
        if (c === sep) continue;
        x = i;
      } else if (kind === ONE) {
        if (c === sep) continue;
        x = i + 1;
      } else if (lits[i] === cl) x = i + 1;
      else continue;
      // x is live after this character, and so is every position after a star at x.
      while (seen[x] !== gen) {
        seen[x] = gen;
        nxt[nxtLen++] = x;
        if (x === n || kinds[x] !== STAR) break;
        x++;
      }
    }
    steps++;
    if (nxtLen === 0) {
      if (opts.steps) opts.steps.count += steps;
      return false;
    }
    const t = cur;
    cur = nxt;
    nxt = t;
    curLen = nxtLen;
  }
  if (opts.steps) opts.steps.count += steps;
  for (let j = 0; j < curLen; j++) if (cur[j] === n) return true;
  return false;
}

/** Case-insensitive glob: `*` matches any run of characters (line breaks included), `?` exactly one. */
/** Case-insensitive unless asked (AWS tag values compare exactly). */
export function globMatch(pattern: string, value: string, caseSensitive = false): boolean {
  return matchGlob(parseGlob(pattern), value, { ignoreCase: !caseSensitive });
}

export function matchesAny(patterns: readonly string[], value: string): string | null {
  return patterns.find((p) => globMatch(p, value)) ?? null;
}
