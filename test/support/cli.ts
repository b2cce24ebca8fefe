/** Runs the CLI in-process with captured output, as a user would see it. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const created: string[] = [];

/** A fresh temporary folder, removed after the test file (test/support/temp-cleanup.ts). */
export function tempDir(prefix = 'snapaudit-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/**
 * Removes every folder tempDir() made so far. A process the tests started may still be winding down and writing
 * (a browser closing its profile): a folder that is back after removal is removed again, for up to a few seconds.
 */
export async function removeTempDirs(): Promise<void> {
  const dirs = created.splice(0);
  for (let round = 0; round < 20; round++) {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    await new Promise((r) => setTimeout(r, round === 0 ? 50 : 250));
    if (!dirs.some((d) => existsSync(d))) return;
  }
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
