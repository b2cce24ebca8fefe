/**
 * The output folder. Before anything is scanned, `prepareOutputDir` makes sure the folder is one: an existing
 * directory or one that can be created, and writable (a probe file is written and removed), so an operator's
 * mistake (`--out /dev/null`, `--out` naming a file, a read-only or impossible path) is exit 2 with one message,
 * not a stack trace after an hour of scanning.
 *
 * Each output is written to a temporary file and renamed into place, so a crash or an interruption never leaves a
 * half-written report where a reader (or the next pipeline step) would take it for a whole one. Temporary files get
 * random names and are created exclusively (O_CREAT|O_EXCL, which never follows a symbolic link): a link planted
 * under a predictable name cannot redirect the write, and the rename replaces a link at the final name rather than
 * writing through it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { loadStreamers } from '../../reports/load.ts';
import type { ResultSource, StreamedFile } from '../../reports/source.ts';
import type { RenderContext } from '../../reports/types.ts';
import { writeStreamed } from '../engine/spool.ts';
import { UsageError } from './io.ts';

/** At most this many missing folders are created for `--out` (a path is not a tree). */
const MAX_NEW_LEVELS = 32;

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
}

/** A fresh, unpredictable temporary name beside `target`. */
function tempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
}

/**
 * Creates a file exclusively (fails if anything, a symbolic link included, is already there) and writes it: its
 * content whole, or chunk by chunk (a streamed file, written in batches as its chunks come).
 */
function writeExclusive(path: string, content: string | Uint8Array | Iterable<string | Uint8Array>): void {
  const fd = openSync(path, 'wx', 0o644);
  const put = (data: Uint8Array) => {
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
  };
  try {
    if (typeof content === 'string') put(Buffer.from(content));
    else if (content instanceof Uint8Array) put(content);
    else {
      let batch = '';
      for (const chunk of content) {
        if (typeof chunk !== 'string') {
          // bytes already laid out: written as they are, after what is gathered, before the next chunk is asked for
          if (batch) put(Buffer.from(batch));
          batch = '';
          put(chunk);
          continue;
        }
        batch += chunk;
        if (batch.length >= 1 << 16) {
          put(Buffer.from(batch));
          batch = '';
        }
      }
      if (batch) put(Buffer.from(batch));
    }
  } finally {
    closeSync(fd);
  }
}

/** A UsageError for `dir`, naming the option, what is wrong and the fix. */
function outputProblem(dir: string, flag: string, what: string): UsageError {
  return new UsageError(`${flag} ${dir}: ${what}. Fix: pass a folder you can write to with ${flag}.`);
}

/**
 * The folders to create for `dir`, outermost first, after checking that the deepest existing part of the path is a
 * folder. Walks the path with stat (bounded by its depth), never a recursive mkdir: Node's recursive mkdir spins
 * forever on some paths (`/proc/x`).
 */
function missingLevels(dir: string, flag: string): string[] {
  const missing: string[] = [];
  let existing = dir;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(existing).isDirectory();
    } catch (err) {
      const code = errCode(err);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw outputProblem(dir, flag, `cannot be used (${code})`);
      const parent = dirname(existing);
      if (parent === existing || missing.length >= MAX_NEW_LEVELS)
        throw outputProblem(dir, flag, 'cannot be created (no existing folder above it)');
      missing.unshift(existing);
      existing = parent;
      continue;
    }
    if (!isDir) throw outputProblem(dir, flag, existing === dir ? 'is not a folder' : `cannot be created: ${existing} is not a folder`);
    return missing;
  }
}

function createLevels(levels: readonly string[], dir: string, flag: string): void {
  for (const level of levels) {
    try {
      mkdirSync(level);
    } catch (err) {
      if (errCode(err) !== 'EEXIST') throw outputProblem(dir, flag, `cannot be created (${errCode(err)} at ${level})`);
    }
  }
}

/** Creates the output folder (and the folders above it) when missing, level by level. */
export function ensureOutputDir(dir: string, flag = '--out'): void {
  createLevels(missingLevels(dir, flag), dir, flag);
}

/**
 * Checks, before anything runs, that the output folder is one: an existing directory or one that can be created,
 * and writable (a probe file is created exclusively and removed). Folders it had to create for the probe are
 * removed again, so a run that stops later with exit 2 leaves nothing behind. `flag` names the option in messages.
 * Throws UsageError (exit 2) naming the path, what is wrong and the fix.
 */
export function prepareOutputDir(dir: string, flag: string): void {
  const levels = missingLevels(dir, flag);
  const created: string[] = [];
  try {
    for (const level of levels) {
      createLevels([level], dir, flag);
      created.push(level);
    }
    const probe = join(dir, `.snapaudit-probe-${randomBytes(8).toString('hex')}`);
    try {
      writeExclusive(probe, 'probe');
    } catch (err) {
      throw outputProblem(dir, flag, `is not writable (${errCode(err)})`);
    } finally {
      rmSync(probe, { force: true });
    }
  } finally {
    for (const level of created.reverse()) {
      try {
        rmdirSync(level);
      } catch {
        // something else wrote there meanwhile: leave it
      }
    }
  }
}

/** Writes every streamed file (synchronously, chunk by chunk) through an exclusive temporary name and a rename. */
export function writeStreamedOutputs(dir: string, files: readonly StreamedFile[]): string[] {
  return writeOutputs(
    dir,
    files.map((f) => ({ name: f.name, content: f.chunks() })),
  );
}

/** Writes every file through an exclusive random temporary name and a rename. Returns the paths written. */
export function writeOutputs(
  dir: string,
  files: ReadonlyArray<{ name: string; content: string | Uint8Array | Iterable<string | Uint8Array> }>,
): string[] {
  ensureOutputDir(dir);
  const written: string[] = [];
  for (const f of files) {
    const target = resolve(join(dir, f.name));
    mkdirSync(dirname(target), { recursive: true });
    const tmp = tempPath(target);
    try {
      writeExclusive(tmp, f.content);
      renameSync(tmp, target);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    written.push(target);
  }
  return written;
}

/** Outputs written to their temporary names, waiting to be put in place (or dropped). */
export interface StagedOutputs {
  /** Renames every file into place; returns the paths. */
  place(): string[];
  /** Removes the temporary files. */
  discard(): void;
}

/**
 * Streams each of `formats` that streams (reports/load.ts) from `source` into `dir`, under exclusive
 * temporary names like every other output; `place()` renames them into place. A scan writes them before the state
 * store's final transaction and places them inside it, so a scan is recorded only with them.
 */
export async function stageStreamedOutputs(
  dir: string,
  source: ResultSource,
  formats: readonly string[],
  ctx: RenderContext,
): Promise<StagedOutputs> {
  ensureOutputDir(dir);
  // The renderers load when the first outputs are written, not with the command: only those of `formats`.
  const streamers = await loadStreamers(formats);
  const staged: Array<{ tmp: string; target: string }> = [];
  const discard = () => {
    for (const f of staged) rmSync(f.tmp, { force: true });
  };
  try {
    for (const file of formats.flatMap((format) => streamers[format]?.(source, ctx) ?? [])) {
      const target = resolve(join(dir, file.name));
      mkdirSync(dirname(target), { recursive: true });
      const tmp = tempPath(target);
      staged.push({ tmp, target });
      await writeStreamed(tmp, file, 'wx');
    }
  } catch (err) {
    discard();
    throw err;
  }
  return {
    place() {
      try {
        for (const f of staged) renameSync(f.tmp, f.target);
      } catch (err) {
        discard();
        throw err;
      }
      return staged.map((f) => f.target);
    },
    discard,
  };
}
