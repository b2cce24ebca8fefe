// npm run bench [-- --scale 10 --latency 25 --seed 42 --providers aws,azure,gcp --concurrency 64 --no-share-lookup]
//
// Generates a synthetic estate from a seed (AWS 200 accounts × 17 regions, 50 principals per account, 20 snapshots
// per account-region; Azure 50 subscriptions; GCP 100 projects; all × scale), serves it from the lab in a child
// process with injected latency, scans it with the real SDK clients, spooling scopes to disk, and prints wall time,
// API calls by operation, calls per scope-region, throttles, peak RSS, and the lower bound: the calls the clouds
// force ÷ the concurrency used × latency, per provider (providers run in parallel, so the slowest bounds the scan).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { selectChecks } from '../checks/index.ts';
import type { GenerateOptions } from '../lab/generate.ts';
import type { Lab } from '../lab/server.ts';
import { createAdapters, enabledProviders } from '../providers/index.ts';
import { labConnections } from '../src/cli/scan-command.ts';
import { parseConfig } from '../src/config/load.ts';
import { systemClock } from '../src/engine/clock.ts';
import { runScan } from '../src/engine/scan.ts';
import { SpoolSink, writeSpooledResult } from '../src/engine/spool.ts';
import { ScanStats } from '../src/engine/stats.ts';
import type { Provider } from '../src/model/result.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    latency: { type: 'string', default: '25' },
    seed: { type: 'string', default: '42' },
    providers: { type: 'string', default: 'aws,azure,gcp' },
    concurrency: { type: 'string', default: '64' },
    'no-share-lookup': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const providers = values.providers.split(',') as Provider[];

const generate: GenerateOptions = {
  seed: Number(values.seed),
  ...(providers.includes('aws') ? { aws: { accounts: 200 * scale, regions: 17, snapshotsPerRegion: 20, principalsPerAccount: 50 } } : {}),
  ...(providers.includes('azure')
    ? { azure: { subscriptions: 50 * scale, snapshotsPerSubscription: 20, assignmentsPerSubscription: 20 } }
    : {}),
  ...(providers.includes('gcp') ? { gcp: { projects: 100 * scale, snapshotsPerProject: 20, bindingsPerProject: 20 } } : {}),
};

type Ready = { type: 'ready'; endpoints: Lab['endpoints']; credentials: Lab['credentials']; ca: string | null; generatedMs: number };
const child = fork(new URL('./lab-child.ts', import.meta.url), [JSON.stringify({ generate, latencyMs })], {
  execArgv: ['--max-old-space-size=16384'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ready = await new Promise<Ready>((resolve, reject) => {
  child.once('message', (m) => resolve(m as Ready));
  child.once('exit', (code) => reject(new Error(`lab child exited with ${code}`)));
});
const lab = { ...ready, log: null, faults: null, close: async () => {} } as unknown as Lab;

const base = parseConfig({
  version: 1,
  providers: {
    ...(providers.includes('aws')
      ? { aws: { mode: 'organization', shareLookup: { enabled: !values['no-share-lookup'], concurrency: 8 } } }
      : {}),
    ...(providers.includes('azure') ? { azure: {} } : {}),
    ...(providers.includes('gcp') ? { gcp: { organizationId: '100000000001' } } : {}),
  },
  scan: {
    concurrency: {
      scopes: Number(process.env.BENCH_SCOPES ?? Math.max(8, concurrency / 2)),
      callsPerScope: 16,
      callsPerProvider: concurrency,
    },
  },
});
const { config, connections } = labConnections(lab, base);
const enabled = enabledProviders(config);
const stats = new ScanStats();
const spool = new SpoolSink();
const out = mkdtempSync(join(tmpdir(), 'snapaudit-bench-'));
let peakSampled = 0;
let peakHeap = 0;
// With --expose-gc the sampler collects first, so "peak heap" is the live data, not garbage V8 has not reclaimed yet.
const gc = (globalThis as { gc?: () => void }).gc;
const sampler = setInterval(
  () => {
    gc?.();
    const m = process.memoryUsage();
    peakSampled = Math.max(peakSampled, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  },
  gc ? 1000 : 100,
);

const started = performance.now();
const adapters = await createAdapters(config, enabled, connections);
const retryCauses = new Map<string, number>();
for (const a of adapters) {
  const classify = a.classifyError.bind(a);
  a.classifyError = (err) => {
    const info = classify(err);
    const key = `${a.provider} ${info.code}: ${info.message.slice(0, 80)}`;
    retryCauses.set(key, (retryCauses.get(key) ?? 0) + 1);
    return info;
  };
}
// BENCH_HEAP_SNAPSHOT=FILE writes a heap snapshot when half the scopes are done (to see what a scan keeps alive).
const snapshotAt = process.env.BENCH_HEAP_SNAPSHOT;
let done = 0;
const events = {
  scopeDone() {
    done++;
    if (snapshotAt && done === Math.ceil(stats.scopesTotal / 2)) {
      gc?.();
      v8.writeHeapSnapshot(snapshotAt);
    }
  },
};
const header = await runScan({
  events,
  adapters,
  checks: selectChecks({ include: [], exclude: [] }),
  config,
  clock: systemClock,
  stats,
  sink: spool,
});
const scannedMs = performance.now() - started;
await writeSpooledResult(join(out, 'result.json'), header, spool);
const wallMs = performance.now() - started;
clearInterval(sampler);
const resultBytes = statSync(join(out, 'result.json')).size;
spool.close();
rmSync(out, { recursive: true, force: true });
child.send({ type: 'stop' });
await new Promise((r) => child.once('exit', r));

const peakRss = Math.max(peakSampled, process.resourceUsage().maxRSS * 1024);
const ops = header.stats.operations;
const callsOf = (p: string) =>
  Object.entries(ops)
    .filter(([k]) => k.startsWith(`${p}:`))
    .reduce((n, [, v]) => n + v, 0);
const bounds = enabled.map((p) => ({ provider: p, calls: callsOf(p), boundMs: (callsOf(p) / concurrency) * latencyMs }));
const lowerBoundMs = Math.max(...bounds.map((b) => b.boundMs));
const scopeRegions = header.discovery.reduce((n, d) => n + d.scopesSelected, 0);
const report = {
  estate: {
    scale,
    latencyMs,
    concurrencyPerProvider: concurrency,
    providers: enabled,
    scopes: header.stats.scopes.total,
    generatedMs: Math.round(ready.generatedMs),
  },
  wallSeconds: +(wallMs / 1000).toFixed(2),
  scanSeconds: +(scannedMs / 1000).toFixed(2),
  apiCalls: header.stats.apiCalls,
  throttles: header.stats.throttles,
  retries: header.stats.retries,
  peakRssMB: Math.round(peakRss / 1048576),
  peakHeapMB: Math.round(peakHeap / 1048576),
  resultMB: +(resultBytes / 1048576).toFixed(1),
  lowerBoundSeconds: +(lowerBoundMs / 1000).toFixed(2),
  ratio: +(wallMs / lowerBoundMs).toFixed(2),
  perProvider: bounds.map((b) => ({ ...b, boundMs: Math.round(b.boundMs) })),
  scopeCount: scopeRegions,
  operations: ops,
  errorsSeen: {} as Record<string, number>,
};
if (retryCauses.size > 0) report.errorsSeen = Object.fromEntries([...retryCauses].sort((a, b) => b[1] - a[1]).slice(0, 8));
if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(
    `estate: ×${scale}, ${enabled.join(' + ')}, ${report.estate.scopes} scopes, latency ${latencyMs} ms, ${concurrency} calls in flight per provider`,
  );
  console.log(`wall time:           ${report.wallSeconds} s (scan ${report.scanSeconds} s, then result.json ${report.resultMB} MB)`);
  console.log(`api calls:           ${report.apiCalls}`);
  console.log(`throttles / retries: ${report.throttles} / ${report.retries}`);
  console.log(`peak RSS:            ${report.peakRssMB} MB (scanner process; the lab runs in its own); peak heap ${report.peakHeapMB} MB`);
  for (const b of report.perProvider)
    console.log(
      `lower bound ${b.provider.padEnd(6)} ${(b.boundMs / 1000).toFixed(2)} s (${b.calls} calls ÷ ${concurrency} × ${latencyMs} ms)`,
    );
  console.log(`ratio wall / bound:  ${report.ratio}`);
  for (const [k, n] of Object.entries(report.errorsSeen)) console.log(`  error seen ${n}× ${k}`);
  console.log('calls by operation (per scope):');
  const scopesOf = (p: string) => header.discovery.find((d) => d.provider === p)?.scopesSelected ?? 1;
  for (const [op, n] of Object.entries(ops))
    console.log(`  ${op.padEnd(56)} ${String(n).padStart(8)}  ${(n / scopesOf(op.split(':')[0] ?? '')).toFixed(2)}`);
}
