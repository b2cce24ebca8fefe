/**
 * Azure operation patterns: `*` is a wildcard anywhere in the string and matching is case-insensitive
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#actions).
 * Matched by the project's linear-time glob matcher (src/core/glob.ts); `?` is a literal.
 */
import { type GlobToken, matchGlob, parseGlob } from '../../src/core/glob.ts';

/**
 * A parsed pattern. Most role patterns are a literal operation or a literal with one trailing star
 * (`Microsoft.Compute/*`): those are an equality or a prefix test, their text and its lower case worked out once here
 * rather than at every match (as matchGlob would); the others go through matchGlob.
 */
interface Pattern {
  form: 'literal' | 'prefix' | 'general';
  tokens: GlobToken[];
  /** The literal characters (without the trailing star of a prefix). */
  text: string;
  lower: string;
}

/** Parsed patterns: a scan matches the same few hundred role patterns against every operation of every subscription. */
const parsed = new Map<string, Pattern>();
/** Patterns come from role definitions a tenant can write: the cache starts over past this many. */
const PARSED_MAX = 4096;

function compile(pattern: string): Pattern {
  const tokens = parseGlob(pattern, { question: false });
  let wild = 0;
  let text = '';
  for (const k of tokens) {
    if (k.t === 'lit') text += k.c;
    else wild++;
  }
  const form = wild === 0 ? 'literal' : wild === 1 && tokens.at(-1)?.t === 'star' ? 'prefix' : 'general';
  return { form, tokens, text, lower: text.toLowerCase() };
}

export function operationMatches(pattern: string, operation: string): boolean {
  let p = parsed.get(pattern);
  if (!p) {
    if (parsed.size >= PARSED_MAX) parsed.clear();
    p = compile(pattern);
    parsed.set(pattern, p);
  }
  // the same tests matchGlob makes for these two shapes (its ignoreCase: both sides lower-cased)
  if (p.form === 'literal') return p.text.length === operation.length && p.lower === operation.toLowerCase();
  if (p.form === 'prefix') {
    const head = operation.slice(0, p.text.length);
    return p.text.length === head.length && p.lower === head.toLowerCase();
  }
  return matchGlob(p.tokens, operation, { ignoreCase: true });
}
