/**
 * Quota-limited reads. Cloud Logging counts entries:list requests per minute against the quota of the project the
 * credentials bill (https://cloud.google.com/logging/quotas), so an organisation-wide creator lookup spends one
 * quota: the scanner paces every project's lookup through one shared limiter, and a quota answer (429
 * RESOURCE_EXHAUSTED, no Retry-After) is throttling — retried with backoff — not a gap unless the retries run out.
 * The lab enforces the quota (`gcp.quotas`) with a short window so the tests stay quick.
 */
import { describe, expect, it } from 'vitest';
import { selectChecks } from '../../checks/index.ts';
import { parseEstate } from '../../lab/estate.ts';
import { startLab } from '../../lab/server.ts';
import { createGcpAdapter } from '../../providers/gcp/adapter.ts';
import { createPacer } from '../../providers/gcp/pacer.ts';
import { labConnections } from '../../src/cli/scan-command.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import { runScan } from '../../src/engine/scan.ts';
import { assertValidResult, NOW } from '../support/lab.ts';
import { demoGcpEstate, ORG } from './support.ts';

async function scanWithQuota(opts: {
  quota: number;
  windowSeconds: number;
  pace: number;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
}) {
  const estate = parseEstate(
    demoGcpEstate((gcp) => {
      gcp.quotas = { logReadsPerMinute: opts.quota, windowSeconds: opts.windowSeconds };
    }),
    'quota estate',
  );
  const lab = await startLab({ estate, faults: [], providers: ['gcp'] });
  try {
    const base = parseConfig(
      { version: 1, providers: { gcp: { organizationId: ORG, logReadsPerMinute: opts.pace } }, scan: { retry: opts.retry } },
      'test config',
    );
    const { config, connections } = labConnections(lab, base);
    const gcp = config.providers.gcp;
    if (!gcp) throw new Error('no gcp config');
    const adapter = createGcpAdapter({
      config: gcp,
      policy: config.policy,
      baseline: config.baseline,
      authClient: connections.gcp?.authClient,
      logReadWindowMs: opts.windowSeconds * 1000,
    });
    const result = await runScan({ adapters: [adapter], checks: selectChecks(config.scan.checks), config, clock: fixedClock(NOW) });
    assertValidResult(result);
    const reads = lab.log.entries.filter((e) => e.operation === 'entries.list');
    return { result, reads };
  } finally {
    await lab.close();
  }
}

const creators = (r: Awaited<ReturnType<typeof scanWithQuota>>['result']) =>
  r.scopes.flatMap((s) => s.snapshots.filter((x) => x.creator).map((x) => `${s.scope.id}/${x.name}:${x.creator?.identity}`)).sort();

describe('GCP Logging read quota', () => {
  it('paces an organisation-wide creator lookup within the quota: no quota answer, every creator found', async () => {
    // Four projects, two entries:list each (the first answer of a search is an empty page): three for the creator
    // lookup and the activity review together, the one without snapshots for the review alone.
    const paced = await scanWithQuota({ quota: 2, windowSeconds: 0.5, pace: 2, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    expect(paced.reads).toHaveLength(8);
    expect(paced.reads.filter((e) => e.status !== 200)).toEqual([]);
    expect(paced.result.stats.throttles).toBe(0);
    expect(paced.result.scopes.flatMap((s) => s.coverage.gaps).filter((g) => g.part === 'creators')).toEqual([]);
    expect(creators(paced.result)).toContain('prod-payments/payments-db-manual:alice@example.com');
  });

  it('retries a quota answer with backoff (throttling, not a gap) when the pace is set above the quota', async () => {
    const unpaced = await scanWithQuota({
      quota: 2,
      windowSeconds: 0.3,
      pace: 1000,
      retry: { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 400 },
    });
    expect(unpaced.reads.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    expect(unpaced.result.stats.throttles).toBeGreaterThan(0);
    expect(unpaced.result.scopes.flatMap((s) => s.coverage.gaps).filter((g) => g.part === 'creators')).toEqual([]);
    const paced = await scanWithQuota({
      quota: 100,
      windowSeconds: 60,
      pace: 100,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    });
    expect(creators(unpaced.result)).toEqual(creators(paced.result));
  });

  it('records a throttled creators gap only when the retries run out', async () => {
    const starved = await scanWithQuota({
      quota: 1,
      windowSeconds: 30,
      pace: 1000,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const gaps = starved.result.scopes.flatMap((s) => s.coverage.gaps).filter((g) => g.part === 'creators');
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((g) => g.code === 'throttled' && g.operation === 'logging:entries.list')).toBe(true);
  });
});

describe('the scan-wide pacer', () => {
  it('holds each slot until a window after the call finished, and serves waiters in order', async () => {
    const releases: Array<() => void> = [];
    const pacer = createPacer({ limit: 2, windowMs: 1000, sleep: () => new Promise<void>((r) => releases.push(r)) });
    const order: number[] = [];
    const calls = [0, 1, 2, 3].map((i) => pacer.run(async () => order.push(i)));
    await Promise.all(calls.slice(0, 2));
    expect(order).toEqual([0, 1]);
    // Both finished, but their windows have not passed: the others wait.
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([0, 1]);
    releases.shift()?.();
    await calls[2];
    expect(order).toEqual([0, 1, 2]);
    releases.shift()?.();
    await calls[3];
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('a waiter that is interrupted leaves the queue', async () => {
    const pacer = createPacer({ limit: 1, windowMs: 1000, sleep: () => new Promise<void>(() => undefined) });
    await pacer.run(async () => 1);
    const stop = new AbortController();
    const waiting = pacer.run(async () => 2, stop.signal);
    stop.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
