/**
 * The CLI's own heap policy. Left to itself V8 sizes its heap from the machine's memory and collects late, so a scan
 * of a large organisation grows into whatever is free and a 1–2 GB container is killed. The commands that handle a
 * whole scan (scan, schedule, report, merge, tickets, diff) therefore run in a child of the CLI started with heap
 * flags derived from a memory budget (`--memory-budget MiB`, else `scan.memoryBudgetMiB` from the config, else
 * 512 MiB when every output streams and 3/4 of the available memory when one needs the whole result): about half of
 * it for V8's old space, a small young generation (cheap collections, a tight heap), the
 * rest for code, buffers and SQLite; and `--expose-gc`, through which the child gives V8's pooled free pages back once
 * its scan is done (src/engine/heap-release.ts). An operator who sets their own heap flags (NODE_OPTIONS or node's own
 * arguments) keeps them: nothing is relaunched. A child that runs out of heap ends with one message naming the
 * budget and the fix, exit 3.
 */
import { spawn } from 'node:child_process';
import { constants, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { defaultMemoryBudgetMiB, memoryBudgetLimits, wholeResultBudgetMiB } from '../core/memory-budget.ts';
import { type HeapRelease, releaseHeap } from '../engine/heap-release.ts';
import { streamingFormats } from '../../reports/formats.ts';
import { ExitCode, UsageError } from './io.ts';

// This module is what bin/snapaudit.js loads before anything else: the launcher stays small — it never loads the
// application, and reads a --config's two settings it needs with the YAML parser alone (launchSettings).

/** The commands that hold a scan result, the state store or the ticket plan, and so run under the budget. */
const budgetedCommands = new Set(['scan', 'schedule', 'report', 'merge', 'tickets', 'diff']);

/** Set in the relaunched child: the budget it runs under (so it never relaunches itself again). */
export const HEAP_POLICY_ENV = 'SNAPAUDIT_MEMORY_BUDGET_APPLIED';

const HEAP_FLAG = /--max[-_](old|semi)[-_]space[-_]size/;

/**
 * The V8 flags for a budget: half of it old space (at least 64 MiB), and a semi-space of 4 MiB below 1 GiB, 8 MiB from
 * 1 GiB, 16 from 2 GiB up. The young generation is two semi-spaces and costs its size in RSS whatever the scan holds:
 * 4 MiB takes some 10 MB off a small organisation's peak for 3–5 % more CPU (more frequent scavenges).
 */
export function heapFlags(budgetMiB: number): string[] {
  const oldSpace = Math.max(64, Math.floor(budgetMiB / 2));
  const semiSpace = budgetMiB >= 2048 ? 16 : budgetMiB >= 1024 ? 8 : 4;
  return [`--max-old-space-size=${oldSpace}`, `--max-semi-space-size=${semiSpace}`];
}

/**
 * Everything the relaunched child starts with: the budget's heap sizes, and `--expose-gc`, through which it gives V8's
 * pooled free pages back once its scan is done (src/engine/heap-release.ts).
 */
export function launchFlags(budgetMiB: number): string[] {
  return [...heapFlags(budgetMiB), '--expose-gc'];
}

/** Did the operator choose heap sizes themselves (node's arguments or NODE_OPTIONS)? */
export function operatorHeapFlags(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return execArgv.some((a) => HEAP_FLAG.test(a)) || HEAP_FLAG.test(nodeOptions ?? '');
}

/** Parses a `--memory-budget` value; throws UsageError naming the flag and the fix. */
export function parseMemoryBudget(value: string, flag = '--memory-budget'): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < memoryBudgetLimits.min || n > memoryBudgetLimits.max) {
    throw new UsageError(
      `${flag}: "${value}" is not a memory budget. Fix: give MiB as a whole number from ${memoryBudgetLimits.min} to ${memoryBudgetLimits.max}, e.g. ${flag} 1024.`,
    );
  }
  return n;
}

function optionValue(argv: readonly string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') return undefined;
    for (const name of names) {
      if (a === name) return argv[i + 1];
      if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
    }
  }
  return undefined;
}

/** The memory this process may use: the container's limit when one is set, else the machine's memory. */
export function availableMemory(): number {
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  return limit > 0 ? Math.min(limit, totalmem()) : totalmem();
}

/** Do the outputs of this command line all stream (reports/formats.ts), or does it hold the whole result? */
function streamsOnly(command: string, argv: readonly string[], configFormats: readonly string[] | null): boolean {
  const streaming = streamingFormats;
  const flag = optionValue(argv, ['-f', '--format']);
  const formats = flag !== undefined ? flag.split(',').map((f) => f.trim()) : null;
  if (command === 'report' || command === 'merge') return (formats ?? streaming).every((f) => streaming.includes(f));
  if (command === 'scan' || command === 'schedule') return (formats ?? configFormats ?? ['json']).every((f) => streaming.includes(f));
  return true; // tickets, diff: read the store in pages
}

const field = (o: unknown, key: string): unknown => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined);

/**
 * Can this YAML text set `scan.memoryBudgetMiB` or `output.formats`? A key is spelled out in the text — plain, single-
 * or double-quoted, or once under an anchor its aliases repeat — unless a double-quoted key writes some of its letters
 * as escapes (`\x..`, `\u....`). A text with neither name and no backslash sets neither: the launcher need not parse it
 * (the YAML parser is most of what the launcher would load).
 */
export function mayNameLaunchSettings(text: string): boolean {
  return text.includes('memoryBudgetMiB') || text.includes('formats') || text.includes('\\');
}

/**
 * The two settings of a config file the launcher needs — `scan.memoryBudgetMiB` and `output.formats` — read from its
 * YAML without the config's validator (zod, the check registry: most of what the command itself loads). Null when
 * either is not what the schema allows, or the file is not YAML: the command then runs in place and its own
 * validation names the problem.
 */
async function launchSettings(path: string): Promise<{ budgetMiB: number | undefined; formats: string[] | null } | null> {
  const { readConfigText } = await import('../core/config/read.ts');
  const text = readConfigText(path);
  if (!mayNameLaunchSettings(text)) return { budgetMiB: undefined, formats: null };
  const { parse } = await import('yaml');
  const data: unknown = parse(text);
  const budget = field(field(data, 'scan'), 'memoryBudgetMiB');
  const formats = field(field(data, 'output'), 'formats');
  const budgetOk =
    budget === undefined ||
    (typeof budget === 'number' && Number.isInteger(budget) && budget >= memoryBudgetLimits.min && budget <= memoryBudgetLimits.max);
  const formatsOk = formats === undefined || (Array.isArray(formats) && formats.length > 0 && formats.every((f) => typeof f === 'string'));
  if (!budgetOk || !formatsOk) return null;
  return { budgetMiB: budget as number | undefined, formats: (formats as string[] | undefined) ?? null };
}

/**
 * The budget a command line asks for — `--memory-budget`, else `scan.memoryBudgetMiB` from its --config, else the
 * default (512 MiB when every output streams, else 3/4 of the available memory) — or null when the command runs in
 * place (not a budgeted command, or its options are wrong: the command itself then says what is wrong).
 */
export async function budgetFor(argv: readonly string[], cwd: string, available = availableMemory()): Promise<number | null> {
  const command = argv.find((a) => !a.startsWith('-'));
  if (command === undefined || !budgetedCommands.has(command)) return null;
  try {
    const flag = optionValue(argv, ['--memory-budget']);
    if (flag !== undefined) return parseMemoryBudget(flag);
    const configPath = optionValue(argv, ['-c', '--config']);
    let configFormats: string[] | null = null;
    if (configPath !== undefined) {
      const launch = await launchSettings(resolve(cwd, configPath));
      if (launch === null) return null;
      if (launch.budgetMiB !== undefined) return launch.budgetMiB;
      configFormats = launch.formats;
    }
    return streamsOnly(command, argv, configFormats) ? defaultMemoryBudgetMiB : wholeResultBudgetMiB(available);
  } catch {
    return null;
  }
}

export type HeapPolicy = { kind: 'budget'; budgetMiB: number } | { kind: 'operator' } | { kind: 'node-defaults' };

/** The policy this process runs under, for the log line a scan starts with. */
export function currentHeapPolicy(env: Record<string, string | undefined> = process.env, execArgv = process.execArgv): HeapPolicy {
  const applied = Number(env[HEAP_POLICY_ENV]);
  if (Number.isInteger(applied) && applied > 0) return { kind: 'budget', budgetMiB: applied };
  if (operatorHeapFlags(execArgv, env.NODE_OPTIONS)) return { kind: 'operator' };
  return { kind: 'node-defaults' };
}

/**
 * Under the CLI's own budget, one memory-reducing collection before a command writes what it read (`report`: what
 * reading its input left; src/engine/heap-release.ts), when the process is large enough for it to pay
 * (`releaseThresholdBytes`); null when it is smaller, and under an operator's heap flags or Node's defaults.
 */
export function releaseBeforeWriting(
  policy: HeapPolicy = currentHeapPolicy(),
  rssBytes: number = process.memoryUsage.rss(),
  gc?: unknown,
): HeapRelease | null {
  return policy.kind === 'budget' && rssBytes >= releaseThresholdBytes(policy.budgetMiB) ? releaseHeap(gc) : null;
}

/**
 * The RSS from which the release before writing pays: 192 MiB, or 3/8 of a smaller budget's. Writing streams, and V8
 * reuses the pages it pooled while scanning, so without the release writing peaks a few MB above the scan at most (2–8
 * MB at ×1 Azure), while the release costs two full collections: 0.14–0.54 s of the 0.6–1.1 s spent writing ×1 Azure's
 * result.json (115–163 MB). The JSON-only scan of the three clouds (210–240 MB at ×1, more at ×10) still releases, and
 * under a small budget the threshold stays well below it (docs/large-organisations.md).
 */
export function releaseThresholdBytes(budgetMiB: number): number {
  return Math.min(192, (budgetMiB * 3) / 8) * 1048576;
}

/** V8's heap limit of this process, in MiB. */
export function heapLimitMiB(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 1048576);
}

const OUT_OF_HEAP = /JavaScript heap out of memory|Reached heap limit|Allocation failed - process out of memory/;

export function outOfBudgetMessage(budgetMiB: number): string {
  return (
    `error: the command needed more memory than its budget of ${budgetMiB} MiB (V8 heap ${heapFlags(budgetMiB).join(' ')}) and was stopped; nothing was recorded. ` +
    'Fix: raise scan.memoryBudgetMiB in the config or pass --memory-budget (e.g. twice as much), or split the organisation with --provider or --shard i/n.\n'
  );
}

export interface RelaunchDeps {
  execPath: string;
  execArgv: readonly string[];
  script: string;
  env: Record<string, string | undefined>;
  cwd: string;
  stderr: (chunk: Buffer | string) => void;
  /** Where SIGINT/SIGTERM/SIGHUP arrive; each is passed on to the child. */
  onSignal: (handler: (signal: NodeJS.Signals) => void) => () => void;
}

/**
 * glibc's allocator settings for the scanning process (other C libraries ignore them; an operator's own value of any of
 * them stands, and then the allocator's own default for the others):
 * - two arenas: glibc gives each thread that allocates its own arena, up to 8 per core, and keeps what it freed in
 *   each; Node's worker threads (libuv's pool, V8's compiler and GC helpers) leave some 15–20 MB of RSS behind that
 *   way in a scan;
 * - blocks of 128 KiB and more mapped on their own and the top of the heap given back from 128 KiB free: glibc's
 *   defaults, which it otherwise raises (up to 32 MiB and 64 MiB) each time such a block is freed, after which large
 *   response bodies and buffers are carved from the heap and their memory kept once freed — 5–22 MB of RSS in a
 *   scan of three clouds at ×0.05 (docs/large-organisations.md), for a mapping per large block.
 */
const MALLOC_DEFAULTS: Record<string, string> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};

export function mallocEnv(env: Record<string, string | undefined>): Record<string, string> {
  // glibc fixes both thresholds once either is set: an operator who set one keeps the allocator's default for the other
  const own = Object.keys(MALLOC_DEFAULTS).filter((k) => env[k] !== undefined && env[k] !== '');
  const thresholdsOwn = own.some((k) => k !== 'MALLOC_ARENA_MAX');
  return Object.fromEntries(
    Object.entries(MALLOC_DEFAULTS).filter(([k]) => !own.includes(k) && (k === 'MALLOC_ARENA_MAX' || !thresholdsOwn)),
  );
}

/** Runs `argv` in a child under the budget's heap flags; resolves with the child's exit code. */
export function relaunch(argv: readonly string[], budgetMiB: number, deps: RelaunchDeps): Promise<number> {
  const child = spawn(deps.execPath, [...launchFlags(budgetMiB), ...deps.execArgv, deps.script, ...argv], {
    cwd: deps.cwd,
    env: { ...deps.env, ...mallocEnv(deps.env), [HEAP_POLICY_ENV]: String(budgetMiB) },
    stdio: ['inherit', 'inherit', 'pipe'],
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    deps.stderr(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-4096);
  });
  const off = deps.onSignal((sig) => child.kill(sig));
  return new Promise((done) => {
    child.once('error', (err) => {
      off();
      deps.stderr(
        `error: could not start the scanner process (${err.message}). Fix: set NODE_OPTIONS=--max-old-space-size=N to run in place.\n`,
      );
      done(ExitCode.internal);
    });
    child.once('close', (code, signal) => {
      off();
      if (OUT_OF_HEAP.test(tail)) {
        deps.stderr(outOfBudgetMessage(budgetMiB));
        done(ExitCode.incomplete);
      } else if (code !== null) done(code);
      else done(128 + (signal ? constants.signals[signal] : 15));
    });
  });
}

/**
 * Runs the CLI under its heap policy: in place when the command needs no budget, when the operator set heap flags,
 * or when this already is the relaunched child; otherwise relaunched with the budget's flags.
 */
export async function withHeapPolicy(argv: readonly string[], run: () => Promise<number>): Promise<number> {
  if (process.env[HEAP_POLICY_ENV] || operatorHeapFlags(process.execArgv, process.env.NODE_OPTIONS)) return run();
  const budget = await budgetFor(argv, process.cwd());
  const script = process.argv[1];
  if (budget === null || script === undefined) return run();
  const code = await relaunch(argv, budget, {
    execPath: process.execPath,
    execArgv: process.execArgv,
    script,
    env: process.env,
    cwd: process.cwd(),
    stderr: (chunk) => process.stderr.write(chunk),
    onSignal(handler) {
      const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
      for (const s of signals) process.on(s, handler);
      return () => {
        for (const s of signals) process.off(s, handler);
      };
    },
  });
  // The launcher's work ends with its child: a timer something preloaded into both (--import, --require) must not
  // keep it alive. Its only output is the child's stderr passed on (stdout is the child's own): flushed first.
  await new Promise<void>((flushed) => process.stderr.write('', () => flushed()));
  process.exit(code);
}
