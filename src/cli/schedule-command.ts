/**
 * `snapaudit schedule --cron EXPR [scan options]`: a long-running process that scans on a cron schedule. Croner
 * computes the slots; this file keeps time itself, with an injected clock, so the rule is exact and testable: a run
 * starts at its slot; a slot that comes while the previous run is still going is skipped and logged, and stays
 * skipped (the run is never started late when the previous one ends); slots the process sleeps through (a
 * suspended machine) are skipped and logged too. Each run
 * re-reads the config (edit suppressions without a restart), records in the state store and syncs tickets like
 * `snapaudit scan`, and ends with one health line on stdout — JSON when stdout is not a terminal. SIGINT/SIGTERM stops
 * the schedule; a run in progress is interrupted cleanly (partial result written and recorded, exit 3 in its health
 * line), then the process exits 0.
 */
import { Cron } from 'croner';
import { MAX_TIMER_MS } from '../core/retry.ts';
import { exitCodeOfError } from './errors.ts';
import type { SummaryTally } from '../../reports/summary.ts';
import { type ScanResult, severities } from '../core/model/result.ts';
import { terminalField } from '../core/terminal-text.ts';
import { type CliIo, ExitCode, UsageError } from './io.ts';
import { prepareScan, type ScanFlags, scanCommand } from './scan-command.ts';

export interface ScheduleFlags extends ScanFlags {
  cron: string;
  timezone?: string;
  runNow?: boolean;
  maxRuns?: string;
}

/** Time as the schedule sees it; tests inject a virtual clock. */
export interface ScheduleClock {
  now(): Date;
  /** Resolves at `at` (or at once when it has passed); rejects when `signal` aborts. */
  sleepUntil(at: Date, signal: AbortSignal): Promise<void>;
}

/** The system clock: sleeps in chunks a timer can hold, re-reading the time after each. */
export const systemScheduleClock: ScheduleClock = {
  now: () => new Date(),
  async sleepUntil(at, signal) {
    for (let left = at.getTime() - Date.now(); left > 0; left = at.getTime() - Date.now()) {
      await new Promise<void>((resolve, reject) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        const t = setTimeout(done, Math.min(left, MAX_TIMER_MS));
        function done() {
          signal.removeEventListener('abort', aborted);
          resolve();
        }
        function aborted() {
          clearTimeout(t);
          reject(signal.reason);
        }
        signal.addEventListener('abort', aborted, { once: true });
      });
    }
  },
};

export interface ScheduleDeps {
  clock: ScheduleClock;
  /** One scan; `scanCommand` by default. */
  scan: typeof scanCommand;
}

/** A slot that arrives more than this late was slept through (the machine was suspended): it is skipped. */
const LATE_MS = 1000;

interface Health {
  event: 'schedule.start' | 'schedule.run' | 'schedule.skip' | 'schedule.stop';
  time: string;
  [key: string]: unknown;
}

export async function scheduleCommand(
  flags: ScheduleFlags,
  io: CliIo,
  deps: ScheduleDeps = { clock: systemScheduleClock, scan: scanCommand },
): Promise<number> {
  const { clock } = deps;
  if (flags.now !== undefined) {
    throw new UsageError('--now cannot be used with schedule: every run would get the same time and scan id. Fix: drop --now.');
  }
  let maxRuns = Number.POSITIVE_INFINITY;
  if (flags.maxRuns !== undefined) {
    maxRuns = Number(flags.maxRuns);
    if (!Number.isInteger(maxRuns) || maxRuns < 1)
      throw new UsageError(`--max-runs: "${flags.maxRuns}" is not a count. Fix: use a whole number such as 1.`);
  }
  const { cron: expr, timezone, runNow, maxRuns: _m, ...scanFlags } = flags;
  // Validate everything a run would check, once, before the schedule starts: a bad config exits 2 now, not at 2 a.m.
  prepareScan(scanFlags, io);
  let cron: Cron;
  try {
    cron = new Cron(expr, { paused: true, ...(timezone ? { timezone } : {}) });
  } catch (err) {
    throw new UsageError(
      `--cron: "${expr}" is not a cron expression (${(err as Error).message}). Fix: use five fields (minute hour day month weekday), e.g. "15 2 * * *", or six with seconds.`,
    );
  }
  const slotAfter = (d: Date): Date | null => cron.nextRun(d);

  const json = !io.isTTY;
  const health = (h: Health) => {
    if (json) {
      io.stdout(`${JSON.stringify(h)}\n`);
      return;
    }
    const rest = Object.entries(h)
      .filter(([k, v]) => k !== 'event' && k !== 'time' && v !== null && v !== undefined)
      .map(([k, v]) => `${k}=${terminalField(typeof v === 'object' ? JSON.stringify(v) : String(v))}`)
      .join(' ');
    io.stdout(`${h.time} ${h.event.replace('schedule.', '')} ${rest}\n`);
  };

  let runs = 0;
  let lastCode: number = ExitCode.ok;
  let running: { since: string; done: Promise<void> } | null = null;
  let stopReason: { reason: string; code: number } | null = null;
  const wake = new AbortController();
  let next: Date | null = null;

  const stop = (reason: string, code: number) => {
    if (stopReason) return;
    stopReason = { reason, code };
    wake.abort();
  };

  const runOnce = async (slot: Date | null) => {
    const started = clock.now();
    let result: { header: ScanResult; tally: SummaryTally } | null = null;
    let resolveDone: () => void = () => {};
    running = { since: started.toISOString(), done: new Promise((r) => (resolveDone = r)) };
    let code: number;
    let error: string | null = null;
    try {
      code = await deps.scan({ ...scanFlags, quiet: true, progress: false }, io, {
        onSummary: (header, tally) => {
          result = { header, tally };
        },
      });
    } catch (err) {
      error = (err as Error).message.split('\n')[0] ?? String(err);
      code = exitCodeOfError(err);
      io.stderr(`error: ${error}\n`);
    }
    runs++;
    lastCode = code;
    // the scan streamed its scopes: the counts come from its tally, never from a result held whole
    const r = (result as { header: ScanResult; tally: SummaryTally } | null)?.header ?? null;
    const tally = (result as { header: ScanResult; tally: SummaryTally } | null)?.tally ?? null;
    health({
      event: 'schedule.run',
      time: started.toISOString(),
      slot: slot?.toISOString() ?? null,
      scan: r?.scan.id ?? null,
      durationMs: clock.now().getTime() - started.getTime(),
      exitCode: code,
      complete: r?.scan.complete ?? false,
      findings: tally ? Object.fromEntries(severities.map((s) => [s, tally.open[s]])) : null,
      suppressed: tally ? tally.suppressions.filter((f) => f.status === 'suppressed').length : null,
      ...(error ? { error } : {}),
      next: stopReason || runs >= maxRuns ? null : (next?.toISOString() ?? null),
    });
    running = null;
    resolveDone();
    if (runs >= maxRuns) stop('max-runs reached', lastCode);
  };

  const offSignals = io.signals?.on((sig) => stop(`${sig} received${running ? ': interrupting the current run' : ''}`, ExitCode.ok));
  try {
    next = slotAfter(clock.now());
    health({
      event: 'schedule.start',
      time: clock.now().toISOString(),
      cron: expr,
      timezone: timezone ?? null,
      next: next?.toISOString() ?? null,
    });
    if (runNow) void runOnce(null);
    while (!stopReason && next) {
      const slot: Date = next;
      try {
        await clock.sleepUntil(slot, wake.signal);
      } catch {
        break;
      }
      if (stopReason) break;
      next = slotAfter(slot);
      const now = clock.now().getTime();
      if (now - slot.getTime() > LATE_MS) {
        // Slots slept through (the process was suspended or starved) are skipped and logged, never run late.
        const passed = [slot];
        while (next && now - next.getTime() > LATE_MS) {
          passed.push(next);
          next = slotAfter(next);
        }
        for (const missed of passed) {
          health({
            event: 'schedule.skip',
            time: new Date(now).toISOString(),
            slot: missed.toISOString(),
            reason: 'the slot passed while the process was not running',
            next: next?.toISOString() ?? null,
          });
        }
        continue;
      }
      if (running) {
        const since: string = (running as { since: string }).since;
        health({
          event: 'schedule.skip',
          time: clock.now().toISOString(),
          slot: slot.toISOString(),
          reason: 'the previous run is still going',
          runningSince: since,
          next: next?.toISOString() ?? null,
        });
        continue;
      }
      void runOnce(slot);
    }
    const current = running as { done: Promise<void> } | null;
    if (current) await current.done;
    const why = stopReason ?? { reason: 'the cron expression has no further slot', code: lastCode };
    health({ event: 'schedule.stop', time: clock.now().toISOString(), reason: why.reason, runs });
    return why.code;
  } finally {
    offSignals?.();
  }
}
