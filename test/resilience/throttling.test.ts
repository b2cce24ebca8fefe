import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/log.ts';
import type { Provider } from '../../src/core/model/result.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { assertValidResult, NOW } from '../support/lab.ts';
import { configFile, estateFolder, fault, scanDemo, substance } from './support.ts';
import { readWrittenResult } from '../support/result.ts';

/**
 * At a 20 % throttle rate a call fails six times in a row once in 15,625: over ~230 calls that is a lost call in
 * one run of 70. Fourteen attempts make it one in 10^9 (and the seeded faults repeat), so "nothing lost" is the
 * engine's doing, not luck.
 */
const patientRetry = { maxAttempts: 14, baseDelayMs: 1, maxDelayMs: 20 };

function capture(): { log: Logger; events: Array<{ event: string } & Record<string, unknown>> } {
  const events: Array<{ event: string } & Record<string, unknown>> = [];
  const push = (event: string, fields: Record<string, unknown> = {}) => events.push({ event, ...fields });
  return { log: { debug: push, info: push, warn: push, error: push }, events };
}

describe('20 % of calls throttled on every provider', () => {
  it.each([
    { name: 'without Retry-After', retryAfterSeconds: undefined },
    { name: 'with Retry-After', retryAfterSeconds: 3 },
  ])('$name: adapts, reports the throttles and loses nothing', async ({ retryAfterSeconds }) => {
    const clean = await scanDemo();
    const waits: number[] = [];
    const { log, events } = capture();
    const { result, lab } = await scanDemo({
      // Every API call of every provider; not the Azure sign-in endpoints (service `login`): MSAL fetches the
      // authority's metadata itself and its throttles reach the scanner without their 429 (sign-in faults have
      // their own cases in faults.test.ts).
      faults: ['aws:*', 'gcp:*', 'azure:Microsoft.*', 'azure:azure:*'].map((p) => {
        const [provider, ...op] = p.split(':') as [Provider, ...string[]];
        return fault({
          provider,
          operation: op.join(':'),
          kind: 'throttle',
          rate: 0.2,
          ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        });
      }),
      config: { scan: { retry: { ...patientRetry, maxDelayMs: 60_000 } } },
      // Waits are recorded, not slept: the test checks what the engine would wait without taking that long.
      scan: {
        log,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    });
    assertValidResult(result);
    expect(substance(result)).toEqual(substance(clean.result));

    // Every provider was throttled, and every throttle the lab sent was seen, retried and counted.
    const throttled = lab.log.entries.filter((e) => e.fault === 'throttle');
    expect(new Set(throttled.map((e) => e.provider))).toEqual(new Set<Provider>(['aws', 'azure', 'gcp']));
    expect(result.stats.throttles).toBe(throttled.length);
    expect(result.stats.retries).toBe(throttled.length + clean.result.stats.retries);
    expect(result.stats.apiCalls).toBe(clean.result.stats.apiCalls + throttled.length);
    expect(throttled.length / result.stats.apiCalls).toBeGreaterThan(0.1);

    // Retry-After is honoured where the server sent it (Azure always does: 1 s by default).
    expect(waits).toHaveLength(throttled.length);
    // Every throttled API call waits exactly the Retry-After. A throttled sign-in (the token endpoint, one per token
    // audience: ARM and Microsoft Graph) is retried too, but MSAL does not hand its Retry-After to the caller.
    if (retryAfterSeconds !== undefined)
      expect(waits.filter((w) => w === retryAfterSeconds * 1000)).toHaveLength(throttled.filter((e) => e.service !== 'login').length);
    else expect(waits.filter((w) => w === 1000).length).toBeGreaterThan(0);

    // Per-scope concurrency backed off where a scope was throttled.
    const done = events.filter((e) => e.event === 'scope.done' && typeof e.throttles === 'number');
    expect(done.length).toBeGreaterThan(0);
    for (const e of done) expect(e.concurrencyFloor).toBeLessThan(8);
  });

  it('recovers: a scope throttled at first gets its concurrency back once calls succeed again', async () => {
    const { log, events } = capture();
    const { result } = await scanDemo({
      faults: [
        fault({ provider: 'aws', scope: '222222222222', operation: 'ec2:GetSnapshotBlockPublicAccessState', kind: 'throttle', times: 2 }),
      ],
      config: { scan: { concurrency: { scopes: 8, callsPerScope: 2, callsPerProvider: 64 } } },
      scan: { log },
    });
    expect(result.scan.complete).toBe(true);
    const member = events.find((e) => e.event === 'scope.done' && e.scope === '222222222222');
    expect(member).toMatchObject({ throttles: 2, concurrencyFloor: 1, concurrency: 2 });
  });

  it('through the CLI: the summary and result.json report the throttle count', async () => {
    const cwd = tempDir();
    const dir = estateFolder([fault({ kind: 'throttle', rate: 0.2 })]);
    const config = configFile(cwd, { scan: { retry: patientRetry } });
    const run = await runCli(['scan', '--demo', '--estate', dir, '--config', config, '--out', 'out', '--now', NOW, '--fail-on', 'none'], {
      cwd,
    });
    expect(run.code).toBe(0);
    const result = readWrittenResult(join(cwd, 'out', 'result.json'));
    expect(result.scan.complete).toBe(true);
    expect(result.stats.throttles).toBeGreaterThan(0);
    expect(run.stdout).toContain(
      `api calls: ${result.stats.apiCalls} (${result.stats.throttles} throttled, ${result.stats.retries} retried`,
    );
  });
});
