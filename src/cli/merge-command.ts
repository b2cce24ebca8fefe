/** `snapaudit merge`: joins the result.json of every shard into one result (and renders the asked formats). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { availableFormats, renderers } from '../../reports/index.ts';
import { catalogue } from '../../checks/index.ts';
import { mergeResults } from '../engine/merge.ts';
import { ScanResult } from '../core/model/result.ts';
import { wellFormedDeep } from '../core/unicode.ts';
import { parseMemoryBudget } from './heap-policy.ts';
import { type CliIo, ExitCode, UsageError } from './io.ts';
import { prepareOutputDir, writeOutputs } from './output.ts';
import { parseList } from './scan-command.ts';

export function readResultFile(path: string): ScanResult {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(
      `${path}: not a readable JSON scan result (${(err as Error).message.split('\n')[0]}). Fix: pass a result.json written by snapaudit scan.`,
    );
  }
  const parsed = ScanResult.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `${path}: not a snapaudit scan result: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}. Fix: pass a result.json written by this version of snapaudit scan.`,
    );
  }
  return wellFormedDeep(parsed.data);
}

export function mergeCommand(files: string[], flags: { out: string; format?: string; memoryBudget?: string }, io: CliIo): number {
  if (flags.memoryBudget !== undefined) parseMemoryBudget(flags.memoryBudget);
  const formats = parseList(flags.format, availableFormats(), '--format') ?? ['json'];
  const inputs = files.map((f) => readResultFile(resolve(io.cwd, f)));
  let merged: ScanResult;
  try {
    merged = mergeResults(inputs);
  } catch (err) {
    throw new UsageError(`merge: ${(err as Error).message}`);
  }
  const count = inputs[0]?.scan.shard?.count ?? 0;
  if (inputs.length < count) io.stderr(`warning: ${inputs.length} of ${count} shards given; the merged result is marked incomplete\n`);
  if (flags.out.trim() === '') throw new UsageError('--out: the output folder is empty. Fix: name a folder.');
  const out = resolve(io.cwd, flags.out);
  prepareOutputDir(out, '--out');
  const written = writeOutputs(
    out,
    (formats.includes('json') ? formats : ['json', ...formats]).flatMap(
      (f) => renderers[f]?.(merged, { trend: null, frameworks: [], checks: catalogue }) ?? [],
    ),
  );
  io.stdout(`merged ${inputs.length} shard(s): ${merged.scopes.length} scopes; wrote ${written.length} file(s) to ${out}\n`);
  return merged.scan.complete ? ExitCode.ok : ExitCode.incomplete;
}
