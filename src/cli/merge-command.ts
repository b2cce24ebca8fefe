/**
 * `snapaudit merge`: joins the result.json (or result.ndjson) of every shard into one result and renders the asked
 * formats. Each shard is read scope by scope into the on-disk spool and every output streams from there, so a merge
 * holds the shards' headers and a tally of their scopes, never the whole result.
 */
import { resolve } from 'node:path';
import { availableFormats, renderers, streamingFormats } from '../../reports/index.ts';
import { catalogue } from '../../checks/index.ts';
import type { RenderContext } from '../../reports/types.ts';
import { SharedReferenceError } from '../core/model/compact.ts';
import { mergeHeaders, ScopeTally } from '../engine/merge.ts';
import { ScanResult, ScopeResult } from '../core/model/result.ts';
import { readResultInto, type ResultChecks } from '../engine/result-reader.ts';
import { SpoolSink } from '../engine/spool.ts';
import { wellFormedDeep } from '../core/unicode.ts';
import { parseMemoryBudget } from './heap-policy.ts';
import { type CliIo, ExitCode, UsageError } from './io.ts';
import { prepareOutputDir, stageStreamedOutputs, writeOutputs } from './output.ts';
import { parseList } from './scan-command.ts';

/** How a shard's parts are checked: each against the schema, a bad one a UsageError naming the file and the place. */
function shardChecks(path: string): ResultChecks {
  const invalid = (where: PropertyKey[], issue: { path: PropertyKey[]; message: string } | undefined) =>
    new UsageError(
      `${path}: not a snapaudit scan result: ${[...where, ...(issue?.path ?? [])].map(String).join('.') || '(top level)'}: ${issue?.message}. Fix: pass a result.json written by this version of snapaudit scan.`,
    );
  return {
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
  };
}

/** Runs `read`, turning what is not a UsageError into one naming the file. */
async function readingShard<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof SharedReferenceError)
      throw new UsageError(`${path}: not a snapaudit scan result: ${err.message}. Fix: pass an unmodified result.json.`);
    throw new UsageError(
      `${path}: not a readable JSON scan result (${(err as Error).message.split('\n')[0]}). Fix: pass a result.json written by snapaudit scan.`,
    );
  }
}

/** Reads one shard's result.json (or result.ndjson) into `sink` scope by scope, checking each part; returns its header (`scopes: []`). */
function readShardInto(path: string, sink: { add(scope: ScopeResult): void }): Promise<ScanResult> {
  return readingShard(path, () => readResultInto(path, shardChecks(path), sink));
}

export async function mergeCommand(
  files: string[],
  flags: { out: string; format?: string; memoryBudget?: string },
  io: CliIo,
): Promise<number> {
  if (flags.memoryBudget !== undefined) parseMemoryBudget(flags.memoryBudget);
  const asked = parseList(flags.format, availableFormats(), '--format') ?? ['json'];
  const formats = asked.includes('json') ? asked : ['json', ...asked];
  const ctx: RenderContext = { trend: null, frameworks: [], checks: catalogue };
  const spool = new SpoolSink();
  try {
    const tally = new ScopeTally();
    const headers: ScanResult[] = [];
    for (const f of files)
      headers.push(
        await readShardInto(resolve(io.cwd, f), {
          add(scope) {
            tally.add(scope);
            spool.add(scope);
          },
        }),
      );
    let merged: ScanResult;
    try {
      merged = mergeHeaders(headers, tally);
    } catch (err) {
      throw new UsageError(`merge: ${(err as Error).message}`);
    }
    const count = headers[0]?.scan.shard?.count ?? 0;
    if (headers.length < count) io.stderr(`warning: ${headers.length} of ${count} shards given; the merged result is marked incomplete\n`);
    if (flags.out.trim() === '') throw new UsageError('--out: the output folder is empty. Fix: name a folder.');
    const out = resolve(io.cwd, flags.out);
    prepareOutputDir(out, '--out');
    let written: string[];
    if (formats.every((f) => streamingFormats.includes(f))) {
      written = (await stageStreamedOutputs(out, spool.source(merged), formats, ctx)).place();
    } else {
      const whole = { ...merged, scopes: [...spool.scopes()] };
      written = writeOutputs(
        out,
        formats.flatMap((f) => renderers[f]?.(whole, ctx) ?? []),
      );
    }
    io.stdout(`merged ${headers.length} shard(s): ${tally.count} scopes; wrote ${written.length} file(s) to ${out}\n`);
    return merged.scan.complete ? ExitCode.ok : ExitCode.incomplete;
  } finally {
    spool.close();
  }
}
