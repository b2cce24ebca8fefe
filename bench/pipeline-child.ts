// One step of the pipeline bench, in a process of its own so that its peak RSS is measured alone: a scan as a user
// runs it (the CLI's own scan command: state store, formats, the lab reached over the wire), a ticket dry-run from
// the state store, or a re-render of result.json with `report --from`. Reports wall time, CPU and peak RSS.
// scan-stream records into a state store of its own (state.sqlite-stream), which tickets-dry-run plans from.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../src/cli/io.ts';
import { reportCommand } from '../src/cli/report-command.ts';
import { scanCommand } from '../src/cli/scan-command.ts';
import { ticketsSyncCommand } from '../src/cli/tickets-command.ts';
import type { ConfigInput } from '../src/core/config/schema.ts';
import type { LabAddress } from './estate.ts';

export type PipelineStep = 'scan-full' | 'scan-stream' | 'scan-json' | 'tickets-dry-run' | 'report-from';

export interface PipelineChildInput {
  step: PipelineStep;
  dir: string;
  lab: LabAddress;
  config: ConfigInput;
  formats: string;
  now: string;
}

export interface PipelineChildReport {
  step: PipelineStep;
  code: number;
  wallMs: number;
  cpuMs: number;
  peakRss: number;
  /** Peaks of V8's heap in use, of the heap V8 had reserved, and of memory outside it (Buffers, native), sampled each second. */
  peakHeapUsed?: number;
  peakHeapTotal?: number;
  peakExternal?: number;
  stdoutBytes: number;
  stderr: string;
}

const input = JSON.parse(process.argv[2] ?? '{}') as PipelineChildInput;
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
const sample = () => {
  const m = process.memoryUsage();
  peaks.heapUsed = Math.max(peaks.heapUsed, m.heapUsed);
  peaks.heapTotal = Math.max(peaks.heapTotal, m.heapTotal);
  peaks.external = Math.max(peaks.external, m.external);
};
const sampler = setInterval(sample, 1000);
sampler.unref();
const cpuBefore = process.cpuUsage();
const started = performance.now();
let code: number;
const scan = { config: configPath, now: input.now, quiet: true, progress: false, lab: input.lab };
switch (input.step) {
  case 'scan-full':
    code = await scanCommand({ ...scan, out: join(input.dir, 'full'), format: input.formats, state, tickets: false }, io);
    break;
  case 'scan-stream':
    code = await scanCommand(
      { ...scan, out: join(input.dir, 'stream'), format: 'json,ndjson', state: `${state}-stream`, tickets: false },
      io,
    );
    break;
  case 'scan-json':
    code = await scanCommand({ ...scan, out: join(input.dir, 'json'), format: 'json', state: false }, io);
    break;
  case 'tickets-dry-run':
    code = await ticketsSyncCommand({ config: configPath, state: `${state}-stream`, dryRun: true, quiet: true }, io);
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
  stdoutBytes,
  stderr,
};
process.send?.(report);
process.disconnect?.();
