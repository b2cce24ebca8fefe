/**
 * Failure isolation as a property of the engine (issue #11): whatever is thrown or rejected inside a provider —
 * building its clients, discovery, a collector, the provider's own error classifier, a check, or a rejection nobody
 * awaited — ends as a gap of that provider or scope with the cause in words; the other providers finish and the
 * result is written. And case 5: one transient failure of the Microsoft Entra ID token endpoint costs nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../checks/index.ts';
import { defineCheck } from '../../checks/define-check.ts';
import { createAdapters, failedAdapter } from '../../providers/index.ts';
import type { ProviderAdapter, ScopeCollection } from '../../providers/types.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import type { Provider, ScanResult } from '../../src/core/model/result.ts';
import { runScan } from '../../src/engine/scan.ts';
import { fault, scanDemo, substance } from '../resilience/support.ts';
import { tempDir } from '../support/cli.ts';
import { makeScope } from '../support/factories.ts';
import { assertValidResult, NOW } from '../support/lab.ts';
import { runReal } from './real-cli.ts';
import { readWrittenResult } from '../support/result.ts';

const empty = (): ScopeCollection => ({
  logging: { sources: [], alerts: [], regions: [] },
  guards: [],
  principals: [],
  snapshots: [],
  gaps: [],
  failedRegions: [],
});

function adapter(provider: Provider, overrides: Partial<ProviderAdapter> = {}): ProviderAdapter {
  return {
    provider,
    classifyError: (e) => ({ code: 'error', retryable: false, throttle: false, retryAfterMs: null, status: null, message: String(e) }),
    discover: async () => ({
      root: 'root',
      found: 1,
      scopes: [{ scope: makeScope({ provider, id: `${provider}-1` }), blockedBy: null }],
      gaps: [],
    }),
    collect: async () => empty(),
    ...overrides,
  };
}

const config = defaultConfig();
const scan = (adapters: ProviderAdapter[], extra: Parameters<typeof runScan>[0]['checks'] = []) =>
  runScan({ adapters, checks: [...checks, ...extra], config, clock: fixedClock(NOW) });

describe('a provider is a fault domain (engine)', () => {
  it('an adapter that could not be built is a discovery gap naming the cause; the others scan', async () => {
    const built = await createAdapters(config, ['oracle' as Provider]);
    const result = await scan([
      failedAdapter('gcp', new Error('Cannot find module @google-cloud/compute')),
      adapter('aws'),
      ...built.map((a) => ({ ...a, provider: 'azure' as const })),
    ]);
    assertValidResult(result);
    const d = Object.fromEntries(result.discovery.map((x) => [x.provider, x]));
    expect(d.gcp).toMatchObject({ status: 'failed' });
    expect(d.gcp?.gaps[0]?.message).toBe('the gcp client could not be set up: Cannot find module @google-cloud/compute');
    expect(d.azure?.gaps[0]?.message).toMatch(/could not be set up: the oracle provider is not available yet/);
    expect(d.aws?.status).toBe('complete');
    expect(result.scopes.map((s) => s.coverage.status)).toEqual(['complete']);
  });

  it('discovery and collection that throw anything (not only Errors), and a classifier that throws, end as gaps', async () => {
    const result = await scan([
      adapter('aws', { discover: () => Promise.reject('a string, not an Error') }),
      adapter('azure', {
        collect: () => Promise.reject({ weird: true }),
        classifyError: () => {
          throw new TypeError('classifier bug');
        },
      }),
      adapter('gcp'),
    ]);
    assertValidResult(result);
    expect(result.discovery.find((x) => x.provider === 'aws')?.gaps[0]?.message).toBe('a string, not an Error');
    const azure = result.scopes.find((s) => s.scope.provider === 'azure');
    expect(azure?.coverage.status).toBe('failed');
    expect(azure?.coverage.gaps[0]).toMatchObject({ code: 'error', part: 'discovery' });
    expect(result.scopes.find((s) => s.scope.provider === 'gcp')?.coverage.status).toBe('complete');
  });

  it('a check that throws is an internal-error gap on that scope; the other checks still report', async () => {
    const broken = defineCheck({
      id: 'test.broken',
      title: 'broken',
      severity: 'low',
      rationale: 'r',
      remediation: 'r',
      needs: [],
      messages: { never: () => 'never' },
      scope: () => {
        throw new Error('check bug');
      },
    });
    const result = await scan([adapter('aws')], [broken]);
    const s = result.scopes[0];
    expect(s?.coverage.status).toBe('partial');
    expect(s?.coverage.gaps[0]?.message).toMatch(/^internal error in check test\.broken: check bug/);
    // The blind spot is reported like any other, and the other checks still ran.
    expect(s?.findings.map((f) => f.checkId)).toContain('coverage.scope-unreadable');
    expect(result.scan.complete).toBe(false);
  });
});

/** The CLI with a fake process-level guard that fires `stray` once the scan listens for strays. */
async function cliWithStray(stray: Error, cwd: string): Promise<{ code: number; result: ScanResult; stderr: string }> {
  let stderr = '';
  const io: CliIo = {
    stdout: () => {},
    stderr: (s) => {
      stderr += s;
    },
    isTTY: false,
    cwd,
    env: {},
    strays: {
      on(handler) {
        setTimeout(() => handler(stray), 0);
        return () => {};
      },
    },
  };
  const code = await main(['scan', '--demo', '--no-state', '--out', 'out', '--now', NOW], io);
  return { code, result: readWrittenResult(join(cwd, 'out', 'result.json')) as ScanResult, stderr };
}

describe('process-level guard: a rejection nobody awaited during a scan', () => {
  it('becomes an internal-error gap of the provider it came from; the result is written, exit 3', async () => {
    const stray = new Error('socket hang up in a library callback');
    stray.stack = `Error: socket hang up\n    at Gaxios._request (/app/node_modules/gaxios/build/src/gaxios.js:1:1)`;
    const { code, result, stderr } = await cliWithStray(stray, tempDir());
    expect(code).toBe(3);
    assertValidResult(result);
    const gcp = result.discovery.find((d) => d.provider === 'gcp');
    expect(gcp?.status).toBe('partial');
    expect(gcp?.gaps.at(-1)).toMatchObject({ code: 'error', part: 'discovery' });
    expect(gcp?.gaps.at(-1)?.message).toMatch(/^internal error in the gcp client libraries.*socket hang up in a library callback/);
    for (const p of ['aws', 'azure']) expect(result.discovery.find((d) => d.provider === p)?.status).toBe('complete');
    expect(result.scopes.every((s) => s.coverage.status === 'complete')).toBe(true);
    expect(stderr).toMatch(/scan\.internal_error/);
  });

  it('one that cannot be traced to a provider counts against every provider, never silently', async () => {
    const { code, result } = await cliWithStray(new Error('nobody knows'), tempDir());
    expect(code).toBe(3);
    expect(result.scan.complete).toBe(false);
    for (const d of result.discovery) expect(d.gaps.some((g) => /nobody knows/.test(g.message))).toBe(true);
  });
});

describe('process-level guard in the real CLI', () => {
  it('a real unhandled rejection during the scan: a gap in the written result and exit 3, not a crash with exit 1', async () => {
    const cwd = tempDir();
    // Rejects a promise nobody awaits as soon as the scan listens for strays (the guard is what it tests).
    const preload = join(cwd, 'stray.mjs');
    writeFileSync(
      preload,
      "const t = setInterval(() => { if (process.listenerCount('unhandledRejection') > 0) { clearInterval(t); Promise.reject(new Error('stray rejection from a library callback')); } }, 5);\n",
    );
    const run = await runReal(['scan', '--demo', '--no-state', '--out', 'out', '--now', NOW], {
      cwd,
      env: { PATH: process.env.PATH ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', HOME: cwd },
      nodeArgs: ['--import', preload],
    });
    expect(run.code, run.stderr.slice(-2000)).toBe(3);
    const result = readWrittenResult(join(cwd, 'out', 'result.json')) as ScanResult;
    assertValidResult(result);
    for (const d of result.discovery)
      expect(d.gaps.map((g) => g.message).join(' ')).toMatch(/internal error .*stray rejection from a library callback/);
    expect(result.scopes.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('case 5: one transient failure of the Microsoft Entra ID token endpoint', () => {
  it.each(['server_error', 'throttle'] as const)('a single %s: a fresh sign-in, not a replayed failure; nothing is lost', async (kind) => {
    const clean = await scanDemo({ config: { providers: { azure: {} } } });
    const { result, lab } = await scanDemo({
      config: { providers: { azure: {} } },
      faults: [fault({ provider: 'azure', operation: 'login:GetToken', kind, times: 1 })],
    });
    // The failed request and a real second one reached the token endpoint.
    expect(lab.log.entries.filter((e) => e.operation === 'GetToken').length).toBeGreaterThanOrEqual(2);
    expect(substance(result)).toEqual(substance(clean.result));
  });
});
