/**
 * Hung calls: an endpoint that accepts a request and never answers must not hang the scan. Every call has a
 * deadline (`scan.callTimeoutMs`); a call past it is abandoned, retried like any transient failure, and when it
 * keeps hanging the part becomes a `timeout` gap — on every provider, whichever SDK client family made the call.
 */
import { describe, expect, it } from 'vitest';
import { fault, scanDemo, scopeKeyOf, substance } from './support.ts';

/**
 * The lab holds these requests far longer than any test may take: a scan that ends before HANG_MS abandoned them.
 * The deadline is generous enough that an answered call on a loaded machine never reaches it (only hung ones do);
 * how long a scan takes is a benchmark's business, not this test's.
 */
const HANG_MS = 120_000;
const DEADLINE_MS = 4000;
const config = { scan: { callTimeoutMs: DEADLINE_MS } };

describe('calls that never answer', () => {
  it('abandons a hung call after scan.callTimeoutMs and retries it: nothing is lost (AWS, Azure, GCP at once)', async () => {
    const clean = await scanDemo();
    const started = Date.now();
    const { result } = await scanDemo({
      config,
      faults: [
        // One per SDK client family: AWS query/XML and JSON, Azure ARM, GCP's REST clients, its gRPC-fallback
        // clients and raw REST through the auth client.
        fault({ provider: 'aws', operation: 'ec2:DescribeSnapshots', kind: 'timeout', ms: HANG_MS, times: 1 }),
        fault({ provider: 'aws', operation: 'cloudtrail:DescribeTrails', kind: 'timeout', ms: HANG_MS, times: 1 }),
        fault({ provider: 'azure', operation: 'Microsoft.Compute:ListSnapshots', kind: 'timeout', ms: HANG_MS, times: 1 }),
        fault({ provider: 'gcp', operation: 'compute:snapshots.list', kind: 'timeout', ms: HANG_MS, times: 1 }),
        fault({ provider: 'gcp', operation: 'cloudresourcemanager:getIamPolicy', kind: 'timeout', ms: HANG_MS, times: 1 }),
        fault({ provider: 'gcp', operation: 'logging:entries.list', kind: 'timeout', ms: HANG_MS, times: 1 }),
      ],
    });
    expect(Date.now() - started).toBeLessThan(HANG_MS);
    expect(result.stats.retries).toBeGreaterThanOrEqual(6);
    expect(substance(result)).toEqual(substance(clean.result));
  }, 90_000);

  it('a call that hangs every time becomes a timeout gap for that part only, per provider', async () => {
    const started = Date.now();
    const { result } = await scanDemo({
      config: { scan: { callTimeoutMs: DEADLINE_MS, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } } },
      faults: [
        fault({ provider: 'aws', scope: '222222222222', operation: 'events:ListRules', kind: 'timeout', ms: HANG_MS }),
        fault({ provider: 'azure', operation: 'Microsoft.Insights:ListActivityLogAlerts', scope: '*9c02', kind: 'timeout', ms: HANG_MS }),
        fault({ provider: 'gcp', scope: 'prod-web', operation: 'monitoring:alertPolicies.list', kind: 'timeout', ms: HANG_MS }),
      ],
    });
    expect(Date.now() - started).toBeLessThan(HANG_MS);
    const partial = result.scopes.filter((s) => s.coverage.status !== 'complete');
    expect(partial.map(scopeKeyOf)).toEqual(['aws:222222222222', 'azure:6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c02', 'gcp:prod-web']);
    for (const s of partial) {
      expect(s.coverage.status).toBe('partial');
      expect(s.coverage.gaps.length).toBeGreaterThan(0);
      for (const g of s.coverage.gaps) {
        expect(g).toMatchObject({ code: 'timeout', part: 'alerting' });
        expect(g.message).toMatch(new RegExp(`no answer within ${DEADLINE_MS} ms`));
      }
    }
  }, 90_000);
});
