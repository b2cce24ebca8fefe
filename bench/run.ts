// npm run bench [-- --scale 10 --latency 25 --seed 42 --providers aws,azure,gcp --concurrency 16 --scopes 8 --heap default|192 --semi-space 8 --no-share-lookup
//   --access-analyzer organization --checks 'permissions.*' --cpu-prof DIR --trace-gc --compiled --floor --json]
// npm run bench -- --preset small-org [--runs 3 --latency 50 --access-analyzer organization --json]: bench/small-org.ts
//
// Generates a synthetic estate from a seed (AWS 200 accounts × 17 regions, 50 principals per account, 20 snapshots
// per account-region; Azure 50 subscriptions; GCP 100 projects; all × scale) and serves it from the lab in a child
// process with injected latency. Each cloud is scanned by its own scanner process (as `snapaudit scan --provider X`
// would, docs/large-organisations.md recommends for large organisations), with the real SDK clients, scopes spooled to
// disk, result.json streamed, and the V8 heap as the CLI's launcher sets it (`--heap default`: the flags, allocator
// settings and soft heap ceiling of the default 512 MiB budget, src/cli/heap-policy.ts), or capped by hand (--heap MB of
// old space, --semi-space MB of young space, no soft ceiling). It prints wall time, API calls by operation,
// calls per scope, throttles, CPU, peak RSS per scanner, and how far each scanner is from what the clouds force
// (lab/forced.ts computes it from the estate alone, never from the scanner): call efficiency (calls made ÷ forced),
// time efficiency (wall ÷ (forced ÷ calls in flight × latency)), and every operation where made > forced. `sched`
// is the old ratio (wall ÷ the scanner's own calls ÷ in flight × latency): scheduling alone. The scanners run in
// parallel, so the slowest bounds the whole scan. `--access-analyzer organization` gives the AWS organisation an IAM
// Access Analyzer organisation analyzer in every region (its findings then stand in for most attribute reads).
// `--checks` runs only those checks (ids, or `prefix.*`, comma-separated), so only what they need is read: e.g.
// `--checks 'permissions.*'` reads IAM alone, and holds what a whole scan holds at its end (every AWS account's part of
// the cross-account role-chain step) in minutes even at ×10; calls and efficiency then count that subset only.
// `--compiled` runs each scanner process from a bundle of bench/scan-child.ts built as the compiled package bundles the
// CLI (scripts/bundle.ts; in node_modules/.cache/, rebuilt each run, so V8's compile cache is warm from the second run),
// rather than from the TypeScript sources. `--floor` first measures what a plain client's request takes against the lab
// at the same calls in flight (bench/floor.ts, the Azure lab): the time efficiency no scanner could beat on this machine.
import { fork } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ConfigInput } from '../src/core/config/schema.ts';
import type { Provider, Stats } from '../src/core/model/result.ts';
import { HEAP_POLICY_ENV, launchFlags, mallocEnv } from '../src/cli/heap-policy.ts';
import { defaultMemoryBudgetMiB } from '../src/core/memory-budget.ts';
import { totalCalls } from '../lab/forced.ts';
import { benchProviderConfig, estateOptions, startLabChild } from './estate.ts';
import type { PhasePeak, ScanChildInput, ScanPace } from './scan-child.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    latency: { type: 'string', default: '25' },
    seed: { type: 'string', default: '42' },
    providers: { type: 'string', default: 'aws,azure,gcp' },
    concurrency: { type: 'string', default: '16' },
    // scopes scanned at once (default: half the calls in flight, at least 4)
    scopes: { type: 'string' },
    heap: { type: 'string', default: 'default' },
    'semi-space': { type: 'string', default: '8' },
    'no-share-lookup': { type: 'boolean', default: false },
    'access-analyzer': { type: 'string', default: 'none' },
    checks: { type: 'string', default: '' },
    preset: { type: 'string' },
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'trace-gc': { type: 'boolean', default: false },
    compiled: { type: 'boolean', default: false },
    // before the scanners: what a plain client's request takes against this lab at the same calls in flight (bench/floor.ts)
    floor: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
// the scanner processes run under the flags the CLI's launcher starts a scan with (its default budget; every output
// streams), unless --heap caps the old space by hand
const launcherHeap = values.heap === 'default';
const heapArgs = launcherHeap
  ? launchFlags(defaultMemoryBudgetMiB)
  : [`--max-old-space-size=${values.heap}`, ...(values['semi-space'] ? [`--max-semi-space-size=${values['semi-space']}`] : [])];
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const providers = values.providers.split(',') as Provider[];

if (!['none', 'organization'].includes(values['access-analyzer']))
  throw new Error(`--access-analyzer: none or organization, not ${values['access-analyzer']}`);
if (values.preset !== undefined) {
  // --preset small-org: the whole-process scan of a small organisation (bench/small-org.ts); 50 ms latency by default.
  if (values.preset !== 'small-org') throw new Error(`--preset: small-org, not ${values.preset}`);
  const { runSmallOrg } = await import('./small-org.ts');
  await runSmallOrg({
    runs: Number(values.runs),
    latencyMs: process.argv.includes('--latency') ? latencyMs : 50,
    seed: Number(values.seed),
    accessAnalyzer: values['access-analyzer'] as 'none' | 'organization',
    json: values.json,
  });
  process.exit(0);
}
const generate = estateOptions(scale, Number(values.seed), providers, {
  accessAnalyzer: values['access-analyzer'] as 'none' | 'organization',
});
const lab = await startLabChild(generate, latencyMs, !values['no-share-lookup']);
const floor = values.floor ? await (await import('./floor.ts')).measureFloor(lab.address, concurrency, 1200) : null;
const providerConfig = benchProviderConfig(!values['no-share-lookup']);
const scanConcurrency = {
  scopes: values.scopes ? Number(values.scopes) : Math.max(4, concurrency / 2),
  callsPerScope: Math.min(16, concurrency),
  callsPerProvider: concurrency,
};

interface ChildReport {
  provider: Provider;
  loadMs: number;
  scanMs: number;
  wallMs: number;
  cpuMs: number;
  /** CPU while scanning (the rest of cpuMs went to writing result.json). */
  scanCpuMs: number;
  /** While scanning: event loop busy, requests in flight. */
  pace: ScanPace;
  peakRss: number;
  peakHeap: number;
  peakHeapTotal: number;
  peakExternal: number;
  /** Sampled peaks (bytes) while scanning (runScan) and while writing result.json from the spool. */
  phases: Record<'scan' | 'write', PhasePeak>;
  /** The release before writing result.json (src/engine/heap-release.ts), when it ran. */
  heapRelease: { ms: number; liveBytes: number } | null;
  /** The RSS when the scan was done (bytes): what decided the release (src/cli/heap-policy.ts). */
  rssAtEnd: number;
  resultBytes: number;
  scopes: number;
  complete: boolean;
  stats: Stats;
}

/** bench/scan-child.ts bundled as the compiled package is (--compiled): the bundle's entry point. */
async function bundledScanChild(): Promise<URL> {
  const { build } = await import('esbuild');
  const { bundleOptions } = await import('../scripts/bundle.ts');
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = join(root, 'node_modules/.cache/snapaudit-bench-compiled');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n'); // its .js files are ES modules
  await build(bundleOptions(root, { 'scan-child': 'bench/scan-child.ts' }, dir));
  return pathToFileURL(join(dir, 'scan-child.js'));
}
const scanner = values.compiled ? await bundledScanChild() : new URL('./scan-child.ts', import.meta.url);

const started = performance.now();
const reports = await Promise.all(
  providers.map(
    (provider) =>
      new Promise<ChildReport>((resolve, reject) => {
        const input: ScanChildInput = {
          provider,
          lab: lab.address,
          config: {
            version: 1,
            providers: { [provider]: providerConfig[provider] },
            scan: { concurrency: scanConcurrency },
          } as ConfigInput,
          checks: values.checks.split(',').filter((c) => c !== ''),
        };
        const child = fork(scanner, [JSON.stringify(input)], {
          execArgv: [
            ...heapArgs,
            // --cpu-prof DIR: a V8 CPU profile of each scanner process in DIR (open it in Chrome DevTools)
            ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`, `--cpu-prof-name=${provider}.cpuprofile`] : []),
            // --trace-gc: each collection of each scanner process on stdout, with its pause (V8's --trace-gc)
            ...(values['trace-gc'] ? ['--trace-gc'] : []),
          ],
          // as the CLI runs its scanning process: V8's compile cache in the user's cache folder (bin/snapaudit.js; warm
          // from the second run on) and glibc's allocator held to two arenas (src/cli/heap-policy.ts)
          env: {
            ...process.env,
            ...mallocEnv(process.env),
            ...(launcherHeap ? { [HEAP_POLICY_ENV]: String(defaultMemoryBudgetMiB) } : {}),
            NODE_COMPILE_CACHE:
              process.env.NODE_COMPILE_CACHE ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'snapaudit', 'compile-cache'),
          },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        child.once('message', (m) => resolve(m as ChildReport));
        child.once('exit', (code) => code !== 0 && reject(new Error(`${provider} scanner exited with ${code}`)));
      }),
  ),
);
const wallMs = performance.now() - started;
const labReport = await lab.stop();

const rows = reports.map((r) => {
  const forcedOps = lab.forced[r.provider] ?? {};
  const forced = totalCalls(forcedOps);
  // Scheduling alone: the scanner's own calls ÷ in flight × latency (a needless call scores as well as none).
  const schedulingMs = (r.stats.apiCalls / concurrency) * latencyMs;
  // What the cloud forces: the estate's forced calls ÷ in flight × latency.
  const boundMs = (forced / concurrency) * latencyMs;
  const ops = new Set([...Object.keys(r.stats.operations), ...Object.keys(forcedOps)]);
  const excess = [...ops]
    .map((op) => ({ op, made: r.stats.operations[op] ?? 0, forced: forcedOps[op]?.calls ?? 0, source: forcedOps[op]?.source ?? null }))
    .filter((o) => o.made > o.forced)
    .sort((a, b) => b.made - b.forced - (a.made - a.forced) || (a.op < b.op ? -1 : 1));
  return { ...r, forced, schedulingMs, boundMs, callEfficiency: r.stats.apiCalls / forced, timeEfficiency: r.wallMs / boundMs, excess };
});
const slowest = rows.reduce((a, b) => (b.boundMs > a.boundMs ? b : a));
const summary = {
  estate: {
    scale,
    latencyMs,
    concurrencyPerProvider: concurrency,
    heapFlags: heapArgs.join(' '),
    shareLookup: !values['no-share-lookup'],
    compiled: values.compiled,
    checks: values.checks || 'all',
    generatedSeconds: +(lab.generatedMs / 1000).toFixed(1),
  },
  wallSeconds: +(wallMs / 1000).toFixed(2),
  lowerBoundSeconds: +(slowest.boundMs / 1000).toFixed(2),
  timeEfficiency: +(Math.max(...rows.map((r) => r.wallMs)) / slowest.boundMs).toFixed(2),
  labCpuSeconds: +(labReport.cpuMs / 1000).toFixed(1),
  // of it, serving the scanners' requests (not generating the estate): on the same cores as the scanners
  labServingCpuSeconds: +(labReport.servingCpuMs / 1000).toFixed(2),
  // --floor: a plain client's time per request against this lab (ms), and the time efficiency it alone would score
  floor: floor
    ? {
        msPerRequest: +floor.msPerRequest.toFixed(2),
        clientCpuMs: Math.round(floor.clientCpuMs),
        efficiency: +(floor.msPerRequest / latencyMs).toFixed(2),
      }
    : null,
  providers: rows.map((r) => ({
    provider: r.provider,
    scopes: r.scopes,
    complete: r.complete,
    apiCalls: r.stats.apiCalls,
    forcedCalls: r.forced,
    callEfficiency: +r.callEfficiency.toFixed(2),
    timeEfficiency: +r.timeEfficiency.toFixed(2),
    schedulingRatio: +(r.wallMs / r.schedulingMs).toFixed(2),
    throttles: r.stats.throttles,
    retries: r.stats.retries,
    errors: r.stats.errors,
    wallSeconds: +(r.wallMs / 1000).toFixed(2),
    // wall = scanning (discovery, collection, checks) + writing result.json; the SDKs' loading comes before it
    scanSeconds: +(r.scanMs / 1000).toFixed(2),
    writeSeconds: +((r.wallMs - r.scanMs) / 1000).toFixed(2),
    loadSeconds: +(r.loadMs / 1000).toFixed(2),
    cpuSeconds: +(r.cpuMs / 1000).toFixed(1),
    scanCpuSeconds: +(r.scanCpuMs / 1000).toFixed(2),
    writeCpuSeconds: +((r.cpuMs - r.scanCpuMs) / 1000).toFixed(2),
    // while scanning: how busy the event loop was (near 1: CPU-bound) and the requests in flight (time-weighted)
    scanEventLoopBusy: +r.pace.eventLoopBusy.toFixed(2),
    scanMeanInFlight: +r.pace.meanInFlight.toFixed(1),
    scanAtLimitShare: +r.pace.atLimitShare.toFixed(2),
    lowerBoundSeconds: +(r.boundMs / 1000).toFixed(2),
    peakRssMB: Math.round(r.peakRss / 1048576),
    peakHeapMB: Math.round(r.peakHeap / 1048576),
    peakHeapTotalMB: Math.round(r.peakHeapTotal / 1048576),
    peakExternalMB: Math.round(r.peakExternal / 1048576),
    scanPeakRssMB: Math.round(r.phases.scan.rss / 1048576),
    scanPeakHeapMB: Math.round(r.phases.scan.heap / 1048576),
    writePeakRssMB: Math.round(r.phases.write.rss / 1048576),
    writePeakHeapMB: Math.round(r.phases.write.heap / 1048576),
    // where each phase's RSS was at its sampled peak: V8's heap in use, reserved, and what lives outside it
    phaseSplitMB: Object.fromEntries(
      (['scan', 'write'] as const).map((ph) => {
        const { rss, atPeak } = r.phases[ph];
        const mb = (n: number) => Math.round(n / 1048576);
        return [
          ph,
          {
            heapUsed: mb(atPeak.heapUsed),
            heapReserved: mb(atPeak.heapTotal),
            external: mb(atPeak.external),
            outsideHeap: mb(rss - atPeak.heapTotal),
          },
        ];
      }),
    ),
    heapRelease: r.heapRelease
      ? { seconds: +(r.heapRelease.ms / 1000).toFixed(2), liveMB: Math.round(r.heapRelease.liveBytes / 1048576) }
      : null,
    rssAtEndMB: Math.round(r.rssAtEnd / 1048576),
    resultMB: +(r.resultBytes / 1048576).toFixed(1),
    callsPerScope: +(r.stats.apiCalls / Math.max(1, r.scopes)).toFixed(1),
    operations: r.stats.operations,
    overForced: r.excess,
  })),
};

if (values.json) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(
    `estate ×${scale} (seed ${values.seed}), latency ${latencyMs} ms, ${concurrency} calls in flight per scanner, heap ${launcherHeap ? `as the launcher sets it (${heapArgs.join(' ')})` : `cap ${values.heap} MB (semi-space ${values['semi-space']} MB)`}, AWS share lookups ${summary.estate.shareLookup ? 'on' : 'off'}, scanners ${values.compiled ? 'compiled (bundled)' : 'from the TypeScript sources'}${values.checks ? `, checks ${values.checks} only (forced calls count every check)` : ''}`,
  );
  console.log(
    `wall time ${summary.wallSeconds} s · lower bound ${summary.lowerBoundSeconds} s (${slowest.provider}: forced calls ÷ in flight × latency) · time efficiency ${summary.timeEfficiency} · lab CPU ${summary.labCpuSeconds} s (serving ${summary.labServingCpuSeconds} s)`,
  );
  if (summary.floor)
    console.log(
      `lab floor: a plain GET with ${concurrency} in flight takes ${summary.floor.msPerRequest} ms against the ${latencyMs} ms latency (client CPU ${summary.floor.clientCpuMs} ms for 1,200): a client that did nothing else would score ${summary.floor.efficiency} on its calls alone`,
    );
  console.log('');
  console.log(
    'provider  scopes   calls  forced  call eff  time eff  sched  calls/scope  throttles  wall s  bound s  cpu s  peak RSS MB  peak heap MB  result MB',
  );
  for (const p of summary.providers) {
    console.log(
      `${p.provider.padEnd(8)} ${String(p.scopes).padStart(7)} ${String(p.apiCalls).padStart(7)} ${String(p.forcedCalls).padStart(7)} ${String(p.callEfficiency).padStart(9)} ${String(p.timeEfficiency).padStart(9)} ${String(p.schedulingRatio).padStart(6)} ${String(p.callsPerScope).padStart(12)} ${String(p.throttles).padStart(10)} ${String(p.wallSeconds).padStart(7)} ${String(p.lowerBoundSeconds).padStart(8)} ${String(p.cpuSeconds).padStart(6)} ${String(p.peakRssMB).padStart(12)} ${String(p.peakHeapMB).padStart(13)} ${String(p.resultMB).padStart(10)}`,
    );
  }
  console.log('');
  console.log(
    'by phase (s): loading the SDKs (before the wall) · scanning, wall / CPU · writing result.json, wall / CPU · time efficiency of the scan alone',
  );
  for (const p of summary.providers)
    console.log(
      `  ${p.provider.padEnd(8)} ${p.loadSeconds} · ${p.scanSeconds} / ${p.scanCpuSeconds} · ${p.writeSeconds} / ${p.writeCpuSeconds} · ${(p.scanSeconds / p.lowerBoundSeconds).toFixed(2)}`,
    );
  console.log('');
  console.log(
    `while scanning: event loop busy (near 1: waiting for CPU, its own work or a loaded machine's, not for the cloud; compare scanning CPU) · requests in flight on average (limit ${concurrency}) · share of the time at the limit`,
  );
  for (const p of summary.providers)
    console.log(`  ${p.provider.padEnd(8)} ${p.scanEventLoopBusy} · ${p.scanMeanInFlight} · ${p.scanAtLimitShare}`);
  console.log('');
  console.log('peaks by phase, sampled every 100 ms (RSS / heap used, MB): scanning (collect and check) · writing result.json');
  console.log('  [at each RSS peak: heap used, reserved; outside the heap (of it external: Buffers)]');
  const split = (s: { heapUsed: number; heapReserved: number; external: number; outsideHeap: number }) =>
    `[${s.heapUsed}, ${s.heapReserved}; ${s.outsideHeap} (${s.external})]`;
  for (const p of summary.providers)
    console.log(
      `  ${p.provider.padEnd(8)} ${p.scanPeakRssMB} / ${p.scanPeakHeapMB} ${split(p.phaseSplitMB.scan!)} · ${p.writePeakRssMB} / ${p.writePeakHeapMB} ${split(p.phaseSplitMB.write!)}`,
    );
  for (const p of summary.providers)
    console.log(
      p.heapRelease
        ? `  ${p.provider.padEnd(8)} heap released before writing (RSS ${p.rssAtEndMB} MB): ${p.heapRelease.seconds} s, ${p.heapRelease.liveMB} MB live after it`
        : `  ${p.provider.padEnd(8)} heap not released before writing (RSS ${p.rssAtEndMB} MB)`,
    );
  console.log('');
  console.log('operations where made > forced (made, forced, excess):');
  for (const p of summary.providers) {
    if (p.overForced.length === 0) console.log(`  ${p.provider}: none`);
    for (const o of p.overForced)
      console.log(
        `  ${o.op.padEnd(58)} ${String(o.made).padStart(8)} ${String(o.forced).padStart(8)} ${String(o.made - o.forced).padStart(8)}`,
      );
  }
  console.log('');
  console.log('calls by operation (total, per scope):');
  for (const p of summary.providers) {
    for (const [op, n] of Object.entries(p.operations))
      console.log(`  ${op.padEnd(58)} ${String(n).padStart(8)} ${(n / Math.max(1, p.scopes)).toFixed(2).padStart(9)}`);
  }
}
