/**
 * Scratch files a scan writes and reads back by descriptor only (the spool, the scopes held for the after-all-scopes
 * step). They are created in a private folder of their own (mkdtemp: a random name, mode 0700) and at once unlinked
 * with their folder: the open descriptors keep them readable and writable, and the system frees them when the
 * process ends however it ends — a scan killed by a signal, an out-of-memory kill or a power cut leaves nothing in
 * the temporary folder (POSIX: https://pubs.opengroup.org/onlinepubs/9799919799/functions/unlink.html, "the removal
 * of the file contents shall be postponed until all references to the file are closed"). Where the system will not
 * unlink an open file, the folder stays and is removed when the files are closed.
 */
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface ScratchFiles {
  /** One read-write descriptor per name asked for, in order. */
  readonly fds: number[];
  /** Closes the descriptors (and removes the folder if it could not be removed at once). */
  close(): void;
}

export function openScratchFiles(parent: string, prefix: string, names: readonly string[]): ScratchFiles {
  const dir = mkdtempSync(join(parent, prefix));
  const fds: number[] = [];
  let kept: string | null = dir;
  try {
    for (const name of names) fds.push(openSync(join(dir, name), 'w+', 0o600));
    try {
      for (const name of names) unlinkSync(join(dir, name));
      rmdirSync(dir);
      kept = null;
    } catch {
      // a system that keeps open files from being unlinked: removed at close instead
    }
  } catch (err) {
    for (const fd of fds) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let closed = false;
  return {
    fds,
    close() {
      if (closed) return;
      closed = true;
      for (const fd of fds) closeSync(fd);
      if (kept) rmSync(kept, { recursive: true, force: true });
    },
  };
}
