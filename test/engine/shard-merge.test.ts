import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.ts';
import { assertValidResult, NOW } from '../support/lab.ts';

/** Everything but the API-call counters (each shard repeats discovery). */
function comparable(r: Record<string, unknown>) {
  const { stats, ...rest } = r as { stats: { scopes: unknown } };
  return { ...rest, scopes: (rest as { scopes: unknown }).scopes, scopeStats: stats.scopes };
}

describe('--shard and merge', () => {
  it('four shards merged equal the unsharded scan', async () => {
    const cwd = tempDir();
    const whole = await runCli(['scan', '--demo', '--out', 'whole', '--now', NOW, '--quiet'], { cwd });
    expect(whole.code).toBe(0);
    for (let i = 0; i < 4; i++) {
      const r = await runCli(['scan', '--demo', '--shard', `${i}/4`, '--out', `shard-${i}`, '--now', NOW, '--quiet'], { cwd });
      expect(r.code).toBe(0);
    }
    const merge = await runCli(['merge', '--out', 'merged', ...[0, 1, 2, 3].map((i) => `shard-${i}/result.json`)], { cwd });
    expect(merge.code).toBe(0);
    const a = JSON.parse(readFileSync(join(cwd, 'whole', 'result.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(cwd, 'merged', 'result.json'), 'utf8'));
    assertValidResult(b);
    expect(comparable(b)).toEqual(comparable(a));
  });

  it('refuses a shard given twice and a file that is not a result', async () => {
    const cwd = tempDir();
    await runCli(['scan', '--demo', '--shard', '0/2', '--out', 's0', '--now', NOW, '--quiet'], { cwd });
    const twice = await runCli(['merge', '--out', 'm', 's0/result.json', 's0/result.json'], { cwd });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/shard 0\/2 is given twice/);
    const bad = await runCli(['merge', '--out', 'm', 'nope.json'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nope\.json: not a readable JSON scan result/);
  });

  it('marks the merge incomplete when a shard is missing (exit 3)', async () => {
    const cwd = tempDir();
    await runCli(['scan', '--demo', '--shard', '0/2', '--out', 's0', '--now', NOW, '--quiet'], { cwd });
    const r = await runCli(['merge', '--out', 'm', 's0/result.json'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/1 of 2 shards given/);
  });
});
