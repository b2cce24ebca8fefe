/**
 * `snapaudit schedule --cron EXPR [scan options]`: a long-running process that scans on a cron schedule (croner).
 * A run that would start while the previous one is still going is skipped and logged (overlap protection). Each run
 * re-reads the config (edit suppressions without a restart), records in the state store and syncs tickets like
 * `snapaudit scan`, and ends with one health line on stdout — JSON when stdout is not a terminal. SIGINT/SIGTERM stops
 * the schedule; a run in progress is interrupted cleanly (partial result written and recorded, exit 3 in its health
 * line), then the process exits 0.
 */
import { Cron } from 'croner';
import { ConfigError } from '../core/config/load.ts';
import { allFindings } from '../core/model/order.ts';
import { type ScanResult, severities } from '../core/model/result.ts';
import { terminalField } from '../core/terminal-text.ts';
import { TransportPolicyError } from '../core/config/transport.ts';
import { StateStoreError } from '../store/database.ts';
import { StoreLockedError } from '../store/lock.ts';
import { type CliIo, ExitCode, UsageError } from './io.ts';
import { prepareScan, type ScanFlags, scanCommand } from './scan-command.ts';

export interface ScheduleFlags extends ScanFlags {
  cron: string;
  timezone?: string;
  runNow?: boolean;
  maxRuns?: string;
}

interface Health {
  event: 'schedule.start' | 'schedule.run' | 'schedule.skip' | 'schedule.stop';
  time: string;
  [key: string]: unknown;
}

export async function scheduleCommand(flags: ScheduleFlags, io: CliIo): Promise<number> {
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
  let job: Cron;
  try {
    job = new Cron(expr, { paused: true, ...(timezone ? { timezone } : {}) });
    job.stop();
  } catch (err) {
    throw new UsageError(
      `--cron: "${expr}" is not a cron expression (${(err as Error).message}). Fix: use five fields (minute hour day month weekday), e.g. "15 2 * * *", or six with seconds.`,
    );
  }

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
  const next = () => job.nextRun()?.toISOString() ?? null;

  let runs = 0;
  let lastCode: number = ExitCode.ok;
  let running: { since: string; done: Promise<void> } | null = null;
  let stopping = false;
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });

  const stop = (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    job.stop();
    const settle = async () => {
      if (running) await running.done;
      health({ event: 'schedule.stop', time: new Date().toISOString(), reason, runs });
      finish(code);
    };
    void settle();
  };

  const runOnce = async () => {
    if (stopping) return;
    if (running) {
      health({
        event: 'schedule.skip',
        time: new Date().toISOString(),
        reason: 'the previous run is still going',
        runningSince: running.since,
        next: next(),
      });
      return;
    }
    const started = new Date();
    let result: ScanResult | null = null;
    let resolveDone: () => void = () => {};
    running = { since: started.toISOString(), done: new Promise((r) => (resolveDone = r)) };
    let code: number;
    let error: string | null = null;
    try {
      code = await scanCommand({ ...scanFlags, quiet: true, progress: false }, io, {
        onResult: (r) => {
          result = r;
        },
      });
    } catch (err) {
      error = (err as Error).message.split('\n')[0] ?? String(err);
      code =
        err instanceof StoreLockedError
          ? ExitCode.locked
          : err instanceof ConfigError ||
              err instanceof UsageError ||
              err instanceof StateStoreError ||
              err instanceof TransportPolicyError ||
              (err as Error).name === 'EstateError'
            ? ExitCode.usage
            : 4;
      io.stderr(`error: ${error}\n`);
    }
    runs++;
    lastCode = code;
    const r = result as ScanResult | null;
    const open = r ? allFindings(r).filter((f) => f.status === 'open') : [];
    health({
      event: 'schedule.run',
      time: started.toISOString(),
      scan: r?.scan.id ?? null,
      durationMs: Date.now() - started.getTime(),
      exitCode: code,
      complete: r?.scan.complete ?? false,
      findings: r ? Object.fromEntries(severities.map((s) => [s, open.filter((f) => f.severity === s).length])) : null,
      suppressed: r ? allFindings(r).filter((f) => f.status === 'suppressed').length : null,
      ...(error ? { error } : {}),
      next: stopping || runs >= maxRuns ? null : next(),
    });
    running = null;
    resolveDone();
    if (runs >= maxRuns) stop('max-runs reached', lastCode);
  };

  job = new Cron(expr, { ...(timezone ? { timezone } : {}), protect: () => void runOnce(), catch: true }, () => runOnce());
  const offSignals = io.signals?.on((sig) => stop(`${sig} received${running ? ': interrupting the current run' : ''}`, ExitCode.ok));
  health({ event: 'schedule.start', time: new Date().toISOString(), cron: expr, timezone: timezone ?? null, next: next() });
  if (runNow) void runOnce();
  try {
    return await finished;
  } finally {
    offSignals?.();
    job.stop();
  }
}
