import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../src/core/calls.ts';
import { backoffDelay, createCallRunner } from '../../src/engine/call-runner.ts';
import { CallFailedError } from '../../src/core/calls.ts';
import { ScanStats } from '../../src/engine/stats.ts';

class FakeError extends Error {
  readonly info: Partial<ErrorInfo>;
  constructor(info: Partial<ErrorInfo>) {
    super(info.message ?? 'fake');
    this.info = info;
  }
}
const classify = (e: unknown): ErrorInfo => ({
  code: 'error',
  retryable: false,
  throttle: false,
  retryAfterMs: null,
  status: null,
  message: String(e),
  ...(e as FakeError).info,
});
const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

function runner(sleeps: number[], signal = new AbortController().signal, stats = new ScanStats()) {
  return {
    stats,
    call: createCallRunner({
      provider: 'aws',
      limiters: [pLimit(2)],
      classify,
      retry: policy,
      stats,
      signal,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    }),
  };
}

describe('call runner', () => {
  it('backs off exponentially with jitter, and honours Retry-After', async () => {
    const sleeps: number[] = [];
    const { call, stats } = runner(sleeps);
    let n = 0;
    const value = await call({ service: 'ec2', name: 'DescribeSnapshots' }, async () => {
      n++;
      if (n === 1) throw new FakeError({ code: 'throttled', retryable: true, throttle: true });
      if (n === 2) throw new FakeError({ code: 'unavailable', retryable: true });
      if (n === 3) throw new FakeError({ code: 'throttled', retryable: true, throttle: true, retryAfterMs: 700 });
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(sleeps).toEqual([50, 100, 700]);
    expect(stats).toMatchObject({ apiCalls: 4, throttles: 2, retries: 3, errors: 0 });
    expect(stats.operationsRecord()).toEqual({ 'aws:ec2:DescribeSnapshots': 4 });
  });

  it('gives up after maxAttempts with the classification attached', async () => {
    const { call, stats } = runner([]);
    const err = await call({ service: 'ec2', name: 'X' }, async () => {
      throw new FakeError({ code: 'throttled', retryable: true, throttle: true });
    }).catch((e) => e);
    expect(err).toBeInstanceOf(CallFailedError);
    expect((err as CallFailedError).info.code).toBe('throttled');
    expect((err as CallFailedError).attempts).toBe(4);
    expect(stats.errors).toBe(1);
  });

  it('does not retry access denied', async () => {
    const sleeps: number[] = [];
    const { call } = runner(sleeps);
    const err = await call({ service: 'iam', name: 'Y' }, async () => {
      throw new FakeError({ code: 'access_denied' });
    }).catch((e) => e);
    expect((err as CallFailedError).info.code).toBe('access_denied');
    expect(sleeps).toEqual([]);
  });

  it('caps the backoff at maxDelayMs', () => {
    expect(backoffDelay(10, policy, () => 0.999)).toBeLessThanOrEqual(1000);
    expect(backoffDelay(60, policy, () => 0.999)).toBeLessThanOrEqual(1000);
  });

  it('stops at once when the scan is interrupted', async () => {
    const ac = new AbortController();
    ac.abort();
    const { call } = runner([], ac.signal);
    await expect(call({ service: 'ec2', name: 'Z' }, async () => 'never')).rejects.toThrow(/interrupted/);
  });

  it('abandons an attempt at its deadline even when the SDK ignores the abort signal, and retries it', async () => {
    const stats = new ScanStats();
    const seen: AbortSignal[] = [];
    const call = createCallRunner({
      provider: 'gcp',
      limiters: [pLimit(1)],
      classify,
      retry: policy,
      stats,
      signal: new AbortController().signal,
      random: () => 0.5,
      sleep: async () => {},
      callTimeoutMs: 30,
    });
    let n = 0;
    const value = await call({ service: 'compute', name: 'snapshots.list' }, (signal) => {
      seen.push(signal);
      n++;
      return n === 1 ? new Promise<string>(() => {}) : Promise.resolve('ok');
    });
    expect(value).toBe('ok');
    expect(seen[0]?.aborted).toBe(true);
    expect(stats).toMatchObject({ apiCalls: 2, retries: 1, errors: 0 });
  });

  it('a call that keeps hanging fails as timeout, not as an interruption', async () => {
    const call = createCallRunner({
      provider: 'azure',
      limiters: [pLimit(1)],
      classify: () => {
        throw new Error('a deadline is classified by the runner, not the adapter');
      },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      stats: new ScanStats(),
      signal: new AbortController().signal,
      random: () => 0.5,
      sleep: async () => {},
      callTimeoutMs: 20,
    });
    const err = (await call({ service: 'Microsoft.Compute', name: 'ListSnapshots' }, () => new Promise(() => {})).catch(
      (e) => e,
    )) as CallFailedError;
    expect(err).toBeInstanceOf(CallFailedError);
    expect(err.info).toMatchObject({ code: 'timeout', retryable: true });
    expect(err.info.message).toMatch(/no answer within 20 ms/);
    expect(err.attempts).toBe(2);
  });

  it('an interruption ends a hung attempt at once', async () => {
    const ac = new AbortController();
    const call = createCallRunner({
      provider: 'aws',
      limiters: [pLimit(1)],
      classify,
      retry: policy,
      stats: new ScanStats(),
      signal: ac.signal,
      random: () => 0.5,
      callTimeoutMs: 60_000,
    });
    setTimeout(() => ac.abort(), 20);
    let attempt: AbortSignal | null = null;
    const err = (await call({ service: 'ec2', name: 'DescribeSnapshots' }, (signal) => {
      attempt = signal;
      return new Promise(() => {});
    }).catch((e) => e)) as CallFailedError;
    expect(err.info.code).toBe('interrupted');
    // the SDK was told too (it closes the request's socket)
    expect((attempt as AbortSignal | null)?.aborted).toBe(true);
  });
});
