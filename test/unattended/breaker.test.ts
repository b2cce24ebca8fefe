/**
 * Issue #11 case 6: endpoints that do not implement an operation (AWS-compatible emulators answer HTTP 501, or the
 * same HTTP 500, on every call). A circuit breaker per provider and operation stops calling it after a few such
 * answers, and each scope records one gap "the endpoint does not implement X" — instead of every call retried six
 * times with backoff in every region of every account.
 */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/engine/circuit-breaker.ts';
import { demoEstate, demoProviders, fault } from '../resilience/support.ts';
import { scanEstate } from '../support/lab.ts';

const OP = 'ec2:GetSnapshotBlockPublicAccessState';
/** One call at a time, so the number of calls before the breaker opens is exact. */
const sequential = { concurrency: { scopes: 1, callsPerScope: 1, callsPerProvider: 1 } };

function awsOnly() {
  const e = structuredClone(demoEstate());
  delete e.azure;
  delete e.gcp;
  return e;
}

describe('an operation the endpoint does not implement', () => {
  it('HTTP 501 on every call (as LocalStack answers): three calls, then one gap per account', async () => {
    const estate = awsOnly();
    if (estate.aws) estate.aws.notImplementedOperations = [OP];
    const { result, lab } = await scanEstate(estate, { config: { providers: { aws: demoProviders.aws }, scan: sequential } });
    const calls = lab.log.entries.filter((e) => `${e.service}:${e.operation}` === OP);
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.status === 501)).toBe(true);
    const regions = result.scopes.reduce((n, s) => n + s.scope.regions.length, 0);
    expect(regions).toBeGreaterThan(6);
    for (const s of result.scopes) {
      const gaps = s.coverage.gaps.filter((g) => g.operation === OP);
      expect(gaps.length).toBeGreaterThan(0);
      for (const g of gaps) expect(g.code).toBe('not_implemented');
    }
    // After the breaker opened, an account has one gap for the operation, scope-wide, saying so.
    const later = result.scopes.filter((s) => !calls.some((c) => c.scope === s.scope.id));
    expect(later.length).toBeGreaterThan(0);
    for (const s of later) {
      const gaps = s.coverage.gaps.filter((g) => g.operation === OP);
      expect(gaps).toHaveLength(1);
      expect(gaps[0]?.message).toMatch(
        new RegExp(`^the endpoint does not implement ${OP}: 3 consecutive "not implemented" answers.*not called again this scan`),
      );
    }
    // Everything else was read.
    for (const s of result.scopes) expect(s.coverage.gaps.every((g) => g.operation === OP)).toBe(true);
  });

  it('the same HTTP 500 in several accounts: stopped after the first account, not retried in every region', async () => {
    const { result, lab } = await scanEstate(awsOnly(), {
      config: { providers: { aws: demoProviders.aws }, scan: sequential },
      faults: [fault({ provider: 'aws', operation: OP, kind: 'server_error' })],
    });
    const calls = lab.log.entries.filter((e) => `${e.service}:${e.operation}` === OP);
    const regions = result.scopes.reduce((n, s) => n + s.scope.regions.length, 0);
    const scopesCalled = new Set(calls.map((c) => c.scope));
    expect(scopesCalled.size).toBe(2);
    // Six attempts in each region of the first account, one in the second, none after.
    const first = result.scopes.find((s) => s.scope.id === calls[0]?.scope);
    expect(calls).toHaveLength(6 * (first?.scope.regions.length ?? 0) + 1);
    expect(calls.length).toBeLessThan((6 * regions) / 2);
    const last = result.scopes.find((s) => !scopesCalled.has(s.scope.id));
    expect(last?.coverage.gaps.filter((g) => g.operation === OP)).toEqual([
      expect.objectContaining({
        code: 'not_implemented',
        region: null,
        message: expect.stringMatching(/the same HTTP 500 answer in \d+ places \(2 scopes\)/),
      }),
    ]);
  });

  it('one account whose operation keeps failing is that account\'s gaps, not "not implemented" for everyone', () => {
    const b = new CircuitBreaker();
    const op = { service: 'events', name: 'ListRules' };
    const info = {
      code: 'unavailable' as const,
      retryable: true,
      throttle: false,
      retryAfterMs: null,
      status: 500,
      message: 'InternalError',
    };
    for (const region of ['us-east-1', 'eu-west-1', 'eu-central-1'])
      for (let i = 0; i < 6; i++) b.failed({ ...op, region }, `222|${region}`, info);
    expect(b.refusal(op)).toBeNull();
    // A success anywhere resets the count.
    b.succeeded(op);
    expect(b.failed(op, '333|us-east-1', info)).toBe(false);
  });
});
