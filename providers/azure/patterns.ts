/**
 * Azure operation patterns: `*` is a wildcard anywhere in the string and matching is case-insensitive
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#actions).
 * Matched by the project's linear-time glob matcher (src/core/glob.ts); `?` is a literal.
 */
import { matchGlob, parseGlob } from '../../src/core/glob.ts';

export function operationMatches(pattern: string, operation: string): boolean {
  return matchGlob(parseGlob(pattern, { question: false }), operation, { ignoreCase: true });
}
