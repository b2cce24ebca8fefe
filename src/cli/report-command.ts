/**
 * `snapaudit report`: re-render an earlier scan's result.json (or result.ndjson) offline, in any formats, with
 * framework views. The input is read scope by scope and checked against the scan-result schema first; a bad file is
 * exit 2 with one clear message and nothing is written.
 */
import { resolve } from 'node:path';
import { availableFormats, renderers, streamingFormats } from '../../reports/index.ts';
import { reportDefaultFormats } from '../../reports/formats.ts';
import { catalogue } from '../../checks/index.ts';
import type { RenderContext } from '../../reports/types.ts';
import { frameworkIds } from '../core/frameworks/index.ts';
import { resultFromDisk } from '../core/model/order.ts';
import { SharedReferenceError } from '../core/model/compact.ts';
import { readableSchemaVersions, SCHEMA_VERSION, ScanResult, ScopeResult } from '../core/model/result.ts';
import { readResultInto } from '../engine/result-reader.ts';
import { SpoolSink } from '../engine/spool.ts';
import { wellFormedDeep } from '../core/unicode.ts';
import { parseMemoryBudget, releaseBeforeWriting } from './heap-policy.ts';
import { commandLogger } from './command-log.ts';
import { type CliIo, ExitCode, UsageError } from './io.ts';
import { prepareOutputDir, stageStreamedOutputs, writeOutputs } from './output.ts';
import { parseList } from './scan-command.ts';

export interface ReportFlags {
  from: string;
  format?: string;
  out?: string;
  framework?: string;
  quiet?: boolean;
  /** Consumed by the launcher (src/cli/heap-policy.ts); checked here. */
  memoryBudget?: string;
}

/** Formats `report` writes when --format is not given: every human and machine format but the JSON it reads. */
export function defaultReportFormats(): string[] {
  return [...reportDefaultFormats];
}

export function parseFrameworks(value: string | undefined): string[] {
  return parseList(value, frameworkIds(), '--framework') ?? [];
}

/** The first zod issues of a part, named by their path (`prefix` places a scope's issues in the whole result). */
function issuesOf(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }, prefix: PropertyKey[] = []): string[] {
  return error.issues.map((i) => `${[...prefix, ...i.path].map(String).join('.') || '(root)'}: ${i.message}`);
}

/**
 * Reads and checks an earlier scan's result.json (or result.ndjson) without holding its text whole: scope by scope
 * (src/engine/result-reader.ts), each checked against the schema as it is read. Throws UsageError naming the file,
 * what is wrong and the fix.
 */
export async function loadScanResult(path: string): Promise<ScanResult> {
  const scopes: ScopeResult[] = [];
  const header = await loadScanResultInto(path, { add: (s) => scopes.push(s) });
  return resultFromDisk({ ...header, scopes });
}

/**
 * Like loadScanResult, handing each scope to `sink` as it is read and checked (the spool, for formats that stream):
 * returns the header (`scopes: []`, the findings of no scope).
 */
export async function loadScanResultInto(path: string, sink: { add(scope: ScopeResult): void }): Promise<ScanResult> {
  const scopeIssues: string[] = [];
  let scopeIssueCount = 0;
  let result: ScanResult;
  try {
    result = await readResultInto(
      path,
      {
        scope(value, index) {
          const parsed = ScopeResult.safeParse(value);
          if (parsed.success) return wellFormedDeep(parsed.data);
          scopeIssueCount += parsed.error.issues.length;
          if (scopeIssues.length < 5) scopeIssues.push(...issuesOf(parsed.error, ['scopes', index]));
          return value as ScopeResult;
        },
        header(data) {
          const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
          if (version !== SCHEMA_VERSION) {
            throw new UsageError(
              `--from ${path}: schemaVersion ${JSON.stringify(version ?? null)} is not one this version reads (${readableSchemaVersions.join(', ')}). Fix: give a result.json written by snapaudit with schema ${SCHEMA_VERSION} (schema/scan-result.schema.json).`,
            );
          }
          const parsed = ScanResult.safeParse(data);
          const issues = [...(parsed.success ? [] : issuesOf(parsed.error)), ...scopeIssues];
          const total = (parsed.success ? 0 : parsed.error.issues.length) + scopeIssueCount;
          if (issues.length > 0) {
            const more = total > 5 ? ` (and ${total - 5} more)` : '';
            throw new UsageError(
              `--from ${path}: does not match schema/scan-result.schema.json: ${issues.slice(0, 5).join('; ')}${more}. Fix: give an unmodified result.json.`,
            );
          }
          // A hand-made or older file can hold lone surrogates (\ud800 escapes): made well-formed as every scan's strings are.
          return wellFormedDeep((parsed as { data: ScanResult }).data);
        },
      },
      sink,
    );
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof SharedReferenceError) {
      throw new UsageError(
        `--from ${path}: does not match schema/scan-result.schema.json: ${err.message}. Fix: give an unmodified result.json.`,
      );
    }
    if (err instanceof SyntaxError) {
      throw new UsageError(`--from ${path}: not valid JSON (${err.message}). Fix: give the result.json a scan wrote.`);
    }
    throw new UsageError(
      `--from ${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Fix: give the result.json a scan wrote.`,
    );
  }
  return result;
}

export async function reportCommand(flags: ReportFlags, io: CliIo): Promise<number> {
  if (flags.memoryBudget !== undefined) parseMemoryBudget(flags.memoryBudget);
  const formats = parseList(flags.format, availableFormats(), '--format') ?? defaultReportFormats();
  const frameworks = parseFrameworks(flags.framework);
  const ctx: RenderContext = { trend: null, frameworks, checks: catalogue };
  const from = resolve(io.cwd, flags.from);
  const outDir = () => {
    if (flags.out !== undefined && flags.out.trim() === '') throw new UsageError('--out: the output folder is empty. Fix: name a folder.');
    const dir = resolve(io.cwd, flags.out ?? 'snapaudit-out');
    prepareOutputDir(dir, '--out');
    return dir;
  };
  // What reading the input left (its text, each scope's parse and check) is garbage once it is read: under the CLI's
  // own heap policy the outputs are written with V8's pooled pages given back (src/engine/heap-release.ts).
  const released = () => {
    const r = releaseBeforeWriting();
    if (r)
      commandLogger(io, { quiet: flags.quiet }).info('report.heap_released', {
        ms: Math.round(r.ms),
        liveMiB: Math.round(r.liveBytes / 1048576),
      });
  };
  let out: string;
  let written: string[];
  if (formats.every((f) => streamingFormats.includes(f))) {
    // Every asked format streams: the input goes scope by scope to the on-disk spool and the outputs stream from it.
    const spool = new SpoolSink();
    try {
      const header = await loadScanResultInto(from, spool);
      released();
      out = outDir();
      written = (await stageStreamedOutputs(out, spool.source(header), formats, ctx)).place();
    } finally {
      spool.close();
    }
  } else {
    const result = await loadScanResult(from);
    released();
    out = outDir();
    written = writeOutputs(
      out,
      formats.flatMap((f) => renderers[f]?.(result, ctx) ?? []),
    );
  }
  if (!flags.quiet) io.stdout(`wrote ${written.length} file(s) to ${out}: ${written.map((w) => w.slice(out.length + 1)).join(', ')}\n`);
  return ExitCode.ok;
}
