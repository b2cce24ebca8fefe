// npm run bench [-- --scale 10 --latency 25 --seed 42 --providers aws,azure,gcp --concurrency 16 --heap 192 --semi-space 8 --no-share-lookup --json]
//
// Generates a synthetic estate from a seed (AWS 200 accounts × 17 regions, 50 principals per account, 20 snapshots
// per account-region; Azure 50 subscriptions; GCP 100 projects; all × scale) and serves it from the lab in a child
// process with injected latency. Each cloud is scanned by its own scanner process (as `snapaudit scan --provider X`
// would, docs/large-organisations.md recommends for large organisations), with the real SDK clients, scopes spooled to
// disk, result.json streamed, and the V8 heap capped (--heap MB of old space, --semi-space MB of young space: a small
// young generation keeps collections cheap and the heap tight). It prints wall time, API calls by operation,
// calls per scope, throttles, CPU, peak RSS per scanner, and the lower bound: the calls the clouds force ÷ the
// concurrency used × latency. The scanners run in parallel, so the slowest bounds the whole scan.
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { ConfigInput } from '../src/core/config/schema.ts';
import type { Provider, Stats } from '../src/core/model/result.ts';
import { benchProviderConfig, estateOptions, startLabChild } from './estate.ts';
import type { ScanChildInput } from './scan-child.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    latency: { type: 'string', default: '25' },
    seed: { type: 'string', default: '42' },
    providers: { type: 'string', default: 'aws,azure,gcp' },
    concurrency: { type: 'string', default: '16' },
    heap: { type: 'string', default: '192' },
    'semi-space': { type: 'string', default: '8' },
    'no-share-lookup': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const latencyMs = Number(values.latency);
const concurrency = Number(values.concurrency);
const providers = values.providers.split(',') as Provider[];

const generate = estateOptions(scale, Number(values.seed), providers);
const lab = await startLabChild(generate, latencyMs);
const providerConfig = benchProviderConfig(!values['no-share-lookup']);
const scanConcurrency = { scopes: Math.max(4, concurrency / 2), callsPerScope: Math.min(16, concurrency), callsPerProvider: concurrency };

interface ChildReport {
  provider: Provider;
  loadMs: number;
  scanMs: number;
  wallMs: number;
  cpuMs: number;
  peakRss: number;
  peakHeap: number;
  peakHeapTotal: number;
  peakExternal: number;
  resultBytes: number;
  scopes: number;
  complete: boolean;
  stats: Stats;
}

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
        };
        const child = fork(new URL('./scan-child.ts', import.meta.url), [JSON.stringify(input)], {
          execArgv: [
            `--max-old-space-size=${values.heap}`,
            ...(values['semi-space'] ? [`--max-semi-space-size=${values['semi-space']}`] : []),
          ],
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
  const boundMs = (r.stats.apiCalls / concurrency) * latencyMs;
  return { ...r, boundMs, ratio: r.wallMs / boundMs };
});
const slowest = rows.reduce((a, b) => (b.boundMs > a.boundMs ? b : a));
const summary = {
  estate: {
    scale,
    latencyMs,
    concurrencyPerProvider: concurrency,
    heapCapMB: Number(values.heap),
    shareLookup: !values['no-share-lookup'],
    generatedSeconds: +(lab.generatedMs / 1000).toFixed(1),
  },
  wallSeconds: +(wallMs / 1000).toFixed(2),
  lowerBoundSeconds: +(slowest.boundMs / 1000).toFixed(2),
  ratio: +(Math.max(...rows.map((r) => r.wallMs)) / slowest.boundMs).toFixed(2),
  labCpuSeconds: +(labReport.cpuMs / 1000).toFixed(1),
  providers: rows.map((r) => ({
    provider: r.provider,
    scopes: r.scopes,
    complete: r.complete,
    apiCalls: r.stats.apiCalls,
    throttles: r.stats.throttles,
    retries: r.stats.retries,
    errors: r.stats.errors,
    wallSeconds: +(r.wallMs / 1000).toFixed(2),
    loadSeconds: +(r.loadMs / 1000).toFixed(2),
    cpuSeconds: +(r.cpuMs / 1000).toFixed(1),
    lowerBoundSeconds: +(r.boundMs / 1000).toFixed(2),
    ratio: +r.ratio.toFixed(2),
    peakRssMB: Math.round(r.peakRss / 1048576),
    peakHeapMB: Math.round(r.peakHeap / 1048576),
    peakHeapTotalMB: Math.round(r.peakHeapTotal / 1048576),
    peakExternalMB: Math.round(r.peakExternal / 1048576),
    resultMB: +(r.resultBytes / 1048576).toFixed(1),
    callsPerScope: +(r.stats.apiCalls / Math.max(1, r.scopes)).toFixed(1),
    operations: r.stats.operations,
  })),
};

if (values.json) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(
    `estate ×${scale} (seed ${values.seed}), latency ${latencyMs} ms, ${concurrency} calls in flight per scanner, heap cap ${values.heap} MB (semi-space ${values['semi-space']} MB), AWS share lookups ${summary.estate.shareLookup ? 'on' : 'off'}`,
  );
  console.log(
    `wall time ${summary.wallSeconds} s · lower bound ${summary.lowerBoundSeconds} s (${slowest.provider}) · ratio ${summary.ratio} · lab CPU ${summary.labCpuSeconds} s`,
  );
  console.log('');
  console.log('provider  scopes   calls  calls/scope  throttles  wall s  bound s  ratio  cpu s  peak RSS MB  peak heap MB  result MB');
  for (const p of summary.providers) {
    console.log(
      `${p.provider.padEnd(8)} ${String(p.scopes).padStart(7)} ${String(p.apiCalls).padStart(7)} ${String(p.callsPerScope).padStart(12)} ${String(p.throttles).padStart(10)} ${String(p.wallSeconds).padStart(7)} ${String(p.lowerBoundSeconds).padStart(8)} ${String(p.ratio).padStart(6)} ${String(p.cpuSeconds).padStart(6)} ${String(p.peakRssMB).padStart(12)} ${String(p.peakHeapMB).padStart(13)} ${String(p.resultMB).padStart(10)}`,
    );
  }
  console.log('');
  console.log('calls by operation (total, per scope):');
  for (const p of summary.providers) {
    for (const [op, n] of Object.entries(p.operations))
      console.log(`  ${op.padEnd(58)} ${String(n).padStart(8)} ${(n / Math.max(1, p.scopes)).toFixed(2).padStart(9)}`);
  }
}
