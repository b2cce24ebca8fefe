/** `snapaudit merge`: joins the result.json of every shard into one result (and renders the asked formats). */
import { resolve } from 'node:path';
import { availableFormats, renderers } from '../../reports/index.ts';
import { catalogue } from '../../checks/index.ts';
import { mergeResults } from '../engine/merge.ts';
import { ScanResult, ScopeResult } from '../core/model/result.ts';
import { readResult } from '../engine/result-reader.ts';
import { wellFormedDeep } from '../core/unicode.ts';
import { parseMemoryBudget } from './heap-policy.ts';
import { type CliIo, ExitCode, UsageError } from './io.ts';
import { prepareOutputDir, writeOutputs } from './output.ts';
import { parseList } from './scan-command.ts';

/** Reads one shard's result.json (or result.ndjson) scope by scope (src/engine/result-reader.ts), checking each part. */
export async function readResultFile(path: string): Promise<ScanResult> {
  const invalid = (where: PropertyKey[], issue: { path: PropertyKey[]; message: string } | undefined) =>
    new UsageError(
      `${path}: not a snapaudit scan result: ${[...where, ...(issue?.path ?? [])].map(String).join('.') || '(top level)'}: ${issue?.message}. Fix: pass a result.json written by this version of snapaudit scan.`,
    );
  try {
    return await readResult(path, {
      scope(value, index) {
        const parsed = ScopeResult.safeParse(value);
        if (!parsed.success) throw invalid(['scopes', index], parsed.error.issues[0]);
        return wellFormedDeep(parsed.data);
      },
      header(value) {
        const parsed = ScanResult.safeParse(value);
        if (!parsed.success) throw invalid([], parsed.error.issues[0]);
        return wellFormedDeep(parsed.data);
      },
    });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      `${path}: not a readable JSON scan result (${(err as Error).message.split('\n')[0]}). Fix: pass a result.json written by snapaudit scan.`,
    );
  }
}

export async function mergeCommand(
  files: string[],
  flags: { out: string; format?: string; memoryBudget?: string },
  io: CliIo,
): Promise<number> {
  if (flags.memoryBudget !== undefined) parseMemoryBudget(flags.memoryBudget);
  const formats = parseList(flags.format, availableFormats(), '--format') ?? ['json'];
  const inputs: ScanResult[] = [];
  for (const f of files) inputs.push(await readResultFile(resolve(io.cwd, f)));
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
