/**
 * Compact results (issue #23, schema 3): what a scope repeats is written once in its `shared` table and referenced
 * by id, so result.json and result.ndjson grow with the findings and the inventory, not with repetition. What a user
 * would notice: smaller files that read back to the same values, every report the same whichever form it is
 * rendered from, results of the previous schema still read, and a broken reference named in one clear message.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../reports/json.ts';
import { ndjsonHeaderLine, ndjsonScopeLine } from '../../reports/ndjson.ts';
import { compactScope, expandResult, expandScope } from '../../src/core/model/compact.ts';
import { unscopedFindings } from '../../src/core/model/order.ts';
import { SCHEMA_VERSION, type ScanResult, type ScopeResult } from '../../src/core/model/result.ts';
import { readResult } from '../../src/engine/result-reader.ts';
import { buildLargeResult } from '../fixtures/large-result.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { assertValidResult } from '../support/lab.ts';

const fixture = fileURLToPath(new URL('../fixtures/multi-cloud-result.json', import.meta.url));
const load = () => JSON.parse(readFileSync(fixture, 'utf8')) as ScanResult;
const asIs = { header: (v: unknown) => v as ScanResult, scope: (v: unknown) => v as ScopeResult };

/** Every occurrence of `needle` in `text`. */
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('compact results', () => {
  it('writes each recurring grant path step, reading and region matrix of a scope once, and reads back the same scope', () => {
    const result = buildLargeResult({ snapshots: 400, principals: 60, aws: 2, azure: 1, gcp: 1 });
    for (const scope of result.scopes) {
      const before = structuredClone(scope);
      const written = compactScope(scope);
      // the scope in memory is left as it was (other reports render from it after result.json)
      expect(scope).toEqual(before);
      expect(expandScope(JSON.parse(JSON.stringify(written)))).toEqual(scope);
      const steps = scope.principals.flatMap((p) => p.grants.flatMap((g) => g.path));
      const step = steps.find((s) => steps.filter((t) => JSON.stringify(t) === JSON.stringify(s)).length > 1);
      if (step) {
        // recurring: written once, in the table, however many grants take it
        expect(occurrences(JSON.stringify(written), JSON.stringify(step))).toBe(1);
        expect(occurrences(JSON.stringify(scope), JSON.stringify(step))).toBeGreaterThan(1);
      }
    }
    const before = JSON.stringify(result.scopes).length;
    const after = JSON.stringify(result.scopes.map(compactScope)).length;
    expect(after).toBeLessThan(before);
  });

  it('leaves a value that occurs once where it is, and a scope with nothing recurring without a table', () => {
    const [scope] = load().scopes;
    if (!scope) throw new Error('fixture without scopes');
    const lone = {
      ...scope,
      principals: scope.principals.slice(0, 1),
      snapshots: [],
      findings: [],
      logging: { ...scope.logging, regions: [] },
    };
    const single = { ...lone, principals: lone.principals.map((p) => ({ ...p, grants: p.grants.slice(0, 1) })) };
    const written = compactScope(single);
    expect(written).toEqual(single);
    expect('shared' in written).toBe(false);
  });

  it('result.json and result.ndjson validate against the published schema and read back to the result', async () => {
    const result = load();
    const dir = tempDir();
    writeFileSync(join(dir, 'result.json'), renderJson(result));
    writeFileSync(join(dir, 'result.ndjson'), [ndjsonHeaderLine(result), ...result.scopes.map(ndjsonScopeLine)].join(''));
    const onDisk = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    assertValidResult(onDisk);
    expect(onDisk.scopes.some((s: { shared?: object }) => s.shared && Object.keys(s.shared).length > 0)).toBe(true);
    const expanded = `${JSON.stringify(result, null, 2)}\n`;
    expect(readFileSync(join(dir, 'result.json'), 'utf8').length).toBeLessThan(expanded.length);
    expect((expandResult(onDisk) as ScanResult).scopes).toEqual(result.scopes);
    const unscoped = await readResult(join(dir, 'result.json'), asIs);
    expect(await readResult(join(dir, 'result.ndjson'), asIs)).toEqual(unscoped);
    expect(unscoped.scopes).toEqual(result.scopes);
  });

  it('report --from a result of an earlier schema (2.0.0: nothing shared; 3.0.0: compact) writes the same reports as from the current one', async () => {
    const cwd = tempDir();
    const result = load();
    // before 4.0.0 the top level listed every finding: those of no scope, then each scope's again
    const every = [...unscopedFindings(result), ...result.scopes.flatMap((s) => s.findings)];
    expect(every.length).toBeGreaterThan(result.findings.length);
    // a 2.0.0 result.json: the same shapes, each value where it stands
    const old = { ...result, schemaVersion: '2.0.0', findings: every };
    writeFileSync(join(cwd, 'old.json'), `${JSON.stringify(old, null, 2)}\n`);
    // a 3.0.0 result.json: compact scopes
    const compact = { ...result, schemaVersion: '3.0.0', scopes: result.scopes.map(compactScope), findings: every };
    writeFileSync(join(cwd, 'compact.json'), `${JSON.stringify(compact, null, 2)}\n`);
    writeFileSync(
      join(cwd, 'old.ndjson'),
      [
        ndjsonHeaderLine({ ...old, findings: result.findings } as ScanResult),
        ...result.scopes.map((s) => `${JSON.stringify({ record: 'scope', ...s })}\n`),
      ].join(''),
    );
    writeFileSync(join(cwd, 'new.json'), renderJson(result));
    for (const [from, out] of [
      ['new.json', 'new'],
      ['old.json', 'old'],
      ['old.ndjson', 'old-nd'],
      ['compact.json', 'compact'],
    ] as const) {
      const run = await runCli(['report', '--from', from, '--out', out, '--format', 'json,html,csv,md,sarif,ocsf,junit', '--quiet'], {
        cwd,
      });
      expect(run.code, run.stderr).toBe(0);
    }
    const files = readdirSync(join(cwd, 'new')).sort();
    expect(files).toContain('result.json');
    for (const dir of ['old', 'old-nd', 'compact']) {
      expect(readdirSync(join(cwd, dir)).sort()).toEqual(files);
      // read as the current schema: the old result re-rendered is the current result.json, byte for byte
      for (const f of files) expect(readFileSync(join(cwd, dir, f), 'utf8'), `${dir}/${f}`).toBe(readFileSync(join(cwd, 'new', f), 'utf8'));
    }
    expect(JSON.parse(readFileSync(join(cwd, 'old', 'result.json'), 'utf8')).schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('names a reference missing from its scope table: exit 2, one message, nothing written', async () => {
    const cwd = tempDir();
    const doc = JSON.parse(renderJson(load()));
    const at = doc.scopes.findIndex((s: { shared?: object }) => s.shared);
    const scope = doc.scopes[at] as { shared: Record<string, unknown> };
    const [id] = Object.keys(scope.shared);
    if (!id) throw new Error('a scope with an empty table');
    delete scope.shared[id];
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify(doc));
    const run = await runCli(['report', '--from', 'bad.json', '--out', 'out'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `does not match schema/scan-result\\.schema\\.json: scopes\\.${at}\\.\\S+: "${id}" is not an id of the scope's shared table`,
      ),
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(cwd)).toEqual(['bad.json']);
  });
});
