// The "small org" preset of the bench (npm run bench -- --preset small-org [--runs 3 --latency 50 --access-analyzer
// organization --json]): the scan users run most often — an AWS organisation of 4 accounts × 20 regions, 12 snapshots
// per account-region, 20 principals per account — served by the lab in a child process with 50 ms latency, and
// scanned by the CLI exactly as users start it (`snapaudit scan`, which relaunches itself under its heap policy),
// timed as a whole process from spawn to exit. A probe preloaded into every process (bench/startup-probe.js) records
// the first API request, the peak RSS up to it and each process's peak RSS. Prints the median of the runs: wall time,
// time to the first API request, peak RSS (the largest process), and the calls against what the cloud forces
// (lab/forced.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { totalCalls } from '../lab/forced.ts';
import { startLabChild } from './estate.ts';

export interface SmallOrgOptions {
  runs: number;
  latencyMs: number;
  seed: number;
  accessAnalyzer: 'none' | 'organization';
  json: boolean;
}

/** The CLI's default calls in flight: 8 per scope, 8 scopes, at most 64 per provider (docs/configuration.md). */
const inFlight = (scopes: number) => Math.min(64, 8 * Math.min(8, scopes));

interface ProbeLine {
  startedAt: number;
  firstRequestAt: number | null;
  firstRequestRss: number | null;
  peakRss: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function runSmallOrg(o: SmallOrgOptions): Promise<void> {
  const accounts = 4;
  const generate = {
    seed: o.seed,
    aws: { accounts, regions: 20, snapshotsPerRegion: 12, principalsPerAccount: 20, accessAnalyzer: o.accessAnalyzer },
  };
  const lab = await startLabChild(generate, o.latencyMs, true);
  const dir = mkdtempSync(join(tmpdir(), 'snapaudit-small-org-'));
  const bin = new URL('../bin/snapaudit.js', import.meta.url).pathname;
  const probe = new URL('./startup-probe.js', import.meta.url).pathname;
  try {
    const config = join(dir, 'snapaudit.yaml');
    writeFileSync(config, `version: 1\nproviders:\n  aws:\n    mode: organization\n    endpoint: ${lab.address.endpoints.aws}\n`);
    const creds = lab.address.credentials.aws ?? {};
    const runs = Array.from({ length: o.runs }, (_, i) => {
      const file = join(dir, `probe-${i}.ndjson`);
      const out = join(dir, `out-${i}`);
      const started = Date.now();
      const r = spawnSync(process.execPath, [bin, 'scan', '--config', config, '--no-state', '--format', 'json', '--out', out, '--quiet'], {
        cwd: dir,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: creds.accessKeyId ?? '',
          AWS_SECRET_ACCESS_KEY: creds.secretAccessKey ?? '',
          STARTUP_PROBE: file,
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${probe}`.trim(),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      });
      const wallMs = Date.now() - started;
      if (r.status !== 0 && r.status !== 1) throw new Error(`snapaudit scan exited with ${r.status}: ${r.stderr.slice(0, 500)}`);
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as ProbeLine);
      const firsts = lines.flatMap((l) => (l.firstRequestAt === null ? [] : [l.firstRequestAt]));
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
        stats: { apiCalls: number; operations: Record<string, number> };
        scan: { complete: boolean };
      };
      return {
        wallMs,
        firstRequestMs: firsts.length ? Math.min(...firsts) - started : Number.NaN,
        // MiB (bytes ÷ 1,048,576), the unit of issue 19's targets: the keys say MB for what are MiB
        peakRssMB: Math.round(Math.max(...lines.map((l) => l.peakRss)) / 1048576),
        firstRequestRssMB: Math.round(Math.max(...lines.map((l) => l.firstRequestRss ?? 0)) / 1048576),
        processes: lines.length,
        calls: result.stats.apiCalls,
        operations: result.stats.operations,
        complete: result.scan.complete,
      };
    });
    const forcedOps = lab.forced.aws ?? {};
    const forced = totalCalls(forcedOps);
    const last = runs[runs.length - 1];
    const calls = last?.calls ?? 0;
    const wallMs = median(runs.map((r) => r.wallMs));
    const boundMs = (forced / inFlight(accounts)) * o.latencyMs;
    const summary = {
      preset: 'small-org',
      estate: { accounts, regions: 20, snapshotsPerRegion: 12, latencyMs: o.latencyMs, accessAnalyzer: o.accessAnalyzer },
      runs: o.runs,
      processes: last?.processes ?? 0,
      complete: runs.every((r) => r.complete),
      wallSeconds: +(wallMs / 1000).toFixed(2),
      firstRequestSeconds: +(median(runs.map((r) => r.firstRequestMs)) / 1000).toFixed(2),
      peakRssMB: median(runs.map((r) => r.peakRssMB)),
      firstRequestRssMB: median(runs.map((r) => r.firstRequestRssMB)),
      apiCalls: calls,
      forcedCalls: forced,
      callEfficiency: +(calls / forced).toFixed(2),
      lowerBoundSeconds: +(boundMs / 1000).toFixed(2),
      timeEfficiency: +(wallMs / boundMs).toFixed(2),
      overForced: Object.entries(last?.operations ?? {})
        .map(([op, made]) => ({ op, made, forced: forcedOps[op]?.calls ?? 0 }))
        .filter((x) => x.made > x.forced),
    };
    if (o.json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(
        `small org: ${accounts} accounts × 20 regions, 12 snapshots per account-region, latency ${o.latencyMs} ms, Access Analyzer ${o.accessAnalyzer}; median of ${o.runs} run(s) of \`snapaudit scan\` (${summary.processes} processes)`,
      );
      console.log(
        `whole process ${summary.wallSeconds} s · first API request ${summary.firstRequestSeconds} s (peak RSS ${summary.firstRequestRssMB} MiB by then) · peak RSS ${summary.peakRssMB} MiB · complete ${summary.complete}`,
      );
      console.log(
        `calls ${calls} · forced ${forced} · call efficiency ${summary.callEfficiency} · lower bound ${summary.lowerBoundSeconds} s (${inFlight(accounts)} in flight) · time efficiency ${summary.timeEfficiency}`,
      );
      console.log('operations where made > forced (made, forced):');
      if (summary.overForced.length === 0) console.log('  none');
      for (const x of summary.overForced) console.log(`  ${x.op.padEnd(58)} ${String(x.made).padStart(8)} ${String(x.forced).padStart(8)}`);
    }
  } finally {
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
