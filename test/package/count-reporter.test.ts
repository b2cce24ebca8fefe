/**
 * CI reads one line, `N passed, N failed`: a run that failed must never read "0 failed". Runs vitest on small fixture
 * files (test/package/fixtures/count/) that fail in each way a suite can: a failing test, a beforeAll hook that throws
 * (the browser test without Chromium), an afterAll hook that throws, a file that does not load, an unhandled
 * rejection; then checks the summary line that .ci/run prints for each outcome of `npm test`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.ts';

const fixtures = fileURLToPath(new URL('./fixtures/count/', import.meta.url));
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const summarize = fileURLToPath(new URL('../../.ci/summarize', import.meta.url));

/** Runs vitest on the fixtures matching a pattern; resolves with its exit code and the count lines it printed. */
function runFixtures(pattern: string): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const env = { ...process.env, COUNT_FIXTURES: pattern, NO_COLOR: '1', CI: '1' };
    execFile(process.execPath, [vitest, 'run'], { cwd: fixtures, env, timeout: 60_000 }, (err, stdout) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, lines: stdout.split('\n').filter((l) => / \d+ passed, \d+ failed$|^\d+ passed, \d+ failed$/.test(l)) });
    });
  });
}

describe('count reporter', () => {
  // vitest caches its results and bundled config in a node_modules/ beside the fixtures' config.
  afterAll(() => rmSync(join(fixtures, 'node_modules'), { recursive: true, force: true }));

  it('counts a failed test, a failed beforeAll or afterAll, a file that does not load and an unhandled error', async () => {
    const r = await runFixtures('*');
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      // Each file on its own (the per-file reporter of the fixtures), then the run's total line.
      'failing-after-all.fixture.ts: 1 passed, 1 failed',
      'failing-before-all.fixture.ts: 0 passed, 1 failed',
      'failing-test.fixture.ts: 1 passed, 1 failed',
      'not-loading.fixture.ts: 0 passed, 1 failed',
      'passing.fixture.ts: 2 passed, 0 failed',
      'unhandled.fixture.ts: 1 passed, 0 failed', // the rejection belongs to the run, not to a file
      '5 passed, 5 failed',
    ]);
  });

  it('reads "0 failed" only for a green run', async () => {
    expect(await runFixtures('passing')).toEqual({ code: 0, lines: ['passing.fixture.ts: 2 passed, 0 failed', '2 passed, 0 failed'] });
  });
});

describe('.ci/run summary line', () => {
  function summary(log: string, code: number): { code: number | null; stdout: string } {
    const dir = tempDir();
    try {
      const file = join(dir, 'log');
      writeFileSync(file, log);
      const r = spawnSync('bash', [summarize, file, String(code)], { encoding: 'utf8' });
      return { code: r.status, stdout: r.stdout };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('repeats the test count of a green run', () => {
    expect(summary('added 319 packages\n\n312 passed, 0 failed\n', 0)).toEqual({ code: 0, stdout: '312 passed, 0 failed\n' });
  });

  it('keeps the count of failed tests, whatever npm prints after it', () => {
    const npmError = 'npm error Lifecycle script `test` failed with error:\nnpm error code 1\n'.repeat(4);
    expect(summary(`\n310 passed, 2 failed\n${npmError}`, 1)).toEqual({ code: 1, stdout: '310 passed, 2 failed\n' });
  });

  it('never reads "0 failed" for a failed run: typecheck or lint failed before any test ran', () => {
    expect(summary('src/x.ts(1,1): error TS2304: Cannot find name\n', 2)).toEqual({ code: 2, stdout: '0 passed, 1 failed\n' });
  });

  it('never reads "0 failed" for a failed run whose tests all passed', () => {
    expect(summary('312 passed, 0 failed\n', 1)).toEqual({ code: 1, stdout: '312 passed, 1 failed\n' });
  });
});
