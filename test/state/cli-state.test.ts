/**
 * The state store through the command line: scans record history and print the trend, `diff` and `history` read it,
 * a second writer is refused with exit 5, and `schedule` runs scans on a cron with overlap protection, a health line
 * per run and a clean shutdown.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ScanResult, severities } from '../../src/core/model/result.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { readWrittenResult } from '../support/result.ts';
import { allFindings } from '../../src/core/model/order.ts';

const demoAws = readFileSync(new URL('../../lab/estates/demo/aws.yaml', import.meta.url), 'utf8');

function estateDir(extra = ''): string {
  const dir = tempDir('snapaudit-estate-');
  writeFileSync(join(dir, 'aws.yaml'), demoAws);
  writeFileSync(join(dir, 'estate.yaml'), `estateVersion: 1\n${extra}`);
  return dir;
}

describe('scan with the state store', () => {
  it('records each scan, prints the trend from the second one, and diff/history read the store', async () => {
    const cwd = tempDir();
    const first = await runCli(['scan', '--demo', '--now', '2026-11-24T02:00:00Z', '--out', 'out'], { cwd });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/state: first scan recorded in .*\.snapaudit\/state\.sqlite/);
    const second = await runCli(['scan', '--demo', '--now', '2026-11-25T02:00:00Z', '--out', 'out', '--format', 'json,md,html'], { cwd });
    expect(second.stdout).toMatch(/^since scan [0-9a-f]{16} \(2026-11-24T02:00:00\.000Z\): 0 new, 0 resolved, 0 regressed, \d+ unchanged/m);
    // streamed from the spool, summary.md and report.html are written inside the store's transaction, with the trend
    expect(readFileSync(join(cwd, 'out', 'summary.md'), 'utf8')).toMatch(/Against scan [0-9a-f]{16}/);
    expect(readFileSync(join(cwd, 'out', 'report.html'), 'utf8')).toMatch(/<p>Previous scan [0-9a-f]{16} finished/);
    const history = await runCli(['history'], { cwd });
    expect(history.stdout.trim().split('\n')).toHaveLength(2);
    const diff = await runCli(['diff', '--json'], { cwd });
    expect(diff.code).toBe(0);
    const parsed = JSON.parse(diff.stdout);
    expect(parsed.from.startedAt).toBe('2026-11-24T02:00:00.000Z');
    expect(parsed.to.startedAt).toBe('2026-11-25T02:00:00.000Z');
    expect(parsed.findings.new).toEqual([]);
  });

  it('diff explains what is missing: no store, one scan, an unknown id', async () => {
    const cwd = tempDir();
    const none = await runCli(['diff'], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no state store there yet\. Fix: run `snapaudit scan`/);
    await runCli(['scan', '--demo', '--now', '2026-11-24T02:00:00Z', '--quiet'], { cwd });
    const one = await runCli(['diff'], { cwd });
    expect(one.stderr).toMatch(/only one scan \([0-9a-f]{16}\) is recorded before --to; a diff needs two/);
    const bad = await runCli(['diff', '--from', 'nope'], { cwd });
    expect(bad.stderr).toMatch(/--from nope: no such scan in .*; recent: [0-9a-f]{16}/);
  });

  it('--no-state records nothing; --state puts the file elsewhere', async () => {
    const cwd = tempDir();
    await runCli(['scan', '--demo', '--no-state', '--quiet'], { cwd });
    expect(existsSync(join(cwd, '.snapaudit'))).toBe(false);
    await runCli(['scan', '--demo', '--state', 'history/db.sqlite', '--quiet'], { cwd });
    expect(existsSync(join(cwd, 'history', 'db.sqlite'))).toBe(true);
  });

  it('refuses a second writer with exit 5 and a clear message, writing nothing', async () => {
    const cwd = tempDir();
    const store = StateStore.open(join(cwd, '.snapaudit', 'state.sqlite'));
    const lease = store.lock({ command: 'scan' });
    try {
      const run = await runCli(['scan', '--demo', '--out', 'out'], { cwd });
      expect(run.code).toBe(5);
      expect(run.stderr).toMatch(
        /another snapaudit is writing to this state store \(scan, pid \d+ on .*\)\. Nothing was scanned or written\. Fix: /,
      );
      expect(existsSync(join(cwd, 'out'))).toBe(false);
    } finally {
      lease.release();
      store.close();
    }
    expect((await runCli(['scan', '--demo', '--out', 'out', '--quiet'], { cwd })).code).toBe(0);
  });
});

describe('snapaudit schedule', () => {
  const healthLines = (stdout: string) =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('rejects a bad cron expression, --now, and unknown options with exit 2', async () => {
    const bad = await runCli(['schedule', '--cron', 'every night', '--demo']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--cron: "every night" is not a cron expression .*Fix: use five fields/);
    expect((await runCli(['schedule', '--cron', '* * * * *', '--now', '2026-01-01T00:00:00Z'])).stderr).toMatch(
      /--now cannot be used with schedule/,
    );
    expect((await runCli(['schedule', '--cron', '* * * * *', '--colour'])).stderr).toMatch(/"--colour" is not a scan option/);
  });

  it('runs on the schedule with a JSON health line per run, recording each scan', async () => {
    const cwd = tempDir();
    const run = await runCli(['schedule', '--cron', '* * * * * *', '--demo', '--max-runs', '2', '--fail-on', 'critical', '--out', 'out'], {
      cwd,
    });
    expect(run.code).toBe(1); // the last run's exit code: the demo has a critical finding
    const lines = healthLines(run.stdout);
    // A run that outlasts the one-second schedule makes the next tick a logged skip (overlap protection), which a
    // loaded CI machine can hit: skips may come between the runs, nothing else.
    expect(lines.map((l) => l.event).filter((e) => e !== 'schedule.skip')).toEqual([
      'schedule.start',
      'schedule.run',
      'schedule.run',
      'schedule.stop',
    ]);
    const runs = lines.filter((l) => l.event === 'schedule.run');
    for (const r of runs) {
      expect(r).toMatchObject({ exitCode: 1, complete: true });
      expect((r.findings as { critical: number }).critical).toBeGreaterThan(0);
      expect(r.scan).toMatch(/^[0-9a-f]{16}$/);
      expect(typeof r.durationMs).toBe('number');
      expect(Date.parse(String(r.time))).not.toBeNaN();
    }
    expect(runs[0]!.next).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(runs[1]!.next).toBeNull();
    expect(runs[0]!.scan).not.toBe(runs[1]!.scan);
    // the counts come from the streamed scan's tally (no result held whole): those of the result it wrote
    const written = readWrittenResult(join(cwd, 'out', 'result.json')) as ScanResult;
    const open = allFindings(written).filter((f) => f.status === 'open');
    expect(runs[1]!.findings).toEqual(Object.fromEntries(severities.map((x) => [x, open.filter((f) => f.severity === x).length])));
    expect(runs[1]!.suppressed).toBe(allFindings(written).filter((f) => f.status === 'suppressed').length);
    const store = StateStore.open(join(cwd, '.snapaudit', 'state.sqlite'), { create: false });
    expect(store.scans().map((s) => s.id)).toEqual(runs.map((r) => r.scan));
    store.close();
  });

  it('skips a run while the previous one is still going, and on SIGTERM interrupts the current run cleanly and exits 0', async () => {
    const cwd = tempDir();
    const estate = estateDir('faults:\n  - kind: latency\n    ms: 1500\n');
    const run = await runCli(['schedule', '--cron', '* * * * * *', '--run-now', '--demo', '--estate', estate, '--out', 'out'], {
      cwd,
      onSignal: (fire) => setTimeout(() => fire('SIGTERM'), 2600),
    });
    expect(run.code).toBe(0);
    const lines = healthLines(run.stdout);
    const events = lines.map((l) => l.event);
    expect(events[0]).toBe('schedule.start');
    expect(events).toContain('schedule.skip');
    expect(events.at(-1)).toBe('schedule.stop');
    expect(lines.at(-1)!.reason).toMatch(/^SIGTERM received: interrupting the current run/);
    const last = lines.filter((l) => l.event === 'schedule.run').at(-1)!;
    expect(last).toMatchObject({ exitCode: 3, complete: false, next: null });
    // the interrupted run was written and recorded, and the lock was given back
    const result = readWrittenResult(join(cwd, 'out', 'result.json'));
    expect(result.scan.interrupted).toBe(true);
    const store = StateStore.open(join(cwd, '.snapaudit', 'state.sqlite'), { create: false });
    expect(store.latest()?.interrupted).toBe(true);
    store.lock({ command: 'check' }).release();
    store.close();
  });
});
