/**
 * `report --from` reads its input scope by scope (issue #23): result.json in chunks, each scope parsed on its own,
 * never the whole text at once; result.ndjson line by line. What a user would notice: the same values as parsing the
 * whole file, whatever the chunk boundaries and however hostile the names, and the same reports from either form.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ndjsonHeaderLine, ndjsonScopeLine } from '../../reports/ndjson.ts';
import { compactScope } from '../../src/core/model/compact.ts';
import { unscopedFindings } from '../../src/core/model/order.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { type ResultPart, readResult, readResultJson } from '../../src/engine/result-reader.ts';
import { renderJson } from '../../reports/json.ts';
import { runCli, tempDir } from '../support/cli.ts';

const fixture = fileURLToPath(new URL('../fixtures/multi-cloud-result.json', import.meta.url));

async function collect(parts: AsyncGenerator<ResultPart>): Promise<unknown> {
  const scopes: unknown[] = [];
  for await (const p of parts) {
    if (p.kind === 'scope') scopes.push(p.scope);
    else return { ...(p.header as object), scopes };
  }
  throw new Error('no header');
}

describe('reading a result scope by scope', () => {
  it('gives the values of the whole document for every chunk size, with names full of brackets, quotes and escapes', async () => {
    const result = JSON.parse(readFileSync(fixture, 'utf8')) as ScanResult;
    const first = result.scopes[0];
    if (!first) throw new Error('fixture without scopes');
    // a scope whose name holds every character the splitter counts, a "scopes" key inside it, and non-ASCII text
    const hostile = {
      ...first,
      scope: { ...first.scope, id: 'x-1', name: 'a [b] {c} "scopes": [ \\" \\\\ \u00e9\u6f22\ud83d\ude00 ],' },
    };
    const doc = { ...result, scopes: [...result.scopes, hostile], note: { scopes: ['not', '[the]', 'array'] } };
    const dir = tempDir();
    const path = join(dir, 'result.json');
    for (const text of [JSON.stringify(doc, null, 2), JSON.stringify(doc)]) {
      writeFileSync(path, text);
      for (const chunk of [3, 7, 64, 4096, 1 << 20]) expect(await collect(readResultJson(path, chunk))).toEqual(doc);
    }
  });

  it('writes each finding once: the top level holds the findings of no scope, each scope its own', () => {
    const result = JSON.parse(readFileSync(fixture, 'utf8')) as ScanResult;
    const onDisk = JSON.parse(renderJson(result)) as ScanResult;
    const scoped = result.scopes.flatMap((s) => s.findings.map((f) => f.fingerprint));
    expect(scoped.length).toBeGreaterThan(10);
    expect(onDisk.findings.map((f) => f.fingerprint)).toEqual(unscopedFindings(result).map((f) => f.fingerprint));
    expect(onDisk.findings.some((f) => scoped.includes(f.fingerprint))).toBe(false);
    expect(onDisk.scopes.flatMap((s) => s.findings.map((f) => f.fingerprint))).toEqual(scoped);
  });

  it("reads an older result.json's top-level findings (every finding, schema 3.0.0) back to those of no scope, whatever the chunk size", async () => {
    const result = JSON.parse(readFileSync(fixture, 'utf8')) as ScanResult;
    const dir = tempDir();
    const path = join(dir, 'result.json');
    // before schema 4.0.0 the top level listed every finding, those of no scope first, then each scope's
    const scopes = result.scopes.map(compactScope);
    const every = [...unscopedFindings(result), ...result.scopes.flatMap((s) => s.findings)];
    writeFileSync(path, `${JSON.stringify({ ...result, schemaVersion: '3.0.0', scopes, findings: every }, null, 2)}\n`);
    expect(every.length).toBeGreaterThan(result.findings.length);
    // each scope as written (compact: its shared table and references), the top level back to findings of no scope
    const written = { ...result, schemaVersion: '3.0.0', scopes };
    for (const chunk of [5, 64, 1 << 20]) expect(await collect(readResultJson(path, chunk))).toEqual(written);
    const read = await readResult(path, { header: (v) => v as ScanResult, scope: (v) => v as ScanResult['scopes'][number] });
    // read as the current version (the in-memory shapes did not change)
    expect(read).toEqual(result);
  });

  it('report --from result.ndjson writes the same reports as --from result.json', async () => {
    const cwd = tempDir();
    const result = JSON.parse(readFileSync(fixture, 'utf8')) as ScanResult;
    writeFileSync(join(cwd, 'result.ndjson'), [ndjsonHeaderLine(result), ...result.scopes.map(ndjsonScopeLine)].join(''));
    // result.json as a scan writes it: every finding at the top level too
    writeFileSync(join(cwd, 'result.json'), renderJson(result));
    const fromJson = await runCli(['report', '--from', 'result.json', '--out', 'a', '--quiet'], { cwd });
    const fromNdjson = await runCli(['report', '--from', 'result.ndjson', '--out', 'b', '--quiet'], { cwd });
    expect(fromJson.code).toBe(0);
    expect(fromNdjson.code).toBe(0);
    const files = readdirSync(join(cwd, 'a')).sort();
    expect(readdirSync(join(cwd, 'b')).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(cwd, 'b', f), 'utf8'), f).toBe(readFileSync(join(cwd, 'a', f), 'utf8'));
  });

  it('names the scope whose content does not match the schema', async () => {
    const cwd = tempDir();
    const result = JSON.parse(readFileSync(fixture, 'utf8')) as ScanResult;
    const broken = {
      ...result,
      scopes: result.scopes.map((s, i) => (i === 1 ? { ...s, coverage: { ...s.coverage, status: 'sideways' } } : s)),
    };
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify(broken, null, 2));
    const run = await runCli(['report', '--from', 'bad.json', '--out', 'out'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/does not match schema\/scan-result\.schema\.json: scopes\.1\.coverage\.status: /);
  });
});
