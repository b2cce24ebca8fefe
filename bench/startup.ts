// npm run bench:startup [-- --runs 5 --json --bin path/to/bin/snapaudit.js --package --cases config,version,demo]
//
// How long the CLI takes to start and how much memory it holds doing so, as users run it, up to its first API request:
// `snapaudit --version`; `snapaudit scan --config` against an AWS organisation (4 accounts × 20 regions) served by the
// lab in a process of its own, started beforehand — what a scan of a real cloud does; and `snapaudit scan --demo`,
// whose lab starts inside the process (so its start-up is included). Each run is a fresh process with a probe
// preloaded (bench/startup-probe.js) that records the first outgoing HTTP request, the peak RSS up to it and the CPU
// used, and ends the process there (the CLI relaunches `scan` under its heap policy: both processes count — RSS is the
// larger one's, CPU their sum). The CLI keeps V8's compile cache (NODE_COMPILE_CACHE, bin/snapaudit.js): each case
// runs `--runs` times cold (an empty compile cache, deleted after: the first run after an install or upgrade, or any
// run where the cache cannot be written) alternated with as many warm runs (a cache the case filled beforehand), and
// prints the median of each. By default the checkout's CLI runs — its TypeScript sources, or dist/ once `npm run
// build` made it; `--package` packs the checkout (`npm pack`, which builds dist/) and installs the tarball without
// dev dependencies into a temporary folder, and runs that: the compiled CLI as users install it. `--bin` runs another
// checkout's CLI for a before/after comparison (the lab and the probe stay this checkout's). A benchmark, never a timed
// test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { childEnv, packCheckout, pkg, run } from '../test/package/support.ts';
import { startLabChild } from './estate.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
    bin: { type: 'string' },
    package: { type: 'boolean', default: false },
    cases: { type: 'string', default: 'version,config,demo' },
  },
});
const runs = Math.max(1, Number(values.runs));
const probe = new URL('./startup-probe.js', import.meta.url).pathname;

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

function once(bin: string, args: string[], dir: string, cache: string, env: Record<string, string>): Run {
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
  rmSync(file);
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

function summary(rs: Run[]) {
  const first = rs.flatMap((r) => (r.firstRequestMs === null ? [] : [r.firstRequestMs]));
  return {
    wallMs: median(rs.map((r) => r.wallMs)),
    firstRequestMs: first.length ? median(first) : null,
    rssMB: median(rs.map((r) => r.rssMB)),
    cpuMs: median(rs.map((r) => r.cpuMs)),
  };
}

/** Packs the checkout and installs the tarball without dev dependencies, as a user does: the installed CLI's bin. */
async function installPackage(dir: string): Promise<string> {
  mkdirSync(join(dir, 'stage'));
  const tarball = await packCheckout(join(dir, 'stage'), dir);
  const target = join(dir, 'installed');
  mkdirSync(target);
  const npm = ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball];
  const r = await run('npm', npm, { cwd: target, env: childEnv() });
  if (r.code !== 0) throw new Error(`npm install of the packed package failed (${r.code}):\n${r.stderr}`);
  return join(target, 'node_modules', pkg.name, 'bin', 'snapaudit.js');
}

const dir = mkdtempSync(join(tmpdir(), 'snapaudit-startup-'));
try {
  // --bin: another checkout's CLI (a before/after comparison); --package: this checkout's, packed and installed.
  const bin = values.bin ?? (values.package ? await installPackage(dir) : new URL('../bin/snapaudit.js', import.meta.url).pathname);
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
    const all: Array<[string, string, string[], Record<string, string>]> = [
      ['version', 'snapaudit --version', ['--version'], {}],
      ['config', 'snapaudit scan --config (AWS org, lab running)', ['scan', '--config', config, ...out], awsEnv],
      ['demo', 'snapaudit scan --demo (lab in-process)', ['scan', '--demo', ...out], {}],
    ];
    const wanted = values.cases.split(',').map((c) => c.trim());
    const load = [loadavg()[0] ?? 0];
    const rows = all
      .filter(([id]) => wanted.includes(id))
      .map(([, name, args, env], i) => {
        const warmCache = join(dir, `compile-cache-warm-${i}`);
        once(bin, args, dir, warmCache, env); // fills the warm cache
        const cold: Run[] = [];
        const warm: Run[] = [];
        for (let k = 0; k < runs; k++) {
          const coldCache = join(dir, `compile-cache-cold-${i}-${k}`);
          cold.push(once(bin, args, dir, coldCache, env));
          rmSync(coldCache, { recursive: true, force: true });
          warm.push(once(bin, args, dir, warmCache, env));
          load.push(loadavg()[0] ?? 0);
        }
        return { name, runs, processes: cold[0]?.processes ?? 0, cold: summary(cold), warm: summary(warm) };
      });
    const loadRange = `${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`;
    if (values.json) console.log(JSON.stringify({ bin, node: process.version, load: loadRange, rows }, null, 2));
    else {
      const cell = (r: { firstRequestMs: number | null; wallMs: number; rssMB: number; cpuMs: number }) =>
        `${String(r.firstRequestMs ?? r.wallMs).padStart(6)} ms ${String(r.cpuMs).padStart(5)} ms CPU ${String(r.rssMB).padStart(4)} MB`;
      console.log(`node ${process.version}, ${bin}, load ${loadRange}`);
      console.log('to the first API request (or exit), the larger process peak RSS, both processes CPU; medians');
      console.log(`${''.padEnd(48)} ${`cold (${runs} runs)`.padEnd(30)} warm (${runs} runs)`);
      for (const r of rows)
        console.log(
          `${r.name.padEnd(48)} ${cell(r.cold).padEnd(30)} ${cell(r.warm)}  (${r.processes} process${r.processes === 1 ? '' : 'es'})`,
        );
    }
  } finally {
    await lab.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
