/** The CLI's window on the world, injected so commands can be run and observed in-process by tests. */
import { terminalText } from '../core/terminal-text.ts';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Is stderr a terminal (progress bar) or a pipe/file (structured lines)? */
  isTTY: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Where SIGINT/SIGTERM arrive; tests pass their own controller. */
  signals?: { on(handler: (signal: string) => void): () => void };
  /**
   * Where errors nobody handled arrive while a command listens (unhandled rejections, exceptions thrown from library
   * callbacks): `scan` turns them into internal-error gaps instead of dying. Tests pass their own.
   */
  strays?: { on(handler: (error: unknown) => void): () => void };
  /**
   * Redraws the status line on stderr (the progress bar): the one place the CLI itself sends a terminal control
   * sequence. Present on the terminal-safe io `main` hands to every command.
   */
  redraw?: (line: string) => void;
}

/**
 * The terminal-safe writer: every byte any command prints goes through it. Cloud-derived text (names, tags, error
 * messages) can carry ESC/CSI/OSC sequences, BEL, C1 controls, bidi and zero-width characters; they are printed as
 * visible `\uXXXX` escapes (also valid JSON escapes, so JSON output still parses to the same values). Only line
 * feeds and tabs pass, and only `redraw` writes a control sequence — its own, never one from the text.
 */
export function terminalSafeIo(io: CliIo): CliIo {
  if (io.redraw) return io;
  return {
    ...io,
    stdout: (s) => io.stdout(terminalText(s)),
    stderr: (s) => io.stderr(terminalText(s)),
    redraw: (line) => io.stderr(`\r\x1b[K${terminalText(line).replace(/[\n\t]/g, ' ')}`),
  };
}

export function processIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    env: process.env,
    signals: {
      on(handler) {
        const h = (sig: NodeJS.Signals) => handler(sig);
        process.on('SIGINT', h);
        process.on('SIGTERM', h);
        return () => {
          process.off('SIGINT', h);
          process.off('SIGTERM', h);
        };
      },
    },
    strays: {
      on(handler) {
        const h = (error: unknown) => handler(error);
        process.on('unhandledRejection', h);
        process.on('uncaughtException', h);
        return () => {
          process.off('unhandledRejection', h);
          process.off('uncaughtException', h);
        };
      },
    },
  };
}

/** Exit codes a scheduler can act on. */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  incomplete: 3,
  /** An internal error outside a scan (a bug); inside a scan internal errors are gaps. */
  internal: 4,
  /** Another snapaudit holds the state store's writer lock: nothing was scanned or written. */
  locked: 5,
} as const;

/** A usage or input problem: printed as one message, exit 2, nothing written. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
