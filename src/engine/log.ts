/**
 * Structured logging. On a TTY the progress bar owns the terminal and logs are short text lines; otherwise every
 * line is one JSON object on stderr, so schedulers and log shippers can parse it. Secrets never reach a logger:
 * callers pass identifiers and counts, not credentials.
 */
import type { Logger, LogLevel } from '../core/log.ts';
import { scrubSecrets } from '../core/secrets.ts';
import { terminalField } from '../core/terminal-text.ts';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  format: 'json' | 'text';
  level: LogLevel;
  write: (line: string) => void;
  now: () => Date;
}

export function createLogger(opts: LoggerOptions): Logger {
  const emit = (level: LogLevel, event: string, raw: Record<string, unknown> = {}) => {
    if (rank[level] < rank[opts.level]) return;
    // Error messages from clouds and ticket systems can echo a credential: scrubbed before the line is written.
    const fields = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? scrubSecrets(v) : v]));
    if (opts.format === 'json') {
      opts.write(`${JSON.stringify({ time: opts.now().toISOString(), level, event, ...fields })}\n`);
    } else {
      // One line per event: a value (an error message, a name) cannot break the line or carry a terminal control.
      const extra = Object.entries(fields)
        .map(([k, v]) => `${k}=${terminalField(typeof v === 'string' ? v : JSON.stringify(v))}`)
        .join(' ');
      opts.write(`${level === 'info' ? '' : `${level}: `}${event}${extra ? ` ${extra}` : ''}\n`);
    }
  };
  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
  };
}
