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
  /** Page ceiling of one paged listing (`scan.maxPagesPerListing`); see providers/paging.ts. */
  maxPages?: number;
  /** How far back creation activity is read (`scan.activityLookbackDays`; default 90), bounded by each cloud's retention. */
  activityLookbackDays?: number;
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
}

export interface ProviderAdapter {
  readonly provider: Provider;
  classifyError(err: unknown): ErrorInfo;
  discover(rt: ProviderRuntime): Promise<Discovery>;
  collect(scope: Scope, rt: ScopeRuntime): Promise<ScopeCollection>;
  close?(): Promise<void>;
}
