// npm run bench:pipeline [-- --scale 1 --latency 5 --seed 42 --providers aws,azure,gcp --steps scan-stream,tickets-dry-run,scan-full,scan-json,report-from --heap default|node|MiB --node-args '<node flags>' --cold --compiled --keep --json]
//
// The scheduled pipeline as users run it, at organisation scale: the lab serves the generated estate (bench/estate.ts,
// × scale) from a process of its own, and each step runs in a fresh process with the settings a user gets by
// default (`--heap default`: the CLI's own heap policy; `--heap node`: Node's defaults, no heap flags — the
// "before" of issue #23; the launcher's two malloc arenas too; and V8's compile cache as bin/snapaudit.js keeps it, warmed
// first by a demo scan — `--cold` measures without it, as the first run after an install; `--compiled` runs the compiled
// package, dist/ after `npm run build`, as `npm install` delivers it, rather than the TypeScript sources):
//   scan-stream      snapaudit scan with the state store and the formats that stream (json, ndjson)
//   tickets-dry-run  snapaudit tickets sync --dry-run, planned from the state store scan-stream recorded
//   scan-full        snapaudit scan with a state store of its own and every format (json, html, csv, md, sarif, ocsf, junit)
//   scan-json        snapaudit scan --format json --no-state
//   report-from      snapaudit report --from the JSON-only result, every other format
// Prints per step wall time, CPU, peak RSS and the peaks of V8's heap (used, reserved) and of memory outside it (for a
// scan, also its peaks while scanning and while writing its outputs), then every output's size with bytes per snapshot
// and per finding.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { streamingFormats } from '../reports/formats.ts';
import { availableMemory, HEAP_POLICY_ENV, launchFlags, mallocEnv, parseMemoryBudget } from '../src/cli/heap-policy.ts';
import type { ConfigInput } from '../src/core/config/schema.ts';
import { defaultMemoryBudgetMiB, wholeResultBudgetMiB } from '../src/core/memory-budget.ts';
import type { Provider } from '../src/core/model/result.ts';
import { benchProviderConfig, estateOptions, startLabChild } from './estate.ts';
import type { PipelineChildInput, PipelineChildReport, PipelineStep } from './pipeline-child.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    latency: { type: 'string', default: '5' },
    seed: { type: 'string', default: '42' },
    providers: { type: 'string', default: 'aws,azure,gcp' },
    steps: { type: 'string', default: 'scan-stream,tickets-dry-run,scan-full,scan-json,report-from' },
    heap: { type: 'string', default: 'default' },
    'node-args': { type: 'string', default: '' },
    keep: { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
    compiled: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
// extra node flags for every step, for looking inside one (e.g. `--node-args=--heapsnapshot-signal=SIGUSR2`)
const nodeArgs = values['node-args'].split(' ').filter((a) => a !== '');
const providers = values.providers.split(',') as Provider[];
const steps = values.steps.split(',') as PipelineStep[];
const formats = 'json,html,csv,md,sarif,ocsf,junit';
const reportFormats = 'html,csv,md,sarif,ocsf,junit';
// default: the flags the CLI's launcher would start each command with (512 MiB when its outputs stream, else 3/4 of
// the available memory); node: none at all; a number: the flags for that budget in MiB, for every step.
const streams = (step: PipelineStep) =>
  (step === 'report-from' ? reportFormats : formats).split(',').every((f) => streamingFormats.includes(f));
function budgetFor(step: PipelineStep): number | null {
  if (values.heap === 'node') return null;
  if (values.heap !== 'default') return parseMemoryBudget(values.heap, '--heap');
  return streams(step) ? defaultMemoryBudgetMiB : wholeResultBudgetMiB(availableMemory());
}
function execArgvFor(step: PipelineStep): string[] {
  const budget = budgetFor(step);
  return budget === null ? [] : launchFlags(budget);
}

const lab = await startLabChild(estateOptions(scale, Number(values.seed), providers), Number(values.latency));
const dir = mkdtempSync(join(tmpdir(), 'snapaudit-pipeline-'));
const config = {
  version: 1,
  providers: Object.fromEntries(providers.map((p) => [p, benchProviderConfig(true)[p]])),
  scan: { concurrency: { scopes: 8, callsPerScope: 16, callsPerProvider: 16 } },
  tickets: { enabled: false, sink: 'jira', jira: { url: 'https://jira.example.invalid', project: 'SEC' }, minSeverity: 'high' },
} as unknown as ConfigInput;

// the step's process runs a plain-JavaScript copy of pipeline-child.ts, so that it loads a type stripper only when the
// CLI it runs is the TypeScript sources (as a checkout runs it); --compiled runs dist/, as `npm install` delivers it
const cliDir = new URL(values.compiled ? '../dist/src/cli/' : '../src/cli/', import.meta.url);
if (values.compiled && !existsSync(new URL('scan-command.js', cliDir))) throw new Error('--compiled: run `npm run build` first');
const childScript = join(dir, 'pipeline-child.mjs');
writeFileSync(childScript, stripTypeScriptTypes(readFileSync(new URL('./pipeline-child.ts', import.meta.url), 'utf8')));

function runStep(step: PipelineStep): Promise<PipelineChildReport> {
  const input: PipelineChildInput = {
    cli: { dir: cliDir.href, ext: values.compiled ? '.js' : '.ts' },
    step,
    dir,
    lab: lab.address,
    config,
    formats: step === 'report-from' ? reportFormats : formats,
    now: '2026-11-26T00:00:00Z',
  };
  const started = performance.now();
  return new Promise((resolve) => {
    const child = fork(childScript, [JSON.stringify(input)], {
      execArgv: [...execArgvFor(step), ...nodeArgs],
      // the launcher's allocator setting too (two malloc arenas), except with Node's defaults
      // and the budget it runs under, as the launcher tells its child (the soft heap ceiling follows it)
      env: {
        ...process.env,
        ...(values.heap === 'node' ? {} : { ...mallocEnv(process.env), [HEAP_POLICY_ENV]: String(budgetFor(step)) }),
        ...(values.cold ? { NODE_DISABLE_COMPILE_CACHE: '1' } : { NODE_COMPILE_CACHE: join(dir, 'compile-cache') }),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: PipelineChildReport | null = null;
    child.once('message', (m) => {
      report = m as PipelineChildReport;
    });
    // a step that dies (out of heap) is a figure too: the rest of the pipeline still runs
    child.once('exit', (code, signal) =>
      resolve(
        report ?? {
          step,
          code: code ?? -1,
          wallMs: performance.now() - started,
          cpuMs: 0,
          peakRss: 0,
          stdoutBytes: 0,
          // V8 aborts when the heap runs out; another signal is someone stopping the step
          stderr: signal === 'SIGABRT' ? 'died (SIGABRT): out of heap' : `died (${signal ?? code})`,
        },
      ),
    );
  });
}

function filesIn(sub: string): Array<{ name: string; bytes: number }> {
  const folder = join(dir, sub);
  let names: string[];
  try {
    names = readdirSync(folder, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return names
    .map((n) => ({ name: `${sub}/${n}`, stat: statSync(join(folder, n)) }))
    .filter((f) => f.stat.isFile())
    .map((f) => ({ name: f.name, bytes: f.stat.size }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Inventory and finding counts of the recorded scan (the state store holds one row per snapshot and finding): the
 * store scan-stream recorded, else scan-full's.
 */
function counts(): { snapshots: number; findings: number } | null {
  for (const name of ['state.sqlite-stream', 'state.sqlite']) {
    const n = countsIn(join(dir, name));
    if (n) return n;
  }
  return null;
}

function countsIn(path: string): { snapshots: number; findings: number } | null {
  try {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const one = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
      return {
        snapshots: one('SELECT count(*) AS n FROM scan_snapshots WHERE scan_seq = (SELECT max(seq) FROM scans)'),
        findings: one('SELECT count(*) AS n FROM scan_findings WHERE scan_seq = (SELECT max(seq) FROM scans)'),
      };
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

const started = performance.now();
const reports: PipelineChildReport[] = [];
try {
  if (!values.cold) {
    // As bin/snapaudit.js runs the CLI: with V8's compile cache, which every run but the first after an install finds
    // warm (no compiling, no type stripping: some 17 MB of RSS less from the sources). Warmed by a demo scan.
    const w = await runStep('warm-up');
    process.stderr.write(`warm-up (demo scan, compile cache): exit ${w.code}, ${(w.wallMs / 1000).toFixed(1)} s\n`);
  }
  for (const step of steps) {
    const r = await runStep(step);
    reports.push(r);
    // as each step ends, so a long run that is stopped still leaves its figures
    const mb = (n: number | undefined) => Math.round((n ?? 0) / 1048576);
    const at = r.atPeak;
    const split = (a: NonNullable<typeof at>) =>
      `${mb(a.rss)} MB: heap used ${mb(a.heapUsed)}, reserved ${mb(a.heapTotal)}, outside the heap ${mb(a.rss - a.heapTotal)}`;
    const ph = r.phases;
    process.stderr.write(
      `${step}: exit ${r.code}, ${(r.wallMs / 1000).toFixed(1)} s, cpu ${(r.cpuMs / 1000).toFixed(1)} s, peak RSS ${mb(r.peakRss)} MB (heap used ${mb(r.peakHeapUsed)}, reserved ${mb(r.peakHeapTotal)}, external ${mb(r.peakExternal)})${at ? `; at the sampled peak ${split(at)}` : ''}${ph ? `; scanning ${split(ph.scan.atPeak)}; writing ${split(ph.write.atPeak)}` : ''}\n`,
    );
  }
} finally {
  await lab.stop();
}
const wallMs = performance.now() - started;
const n = counts();
const files = [
  ...filesIn('full'),
  ...filesIn('stream'),
  ...filesIn('json'),
  ...filesIn('report'),
  ...readdirSync(dir)
    .filter((f) => f.startsWith('state.sqlite'))
    .map((f) => ({ name: f, bytes: statSync(join(dir, f)).size })),
];
if (!values.keep) rmSync(dir, { recursive: true, force: true });

const summary = {
  estate: {
    scale,
    seed: Number(values.seed),
    providers,
    latencyMs: Number(values.latency),
    generatedSeconds: +(lab.generatedMs / 1000).toFixed(1),
  },
  heap: values.heap === 'node' ? 'node defaults' : Object.fromEntries(steps.map((s) => [s, execArgvFor(s).join(' ')])),
  wallSeconds: +(wallMs / 1000).toFixed(1),
  snapshots: n?.snapshots ?? null,
  findings: n?.findings ?? null,
  steps: reports.map((r) => ({
    step: r.step,
    exitCode: r.code,
    wallSeconds: +(r.wallMs / 1000).toFixed(1),
    cpuSeconds: +(r.cpuMs / 1000).toFixed(1),
    peakRssMB: Math.round(r.peakRss / 1048576),
    peakHeapUsedMB: Math.round((r.peakHeapUsed ?? 0) / 1048576),
    peakHeapTotalMB: Math.round((r.peakHeapTotal ?? 0) / 1048576),
    peakExternalMB: Math.round((r.peakExternal ?? 0) / 1048576),
    // at the sampled RSS peak: V8's heap in use and reserved, and the rest of the RSS (binary, malloc, stacks)
    atPeakMB: r.atPeak
      ? {
          rss: Math.round(r.atPeak.rss / 1048576),
          heapUsed: Math.round(r.atPeak.heapUsed / 1048576),
          heapTotal: Math.round(r.atPeak.heapTotal / 1048576),
          codeSpace: Math.round(r.atPeak.codeSpace / 1048576),
          outsideHeap: Math.round((r.atPeak.rss - r.atPeak.heapTotal) / 1048576),
        }
      : null,
    ...(r.stderr ? { stderr: r.stderr.slice(0, 500) } : {}),
  })),
  outputs: files.map((f) => ({
    file: f.name,
    MB: +(f.bytes / 1048576).toFixed(2),
    bytesPerSnapshot: n?.snapshots ? Math.round(f.bytes / n.snapshots) : null,
    bytesPerFinding: n?.findings ? Math.round(f.bytes / n.findings) : null,
  })),
};

if (values.json) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(
    `pipeline, estate ×${scale} (seed ${values.seed}, ${providers.join(',')}), latency ${values.latency} ms, heap: ${JSON.stringify(summary.heap)}; ${summary.snapshots} snapshots, ${summary.findings} findings; ${summary.wallSeconds} s in all`,
  );
  console.log('');
  console.log('step              exit  wall s   cpu s  peak RSS MB  heap used  heap reserved  external');
  for (const s of summary.steps) {
    console.log(
      `${s.step.padEnd(16)} ${String(s.exitCode).padStart(5)} ${String(s.wallSeconds).padStart(7)} ${String(s.cpuSeconds).padStart(7)} ${String(s.peakRssMB).padStart(12)} ${String(s.peakHeapUsedMB).padStart(10)} ${String(s.peakHeapTotalMB).padStart(14)} ${String(s.peakExternalMB).padStart(9)}`,
    );
    if (s.stderr) console.log(`  stderr: ${s.stderr.replace(/\n/g, '\n  ')}`);
  }
  console.log('');
  console.log('output                              MB  bytes/snapshot  bytes/finding');
  for (const o of summary.outputs) {
    console.log(
      `${o.file.padEnd(30)} ${String(o.MB).padStart(8)} ${String(o.bytesPerSnapshot ?? '-').padStart(15)} ${String(o.bytesPerFinding ?? '-').padStart(14)}`,
    );
  }
}
