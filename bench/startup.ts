// npm run bench:startup [-- --runs 5 --json]
//
// How long the CLI takes to start and how much memory it holds doing so, as users run it: `snapaudit --version`, and
// `snapaudit scan --demo` up to its first API request (the demo's lab starts inside the process, so that time is
// included). Each run is a fresh process with a probe preloaded (bench/startup-probe.ts) that records the first
// outgoing HTTP request and each process's peak RSS (the CLI relaunches `scan` under its heap policy: both processes
// count). Prints the median of the runs. A benchmark, never a timed test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, json: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const bin = new URL('../bin/snapaudit.js', import.meta.url).pathname;
const probe = new URL('./startup-probe.ts', import.meta.url).pathname;

interface ProbeLine {
  pid: number;
  startedAt: number;
  firstRequestAt: number | null;
  peakRss: number;
}

interface Run {
  wallMs: number;
  firstRequestMs: number | null;
  peakRssMB: number;
  processes: number;
}

function once(args: string[], dir: string): Run {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.ndjson`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    env: { ...process.env, STARTUP_PROBE: file, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${probe}`.trim() },
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
    peakRssMB: Math.round(Math.max(...lines.map((l) => l.peakRss)) / 1048576),
    processes: lines.length,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

const dir = mkdtempSync(join(tmpdir(), 'snapaudit-startup-'));
try {
  const cases: Array<[string, string[]]> = [
    ['snapaudit --version', ['--version']],
    ['snapaudit scan --demo (to the first request)', ['scan', '--demo', '--format', 'json', '--out', join(dir, 'out'), '--quiet']],
  ];
  const rows = cases.map(([name, args]) => {
    const all = Array.from({ length: runs }, () => once(args, dir));
    const first = all.flatMap((r) => (r.firstRequestMs === null ? [] : [r.firstRequestMs]));
    return {
      name,
      runs,
      processes: all[0]?.processes ?? 0,
      wallMs: median(all.map((r) => r.wallMs)),
      firstRequestMs: first.length ? median(first) : null,
      peakRssMB: median(all.map((r) => r.peakRssMB)),
    };
  });
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else {
    console.log(`median of ${runs} runs, node ${process.version}, ${bin}`);
    for (const r of rows)
      console.log(
        `${r.name.padEnd(48)} wall ${String(r.wallMs).padStart(6)} ms  first request ${r.firstRequestMs === null ? '     –' : String(r.firstRequestMs).padStart(6)} ms  peak RSS ${String(r.peakRssMB).padStart(4)} MB  (${r.processes} process${r.processes === 1 ? '' : 'es'})`,
      );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
