/**
 * Global setup: every test run gets its own temporary folder (TMPDIR, which os.tmpdir() and every child process
 * read), and the run fails when anything is left in it at the end — a test that creates a temporary folder or file
 * must remove it. The folder itself is removed either way, so a failed run leaves nothing behind on the machine.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'snapaudit-run-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    const left = readdirSync(dir).map((name) => {
      // Say what is inside, so the test that left it can be found.
      let inside: string[] = [];
      try {
        inside = readdirSync(join(dir, name)).slice(0, 5);
      } catch {
        // a file
      }
      return inside.length ? `${name} (${inside.join(', ')})` : name;
    });
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      const shown = left.slice(0, 20).join(', ');
      process.exitCode = 1;
      throw new Error(`tests left ${left.length} temporary file(s) or folder(s) behind: ${shown}${left.length > 20 ? ', …' : ''}`);
    }
  };
}
