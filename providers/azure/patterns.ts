/**
 * Azure operation patterns: `*` is a wildcard anywhere in the string and matching is case-insensitive
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#actions).
 * Matched by the project's linear-time glob matcher (src/core/glob.ts); `?` is a literal.
 */
import { type GlobToken, matchGlob, parseGlob } from '../../src/core/glob.ts';

/** Parsed patterns: a scan matches the same few hundred role patterns against every operation of every subscription. */
const parsed = new Map<string, GlobToken[]>();
/** Patterns come from role definitions a tenant can write: the cache starts over past this many. */
const PARSED_MAX = 4096;

export function operationMatches(pattern: string, operation: string): boolean {
  let tokens = parsed.get(pattern);
  if (!tokens) {
    if (parsed.size >= PARSED_MAX) parsed.clear();
    tokens = parseGlob(pattern, { question: false });
    parsed.set(pattern, tokens);
  }
  return matchGlob(tokens, operation, { ignoreCase: true });
}
