/**
 * The one place the engine takes in what a provider adapter hands over (its discovery and each scope's
 * collection). Two rules are applied here, once, rather than in every normaliser of every provider:
 *
 * - every string is made well-formed UTF-16 (a lone surrogate becomes U+FFFD), so the result, SARIF, OCSF, the
 *   state store and ticket payloads can always be written as UTF-8;
 * - every coverage gap's message is scrubbed of credential shapes: a cloud error can echo the request that failed.
 */
import type { Discovery, ScopeCollection } from '../../providers/types.ts';
import { scrubSecrets } from '../core/secrets.ts';
import { wellFormedDeep } from '../core/unicode.ts';
import type { Gap } from '../core/model/result.ts';

function scrubGap(g: Gap): Gap {
  const message = scrubSecrets(g.message);
  return message === g.message ? g : { ...g, message };
}

export function receivedDiscovery(d: Discovery): Discovery {
  const clean = wellFormedDeep(d);
  return {
    ...clean,
    gaps: clean.gaps.map(scrubGap),
    scopes: clean.scopes.map((s) => (s.blockedBy ? { ...s, blockedBy: scrubGap(s.blockedBy) } : s)),
  };
}

export function receivedCollection(c: ScopeCollection): ScopeCollection {
  const clean = wellFormedDeep(c);
  return { ...clean, gaps: clean.gaps.map(scrubGap) };
}
