// npm run bench: scans a seeded synthetic estate served by the lab with injected latency and prints wall time,
// API calls by operation, calls per scope-region, throttles and peak RSS. Options: --scale N, --latency MS, --seed S.
import { parseArgs } from 'node:util';
import { selectChecks } from '../checks/index.ts';
import { generateEstate } from '../lab/generate.ts';
import { parseEstate } from '../lab/estate.ts';
import { startLab } from '../lab/server.ts';
import { createAdapters } from '../providers/index.ts';
import { labConnections } from '../src/cli/scan-command.ts';
import { parseConfig } from '../src/config/load.ts';
import { systemClock } from '../src/engine/clock.ts';
import { runScan } from '../src/engine/scan.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    latency: { type: 'string', default: '25' },
    seed: { type: 'string', default: '42' },
    accounts: { type: 'string' },
  },
});
const scale = Number(values.scale);
const latencyMs = Number(values.latency);
const accounts = values.accounts ? Number(values.accounts) : 200 * scale;

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const estate = parseEstate(
  generateEstate({ seed: Number(values.seed), aws: { accounts, regions: 17, snapshotsPerRegion: 20 } }),
  'generated',
);
const lab = await startLab({ estate, providers: ['aws'], latencyMs });
// The generated estate has no organisation yet: scan the first account, as single-account mode does.
const base = parseConfig({
  version: 1,
  providers: { aws: { shareLookup: { enabled: false } } },
  scan: { concurrency: { scopes: 32, callsPerScope: 16, callsPerProvider: 256 } },
});
const { config, connections } = labConnections(lab, base);
const started = performance.now();
const result = await runScan({
  adapters: createAdapters(config, ['aws'], connections),
  checks: selectChecks({ include: [], exclude: [] }),
  config,
  clock: systemClock,
});
const wallMs = performance.now() - started;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
await lab.close();

const scopeRegions = result.scopes.reduce((n, s) => n + s.scope.regions.length, 0);
const conc = config.scan.concurrency.callsPerScope * Math.min(config.scan.concurrency.scopes, result.scopes.length);
const lowerBoundMs = (result.stats.apiCalls / conc) * latencyMs;
console.log(`estate: ${accounts} generated accounts (scanned ${result.scopes.length} in single-account mode), latency ${latencyMs} ms`);
console.log(`wall time:            ${(wallMs / 1000).toFixed(2)} s`);
console.log(
  `api calls:            ${result.stats.apiCalls} (${(result.stats.apiCalls / Math.max(1, scopeRegions)).toFixed(2)} per scope-region)`,
);
console.log(`throttles / retries:  ${result.stats.throttles} / ${result.stats.retries}`);
console.log(`peak RSS:             ${(peakRss / 1048576).toFixed(0)} MB`);
console.log(
  `lower bound:          ${(lowerBoundMs / 1000).toFixed(2)} s (calls ÷ ${conc} concurrent × ${latencyMs} ms); ratio ${(wallMs / lowerBoundMs).toFixed(2)}`,
);
for (const [op, n] of Object.entries(result.stats.operations)) console.log(`  ${op.padEnd(48)} ${n}`);
