import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../checks/index.ts';
import { renderers } from '../../reports/index.ts';
import { renderJson } from '../../reports/json.ts';
import { renderNdjson } from '../../reports/ndjson.ts';
import { expandResult } from '../../src/core/model/compact.ts';
import { resultFromDisk } from '../../src/core/model/order.ts';
import { ScanResult } from '../../src/core/model/result.ts';
import { mergeResults } from '../../src/engine/merge.ts';
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

describe('merge streams its shards (issue #23)', () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8')) as ScanResult;
  const inMemory = (text: string) => resultFromDisk(ScanResult.parse(expandResult(JSON.parse(text))));

  it('two shards, one result.json and one result.ndjson, merge into what merging them whole in memory writes, every format byte for byte', async () => {
    const cwd = tempDir();
    const whole = resultFromDisk(fixture);
    const half = (index: number): ScanResult => ({
      ...whole,
      scan: { ...whole.scan, shard: { index, count: 2 } },
      scopes: whole.scopes.filter((_, i) => i % 2 === index),
      findings: index === 0 ? whole.findings : [],
    });
    const [a, b] = [half(0), half(1)];
    writeFileSync(join(cwd, 'a.json'), renderJson(a));
    writeFileSync(join(cwd, 'b.ndjson'), renderNdjson(b)[0]!.content as string);
    const formats = 'json,ndjson,html,csv,md,sarif,ocsf,junit';
    const run = await runCli(['merge', '--out', 'merged', '--format', formats, 'a.json', 'b.ndjson'], { cwd });
    expect(run.code, run.stderr).toBe(3); // the fixture holds partial and failed scopes
    // the merge as it was before it streamed: both shards read whole, joined in memory, every renderer on the result
    const expected = mergeResults([inMemory(renderJson(a)), inMemory(renderJson(b))]);
    const ctx = { trend: null, frameworks: [], checks: catalogue };
    const files = formats.split(',').flatMap((f) => renderers[f]!(expected, ctx));
    expect(readdirSync(join(cwd, 'merged')).sort()).toEqual(files.map((f) => f.name).sort());
    for (const f of files) expect(readFileSync(join(cwd, 'merged', f.name), 'utf8'), f.name).toBe(String(f.content));
    expect(expected.scopes.map((s) => s.scope.id)).toEqual(whole.scopes.map((s) => s.scope.id));
  });

  it('refuses a scope two shards both hold, naming it', async () => {
    const cwd = tempDir();
    const shard = (index: number): ScanResult => ({ ...fixture, scan: { ...fixture.scan, shard: { index, count: 2 } } });
    writeFileSync(join(cwd, 'a.json'), renderJson(shard(0)));
    writeFileSync(join(cwd, 'b.json'), renderJson(shard(1)));
    const run = await runCli(['merge', '--out', 'm', 'a.json', 'b.json'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/merge: scope aws:111111111111 appears in two shards/);
    expect(existsSync(join(cwd, 'm'))).toBe(false);
  });
});
