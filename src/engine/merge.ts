/**
 * Joining shard results (`--shard i/n`) into one result. Every shard discovers the same scopes and scans its own
 * slice, so scopes are disjoint: the merge concatenates them in canonical order, unions discovery and checks, sums
 * the counters and recomputes completeness. The result equals an unsharded scan's, except for the API-call counters
 * (each shard repeats discovery) and the scan id. `merge` reads the shards scope by scope into the on-disk spool
 * (mergeHeaders on their headers and a tally of their scopes), so nothing but the headers is held.
 */
import { createHash } from 'node:crypto';
import { compareStrings, scopeKey, sortBy, sortFindings } from '../core/model/order.ts';
import type { ProviderDiscovery, ScanResult, ScopeResult, Stats } from '../core/model/result.ts';

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

function sumStats(all: readonly Stats[]): Stats {
  const operations: Record<string, number> = {};
  for (const s of all) for (const [k, v] of Object.entries(s.operations)) operations[k] = (operations[k] ?? 0) + v;
  const sum = (f: (s: Stats) => number) => all.reduce((n, s) => n + f(s), 0);
  return {
    scopes: {
      total: sum((s) => s.scopes.total),
      complete: sum((s) => s.scopes.complete),
      partial: sum((s) => s.scopes.partial),
      failed: sum((s) => s.scopes.failed),
      interrupted: sum((s) => s.scopes.interrupted),
    },
    apiCalls: sum((s) => s.apiCalls),
    throttles: sum((s) => s.throttles),
    retries: sum((s) => s.retries),
    errors: sum((s) => s.errors),
    operations: Object.fromEntries(Object.entries(operations).sort(([a], [b]) => compareStrings(a, b))),
  };
}

/**
 * What a merge needs to know of the shards' scopes, gathered as each is read (the scopes themselves go to the spool):
 * their keys, to find a scope two shards both hold, and whether every one is complete.
 */
export class ScopeTally {
  private readonly keys = new Set<string>();
  /** The first scope met twice. */
  duplicate: ScopeResult['scope'] | null = null;
  complete = true;
  count = 0;

  add(s: ScopeResult): void {
    const k = scopeKey(s);
    if (this.keys.has(k)) this.duplicate ??= s.scope;
    this.keys.add(k);
    if (s.coverage.status !== 'complete') this.complete = false;
    this.count++;
  }
}

/**
 * The merged result without its scopes (`scopes: []`, the findings of no scope), from each shard's header (their
 * `scopes` are not read) and the tally of their scopes. Throws MergeError when the shards do not belong together.
 */
export function mergeHeaders(results: readonly ScanResult[], tally: ScopeTally): ScanResult {
  const first = results[0];
  if (!first) throw new MergeError('nothing to merge. Fix: pass the result.json of every shard.');
  const count = first.scan.shard?.count ?? null;
  const indices = new Set<number>();
  for (const r of results) {
    if (r.schemaVersion !== first.schemaVersion)
      throw new MergeError(
        `schema versions differ (${first.schemaVersion} vs ${r.schemaVersion}). Fix: merge results of the same snapaudit version.`,
      );
    if (!r.scan.shard || r.scan.shard.count !== count)
      throw new MergeError('every input must be a shard of the same split (--shard i/n with the same n).');
    if (indices.has(r.scan.shard.index)) throw new MergeError(`shard ${r.scan.shard.index}/${count} is given twice.`);
    indices.add(r.scan.shard.index);
  }
  const missing = count === null ? [] : Array.from({ length: count }, (_, i) => i).filter((i) => !indices.has(i));
  if (tally.duplicate)
    throw new MergeError(
      `scope ${tally.duplicate.provider}:${tally.duplicate.id} appears in two shards: were they made from different splits?`,
    );
  const discovery = new Map<string, ProviderDiscovery>();
  for (const r of results) {
    for (const d of r.discovery) {
      const prev = discovery.get(d.provider);
      discovery.set(d.provider, prev ? { ...prev, scopesSelected: prev.scopesSelected + d.scopesSelected } : d);
    }
  }
  const checks = new Map(results.flatMap((r) => r.checks.map((c) => [c.id, c] as const)));
  const findings = new Map(results.flatMap((r) => r.findings.map((f) => [f.fingerprint, f] as const)));
  const providers = [...new Set(results.flatMap((r) => r.scan.providers))].sort();
  const startedAt = results.map((r) => r.scan.startedAt).sort()[0] ?? first.scan.startedAt;
  const finishedAt =
    results
      .map((r) => r.scan.finishedAt)
      .sort()
      .at(-1) ?? first.scan.finishedAt;
  const interrupted = results.some((r) => r.scan.interrupted);
  const mergedDiscovery = sortBy([...discovery.values()], (d) => d.provider);
  return {
    schemaVersion: first.schemaVersion,
    tool: first.tool,
    scan: {
      id: createHash('sha256')
        .update(JSON.stringify([startedAt, providers, null]))
        .digest('hex')
        .slice(0, 16),
      startedAt,
      finishedAt,
      complete: missing.length === 0 && !interrupted && mergedDiscovery.every((d) => d.status === 'complete') && tally.complete,
      interrupted,
      providers,
      shard: null,
    },
    stats: sumStats(results.map((r) => r.stats)),
    checks: sortBy([...checks.values()], (c) => c.id),
    discovery: mergedDiscovery,
    scopes: [],
    findings: sortFindings([...findings.values()]),
  };
}

/** Merges shard results held in memory (the scopes in canonical order). */
export function mergeResults(results: readonly ScanResult[]): ScanResult {
  const scopes = results.flatMap((r) => r.scopes).sort((a, b) => compareStrings(scopeKey(a), scopeKey(b)));
  const tally = new ScopeTally();
  for (const s of scopes) tally.add(s);
  return { ...mergeHeaders(results, tally), scopes };
}
