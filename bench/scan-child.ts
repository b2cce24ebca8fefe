// One scanner process of the bench: scans one provider of the lab's estate with the real SDK clients, spooling
// scopes to disk and streaming result.json, then reports its counters, CPU and peak RSS to the parent.
import dc from 'node:diagnostics_channel';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import { selectChecks } from '../checks/index.ts';
import type { LabAddress } from './estate.ts';
import { createAdapters } from '../providers/index.ts';
import { labConnections } from '../src/cli/scan-command.ts';
import { parseConfig } from '../src/core/config/load.ts';
import type { ConfigInput } from '../src/core/config/schema.ts';
import { systemClock } from '../src/core/clock.ts';
import { releaseBeforeWriting } from '../src/cli/heap-policy.ts';
import { runScan } from '../src/engine/scan.ts';
import { SpoolSink, writeSpooledResult } from '../src/engine/spool.ts';
import type { Provider } from '../src/core/model/result.ts';

/** A phase's sampled peaks (bytes): RSS, heap in use, and where the RSS was at its peak. */
export interface PhasePeak {
  rss: number;
  heap: number;
  atPeak: { heapUsed: number; heapTotal: number; external: number };
}

/**
 * Where a scan's time went, while scanning: how busy the event loop was (near 1: it waits for CPU, its own work or a
 * loaded machine's, not for the cloud: the scanning CPU time tells which), and the HTTP requests in flight (from sending to the response's arrival), time-weighted, with the
 * share of the time they were at the per-provider limit (the lower bound assumes the limit at every moment).
 */
export interface ScanPace {
  eventLoopBusy: number;
  meanInFlight: number;
  atLimitShare: number;
}

/** Counts HTTP requests in flight through node:http's diagnostics channels (every SDK's and Graph's requests). */
function inFlightMeter(limit: number) {
  let inFlight = 0;
  let last = performance.now();
  let area = 0;
  let atLimit = 0;
  const step = (delta: number) => () => {
    const now = performance.now();
    area += inFlight * (now - last);
    if (inFlight >= limit) atLimit += now - last;
    last = now;
    inFlight += delta;
  };
  const [up, down] = [step(1), step(-1)];
  dc.subscribe('http.client.request.start', up);
  dc.subscribe('http.client.response.finish', down);
  dc.subscribe('http.client.request.error', down);
  const started = performance.now();
  return {
    read(): Omit<ScanPace, 'eventLoopBusy'> {
      step(0)();
      dc.unsubscribe('http.client.request.start', up);
      dc.unsubscribe('http.client.response.finish', down);
      dc.unsubscribe('http.client.request.error', down);
      const span = Math.max(1, performance.now() - started);
      return { meanInFlight: area / span, atLimitShare: atLimit / span };
    },
  };
}

export interface ScanChildInput {
  provider: Provider;
  lab: LabAddress;
  config: ConfigInput;
  /** Check ids or `prefix.*` patterns to run (default: every check). */
  checks?: string[];
}

const input = JSON.parse(process.argv[2] ?? '{}') as ScanChildInput;
const { config, connections } = labConnections(input.lab, parseConfig(input.config));
const loadStarted = performance.now();
const adapters = await createAdapters(config, [input.provider], connections);
const loadMs = performance.now() - loadStarted;
// as the scan command spools a scan that writes result.json: each scope laid out as it comes (src/engine/spool.ts)
const spool = new SpoolSink(undefined, { layOutJson: true });
const out = mkdtempSync(join(tmpdir(), 'snapaudit-bench-'));
let peakHeap = 0;
let peakExternal = 0;
let peakHeapTotal = 0;
// the peaks of each phase apart: collecting and checking the scopes (runScan), then writing result.json from the spool
type Phase = 'scan' | 'write';
let phase: Phase = 'scan';
// each phase's peak heap in use, and where its RSS was at its sampled peak: V8's heap in use and reserved, Buffers
const phases: Record<Phase, PhasePeak> = {
  scan: { rss: 0, heap: 0, atPeak: { heapUsed: 0, heapTotal: 0, external: 0 } },
  write: { rss: 0, heap: 0, atPeak: { heapUsed: 0, heapTotal: 0, external: 0 } },
};
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakHeapTotal = Math.max(peakHeapTotal, m.heapTotal);
  peakExternal = Math.max(peakExternal, m.external);
  const p = phases[phase];
  if (m.rss > p.rss) {
    p.rss = m.rss;
    p.atPeak = { heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
  }
  p.heap = Math.max(p.heap, m.heapUsed);
}, 100);
const cpuBefore = process.cpuUsage();
const meter = inFlightMeter(config.scan.concurrency.callsPerProvider);
const loopBefore = performance.eventLoopUtilization();
const started = performance.now();
// BENCH_HEAP_SNAPSHOT=DIR writes DIR/<provider>.heapsnapshot when half the scopes are done (what does a scan keep alive?).
const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT;
let done = 0;
let total = 0;
const events = {
  discovered(_p: Provider, scopes: number) {
    total = scopes;
  },
  scopeDone() {
    if (snapshotDir && ++done === Math.ceil(total / 2)) v8.writeHeapSnapshot(join(snapshotDir, `${input.provider}.heapsnapshot`));
  },
};
const header = await runScan({
  events,
  adapters,
  checks: selectChecks({ include: input.checks ?? [], exclude: [] }),
  config,
  clock: systemClock,
  sink: spool,
});
const scanMs = performance.now() - started;
const scanCpu = process.cpuUsage(cpuBefore);
const pace: ScanPace = { eventLoopBusy: performance.eventLoopUtilization(loopBefore).utilization, ...meter.read() };
phase = 'write';
// as the scan command decides it under the launcher's budget: V8's pooled pages given back before result.json is
// written when the process is large enough for it to pay (src/cli/heap-policy.ts)
const rssAtEnd = process.memoryUsage.rss();
const released = releaseBeforeWriting(undefined, rssAtEnd);
await writeSpooledResult(join(out, 'result.json'), header, spool);
const wallMs = performance.now() - started;
clearInterval(sampler);
const cpu = process.cpuUsage(cpuBefore);
const resultBytes = statSync(join(out, 'result.json')).size;
// BENCH_KEEP_RESULT=DIR keeps result.json as DIR/<provider>.result.json (to compare two runs' bytes with cmp)
if (process.env.BENCH_KEEP_RESULT)
  copyFileSync(join(out, 'result.json'), join(process.env.BENCH_KEEP_RESULT, `${input.provider}.result.json`));
spool.close();
rmSync(out, { recursive: true, force: true });
process.send?.({
  provider: input.provider,
  loadMs,
  scanMs,
  wallMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  scanCpuMs: (scanCpu.user + scanCpu.system) / 1000,
  pace,
  peakRss: process.resourceUsage().maxRSS * 1024,
  peakHeap,
  peakHeapTotal,
  peakExternal,
  phases,
  heapRelease: released,
  rssAtEnd,
  resultBytes,
  scopes: header.stats.scopes.total,
  complete: header.scan.complete,
  stats: header.stats,
});
process.disconnect?.();
