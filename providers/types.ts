/**
 * The contract between the engine and a cloud adapter. An adapter discovers scopes, then collects, per scope, what
 * the selected checks need, normalised into the provider-neutral model. It does all its I/O through `rt.call` so the
 * engine can bound concurrency, retry, count and interrupt; a failure it cannot recover from becomes a Gap.
 */
import type { Gap, GapCode, Guard, Logging, Principal, Provider, Scope, Snapshot } from '../src/model/result.ts';
import type { Logger } from '../src/engine/log.ts';

/** What a check needs collected. Adapters skip whole API families nobody asked for. */
export type Need = 'logging' | 'alerting' | 'guards' | 'principals' | 'snapshots';
export const allNeeds: readonly Need[] = ['logging', 'alerting', 'guards', 'principals', 'snapshots'];

export interface Operation {
  /** Service name as the provider calls it: `ec2`, `cloudtrail`, `Microsoft.Compute`, `compute`. */
  service: string;
  /** Operation name: `DescribeSnapshots`, `snapshots.list`. */
  name: string;
  region?: string | null;
  /**
   * Which of an operation's several uses this call is, when it has more than one per region (LookupEvents for
   * `EventName=CreateSnapshot`): gaps name it, so a reader knows which call failed.
   */
  purpose?: string;
}

export interface ErrorInfo {
  code: GapCode;
  retryable: boolean;
  throttle: boolean;
  /** Server-requested wait (Retry-After), when it said. */
  retryAfterMs: number | null;
  status: number | null;
  message: string;
}

export type CallRunner = <T>(op: Operation, fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;

export interface ProviderRuntime {
  call: CallRunner;
  /** Page ceiling of one paged listing (`scan.maxPagesPerListing`); see providers/paging.ts. */
  maxPages?: number;
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

export class ScanAbortedError extends Error {
  constructor() {
    super('scan interrupted');
    this.name = 'ScanAbortedError';
  }
}
