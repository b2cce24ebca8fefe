/**
 * Engine behaviour independent of any one cloud, with a scripted adapter: one failing scope never stops the others,
 * blocked scopes become gaps, shards partition deterministically, interruption yields a partial result.
 */
import { describe, expect, it } from 'vitest';
import { checks } from '../../checks/index.ts';
import type { ProviderAdapter, ScopeCollection } from '../../providers/types.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { runScan, shardOf } from '../../src/engine/scan.ts';
import { makeScope, makeSnapshot } from '../support/factories.ts';
import { assertValidResult, NOW } from '../support/lab.ts';

const ids = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555'];

function scripted(behaviour: (id: string) => Promise<ScopeCollection>, blocked: string[] = []): ProviderAdapter {
  return {
    provider: 'aws',
    classifyError: (e) => ({
      code: 'access_denied',
      retryable: false,
      throttle: false,
      retryAfterMs: null,
      status: 403,
      message: String((e as Error).message),
    }),
    async discover() {
      return {
        root: 'o-test',
        found: ids.length,
        scopes: ids.map((id) => ({
          scope: makeScope({ id, name: `acct-${id.slice(0, 1)}` }),
          blockedBy: blocked.includes(id)
            ? { code: 'suspended' as const, part: 'discovery' as const, operation: null, region: null, message: 'account is suspended' }
            : null,
        })),
        gaps: [],
      };
    },
    collect: (scope) => behaviour(scope.id),
  };
}

const ok = async (id: string): Promise<ScopeCollection> => ({
  logging: { sources: [], alerts: [], regions: [] },
  guards: [],
  principals: [],
  snapshots: [makeSnapshot({ id: `snap-${id}`, resourceId: `arn:aws:ec2:us-east-1::snapshot/snap-${id}` })],
  gaps: [],
  failedRegions: [],
});

const config = defaultConfig();

describe('scan engine', () => {
  it('completes the other scopes when one throws, and records the failure as a gap', async () => {
    const adapter = scripted(
      async (id) => {
        if (id === '333333333333') throw new Error('AssumeRole denied');
        return ok(id);
      },
      ['555555555555'],
    );
    const result = await runScan({ adapters: [adapter], checks, config, clock: fixedClock(NOW) });
    assertValidResult(result);
    const status = Object.fromEntries(result.scopes.map((s) => [s.scope.id, s.coverage.status]));
    expect(status).toEqual({
      '111111111111': 'complete',
      '222222222222': 'complete',
      '333333333333': 'failed',
      '444444444444': 'complete',
      '555555555555': 'failed',
    });
    expect(result.scopes.find((s) => s.scope.id === '555555555555')?.coverage.gaps[0]?.code).toBe('suspended');
    expect(result.scopes.find((s) => s.scope.id === '333333333333')?.coverage.gaps[0]).toMatchObject({
      code: 'access_denied',
      message: 'AssumeRole denied',
    });
    expect(result.scan.complete).toBe(false);
    expect(result.stats.scopes).toEqual({ total: 5, complete: 3, partial: 0, failed: 2, interrupted: 0 });
  });

  it('splits scopes into disjoint shards that together cover every scope', async () => {
    const all = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = await runScan({ adapters: [scripted(ok)], checks, config, clock: fixedClock(NOW), shard: { index: i, count: 3 } });
      for (const s of r.scopes) {
        expect(all.has(s.scope.id)).toBe(false);
        expect(shardOf('aws', s.scope.id, 3)).toBe(i);
        all.add(s.scope.id);
      }
    }
    expect([...all].sort()).toEqual(ids);
  });

  it('returns a valid partial result marked incomplete when interrupted mid-scan', async () => {
    const ac = new AbortController();
    let started = 0;
    const adapter = scripted(async (id) => {
      started++;
      if (started === 2) ac.abort();
      await new Promise((r) => setTimeout(r, 5));
      return ok(id);
    });
    const result = await runScan({
      adapters: [adapter],
      checks,
      config: { ...config, scan: { ...config.scan, concurrency: { ...config.scan.concurrency, scopes: 1 } } },
      clock: fixedClock(NOW),
      signal: ac.signal,
    });
    assertValidResult(result);
    expect(result.scan.interrupted).toBe(true);
    expect(result.scan.complete).toBe(false);
    expect(result.scopes).toHaveLength(5);
    expect(result.scopes.filter((s) => s.coverage.status === 'interrupted').length).toBeGreaterThanOrEqual(3);
  });

  it('scans one cloud after another, so their working sets do not add up (issue #23)', async () => {
    // what each cloud did, in order: a cloud's discovery starts only once the cloud before it has collected every scope
    const events: string[] = [];
    const traced = (provider: ProviderAdapter['provider']): ProviderAdapter => {
      const base = scripted(async (id) => {
        events.push(`${provider} collect ${id.slice(0, 1)}`);
        await new Promise((r) => setTimeout(r, 2));
        return ok(id);
      });
      return {
        ...base,
        provider,
        async discover(ctx) {
          events.push(`${provider} discover`);
          return base.discover(ctx);
        },
      };
    };
    const result = await runScan({ adapters: [traced('aws'), traced('gcp')], checks, config, clock: fixedClock(NOW) });
    expect(result.scan.providers).toEqual(['aws', 'gcp']);
    expect(result.discovery.map((d) => d.status)).toEqual(['complete', 'complete']);
    const gcpStart = events.indexOf('gcp discover');
    expect(events.slice(0, gcpStart).filter((e) => e.startsWith('aws collect'))).toHaveLength(ids.length);
    expect(events.slice(gcpStart).every((e) => e.startsWith('gcp'))).toBe(true);
  });

  it('treats a provider that finds nothing to scan as a blind spot, not a clean scan', async () => {
    const adapter: ProviderAdapter = { ...scripted(ok), discover: async () => ({ root: 'o-test', found: 3, scopes: [], gaps: [] }) };
    const result = await runScan({ adapters: [adapter], checks, config, clock: fixedClock(NOW) });
    assertValidResult(result);
    expect(result.discovery[0]).toMatchObject({ status: 'failed', gaps: [{ code: 'not_found', part: 'discovery' }] });
    expect(result.discovery[0]?.gaps[0]?.message).toMatch(/nothing to scan.*3 found/);
    expect(result.scan.complete).toBe(false);
    expect(result.findings.map((f) => f.checkId)).toEqual(['coverage.scope-unreadable']);
  });

  it('reports a failed discovery as a provider-level gap and finding', async () => {
    const adapter: ProviderAdapter = {
      ...scripted(ok),
      discover: async () => Promise.reject(new Error('organizations:ListAccounts denied')),
    };
    const result = await runScan({ adapters: [adapter], checks, config, clock: fixedClock(NOW) });
    expect(result.discovery[0]).toMatchObject({ status: 'failed', gaps: [{ code: 'access_denied', part: 'discovery' }] });
    expect(result.findings.map((f) => f.checkId)).toEqual(['coverage.scope-unreadable']);
  });
});
