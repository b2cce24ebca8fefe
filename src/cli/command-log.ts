/**
 * The log of a command (scan, report, tickets): JSON lines on stderr off a terminal (info and up, for a scheduler's
 * log collector), text on a terminal (warnings and up: progress and the summary say the rest), errors only with
 * --quiet. `--log-format` overrides the format where a command has it.
 */
import { createLogger } from '../engine/log.ts';
import type { Logger } from '../core/log.ts';
import type { CliIo } from './io.ts';

export type LogFormat = 'json' | 'text';

export function commandLogFormat(io: CliIo, logFormat?: string): LogFormat {
  return (logFormat as LogFormat | undefined) ?? (io.isTTY ? 'text' : 'json');
}

export function commandLogger(io: CliIo, opts: { quiet?: boolean | undefined; logFormat?: string | undefined }): Logger {
  return createLogger({
    format: commandLogFormat(io, opts.logFormat),
    level: opts.quiet ? 'error' : io.isTTY ? 'warn' : 'info',
    write: io.stderr,
    now: () => new Date(),
  });
}
