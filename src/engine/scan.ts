/**
 * The scan engine: discovery per provider, then collection per scope with bounded concurrency, then checks per
 * scope. A failing scope becomes coverage gaps and never stops the others; an interruption (SIGINT/SIGTERM, or the
 * caller's signal) finishes with a valid partial result marked incomplete.
 */
import { createHash } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Check, RunContext } from '../../checks/define-check.ts';
import { gapFrom, isInterruption } from '../../providers/gaps.ts';
import type { DiscoveredScope, Discovery, ProviderAdapter, ScopeCollection } from '../../providers/types.ts';
import { expandNeeds } from '../core/model/needs.ts';
import type { Config } from '../core/config/schema.ts';
import { allFindings, compareStrings, scopeKey, sortBy, sortFindings, sortScopeResult } from '../core/model/order.ts';
import {
  SCHEMA_VERSION,
  type Coverage,
  type Finding,
  type Gap,
  type Provider,
  type ProviderDiscovery,
  type RegionStatus,
  type ScanResult,
  type Scope,
  type ScopeResult,
} from '../core/model/result.ts';
import { type AdaptiveLimit, adaptive } from './adaptive.ts';
import { createCallRunner } from './call-runner.ts';
import { type Clock, seededRandom } from '../core/clock.ts';
import { type Logger, silentLogger } from '../core/log.ts';
import { receivedCollection, receivedDiscovery } from './received.ts';
import { ScanStats } from './stats.ts';

export const TOOL_VERSION = '0.1.0';

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

export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const { config, clock } = opts;
  const log = opts.log ?? silentLogger;
  const stats = opts.stats ?? new ScanStats();
  const random = opts.random ?? seededRandom(0x5a5a);
  const signal = opts.signal ?? new AbortController().signal;
  const decorate = opts.decorateFindings ?? ((f: Finding[]) => f);
  const startedAt = clock.now();
  const needs = expandNeeds(opts.checks.flatMap((c) => c.needs));
  const run: RunContext = { now: startedAt, baseline: config.baseline, previous: opts.previous ?? null };
  // each check runs with its own options, resolved once from the config (its `checks.<id>` keys, deprecated keys, defaults)
  const bound = opts.checks.map((check) => ({ check, ctx: { ...run, options: check.resolveOptions(config) } }));
  const conc = config.scan.concurrency;
  const statusCounts: Record<Coverage['status'], number> = { complete: 0, partial: 0, failed: 0, interrupted: 0 };

  const perProvider = await Promise.all(
    opts.adapters.map(async (adapter) => {
      const providerCalls = pLimit(conc.callsPerProvider);
      const scopeSlots = pLimit(conc.scopes);
      const runner = (limiters: LimitFunction[], scopeLimit?: AdaptiveLimit) =>
        createCallRunner({
          provider: adapter.provider,
          limiters,
          classify: (e) => adapter.classifyError(e),
          retry: config.scan.retry,
          callTimeoutMs: config.scan.callTimeoutMs,
          stats,
          signal,
          random,
          ...(opts.sleep ? { sleep: opts.sleep } : {}),
          ...(scopeLimit ? { onThrottle: () => scopeLimit.onThrottle(), onSuccess: () => scopeLimit.onSuccess() } : {}),
        });
      const base = { signal, now: startedAt, log, needs };

      let discovery: Discovery;
      try {
        discovery = receivedDiscovery(await adapter.discover({ ...base, call: runner([providerCalls]) }));
      } catch (err) {
        const gap = gapFrom(err, 'discovery', null, (e) => adapter.classifyError(e));
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

      const collectOne = async (d: DiscoveredScope): Promise<ScopeResult | null> => {
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
                call: runner([scopeLimit.limit, providerCalls], scopeLimit),
              }),
            );
          } catch (err) {
            if (isInterruption(err) || signal.aborted) {
              interrupted = true;
            } else {
              collection.gaps.push(gapFrom(err, 'discovery', null, (e) => adapter.classifyError(e)));
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
        const coverage = buildCoverage(d.scope, collection.gaps, collection.failedRegions, interrupted);
        const input = sortScopeResult({
          scope: d.scope,
          coverage,
          logging: collection.logging,
          guards: collection.guards,
          principals: collection.principals,
          snapshots: collection.snapshots,
          findings: [],
        });
        const findings = decorate(bound.flatMap(({ check, ctx }) => check.evaluateScope(input, ctx)));
        const result: ScopeResult = { ...input, findings: sortFindings(findings) };
        stats.scopesDone++;
        statusCounts[coverage.status]++;
        opts.events?.scopeDone?.(result);
        log.info('scope.done', {
          provider: adapter.provider,
          scope: d.scope.id,
          status: coverage.status,
          gaps: coverage.gaps.length,
          findings: findings.length,
          // How the scope's adaptive concurrency rode out throttling: lowest it went, where it ended.
          ...(scopeLimit && scopeLimit.throttles > 0
            ? { throttles: scopeLimit.throttles, concurrencyFloor: scopeLimit.floor, concurrency: scopeLimit.current }
            : {}),
        });
        if (opts.sink) {
          await opts.sink.add(result);
          return null;
        }
        return result;
      };

      const scopes = (await Promise.all(selected.map((d) => scopeSlots(() => collectOne(d))))).filter((r): r is ScopeResult => r !== null);
      const status: ProviderDiscovery['status'] =
        discovery.gaps.length === 0 ? 'complete' : discovery.scopes.length === 0 ? 'failed' : 'partial';
      const providerDiscovery: ProviderDiscovery = {
        provider: adapter.provider,
        root: discovery.root,
        status,
        scopesFound: discovery.found,
        scopesSelected: selected.length,
        gaps: discovery.gaps,
      };
      await adapter.close?.();
      return { providerDiscovery, scopes };
    }),
  );

  const discovery = perProvider.map((p) => p.providerDiscovery);
  const scopes = perProvider.flatMap((p) => p.scopes).sort((a, b) => compareStrings(scopeKey(a), scopeKey(b)));
  const topFindings = decorate(discovery.flatMap((d) => bound.flatMap(({ check, ctx }) => check.evaluateDiscovery(d, ctx))));
  const interrupted = signal.aborted;
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
