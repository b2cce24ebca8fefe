/**
 * Writing outputs. Each file is written to a temporary name and renamed into place, so a crash or an interruption
 * never leaves a half-written report where a reader (or the next pipeline step) would take it for a whole one.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type SpoolSink, writeSpooledResult } from '../engine/spool.ts';
import type { ScanResult } from '../core/model/result.ts';
import type { OutputFile } from '../core/output-file.ts';

export function writeOutputs(dir: string, files: readonly OutputFile[]): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const f of files) {
    const target = resolve(join(dir, f.name));
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, f.content);
    renameSync(tmp, target);
    written.push(target);
  }
  return written;
}

/** Streams a spooled result to `dir/result.json` (through a temporary name, like every other output). */
export async function writeSpooledOutput(dir: string, header: ScanResult, spool: SpoolSink): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const target = resolve(join(dir, 'result.json'));
  const tmp = `${target}.${process.pid}.tmp`;
  await writeSpooledResult(tmp, header, spool);
  renameSync(tmp, target);
  return target;
}
