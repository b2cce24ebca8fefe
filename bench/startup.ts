// npm run bench:startup [-- --runs 5 --json --bin path/to/bin/snapaudit.js]
//
// How long the CLI takes to start and how much memory it holds doing so, as users run it, up to its first API request:
// `snapaudit --version`; `snapaudit scan --config` against an AWS organisation (4 accounts × 20 regions) served by the
// lab in a process of its own, started beforehand — what a scan of a real cloud does; and `snapaudit scan --demo`,
// whose lab starts inside the process (so its start-up is included). Each run is a fresh process with a probe
// preloaded (bench/startup-probe.ts) that records the first outgoing HTTP request, the peak RSS up to it and the CPU
// used, and ends the process there (the CLI relaunches `scan` under its heap policy: both processes count — RSS is the
// larger one's, CPU their sum). Each case gets an empty compile cache (NODE_COMPILE_CACHE, bin/snapaudit.js): its
// first run is the cold start (the first after an install or upgrade), the median of the others the warm one. A
// benchmark, never a timed test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLabChild } from './estate.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, json: { type: 'boolean', default: false }, bin: { type: 'string' } },
});
const runs = Math.max(2, Number(values.runs));
// --bin: another checkout's CLI (a before/after comparison; the lab and the probe stay this checkout's).
const bin = values.bin ?? new URL('../bin/snapaudit.js', import.meta.url).pathname;
const probe = new URL('./startup-probe.ts', import.meta.url).pathname;

interface ProbeLine {
  pid: number;
  startedAt: number;
  firstRequestAt: number | null;
  firstRequestRss: number | null;
  peakRss: number;
  cpuMs: number;
}

interface Run {
  wallMs: number;
  firstRequestMs: number | null;
  /** The larger process's peak RSS up to the first request (or to exit without one). */
  rssMB: number;
  cpuMs: number;
  processes: number;
}

function once(args: string[], dir: string, cache: string, env: Record<string, string>): Run {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.ndjson`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    env: {
      ...process.env,
      ...env,
      NODE_COMPILE_CACHE: cache,
      STARTUP_PROBE: file,
      STARTUP_PROBE_STOP: '1',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${probe}`.trim(),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const wallMs = Date.now() - started;
  if (r.status !== 0 && r.status !== 1) throw new Error(`snapaudit ${args.join(' ')} exited with ${r.status}: ${r.stderr.slice(0, 500)}`);
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ProbeLine);
  const firsts = lines.flatMap((l) => (l.firstRequestAt === null ? [] : [l.firstRequestAt]));
  return {
    wallMs,
    firstRequestMs: firsts.length ? Math.round(Math.min(...firsts) - started) : null,
    rssMB: Math.round(Math.max(...lines.map((l) => l.firstRequestRss ?? l.peakRss)) / 1048576),
    cpuMs: lines.reduce((n, l) => n + l.cpuMs, 0),
    processes: lines.length,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

const dir = mkdtempSync(join(tmpdir(), 'snapaudit-startup-'));
const lab = await startLabChild(
  { seed: 42, aws: { accounts: 4, regions: 20, snapshotsPerRegion: 12, principalsPerAccount: 20, accessAnalyzer: 'none' } },
  0,
);
try {
  const config = join(dir, 'snapaudit.yaml');
  writeFileSync(config, `version: 1\nproviders:\n  aws:\n    mode: organization\n    endpoint: ${lab.address.endpoints.aws}\n`);
  const creds = lab.address.credentials.aws ?? {};
  const awsEnv = { AWS_ACCESS_KEY_ID: creds.accessKeyId ?? '', AWS_SECRET_ACCESS_KEY: creds.secretAccessKey ?? '' };
  const out = ['--no-state', '--format', 'json', '--out', join(dir, 'out'), '--quiet'];
  const cases: Array<[string, string[], Record<string, string>]> = [
    ['snapaudit --version', ['--version'], {}],
    ['snapaudit scan --config (AWS org, lab running)', ['scan', '--config', config, ...out], awsEnv],
    ['snapaudit scan --demo (lab in-process)', ['scan', '--demo', ...out], {}],
  ];
  const rows = cases.map(([name, args, env], i) => {
    const cache = join(dir, `compile-cache-${i}`);
    const [cold, ...warm] = Array.from({ length: runs }, () => once(args, dir, cache, env)) as [Run, ...Run[]];
    const first = warm.flatMap((r) => (r.firstRequestMs === null ? [] : [r.firstRequestMs]));
    return {
      name,
      runs,
      processes: cold.processes,
      cold,
      warm: {
        wallMs: median(warm.map((r) => r.wallMs)),
        firstRequestMs: first.length ? median(first) : null,
        rssMB: median(warm.map((r) => r.rssMB)),
        cpuMs: median(warm.map((r) => r.cpuMs)),
      },
    };
  });
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else {
    const cell = (r: { firstRequestMs: number | null; wallMs: number; rssMB: number; cpuMs: number }) =>
      `${String(r.firstRequestMs ?? r.wallMs).padStart(6)} ms ${String(r.cpuMs).padStart(5)} ms CPU ${String(r.rssMB).padStart(4)} MB`;
    console.log(`node ${process.version}, ${bin}; to the first API request (or exit), the larger process's peak RSS, both processes' CPU`);
    console.log(`${''.padEnd(48)} ${'cold (first run)'.padEnd(30)} warm (median of ${runs - 1})`);
    for (const r of rows)
      console.log(
        `${r.name.padEnd(48)} ${cell(r.cold).padEnd(30)} ${cell(r.warm)}  (${r.processes} process${r.processes === 1 ? '' : 'es'})`,
      );
  }
} finally {
  await lab.stop();
  rmSync(dir, { recursive: true, force: true });
}
