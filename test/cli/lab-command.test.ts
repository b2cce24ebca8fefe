import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.ts';

describe('snapaudit lab serve and bad estates', () => {
  it('serves the demo estate, prints one endpoint per cloud, answers a real request and stops on SIGINT', async () => {
    let endpoint = '';
    const run = await runCli(['lab', 'serve', '--estate', 'lab/estates/demo', '--provider', 'gcp'], {
      cwd: process.cwd(),
      onSignal: (fire) => {
        const poll = setInterval(async () => {
          if (!endpoint) return;
          clearInterval(poll);
          await fetch(`${endpoint}/v3/projects:search`).catch(() => null);
          fire('SIGINT');
        }, 20);
      },
      onStdout: (text) => {
        endpoint ||= /gcp\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1] ?? '';
      },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/snapaudit lab serving "demo"/);
    expect(run.stdout).toMatch(/served 1 request\(s\)/);
    // Set-up lines for GCP too, as for AWS and Azure: the endpoint to configure, the token, how to scan it.
    expect(run.stdout).toContain(`GCP: set providers.gcp.endpoint to ${endpoint}`);
    expect(run.stdout).toMatch(
      /curl -H "Authorization: Bearer lab-gcp-token-never-real-0+" http:\/\/127\.0\.0\.1:\d+\/v3\/projects:search/,
    );
    expect(run.stdout).toContain('snapaudit scan --demo --estate lab/estates/demo --provider gcp');
  });

  it("writes the lab's CA into a private folder (0700, file 0600) with a random name, and removes it on stop", async () => {
    let caFile = '';
    const modes: { dir: number; file: number } = { dir: 0, file: 0 };
    const run = await runCli(['lab', 'serve', '--estate', 'lab/estates/demo', '--provider', 'azure'], {
      cwd: process.cwd(),
      onSignal: (fire) => {
        const poll = setInterval(() => {
          if (!caFile) return;
          clearInterval(poll);
          modes.dir = statSync(dirname(caFile)).mode & 0o777;
          modes.file = statSync(caFile).mode & 0o777;
          fire('SIGINT');
        }, 20);
      },
      onStdout: (text) => {
        caFile ||= /NODE_EXTRA_CA_CERTS=(\S+)/.exec(text)?.[1] ?? '';
      },
    });
    expect(run.code).toBe(0);
    expect(caFile).toMatch(/snapaudit-lab-[A-Za-z0-9]{6}[\\/]ca\.pem$/);
    expect(caFile).not.toContain(String(process.pid));
    expect(modes).toEqual({ dir: 0o700, file: 0o600 });
    expect(existsSync(dirname(caFile))).toBe(false);
  });

  it('rejects an estate with an unknown field: exit 2 naming it, nothing written', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'bad.yaml'),
      'estateVersion: 1\naws:\n  accounts:\n    - id: "123456789012"\n      name: a\n      snapshotz: []\n',
    );
    const run = await runCli(['scan', '--demo', '--estate', 'bad.yaml', '--out', 'out'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml: aws\.accounts\.0\.snapshotz: unknown field/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    const missing = await runCli(['lab', 'serve', '--estate', 'nope.yaml'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml: no such estate file or folder/);
  });
});
