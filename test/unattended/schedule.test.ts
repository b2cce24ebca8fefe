/**
 * Issue #11 case 8: `schedule` skips a slot that comes while the previous run is still going, and that slot stays
 * skipped — the run is never started late when the previous one ends. Driven by a virtual clock, so a run "takes"
 * 90 seconds of schedule time in no real time and every start can be compared with its slot to the millisecond.
 */
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.ts';
import { type ScheduleClock, scheduleCommand } from '../../src/cli/schedule-command.ts';
import { tempDir } from '../support/cli.ts';

class VirtualClock implements ScheduleClock {
  t: number;
  private waiters: Array<{ at: number; resolve: () => void }> = [];
  constructor(start: string) {
    this.t = Date.parse(start);
  }
  now(): Date {
    return new Date(this.t);
  }
  sleepUntil(at: Date, signal: AbortSignal): Promise<void> {
    if (at.getTime() <= this.t) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { at: at.getTime(), resolve };
      this.waiters.push(w);
      signal.addEventListener('abort', () => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(signal.reason);
      });
    });
  }
  /** Moves time from waiter to waiter until `until`, letting the code between them run. */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
      const next = this.waiters.sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > until) return;
      this.waiters.shift();
      this.t = next.at;
      next.resolve();
    }
  }
}

function io(cwd: string): CliIo & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return {
    lines,
    stdout: (s) => {
      for (const l of s.split('\n').filter(Boolean)) lines.push(JSON.parse(l));
    },
    stderr: () => {},
    isTTY: false,
    cwd,
    env: {},
  };
}

describe('schedule: overlapping slots (virtual clock)', () => {
  it('a run longer than the interval skips the slots it overlaps, and never starts a skipped run late', async () => {
    const clock = new VirtualClock('2026-11-26T00:00:30.000Z');
    const starts: string[] = [];
    const cwd = tempDir();
    const out = io(cwd);
    const done = scheduleCommand({ cron: '* * * * *', maxRuns: '3', state: false, out: 'out' }, out, {
      clock,
      scan: async () => {
        starts.push(clock.now().toISOString());
        await clock.sleepUntil(new Date(clock.t + 90_000), new AbortController().signal);
        return 0;
      },
    });
    await clock.runUntil(Date.parse('2026-11-26T00:30:00Z'));
    expect(await done).toBe(0);

    // Every run starts exactly at its slot; the slots during a run are skipped, not caught up.
    expect(starts).toEqual(['2026-11-26T00:01:00.000Z', '2026-11-26T00:03:00.000Z', '2026-11-26T00:05:00.000Z']);
    const events = out.lines.map((l) => [l.event, l.slot ?? null, l.time]);
    expect(events).toEqual([
      ['schedule.start', null, '2026-11-26T00:00:30.000Z'],
      ['schedule.skip', '2026-11-26T00:02:00.000Z', '2026-11-26T00:02:00.000Z'],
      ['schedule.run', '2026-11-26T00:01:00.000Z', '2026-11-26T00:01:00.000Z'],
      ['schedule.skip', '2026-11-26T00:04:00.000Z', '2026-11-26T00:04:00.000Z'],
      ['schedule.run', '2026-11-26T00:03:00.000Z', '2026-11-26T00:03:00.000Z'],
      ['schedule.skip', '2026-11-26T00:06:00.000Z', '2026-11-26T00:06:00.000Z'],
      ['schedule.run', '2026-11-26T00:05:00.000Z', '2026-11-26T00:05:00.000Z'],
      ['schedule.stop', null, '2026-11-26T00:06:30.000Z'],
    ]);
    const skip = out.lines.find((l) => l.event === 'schedule.skip');
    expect(skip).toMatchObject({
      reason: 'the previous run is still going',
      runningSince: '2026-11-26T00:01:00.000Z',
      next: '2026-11-26T00:03:00.000Z',
    });
    const run = out.lines.find((l) => l.event === 'schedule.run');
    expect(run).toMatchObject({ durationMs: 90_000, exitCode: 0, next: '2026-11-26T00:03:00.000Z' });
  });

  it('slots the process slept through are skipped and logged, never run late', async () => {
    const clock = new VirtualClock('2026-11-26T00:00:30.000Z');
    const starts: string[] = [];
    const out = io(tempDir());
    let first = true;
    const done = scheduleCommand({ cron: '* * * * *', maxRuns: '2', state: false, out: 'out' }, out, {
      clock: {
        now: () => clock.now(),
        // The machine is suspended across the first slot: the wake-up comes 3.5 minutes late.
        sleepUntil: async (at, signal) => {
          await clock.sleepUntil(first ? new Date(at.getTime() + 210_000) : at, signal);
          first = false;
        },
      },
      scan: async () => {
        starts.push(clock.now().toISOString());
        return 0;
      },
    });
    await clock.runUntil(Date.parse('2026-11-26T00:30:00Z'));
    expect(await done).toBe(0);
    expect(starts).toEqual(['2026-11-26T00:05:00.000Z', '2026-11-26T00:06:00.000Z']);
    const skipped = out.lines.filter((l) => l.event === 'schedule.skip').map((l) => l.slot);
    expect(skipped).toEqual([
      '2026-11-26T00:01:00.000Z',
      '2026-11-26T00:02:00.000Z',
      '2026-11-26T00:03:00.000Z',
      '2026-11-26T00:04:00.000Z',
    ]);
  });
});
