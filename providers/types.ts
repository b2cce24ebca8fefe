/**
 * The contract between the engine and a cloud adapter. An adapter discovers scopes, then collects, per scope, what
 * the selected checks need, normalised into the provider-neutral model. It does all its I/O through `rt.call` so the
 * engine can bound concurrency, retry, count and interrupt; a failure it cannot recover from becomes a Gap.
 */
import type { CallRunner, ErrorInfo } from '../src/core/calls.ts';
import type { Need } from '../src/core/model/needs.ts';
import type { Gap, Guard, Logging, Principal, Provider, Scope, Snapshot } from '../src/core/model/result.ts';
import type { ActivityEvent } from '../src/core/model/activity.ts';
import type { Logger } from '../src/core/log.ts';

export interface ProviderRuntime {
  call: CallRunner;
  /**
   * For a call that other calls wait for while they hold their slots: a credential renewal the SDK asks for inside a
   * call (an AWS session near its expiry). It goes through limiters of its own, retried, counted and with the same
   * deadline: through `call` it would queue behind its own waiters, and when they hold every slot the scan would stall
   * until their deadlines. Set at discovery; a renewal must not itself wait for a renewal.
   */
  renewalCall?: CallRunner;
  /** Page ceiling of one paged listing (`scan.maxPagesPerListing`); see providers/paging.ts. */
  maxPages?: number;
  /** How far back creation activity is read (`scan.activityLookbackDays`; default 90), bounded by each cloud's retention. */
  activityLookbackDays?: number;
  /**
   * The calls a scope may have in flight (`scan.concurrency.callsPerScope`). A collector with many independent reads
   * need not start more than this many at once: a read started early only waits for a slot, holding its whole chain
   * of suspended calls (some 5 KB each) while it waits.
   */
  callsPerScope?: number;
  signal: AbortSignal;
  now: Date;
  log: Logger;
  needs: ReadonlySet<Need>;
}

export interface ScopeRuntime extends ProviderRuntime {
  scope: Scope;
}

export interface DiscoveredScope {
  scope: Scope;
  /** Set when the scope cannot be collected at all (suspended, role not assumable…): it is reported as a gap. */
  blockedBy: Gap | null;
}

export interface Discovery {
  root: string | null;
  /** How many scopes existed before the config's filters. */
  found: number;
  scopes: DiscoveredScope[];
  gaps: Gap[];
}

export interface ScopeCollection {
  logging: Logging;
  guards: Guard[];
  principals: Principal[];
  snapshots: Snapshot[];
  /** Creation activity (the `activity` need); absent when not collected. */
  activity?: ActivityEvent[];
  gaps: Gap[];
  /** Regions whose every read failed (as opposed to partially). */
  failedRegions: string[];
  /** What the scope keeps for its provider's after-all-scopes step (`ProviderAdapter.combineScopes`). */
  crossScope?: CrossScopePart;
}

/** One scope's share of an after-all-scopes step (e.g. AWS role chains that cross accounts). */
export interface CrossScopePart {
  /**
   * Plain, compact data the adapter reads back, never changes (the engine may keep it on disk, or in memory with its
   * equal parts shared: src/engine/share-equal.ts); opaque to the engine.
   */
  data: unknown;
  /** The scope's own result may change in that step: the engine holds the scope back until the step is done. */
  mayChange: boolean;
}

/** What an after-all-scopes step found. */
export interface CrossScopeOutcome {
  /** The scope's principals with what the step adds; null: unchanged. */
  principals(scopeId: string, current: readonly Principal[]): Principal[] | null;
  /** Limits of the step itself (recorded on the provider's discovery). */
  gaps: Gap[];
}

export interface ProviderAdapter {
  readonly provider: Provider;
  classifyError(err: unknown): ErrorInfo;
  discover(rt: ProviderRuntime): Promise<Discovery>;
  collect(scope: Scope, rt: ScopeRuntime): Promise<ScopeCollection>;
  /**
   * After every scope of the scan (its shard) is collected: what crosses scopes, from each scope's `crossScope` part
   * (pure: no I/O). Scopes whose part said `mayChange` reach checks and outputs only after it.
   */
  combineScopes?(parts: ReadonlyArray<{ scopeId: string; data: unknown }>): CrossScopeOutcome;
  close?(): Promise<void>;
}
