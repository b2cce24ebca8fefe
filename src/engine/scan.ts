/**
 * The scan engine: discovery per provider, then collection per scope with bounded concurrency, then checks per
 * scope. A failing scope becomes coverage gaps and never stops the others; an interruption (SIGINT/SIGTERM, or the
 * caller's signal) finishes with a valid partial result marked incomplete.
 */
import { createHash } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Check, CheckContext, RunContext } from '../../checks/define-check.ts';
import { gapFrom, isInterruption } from '../../providers/gaps.ts';
import type {
  CrossScopeOutcome,
  DiscoveredScope,
  Discovery,
  ProviderAdapter,
  ScopeCollection,
  ScopeRuntime,
} from '../../providers/types.ts';
import type { CallRunner, ErrorInfo } from '../core/calls.ts';
import { expandNeeds, type Need } from '../core/model/needs.ts';
import { nameFindingOwners, scopeIdentityNames } from '../core/model/owner.ts';
import type { Config } from '../core/config/schema.ts';
import { allFindings, compareStrings, scopeKey, sortBy, sortFindings, sortScopeResult } from '../core/model/order.ts';
import {
  SCHEMA_VERSION,
  type Coverage,
  type Finding,
  type Gap,
  type Part,
  type Provider,
  type ProviderDiscovery,
  type RegionStatus,
  type ScanResult,
  type Scope,
  type ScopeResult,
} from '../core/model/result.ts';
import { type AdaptiveLimit, adaptive } from './adaptive.ts';
import { createCallRunner } from './call-runner.ts';
import { type DeferredStore, diskStore, memoryStore } from './deferred.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { type Clock, seededRandom } from '../core/clock.ts';
import { type Logger, silentLogger } from '../core/log.ts';
import { receivedCollection, receivedDiscovery } from './received.ts';
import { shareEqual } from './share-equal.ts';
import { ScanStats } from './stats.ts';
import { TOOL_VERSION } from '../core/version.ts';

export { TOOL_VERSION };

export interface ScanEvents {
  discovered?(provider: Provider, scopes: number): void;
  scopeDone?(result: ScopeResult): void;
}

export interface Shard {
  index: number;
  count: number;
}

export interface ScanOptions {
  adapters: readonly ProviderAdapter[];
  checks: readonly Check[];
  config: Config;
  clock: Clock;
  signal?: AbortSignal;
  log?: Logger;
  stats?: ScanStats;
  events?: ScanEvents;
  /** Jitter source; seeded by default so a scan is reproducible. */
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  shard?: Shard | null;
  previous?: RunContext['previous'];
  /** Post-processing of each finding list (suppressions); identity by default. */
  decorateFindings?: (findings: Finding[]) => Finding[];
  /**
   * Where finished scopes go. Without a sink they are kept and returned in `result.scopes`; with one (e.g. the
   * on-disk spool for large estates) each scope is handed over as soon as it is done and not kept in memory, and
   * `result.scopes` is empty.
   */
  sink?: ScopeSink;
}

export interface ScopeSink {
  add(result: ScopeResult): void | Promise<void>;
}

/** Which shard a scope belongs to: a hash of its identity, so the split does not depend on discovery order. */
export function shardOf(provider: string, scopeId: string, count: number): number {
  const h = createHash('sha256').update(`${provider}:${scopeId}`).digest();
  return h.readUInt32BE(0) % count;
}

function emptyCollection(): ScopeCollection {
  return { logging: { sources: [], alerts: [], regions: [] }, guards: [], principals: [], snapshots: [], gaps: [], failedRegions: [] };
}

export function buildCoverage(scope: Scope, gaps: readonly Gap[], failedRegions: readonly string[], interrupted: boolean): Coverage {
  const failed = new Set(failedRegions);
  // A service that is not enabled (e.g. a GCP project without the Compute Engine API) holds nothing to read: the gap
  // is recorded with its reason, but it does not make the scope incomplete.
  const blocking = gaps.filter((g) => g.code !== 'not_enabled');
  const withGaps = new Set(blocking.map((g) => g.region).filter((r): r is string => r !== null));
  const scopeWide = blocking.some((g) => g.region === null);
  const regions: Array<{ region: string; status: RegionStatus }> = [
    ...scope.regions.map((region) => ({
      region,
      status: (interrupted
        ? 'interrupted'
        : failed.has(region)
          ? 'failed'
          : withGaps.has(region) || scopeWide
            ? 'partial'
            : 'scanned') as RegionStatus,
    })),
    ...scope.regionsNotEnabled.map((region) => ({ region, status: 'not_enabled' as const })),
    ...scope.regionsExcluded.map((region) => ({ region, status: 'excluded' as const })),
    ...scope.regionsOtherPartition.map((region) => ({ region, status: 'other_partition' as const })),
  ];
  const scanned = regions.filter((r) => r.status === 'scanned').length;
  const status: Coverage['status'] = interrupted
    ? 'interrupted'
    : blocking.length === 0
      ? 'complete'
      : scope.regions.length > 0 && failed.size >= scope.regions.length && scanned === 0
        ? 'failed'
        : 'partial';
  return { status, regions, gaps: [...gaps] };
}

interface ScanEnv {
  opts: ScanOptions;
  log: Logger;
  stats: ScanStats;
  random: () => number;
  signal: AbortSignal;
  decorate: (findings: Finding[]) => Finding[];
  startedAt: Date;
  needs: ReadonlySet<Need>;
  /** Each check with its own context: the run's, plus its options resolved once from the config. */
  bound: Array<{ check: Check; ctx: CheckContext<Record<string, unknown>> }>;
  statusCounts: Record<Coverage['status'], number>;
}

interface ProviderOutcome {
  providerDiscovery: ProviderDiscovery;
  scopes: ScopeResult[];
}

/** An internal error (a bug, or a library failing in a way nobody expected) as a gap: never a silent loss. */
export function internalGap(err: unknown, part: Part, where: string): Gap {
  const message = err instanceof Error ? err.message || err.name : String(err);
  return {
    code: 'error',
    part,
    operation: null,
    region: null,
    message: `internal error in ${where}: ${message.split('\n')[0]} (the rest of the scan went on; please report it)`,
  };
}

/**
 * Gaps for an operation the circuit breaker stopped, one per scope and operation: every region's call failed with
 * the same "does not implement" message, which says it once, scope-wide.
 */
export function collapseBreakerGaps(gaps: readonly Gap[]): Gap[] {
  const out: Gap[] = [];
  const seen = new Map<string, Gap>();
  for (const g of gaps) {
    if (g.code !== 'not_implemented' || !g.message.includes('not called again this scan')) {
      out.push(g);
      continue;
    }
    const key = `${g.part}\u0000${g.operation}`;
    const first = seen.get(key);
    if (!first) {
      const copy = { ...g };
      seen.set(key, copy);
      out.push(copy);
    } else if (first.region !== g.region) first.region = null;
  }
  return out;
}

function safeClassify(adapter: ProviderAdapter): (err: unknown) => ErrorInfo {
  return (err) => {
    try {
      return adapter.classifyError(err);
    } catch {
      const message = err instanceof Error ? err.message : String(err);
      return { code: 'error', retryable: false, throttle: false, retryAfterMs: null, status: null, message };
    }
  };
}

function evaluateChecks(env: ScanEnv, input: ScopeResult): { findings: Finding[]; gaps: Gap[] } {
  const findings: Finding[] = [];
  const gaps: Gap[] = [];
  for (const { check, ctx } of env.bound) {
    try {
      findings.push(...check.evaluateScope(input, ctx));
    } catch (err) {
      gaps.push(internalGap(err, 'discovery', `check ${check.meta.id}`));
    }
  }
  return { findings: env.decorate(nameFindingOwners(findings, scopeIdentityNames(input.principals))), gaps };
}

/** What collecting one scope needs from its provider's scan. */
interface ScopeDeps {
  adapter: ProviderAdapter;
  classify: (err: unknown) => ErrorInfo;
  base: Omit<ScopeRuntime, 'call' | 'scope'>;
  runner: (limiters: LimitFunction[], place: string, scopeLimit?: AdaptiveLimit) => CallRunner;
  providerCalls: LimitFunction;
  cross: CrossState;
}

/** Collects one scope, checks it and hands it on; whatever its collection throws becomes its gaps. */
async function collectScope(env: ScanEnv, deps: ScopeDeps, d: DiscoveredScope): Promise<ScopeResult | null> {
  const { opts, signal } = env;
  const { adapter, classify, base, runner, providerCalls } = deps;
  const conc = opts.config.scan.concurrency;
  let collection = emptyCollection();
  let interrupted = false;
  let scopeLimit: AdaptiveLimit | null = null;
  if (d.blockedBy) {
    collection.gaps.push(d.blockedBy);
    collection.failedRegions = [...d.scope.regions];
  } else if (signal.aborted) {
    interrupted = true;
  } else {
    try {
      scopeLimit = adaptive(pLimit(conc.callsPerScope), conc.callsPerScope);
      collection = receivedCollection(
        await adapter.collect(d.scope, {
          ...base,
          scope: d.scope,
          call: runner([scopeLimit.limit, providerCalls], d.scope.id, scopeLimit),
        }),
      );
    } catch (err) {
      if (isInterruption(err) || signal.aborted) {
        interrupted = true;
      } else {
        collection = emptyCollection();
        collection.gaps.push(gapFrom(err, 'discovery', null, classify));
        collection.failedRegions = [...d.scope.regions];
      }
    }
  }
  if (interrupted) {
    collection = emptyCollection();
    collection.gaps.push({
      code: 'interrupted',
      part: 'discovery',
      operation: null,
      region: null,
      message: 'scan interrupted before this scope finished',
    });
  }
  const input = sortScopeResult({
    scope: d.scope,
    coverage: buildCoverage(d.scope, collapseBreakerGaps(collection.gaps), collection.failedRegions, interrupted),
    logging: collection.logging,
    guards: collection.guards,
    principals: collection.principals,
    snapshots: collection.snapshots,
    ...(collection.activity ? { activity: collection.activity } : {}),
    findings: [],
  });
  const collected: Collected = { input, failedRegions: collection.failedRegions, interrupted, throttling: throttlingOf(scopeLimit) };
  const part = collection.crossScope;
  if (part && adapter.combineScopes && !interrupted) {
    // held until every scope is in: its equal parts stored once, so thousands of scopes' parts fit the budget
    deps.cross.parts.add({ scopeId: d.scope.id, data: part.data });
    if (part.mayChange) {
      // its result may change once every scope is in: checks and outputs wait for that (scanProvider)
      deps.cross.held.add(collected);
      return null;
    }
  }
  return finishScope(env, adapter, collected);
}

/**
 * In a sharded scan, the scopes of the other shards whose part the after-all-scopes step needs too (AWS: role chains
 * crossing into this shard's accounts start in theirs), so that the merged shards equal one whole scan. Only the
 * principals are read there; those scopes are reported by their own shard.
 */
function crossOnlyScopes(
  env: ScanEnv,
  adapter: ProviderAdapter,
  discovery: Discovery,
  selected: readonly DiscoveredScope[],
): DiscoveredScope[] {
  if (!env.opts.shard || !adapter.combineScopes || !env.needs.has('principals')) return [];
  const mine = new Set(selected.map((d) => d.scope.id));
  return sortBy(
    discovery.scopes.filter((d) => !mine.has(d.scope.id) && !d.blockedBy),
    (d) => d.scope.id,
  );
}

/** Reads another shard's scope for its cross-scope part alone (its principals); whatever fails there is its shard's to report. */
async function collectPart(env: ScanEnv, deps: ScopeDeps, d: DiscoveredScope): Promise<void> {
  if (env.signal.aborted) return;
  const conc = env.opts.config.scan.concurrency;
  const scopeLimit = adaptive(pLimit(conc.callsPerScope), conc.callsPerScope);
  try {
    const collection = await deps.adapter.collect(d.scope, {
      ...deps.base,
      needs: new Set<Need>(['principals']),
      scope: d.scope,
      call: deps.runner([scopeLimit.limit, deps.providerCalls], d.scope.id, scopeLimit),
    });
    const part = receivedCollection(collection).crossScope;
    if (part) deps.cross.parts.add({ scopeId: d.scope.id, data: part.data });
  } catch (err) {
    env.log.warn('scope.cross_part_failed', {
      provider: deps.adapter.provider,
      scope: d.scope.id,
      message: err instanceof Error ? err.message : String(err),
    });
  }
}

/** A collected scope before its checks: what finishing it needs. */
interface Collected {
  input: ScopeResult;
  failedRegions: string[];
  interrupted: boolean;
  throttling: Record<string, number> | null;
}

function throttlingOf(scopeLimit: AdaptiveLimit | null): Record<string, number> | null {
  // How the scope's adaptive concurrency rode out throttling: lowest it went, where it ended.
  return scopeLimit && scopeLimit.throttles > 0
    ? { throttles: scopeLimit.throttles, concurrencyFloor: scopeLimit.floor, concurrency: scopeLimit.current }
    : null;
}

/** Checks a collected scope and hands it on (to the sink, or back to be kept). */
async function finishScope(env: ScanEnv, adapter: ProviderAdapter, c: Collected): Promise<ScopeResult | null> {
  const { opts, log, stats } = env;
  const { input, failedRegions, interrupted } = c;
  let checked = evaluateChecks(env, input);
  let coverage = input.coverage;
  if (checked.gaps.length > 0) {
    // A check failed: the scope is not fully assessed. Its coverage says so, and the checks see that coverage.
    coverage = buildCoverage(input.scope, [...input.coverage.gaps, ...checked.gaps], failedRegions, interrupted);
    checked = { ...evaluateChecks(env, { ...input, coverage }), gaps: checked.gaps };
  }
  const result: ScopeResult = { ...input, coverage, findings: sortFindings(checked.findings) };
  stats.scopesDone++;
  env.statusCounts[coverage.status]++;
  opts.events?.scopeDone?.(result);
  log.info('scope.done', {
    provider: adapter.provider,
    scope: input.scope.id,
    status: coverage.status,
    gaps: coverage.gaps.length,
    findings: result.findings.length,
    ...(c.throttling ?? {}),
  });
  if (opts.sink) {
    await opts.sink.add(result);
    return null;
  }
  return result;
}

/**
 * The provider's after-all-scopes step (e.g. AWS role chains that cross accounts), then the scopes it held back,
 * amended, checked and handed on one at a time. An interrupted scan skips the step: held scopes finish as collected.
 * Whatever the step throws becomes a gap of the provider's discovery, and the held scopes finish as collected.
 */
async function finishHeld(env: ScanEnv, adapter: ProviderAdapter, cross: CrossState, gaps: Gap[]): Promise<ScopeResult[]> {
  let outcome: CrossScopeOutcome | null = null;
  if (adapter.combineScopes && cross.parts.size > 0 && !env.signal.aborted) {
    try {
      outcome = adapter.combineScopes(sortBy([...cross.parts.items()], (p) => p.scopeId));
      gaps.push(...outcome.gaps);
    } catch (err) {
      gaps.push(internalGap(err, 'principals', `the ${adapter.provider} cross-scope step`));
    }
  }
  cross.parts.close();
  const out: ScopeResult[] = [];
  try {
    for (const c of cross.held.items()) {
      const principals = outcome?.principals(c.input.scope.id, c.input.principals) ?? null;
      const input = principals ? sortScopeResult({ ...c.input, principals }) : c.input;
      const done = await finishScope(env, adapter, { ...c, input });
      if (done) out.push(done);
      // each held scope in a turn of the event loop of its own: hundreds of accounts finish here, and the progress
      // display, signals and timers run between them rather than after the last
      await new Promise<void>((next) => setImmediate(next));
    }
  } finally {
    cross.held.close();
  }
  return out;
}

/** Each provider's parts for its after-all-scopes step, and the scopes held back for it. */
interface CrossState {
  parts: DeferredStore<CrossPart>;
  held: DeferredStore<Collected>;
}

interface CrossPart {
  scopeId: string;
  data: unknown;
}

/**
 * Where the scopes' parts wait for the after-all-scopes step. In a spooled scan, on disk until the step (thousands of
 * AWS accounts' role-chain parts would otherwise grow the scan's memory with the organisation: about 8 KB of heap per
 * bench account, some 16 MB at the ×10 bench estate's 2,000 accounts, docs/large-organisations.md); read back for the step, each with its equal parts shared. In memory otherwise,
 * shared as they arrive.
 */
function partStore(spooled: boolean): DeferredStore<CrossPart> {
  const store = spooled ? diskStore<CrossPart>(undefined, 'parts.ndjson') : memoryStore<CrossPart>();
  const shared = (p: CrossPart): CrossPart => ({ scopeId: p.scopeId, data: shareEqual(p.data) });
  return {
    add: (p) => store.add(spooled ? p : shared(p)),
    *items() {
      for (const p of store.items()) yield spooled ? shared(p) : p;
    },
    get size() {
      return store.size;
    },
    close: () => store.close(),
  };
}

async function scanProvider(env: ScanEnv, adapter: ProviderAdapter): Promise<ProviderOutcome> {
  const { opts, log, stats, signal } = env;
  const config = opts.config;
  const conc = config.scan.concurrency;
  const classify = safeClassify(adapter);
  const providerCalls = pLimit(conc.callsPerProvider);
  // Credential renewals that calls holding providerCalls' slots wait for (ProviderRuntime.renewalCall): slots of their own.
  const renewalCalls = pLimit(conc.callsPerProvider);
  const scopeSlots = pLimit(conc.scopes);
  const breaker = new CircuitBreaker();
  const runner = (limiters: LimitFunction[], place: string, scopeLimit?: AdaptiveLimit) =>
    createCallRunner({
      provider: adapter.provider,
      limiters,
      classify,
      retry: config.scan.retry,
      callTimeoutMs: config.scan.callTimeoutMs,
      stats,
      signal,
      random: env.random,
      breaker,
      place,
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
      ...(scopeLimit ? { onThrottle: () => scopeLimit.onThrottle(), onSuccess: () => scopeLimit.onSuccess() } : {}),
    });
  const base = {
    signal,
    now: env.startedAt,
    log,
    needs: env.needs,
    maxPages: config.scan.maxPagesPerListing,
    activityLookbackDays: config.scan.activityLookbackDays,
    callsPerScope: conc.callsPerScope,
  };

  let discovery: Discovery;
  try {
    discovery = receivedDiscovery(
      await adapter.discover({ ...base, call: runner([providerCalls], ''), renewalCall: runner([renewalCalls], 'renewal') }),
    );
  } catch (err) {
    const gap = gapFrom(err, 'discovery', null, classify);
    log.error('discovery.failed', { provider: adapter.provider, code: gap.code, message: gap.message });
    discovery = { root: null, found: 0, scopes: [], gaps: [gap] };
  }
  if (discovery.scopes.length === 0 && discovery.gaps.length === 0) {
    // Nothing to scan is never a clean bill of health: the credential sees no scope, or the filters drop them all.
    discovery = {
      ...discovery,
      gaps: [
        {
          code: 'not_found',
          part: 'discovery',
          operation: null,
          region: null,
          message: `nothing to scan: no ${adapter.provider} scope is visible to the credential or left by the config's filters (${discovery.found} found)`,
        },
      ],
    };
  }
  const selected = sortBy(
    discovery.scopes.filter((d) => !opts.shard || shardOf(adapter.provider, d.scope.id, opts.shard.count) === opts.shard.index),
    (d) => d.scope.id,
  );
  stats.scopesTotal += selected.length;
  opts.events?.discovered?.(adapter.provider, selected.length);
  log.info('discovery.done', {
    provider: adapter.provider,
    found: discovery.found,
    selected: selected.length,
    gaps: discovery.gaps.length,
  });

  const cross: CrossState = { parts: partStore(Boolean(opts.sink)), held: opts.sink ? diskStore<Collected>() : memoryStore<Collected>() };
  const deps: ScopeDeps = { adapter, classify, base, runner, providerCalls, cross };
  let scopes: ScopeResult[];
  try {
    const [collected] = await Promise.all([
      Promise.all(selected.map((d) => scopeSlots(() => collectScope(env, deps, d)))),
      Promise.all(crossOnlyScopes(env, adapter, discovery, selected).map((d) => scopeSlots(() => collectPart(env, deps, d)))),
    ]);
    scopes = collected.filter((r): r is ScopeResult => r !== null);
  } catch (err) {
    cross.parts.close();
    cross.held.close();
    throw err;
  }
  const crossGaps: Gap[] = [];
  scopes.push(...(await finishHeld(env, adapter, cross, crossGaps)));
  if (crossGaps.length > 0) discovery = { ...discovery, gaps: [...discovery.gaps, ...crossGaps] };
  const status: ProviderDiscovery['status'] =
    discovery.gaps.length === 0 ? 'complete' : discovery.scopes.length === 0 ? 'failed' : 'partial';
  try {
    await adapter.close?.();
  } catch (err) {
    log.warn('provider.close_failed', { provider: adapter.provider, message: err instanceof Error ? err.message : String(err) });
  }
  return {
    providerDiscovery: {
      provider: adapter.provider,
      root: discovery.root,
      status,
      scopesFound: discovery.found,
      scopesSelected: selected.length,
      gaps: discovery.gaps,
    },
    scopes,
  };
}

/**
 * A provider is a fault domain: whatever escapes its scan (a bug in the engine's handling of it included) ends as a
 * failed discovery of that provider with the cause in words, and the other providers finish.
 */
async function isolatedProvider(env: ScanEnv, adapter: ProviderAdapter): Promise<ProviderOutcome> {
  try {
    return await scanProvider(env, adapter);
  } catch (err) {
    if (env.opts.sink && isSinkError(err)) throw err;
    env.log.error('provider.failed', { provider: adapter.provider, message: err instanceof Error ? err.message : String(err) });
    return {
      providerDiscovery: {
        provider: adapter.provider,
        root: null,
        status: 'failed',
        scopesFound: 0,
        scopesSelected: 0,
        gaps: [internalGap(err, 'discovery', `the ${adapter.provider} scan`)],
      },
      scopes: [],
    };
  }
}

/** Errors of the caller's sink (the spool's disk) are the caller's to handle, not a provider's failure. */
class SinkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'SinkError';
  }
}

function isSinkError(err: unknown): boolean {
  return err instanceof SinkError;
}

/** Where each provider's code and client libraries live, to tell which provider a stray error came from. */
const strayPaths: Record<Provider, RegExp> = {
  aws: /[\\/]providers[\\/]aws[\\/]|@aws-sdk|@smithy/,
  azure: /[\\/]providers[\\/]azure[\\/]|@azure[\\/]/,
  gcp: /[\\/]providers[\\/]gcp[\\/]|@google-cloud|google-auth-library|google-gax|gaxios|gcp-metadata/,
};

/** The provider a stray error came from, by its stack; null when it cannot be told (it then counts for every one). */
export function strayProvider(error: unknown, providers: readonly Provider[]): Provider | null {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const hits = providers.filter((p) => strayPaths[p].test(stack));
  return hits.length === 1 ? (hits[0] as Provider) : null;
}

/**
 * Strays the caller's process-level guard caught during the scan (rejections nobody awaited, exceptions thrown from
 * library callbacks), as discovery gaps of the providers they came from.
 */
export function withInternalErrors(result: ScanResult, errors: ReadonlyArray<{ provider: Provider | null; error: unknown }>): ScanResult {
  if (errors.length === 0) return result;
  const discovery = result.discovery.map((d) => {
    const mine = errors.filter((e) => e.provider === d.provider || e.provider === null);
    if (mine.length === 0) return d;
    const gaps = [
      ...d.gaps,
      ...mine.map((e) => internalGap(e.error, 'discovery', `the ${d.provider} client libraries (a failure nobody awaited)`)),
    ];
    return { ...d, gaps, status: d.scopesSelected > 0 || d.scopesFound > 0 ? ('partial' as const) : ('failed' as const) };
  });
  return { ...result, discovery, scan: { ...result.scan, complete: false } };
}

export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const { config, clock } = opts;
  const startedAt = clock.now();
  const userSink = opts.sink;
  const env: ScanEnv = {
    opts: userSink
      ? {
          ...opts,
          sink: {
            async add(r) {
              try {
                await userSink.add(r);
              } catch (err) {
                throw new SinkError(err);
              }
            },
          },
        }
      : opts,
    log: opts.log ?? silentLogger,
    stats: opts.stats ?? new ScanStats(),
    random: opts.random ?? seededRandom(0x5a5a),
    signal: opts.signal ?? new AbortController().signal,
    decorate: opts.decorateFindings ?? ((f: Finding[]) => f),
    startedAt,
    needs: expandNeeds(opts.checks.flatMap((c) => c.needs)),
    // each check runs with its own options, resolved once from the config (its `checks.<id>` keys, deprecated keys, defaults)
    bound: opts.checks.map((check) => ({
      check,
      ctx: {
        now: startedAt,
        baseline: config.baseline,
        policy: config.policy,
        previous: opts.previous ?? null,
        options: check.resolveOptions(config),
      },
    })),
    statusCounts: { complete: 0, partial: 0, failed: 0, interrupted: 0 },
  };
  const { stats, statusCounts } = env;

  let perProvider: ProviderOutcome[];
  try {
    perProvider = await Promise.all(opts.adapters.map((adapter) => isolatedProvider(env, adapter)));
  } catch (err) {
    throw err instanceof SinkError ? err.cause : err;
  }

  const discovery = perProvider.map((p) => p.providerDiscovery);
  const scopes = perProvider.flatMap((p) => p.scopes).sort((a, b) => compareStrings(scopeKey(a), scopeKey(b)));
  const topFindings = env.decorate(
    discovery.flatMap((d) =>
      env.bound.flatMap(({ check, ctx }) => {
        try {
          return check.evaluateDiscovery(d, ctx);
        } catch (err) {
          d.gaps.push(internalGap(err, 'discovery', `check ${check.meta.id}`));
          if (d.status === 'complete') d.status = 'partial';
          return [];
        }
      }),
    ),
  );
  const interrupted = env.signal.aborted;
  const count = (s: Coverage['status']) => statusCounts[s];
  const total = statusCounts.complete + statusCounts.partial + statusCounts.failed + statusCounts.interrupted;
  const providers = opts.adapters.map((a) => a.provider).sort();
  const scanId = createHash('sha256')
    .update(JSON.stringify([startedAt.toISOString(), providers, opts.shard ?? null]))
    .digest('hex')
    .slice(0, 16);

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'snapaudit', version: TOOL_VERSION },
    scan: {
      id: scanId,
      startedAt: startedAt.toISOString(),
      finishedAt: clock.now().toISOString(),
      complete: !interrupted && discovery.every((d) => d.status === 'complete') && statusCounts.complete === total,
      interrupted,
      providers,
      shard: opts.shard ?? null,
    },
    stats: {
      scopes: {
        total,
        complete: count('complete'),
        partial: count('partial'),
        failed: count('failed'),
        interrupted: count('interrupted'),
      },
      apiCalls: stats.apiCalls,
      throttles: stats.throttles,
      retries: stats.retries,
      errors: stats.errors,
      operations: stats.operationsRecord(),
    },
    checks: sortBy(
      opts.checks.map((c) => c.meta),
      (m) => m.id,
    ),
    discovery: sortBy(discovery, (d) => d.provider),
    scopes,
    findings: sortFindings(topFindings),
  };
}

export { allFindings };
