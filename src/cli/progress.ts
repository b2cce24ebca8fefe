/**
 * Progress for long scans. On a TTY: one line redrawn in place (scopes done/total, API calls, throttles, errors,
 * elapsed). Otherwise nothing here: the engine's structured `scope.done` log lines carry the same facts.
 */
import type { ScanStats } from '../engine/stats.ts';

export interface ProgressDisplay {
  stop(): void;
}

/**
 * @param redraw replaces the status line (the terminal-safe io's `redraw`)
 * @param write writes plain text (the final line feed)
 */
export function startTtyProgress(
  stats: ScanStats,
  redraw: (line: string) => void,
  write: (s: string) => void,
  intervalMs = 120,
): ProgressDisplay {
  const started = Date.now();
  const width = 24;
  const draw = () => {
    const total = stats.scopesTotal;
    const done = stats.scopesDone;
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const secs = Math.floor((Date.now() - started) / 1000);
    redraw(
      `${bar} ${done}/${total || '?'} scopes · ${stats.apiCalls} calls · ${stats.throttles} throttled · ${stats.errors} errors · ${secs}s`,
    );
  };
  const timer = setInterval(draw, intervalMs);
  timer.unref();
  draw();
  return {
    stop() {
      clearInterval(timer);
      draw();
      write('\n');
    },
  };
}
