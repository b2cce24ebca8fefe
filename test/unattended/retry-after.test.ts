/**
 * Issue #11 case 4: Retry-After has a ceiling. One retry policy serves cloud calls and ticket systems: a server's
 * requested wait is honoured up to `retry.maxRetryAfterMs` (default 5 minutes); a longer one — a day, or more than a
 * timer can hold (2^31 ms, which Node would turn into 1 ms retries) — is not waited for: that operation fails as
 * throttled and the scan or sync goes on.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { clampDelay, DEFAULT_MAX_RETRY_AFTER_MS, MAX_TIMER_MS, parseRetryAfter, retryDecision } from '../../src/core/retry.ts';
import { HttpError, RetryAfterTooLongError, withRetry } from '../../src/tickets/retry.ts';
import { fault, scanDemo } from '../resilience/support.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { NOW } from '../support/lab.ts';
import { startGithub } from '../tickets/servers/github.ts';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

describe('the one retry policy', () => {
  it('honours a Retry-After up to the ceiling (5 minutes by default), never less than the server asked', () => {
    expect(DEFAULT_MAX_RETRY_AFTER_MS).toBe(300_000);
    expect(retryDecision(1, { retryable: true, retryAfterMs: 120_000 }, policy, () => 0.5)).toEqual({ retry: true, delayMs: 120_000 });
    expect(retryDecision(1, { retryable: true, retryAfterMs: 300_000 }, policy, () => 0.5)).toEqual({ retry: true, delayMs: 300_000 });
    expect(retryDecision(1, { retryable: true, retryAfterMs: 300_001 }, policy, () => 0.5)).toEqual({
      retry: false,
      reason: 'retry_after_too_long',
    });
    expect(retryDecision(1, { retryable: true, retryAfterMs: 2_000 }, { ...policy, maxRetryAfterMs: 1_000 }, () => 0)).toMatchObject({
      retry: false,
    });
    // Without Retry-After: exponential backoff with full jitter, capped at maxDelayMs.
    expect(retryDecision(3, { retryable: true, retryAfterMs: null }, policy, () => 0.5)).toEqual({ retry: true, delayMs: 200 });
    expect(retryDecision(30, { retryable: true, retryAfterMs: null }, { ...policy, maxAttempts: 99 }, () => 0.999)).toEqual({
      retry: true,
      delayMs: 999,
    });
    expect(retryDecision(5, { retryable: true, retryAfterMs: null }, policy, () => 0.5)).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
  });

  it('parses Retry-After values a timer cannot hold as what they are, and clamps every timer', () => {
    expect(parseRetryAfter('86400')).toBe(86_400_000);
    expect(parseRetryAfter('3000000')).toBe(3_000_000_000);
    expect(parseRetryAfter('1e400')).toBeNull();
    expect(parseRetryAfter('-5')).toBeNull();
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z'))).toBe(60_000);
    expect(retryDecision(1, { retryable: true, retryAfterMs: 3_000_000_000 }, policy, Math.random)).toMatchObject({ retry: false });
    expect(clampDelay(3_000_000_000)).toBe(MAX_TIMER_MS);
    expect(clampDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    expect(clampDelay(-1)).toBe(0);
  });

  it('ticket calls: a day-long Retry-After fails the operation at once as throttled; a short one is waited for', async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
    };
    const day = withRetry(() => Promise.reject(new HttpError('HTTP 429: rate limited', 429, 86_400_000)), { ...policy, sleep });
    const err = await day.catch((e) => e);
    expect(err).toBeInstanceOf(RetryAfterTooLongError);
    expect((err as Error).message).toMatch(/asked to wait 86400 s before retrying, more than the 300 s ceiling/);
    expect(sleeps).toEqual([]);
    let n = 0;
    const value = await withRetry(
      async () => {
        if (n++ === 0) throw new HttpError('HTTP 429', 429, 2_000);
        return 'ok';
      },
      { ...policy, sleep },
    );
    expect(value).toBe('ok');
    expect(sleeps).toEqual([2_000]);
  });
});

describe('through scan', () => {
  it('a ticket system answering 429 Retry-After: 86400 does not hold the scan (or the writer lease) for a day', async () => {
    const server = await startGithub({ token: 'ghp_cli', repos: ['acme/sec'] });
    try {
      server.faults.push({ match: /./, status: 429, retryAfter: '86400', times: 1000 });
      const cwd = tempDir();
      writeFileSync(
        join(cwd, 'cfg.yaml'),
        stringify({
          version: 1,
          providers: { aws: {} },
          tickets: { enabled: true, sink: 'github', minSeverity: 'high', github: { repo: 'acme/sec', apiUrl: server.url } },
        }),
      );
      const run = await runCli(['scan', '--demo', '--config', 'cfg.yaml', '--now', NOW, '--fail-on', 'none', '--out', 'out'], {
        cwd,
        env: { SNAPAUDIT_GITHUB_TOKEN: 'ghp_cli' },
      });
      // The scan's exit code stands; the ticket step says what happened and was given up without waiting.
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/more than the 300 s ceiling/);
      // Each ticket operation asked once: no retry after a 429 it was told to wait a day for.
      const seen = server.requests.map((r) => `${r.method} ${r.path}?${r.query} ${r.body}`);
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen).size).toBe(seen.length);
      // The lease is free: the next writer is not refused.
      const again = await runCli(['tickets', 'sync', '--config', 'cfg.yaml'], { cwd, env: { SNAPAUDIT_GITHUB_TOKEN: 'ghp_cli' } });
      expect(again.code).not.toBe(5);
    } finally {
      await server.close();
    }
  });

  it('a cloud API answering Retry-After beyond the ceiling: a throttled gap at once, the rest of the scan goes on', async () => {
    const op = 'ec2:GetSnapshotBlockPublicAccessState';
    const { result, lab } = await scanDemo({
      faults: [
        fault({ provider: 'aws', scope: '222222222222', region: 'us-east-1', operation: op, kind: 'throttle', retryAfterSeconds: 86_400 }),
      ],
      config: { scan: { retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 20 } } },
    });
    const member = result.scopes.find((s) => s.scope.id === '222222222222');
    expect(member?.coverage.status).toBe('partial');
    expect(member?.coverage.gaps).toEqual([
      expect.objectContaining({
        code: 'throttled',
        operation: op,
        region: 'us-east-1',
        message: expect.stringMatching(/86400 s .*300 s ceiling/),
      }),
    ]);
    expect(
      lab.log.entries.filter((e) => `${e.service}:${e.operation}` === op && e.scope === '222222222222' && e.region === 'us-east-1'),
    ).toHaveLength(1);
    expect(result.scopes.filter((s) => s.scope.id !== '222222222222').every((s) => s.coverage.status === 'complete')).toBe(true);
  });
});
