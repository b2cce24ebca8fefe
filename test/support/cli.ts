/** Runs the CLI in-process with captured output, as a user would see it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'snapaudit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function runCli(
  args: string[],
  opts: {
    cwd?: string;
    isTTY?: boolean;
    env?: Record<string, string>;
    onSignal?: (fire: (sig: string) => void) => void;
    onStdout?: (text: string) => void;
    /** Called with everything written to stderr so far, after each write. */
    onStderr?: (text: string) => void;
  } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const handlers = new Set<(s: string) => void>();
  const io: CliIo = {
    stdout: (s) => {
      stdout += s;
      opts.onStdout?.(stdout);
    },
    stderr: (s) => {
      stderr += s;
      opts.onStderr?.(stderr);
    },
    isTTY: opts.isTTY ?? false,
    cwd: opts.cwd ?? tempDir(),
    env: opts.env ?? {},
    signals: {
      on(h) {
        handlers.add(h);
        return () => handlers.delete(h);
      },
    },
  };
  opts.onSignal?.((sig) => {
    for (const h of handlers) h(sig);
  });
  const code = await main(args, io);
  return { code, stdout, stderr };
}
