// One step of the pipeline bench, in a process of its own so that its peak RSS is measured alone: a scan as a user
// runs it (the CLI's own scan command: state store, formats, the lab reached over the wire), a ticket dry-run from
// the state store, or a re-render of result.json with `report --from`. Reports wall time, CPU and peak RSS.
// scan-stream records into a state store of its own (state.sqlite-stream), which tickets-dry-run plans from.
// The parent runs this file with its types stripped (a plain .mjs copy), so the step's process loads no type stripper
// of its own: the CLI comes from `input.cli` — the TypeScript sources, or the compiled package (dist/, `--compiled`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import type { CliIo } from '../src/cli/io.ts';
import type { ConfigInput } from '../src/core/config/schema.ts';
import type { LabAddress } from './estate.ts';

export type PipelineStep = 'scan-full' | 'scan-stream' | 'scan-json' | 'tickets-dry-run' | 'report-from' | 'warm-up';

export type Phase = 'scan' | 'write';
export interface PhasePeak {
  atPeak: { rss: number; heapUsed: number; heapTotal: number; codeSpace: number; external: number };
}

export interface PipelineChildInput {
  step: PipelineStep;
  dir: string;
  lab: LabAddress;
  config: ConfigInput;
  formats: string;
  now: string;
  /** Where the CLI's modules are: src/cli/ of the sources (`.ts`), or dist/src/cli/ of the compiled package (`.js`). */
  cli: { dir: string; ext: '.ts' | '.js' };
}

export interface PipelineChildReport {
  step: PipelineStep;
  code: number;
  wallMs: number;
  cpuMs: number;
  peakRss: number;
  /** Peaks of V8's heap in use, of the heap V8 had reserved, and of memory outside it (Buffers, native), sampled four times a second. */
  peakHeapUsed?: number;
  peakHeapTotal?: number;
  peakExternal?: number;
  /**
   * Where the RSS was when the sampled RSS peaked (bytes): V8's heap in use and reserved, its code space, and what
   * lives outside V8's heap (the node binary's pages, malloc, buffers, thread stacks).
   */
  atPeak?: { rss: number; heapUsed: number; heapTotal: number; codeSpace: number; external: number };
  /** A scan's sampled RSS peaks (bytes) while it scans and while it writes its outputs, each with the split at the peak. */
  phases?: Record<Phase, PhasePeak>;
  stdoutBytes: number;
  stderr: string;
}

const input = JSON.parse(process.argv[2] ?? '{}') as PipelineChildInput;
const cli = <T>(name: string): Promise<T> => import(new URL(`${name}${input.cli.ext}`, input.cli.dir).href) as Promise<T>;
const { scanCommand } = await cli<typeof import('../src/cli/scan-command.ts')>('scan-command');
const { reportCommand } = await cli<typeof import('../src/cli/report-command.ts')>('report-command');
const { ticketsSyncCommand } = await cli<typeof import('../src/cli/tickets-command.ts')>('tickets-command');
const configPath = join(input.dir, 'config.json');
writeFileSync(configPath, JSON.stringify(input.config));
let stdoutBytes = 0;
let stderr = '';
const io: CliIo = {
  stdout: (s) => {
    stdoutBytes += Buffer.byteLength(s);
  },
  stderr: (s) => {
    if (stderr.length < 4000) stderr += s;
  },
  isTTY: false,
  cwd: input.dir,
  env: {},
};
const state = join(input.dir, 'state.sqlite');
// where the RSS goes: V8's heap (used and reserved) against what lives outside it, sampled while the step runs
const peaks = { heapUsed: 0, heapTotal: 0, external: 0 };
type AtPeak = NonNullable<PipelineChildReport['atPeak']>;
const none = (): AtPeak => ({ rss: 0, heapUsed: 0, heapTotal: 0, codeSpace: 0, external: 0 });
let atPeak = none();
// a scan's two phases apart: scanning (collect and check), then writing its outputs (ScanHooks.onScanned)
let phase: Phase = 'scan';
const phases: Record<Phase, PhasePeak> = { scan: { atPeak: none() }, write: { atPeak: none() } };
const sample = () => {
  const m = process.memoryUsage();
  peaks.heapUsed = Math.max(peaks.heapUsed, m.heapUsed);
  peaks.heapTotal = Math.max(peaks.heapTotal, m.heapTotal);
  peaks.external = Math.max(peaks.external, m.external);
  if (m.rss > atPeak.rss || m.rss > phases[phase].atPeak.rss) {
    const code = getHeapSpaceStatistics().find((s) => s.space_name === 'code_space');
    const now = { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, codeSpace: code?.space_size ?? 0, external: m.external };
    if (m.rss > atPeak.rss) atPeak = now;
    if (m.rss > phases[phase].atPeak.rss) phases[phase].atPeak = now;
  }
};
const sampler = setInterval(sample, 250);
sampler.unref();
const cpuBefore = process.cpuUsage();
const started = performance.now();
let code: number;
const scan = { config: configPath, now: input.now, quiet: true, progress: false, lab: input.lab };
const hooks = {
  onScanned() {
    sample();
    phase = 'write';
  },
};
switch (input.step) {
  case 'scan-full':
    code = await scanCommand({ ...scan, out: join(input.dir, 'full'), format: input.formats, state, tickets: false }, io, hooks);
    break;
  case 'scan-stream':
    code = await scanCommand(
      { ...scan, out: join(input.dir, 'stream'), format: 'json,ndjson', state: `${state}-stream`, tickets: false },
      io,
      hooks,
    );
    break;
  case 'scan-json':
    code = await scanCommand({ ...scan, out: join(input.dir, 'json'), format: 'json', state: false }, io, hooks);
    break;
  case 'tickets-dry-run':
    code = await ticketsSyncCommand({ config: configPath, state: `${state}-stream`, dryRun: true, quiet: true }, io);
    break;
  case 'warm-up':
    // the demo organisation, every cloud and format: fills the compile cache the measured steps start with
    code = await scanCommand(
      { demo: true, now: input.now, quiet: true, progress: false, out: join(input.dir, 'warm'), format: input.formats, state: false },
      io,
    );
    break;
  case 'report-from':
    code = await reportCommand(
      { from: join(input.dir, 'json', 'result.json'), out: join(input.dir, 'report'), format: input.formats, quiet: true },
      io,
    );
    break;
}
const wallMs = performance.now() - started;
clearInterval(sampler);
sample();
const cpu = process.cpuUsage(cpuBefore);
const report: PipelineChildReport = {
  step: input.step,
  code,
  wallMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRss: process.resourceUsage().maxRSS * 1024,
  peakHeapUsed: peaks.heapUsed,
  peakHeapTotal: peaks.heapTotal,
  peakExternal: peaks.external,
  atPeak,
  ...(input.step.startsWith('scan-') ? { phases } : {}),
  stdoutBytes,
  stderr,
};
process.send?.(report);
process.disconnect?.();
