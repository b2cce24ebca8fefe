/** `snapaudit tickets sync` and tickets at the end of `scan`: configuration problems exit 2 before anything is written. */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli, tempDir as newTempDir } from '../support/cli.ts';
import { NOW } from '../support/lab.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { startGithub } from './servers/github.ts';
import { readWrittenResult } from '../support/result.ts';
import { allFindings } from '../../src/core/model/order.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = newTempDir();
  dirs.push(d);
  return d;
}

function config(cwd: string, tickets: Record<string, unknown> | null): string {
  writeFileSync(join(cwd, 'cfg.yaml'), stringify({ version: 1, providers: { aws: {} }, ...(tickets ? { tickets } : {}) }));
  return 'cfg.yaml';
}

/** How many tickets the demo scan in `cwd` asks for: its open findings at or above `critical` (the config's minSeverity). */
function due(cwd: string): number {
  const result = readWrittenResult(join(cwd, 'snapaudit-out', 'result.json'));
  const n = allFindings(result).filter((f) => f.status === 'open' && f.severity === 'critical').length;
  expect(n).toBeGreaterThan(0);
  return n;
}

const gh = (url: string, extra: Record<string, unknown> = {}) => ({
  sink: 'github',
  minSeverity: 'critical',
  github: { repo: 'acme/sec', apiUrl: url },
  ...extra,
});

describe('tickets from the command line', () => {
  it('scan with tickets.enabled and no credential exits 2 naming the variable, before scanning or writing', async () => {
    const cwd = tempDir();
    const cfg = config(cwd, gh('http://127.0.0.1:9', { enabled: true }));
    const run = await runCli(['scan', '--demo', '--config', cfg, '--out', 'out'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tickets: neither SNAPAUDIT_GITHUB_TOKEN nor GITHUB_TOKEN is set\. Fix: export SNAPAUDIT_GITHUB_TOKEN/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    expect(existsSync(join(cwd, '.snapaudit'))).toBe(false);
    // --no-tickets scans without them
    expect((await runCli(['scan', '--demo', '--config', cfg, '--no-tickets', '--quiet', '--fail-on', 'none'], { cwd })).code).toBe(0);
  });

  it('scan with tickets.enabled syncs at the end; tickets sync then has nothing to do', async () => {
    const server = await startGithub({ token: 'ghp_cli', repos: ['acme/sec'] });
    try {
      const cwd = tempDir();
      const cfg = config(cwd, gh(server.url, { enabled: true }));
      const env = { SNAPAUDIT_GITHUB_TOKEN: 'ghp_cli' };
      const scan = await runCli(['scan', '--demo', '--config', cfg, '--now', NOW, '--fail-on', 'none'], { cwd, env });
      expect(scan.code, scan.stderr).toBe(0);
      const n = due(cwd);
      expect(scan.stdout).toMatch(
        new RegExp(`^tickets sync → github acme/sec · scan [0-9a-f]{16}: ${n} to open, 0 to comment, 0 to close, 0 to reopen$`, 'm'),
      );
      expect(scan.stdout).toMatch(/^ {2}created +#1 +[0-9a-f]{24}$/m);
      expect(server.issues.get('acme/sec')).toHaveLength(n);
      const sync = await runCli(['tickets', 'sync', '--config', cfg], { cwd, env });
      expect(sync.code).toBe(0);
      expect(sync.stdout).toMatch(/nothing to do: tickets are in sync/);
    } finally {
      await server.close();
    }
  });

  it('an interrupted scan opens no tickets, and tickets sync refuses to follow it', async () => {
    const server = await startGithub({ token: 'ghp_cli', repos: ['acme/sec'] });
    try {
      const cwd = tempDir();
      const estate = tempDir();
      const demo = new URL('../../lab/estates/demo/', import.meta.url);
      for (const f of ['estate.yaml', 'aws.yaml']) writeFileSync(join(estate, f), readFileSync(new URL(f, demo)));
      writeFileSync(join(estate, 'faults.yaml'), 'faults:\n  - kind: latency\n    ms: 60\n');
      const cfg = config(cwd, gh(server.url, { enabled: true, minSeverity: 'high' }));
      const env = { SNAPAUDIT_GITHUB_TOKEN: 'ghp_cli' };
      const scan = await runCli(['scan', '--demo', '--estate', estate, '--config', cfg, '--now', NOW], {
        cwd,
        env,
        onSignal: (fire) => setTimeout(() => fire('SIGINT'), 300),
      });
      expect(scan.code).toBe(3);
      expect(scan.stdout).toMatch(/tickets: not synced: the scan was interrupted/);
      expect(server.issues.get('acme/sec') ?? []).toHaveLength(0);
      const sync = await runCli(['tickets', 'sync', '--config', cfg], { cwd, env });
      expect(sync.code).not.toBe(0);
      expect(sync.stderr).toMatch(/was interrupted; tickets follow scans that ran to the end/);
      expect(server.issues.get('acme/sec') ?? []).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('tickets sync explains a missing tickets section, a missing store and a missing --config', async () => {
    const cwd = tempDir();
    expect((await runCli(['tickets', 'sync'], { cwd })).stderr).toMatch(/required option '-c, --config <file>'/);
    const none = await runCli(['tickets', 'sync', '--config', config(cwd, null)], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/the config has no tickets section\. Fix: add one/);
    const noStore = await runCli(['tickets', 'sync', '--dry-run', '--config', config(cwd, gh('http://127.0.0.1:9'))], { cwd });
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toMatch(/no state store there yet/);
  });

  it('a ticket system that stays down makes tickets sync exit 3 without hiding the scan', async () => {
    const server = await startGithub({ token: 'ghp_cli', repos: ['acme/sec'] });
    try {
      const cwd = tempDir();
      const cfg = config(cwd, gh(server.url, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }));
      await runCli(['scan', '--demo', '--config', cfg, '--now', NOW, '--quiet'], { cwd });
      server.faults.push({ match: /./, status: 503, times: 100 });
      const sync = await runCli(['tickets', 'sync', '--config', cfg], { cwd, env: { SNAPAUDIT_GITHUB_TOKEN: 'ghp_cli' } });
      expect(sync.code).toBe(3);
      expect(sync.stdout).toMatch(/FAILED +create [0-9a-f]{24}: .*503/);
      expect(sync.stderr).toMatch(/"event":"tickets.retry"/);
      expect(`${sync.stdout}${sync.stderr}`).not.toContain('ghp_cli');
    } finally {
      await server.close();
    }
  });

  it('tickets sync --reconcile rebuilds a lost ledger from the repository; --close-unknown needs --reconcile', async () => {
    const server = await startGithub({ token: 'ghp_cli', repos: ['acme/sec'] });
    try {
      const cwd = tempDir();
      const cfg = config(cwd, gh(server.url, { enabled: true }));
      const env = { SNAPAUDIT_GITHUB_TOKEN: 'ghp_cli' };
      expect((await runCli(['scan', '--demo', '--config', cfg, '--now', NOW, '--fail-on', 'none', '--quiet'], { cwd, env })).code).toBe(0);
      const n = due(cwd);
      expect(server.issues.get('acme/sec')).toHaveLength(n);
      const store = StateStore.open(join(cwd, '.snapaudit/state.sqlite'), { create: false });
      store.deleteTicketLinks('github');
      store.close();

      const misuse = await runCli(['tickets', 'sync', '--config', cfg, '--close-unknown'], { cwd, env });
      expect(misuse.code).toBe(2);
      expect(misuse.stderr).toMatch(/--close-unknown works with --reconcile\. Fix: add --reconcile/);

      const sync = await runCli(['tickets', 'sync', '--config', cfg, '--reconcile'], { cwd, env });
      expect(sync.code, sync.stderr).toBe(0);
      expect(sync.stdout).toMatch(/^ {2}adopted +#1 +[0-9a-f]{24}$/m);
      expect(server.issues.get('acme/sec')).toHaveLength(n);
      expect((await runCli(['tickets', 'sync', '--config', cfg], { cwd, env })).stdout).toMatch(/nothing to do: tickets are in sync/);
    } finally {
      await server.close();
    }
  });

  it('tickets export prints the state every ticket should be in, without credentials', async () => {
    const cwd = tempDir();
    const cfg = config(cwd, gh('http://127.0.0.1:9'));
    await runCli(['scan', '--demo', '--config', cfg, '--now', NOW, '--quiet', '--fail-on', 'none'], { cwd });
    const run = await runCli(['tickets', 'export', '--config', cfg], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      scanId: string;
      scanComplete: boolean;
      sink: string;
      tickets: Array<{ marker: string; state: string }>;
    };
    expect(out.sink).toBe('github');
    expect(out.scanId).toMatch(/^[0-9a-f]{16}$/);
    const n = due(cwd);
    expect(out.tickets.map((t) => [t.state, /^snapaudit-[0-9a-f]{24}$/.test(t.marker)])).toEqual(
      Array.from({ length: n }, () => ['open', true]),
    );
  });

  it('a create the ticket system did not confirm leaves tickets sync at exit 3, and the next sync settles it', async () => {
    const server = await startGithub({ token: 'ghp_cli', repos: ['acme/sec'] });
    try {
      const cwd = tempDir();
      const cfg = config(cwd, gh(server.url, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, confirmCreateMs: 0 } }));
      const env = { SNAPAUDIT_GITHUB_TOKEN: 'ghp_cli' };
      await runCli(['scan', '--demo', '--config', cfg, '--now', NOW, '--quiet', '--fail-on', 'none'], { cwd });
      server.faults.push({ match: /^POST \/repos\/acme\/sec\/issues$/, status: 502, times: 1 });
      const first = await runCli(['tickets', 'sync', '--config', cfg], { cwd, env });
      expect(first.code).toBe(3);
      expect(first.stdout).toMatch(/PENDING +snapaudit-[0-9a-f]{24}: the create failed without saying whether the ticket was made/);
      expect(first.stderr).toMatch(/"event":"tickets.create-unconfirmed"/);
      // One create failed without an answer; the others went through.
      const n = due(cwd);
      expect(server.issues.get('acme/sec') ?? []).toHaveLength(n - 1);
      const second = await runCli(['tickets', 'sync', '--config', cfg], { cwd, env });
      expect(second.code).toBe(0);
      expect(server.issues.get('acme/sec')).toHaveLength(n);
    } finally {
      await server.close();
    }
  });
});
