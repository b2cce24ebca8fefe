import type { Capability, Provider } from './result.ts';

/** What a check learns about the previous scan (from the state store), for trend checks. */
export interface PreviousScan {
  /** Was this scope read in the previous scan? When not, nothing can be "new" in it. */
  scopeSeen(provider: Provider, scopeId: string): boolean;
  /** Capabilities the principal held in the previous scan (empty when it did not exist or held none). */
  capabilities(provider: Provider, scopeId: string, principalId: string): readonly Capability[];
  /**
   * Identities the state store's history has seen creating or copying in the scope (every recorded scan, kept past
   * scan retention); null when no recorded scan read the scope's activity, so nothing can be a first time.
   */
  creators?(provider: Provider, scopeId: string): ReadonlySet<string> | null;
}
