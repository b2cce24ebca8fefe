// The bench's lab, in its own process so that the scanner's peak RSS is measured alone. It generates the estate
// from the seed it is given, writes beside it the calls each cloud forces for it (lab/forced.ts, from the estate
// alone), serves it, and on "stop" reports the request counts it saw and exits.
import { generateEstate, type GenerateOptions } from '../lab/generate.ts';
import { parseEstate } from '../lab/estate.ts';
import { forcedCalls } from '../lab/forced.ts';
import type { FaultRule } from '../lab/core.ts';
import { startLab } from '../lab/server.ts';

const opts = JSON.parse(process.argv[2] ?? '{}') as {
  generate: GenerateOptions;
  latencyMs: number;
  faults?: FaultRule[];
  shareLookup?: boolean;
};
const started = performance.now();
const estate = parseEstate(generateEstate(opts.generate), 'generated estate');
const generatedMs = performance.now() - started;
const forced = forcedCalls(estate, { shareLookup: opts.shareLookup ?? true });
const lab = await startLab({ estate, latencyMs: opts.latencyMs, faults: opts.faults ?? [] });
// the CPU spent serving (from ready to stop) apart from generating the estate and starting
const ready = process.cpuUsage();
process.send?.({ type: 'ready', endpoints: lab.endpoints, credentials: lab.credentials, ca: lab.ca, generatedMs, forced });
process.on('message', async (msg: { type: string }) => {
  if (msg.type !== 'stop') return;
  const byProvider: Record<string, number> = {};
  for (const e of lab.log.entries) byProvider[e.provider] = (byProvider[e.provider] ?? 0) + 1;
  const cpu = process.cpuUsage();
  const serving = process.cpuUsage(ready);
  process.send?.({
    type: 'stopped',
    requests: lab.log.entries.length,
    byProvider,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    servingCpuMs: Math.round((serving.user + serving.system) / 1000),
  });
  await lab.close();
  process.exit(0);
});
