import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.ts';
import { NOW } from '../support/lab.ts';

describe('scan with JSON only and no state store (spooled to disk)', () => {
  it('writes the same result.json, summary and exit code as the in-memory path', async () => {
    const cwd = tempDir();
    const spooled = await runCli(
      ['scan', '--demo', '--format', 'json', '--no-state', '--now', NOW, '--out', 'spooled', '--fail-on', 'high'],
      { cwd },
    );
    const inMemory = await runCli(
      ['scan', '--demo', '--format', 'json,md', '--no-state', '--now', NOW, '--out', 'memory', '--fail-on', 'high'],
      { cwd },
    );
    expect(spooled.code).toBe(1);
    expect(spooled.code).toBe(inMemory.code);
    const read = (dir: string) => readFileSync(join(cwd, dir, 'result.json'), 'utf8');
    expect(read('spooled')).toBe(read('memory'));
    const summary = (out: string) => out.split('\n').filter((l) => !l.startsWith('wrote '));
    expect(summary(spooled.stdout)).toEqual(summary(inMemory.stdout));
    expect(spooled.stdout).toMatch(/findings: [1-9]\d* open/);
  });
});
