/**
 * The lab's credentials and tokens must never appear in any output file or log line, whatever format or log mode.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEstate } from '../../lab/estate.ts';
import { startLab } from '../../lab/server.ts';
import { availableFormats } from '../../reports/index.ts';
import { DEMO_ESTATE } from '../../src/cli/scan-command.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { NOW } from '../support/lab.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('secrets', () => {
  it('no lab credential or token appears in any output file or log', async () => {
    const lab = await startLab({ estate: loadEstate(DEMO_ESTATE) });
    const secrets = Object.values(lab.credentials)
      .flatMap((c) => Object.values(c ?? {}))
      .filter((v) => v.length >= 8);
    await lab.close();
    expect(secrets.length).toBeGreaterThan(0);

    const cwd = tempDir();
    const runs = [
      await runCli(['scan', '--demo', '--out', 'out', '--format', availableFormats().join(','), '--now', NOW, '--log-format', 'json'], {
        cwd,
      }),
      await runCli(['scan', '--demo', '--out', 'out2', '--now', NOW, '--log-format', 'text'], { cwd, isTTY: true }),
    ];
    const texts = [...runs.flatMap((r) => [r.stdout, r.stderr]), ...filesUnder(join(cwd, 'out')).map((f) => readFileSync(f, 'utf8'))];
    for (const secret of secrets) {
      for (const t of texts) expect(t.includes(secret)).toBe(false);
    }
  });
});
