/**
 * Streamed renderers (issue #23): every format writes, from the on-disk spool, byte for byte what its renderer writes
 * from the whole result in memory — on the golden fixture (with framework views), on a result whose findings
 * interleave across many scopes, and on the demo as `scan` writes it; above its row limit the HTML report keeps to
 * aggregates and the most severe findings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../checks/index.ts';
import { outputFormats, reportDefaultFormats } from '../../reports/formats.ts';
import { availableFormats, renderers, streamers, streamingFormats } from '../../reports/index.ts';
import { loadStreamers, streamerLoaders } from '../../reports/load.ts';
import { collect, jsonPieces } from '../../reports/source.ts';
import type { RenderContext } from '../../reports/types.ts';
import { resultFromDisk, unscopedFindings } from '../../src/core/model/order.ts';
import type { Finding, ScanResult } from '../../src/core/model/result.ts';
import { SpoolSink } from '../../src/engine/spool.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { readWrittenResult } from '../support/result.ts';

const fixture: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const ctx: RenderContext = { trend: null, frameworks: ['nist-800-53', 'cis-aws', 'cis-gcp'], checks: catalogue };

/** Every streamed file of `result`, rendered from a spool that holds its scopes, by name. */
function fromSpool(result: ScanResult, context: RenderContext): Map<string, string> {
  const spool = new SpoolSink(tempDir());
  try {
    // scopes arrive in any order (as scans finish them); the spool reads them back in canonical order
    for (const s of [...result.scopes].reverse()) spool.add(s);
    const source = spool.source({ ...result, scopes: [], findings: unscopedFindings(result) });
    const out = new Map<string, string>();
    for (const format of streamingFormats) for (const f of streamers[format]!(source, context)) out.set(f.name, collect(f));
    return out;
  } finally {
    spool.close();
  }
}

function whole(result: ScanResult, context: RenderContext): Map<string, string> {
  return new Map(streamingFormats.flatMap((f) => renderers[f]!(result, context)).map((f) => [f.name, String(f.content)] as const));
}

/** A result whose scopes each hold findings of every severity, so the canonical order interleaves scopes. */
function interleaved(): ScanResult {
  const base = fixture.scopes[0]!;
  const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
  const scopes = Array.from({ length: 12 }, (_, i) => {
    const id = `1000000000${String(i).padStart(2, '0')}`;
    const findings: Finding[] = base.findings.slice(0, 3).flatMap((f, j) =>
      severities.map((severity, k) => ({
        ...f,
        severity,
        scopeId: id,
        checkId: j === 2 ? 'x.unregistered-check' : f.checkId,
        fingerprint: `${id}-${j}-${k}`,
        status: k === 4 && j === 0 ? ('suppressed' as const) : f.status,
      })),
    );
    return { ...base, scope: { ...base.scope, id, name: `account ${i}` }, findings };
  });
  return { ...fixture, scopes };
}

describe('the HTML report of a large organisation', () => {
  const rows = (html: string, table: string) =>
    JSON.parse(html.match(new RegExp(`<script type="application/json" id="${table}-data">(.*?)</script>`, 's'))?.[1] ?? '[]') as unknown[];
  const findingsOf = (r: ScanResult) => r.findings.length + r.scopes.reduce((n, s) => n + s.findings.length, 0);

  it('lists every row up to its limit, then aggregates, the worst findings and links to the CSV files', () => {
    const result = interleaved();
    const total = findingsOf(result);
    const full = fromSpool(result, { ...ctx, frameworks: [], html: { detailLimit: 100_000 } }).get('report.html')!;
    expect(full).toContain('<h3 id="all-findings">All findings</h3>');
    expect(full).not.toContain('href="findings.csv"');
    const summary = fromSpool(result, { ...ctx, frameworks: [], html: { detailLimit: 10, worst: 7 } }).get('report.html')!;
    expect(summary).toContain(`The 7 most severe of ${total} findings`);
    expect(summary).toContain('<a href="findings.csv">findings.csv</a>');
    expect(summary).toContain('<a href="snapshots.csv">snapshots.csv</a>');
    expect(summary).toContain('<a href="principals.csv">principals.csv</a>');
    expect(rows(full, 't-findings')).toHaveLength(total);
    expect(rows(summary, 't-findings')).toHaveLength(7);
    expect(summary.length).toBeLessThan(full.length);
    // the summary keeps the executive summary's counts: the same cards as the full report
    const cards = (html: string) => html.slice(html.indexOf('<div class="cards questions">'), html.indexOf('<h3 id="trend">'));
    expect(cards(summary)).toBe(cards(full));
  });
});

describe('streamed renderers equal the whole-result renderers', () => {
  it('lists the formats that stream, each with a streamer', () => {
    expect([...streamingFormats].sort()).toEqual([
      'activity-csv',
      'activity-ocsf',
      'csv',
      'html',
      'json',
      'junit',
      'md',
      'ndjson',
      'ocsf',
      'sarif',
    ]);
    for (const f of streamingFormats) expect(streamers[f], f).toBeTypeOf('function');
  });

  it('lays a value out in pieces byte for byte as JSON.stringify does, pretty or compact', () => {
    const tricky = {
      a: [1, 'x', null, undefined, () => 1, [], {}, [[]], { b: undefined, c: [{ d: 'é\n"' }] }],
      e: undefined,
      f: new Date(0),
      g: { toJSON: () => 'mine' },
      h: Object.assign(Object.create(null) as object, { i: 1 }),
      '\u2028key': { j: [true, false, -0, 1e21] },
      empty: {},
    };
    for (const value of [tricky, [tricky, tricky], [], {}, 'text', 3, null]) {
      for (const levels of [0, 1, 2, 5]) {
        expect([...jsonPieces(value, '', levels)].join('')).toBe(JSON.stringify(value, null, 2));
        expect([...jsonPieces(value, null, levels)].join('')).toBe(JSON.stringify(value));
      }
    }
  });

  it('loads, for a command that streams, the same renderer of each format on its own', async () => {
    expect(Object.keys(streamerLoaders).sort()).toEqual([...streamingFormats].sort());
    const loaded = await loadStreamers(streamingFormats);
    for (const f of streamingFormats) expect(loaded[f], f).toBe(streamers[f]);
  });

  it('names, in the list the CLI checks formats against before loading a renderer, exactly the formats rendered', () => {
    expect(outputFormats).toEqual(availableFormats());
    expect(reportDefaultFormats).toEqual(availableFormats().filter((f) => f !== 'json' && f !== 'ndjson'));
  });

  for (const [name, result] of [
    ['the golden fixture', fixture],
    ['findings interleaved across 12 scopes', interleaved()],
  ] as const) {
    it(`${name}: every streamed file, byte for byte`, () => {
      const expected = whole(result, ctx);
      const actual = fromSpool(result, ctx);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [file, text] of expected) expect(actual.get(file), file).toBe(text);
    });
  }

  it('the demo: scan streams every file from its spool, equal to rendering the whole result', async () => {
    const cwd = tempDir();
    const formats = streamingFormats.join(',');
    const run = await runCli(
      ['scan', '--demo', '--no-state', '--now', '2026-11-26T02:15:00.000Z', '--out', 'out', '--format', formats, '--quiet'],
      {
        cwd,
      },
    );
    expect([0, 1], run.stderr).toContain(run.code);
    // read back as written (no schema parse, which would reorder keys): the top level back to findings of no scope
    const result = resultFromDisk(readWrittenResult(join(cwd, 'out', 'result.json')) as ScanResult);
    const expected = whole(result, { trend: null, frameworks: [], checks: catalogue });
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected) expect(readFileSync(join(cwd, 'out', file), 'utf8'), file).toBe(text);
    // report --from spools either form of the result and streams the same files again
    for (const input of ['result.json', 'result.ndjson']) {
      const again = await runCli(['report', '--from', `out/${input}`, '--out', input, '--format', 'csv,junit,ocsf,sarif', '--quiet'], {
        cwd,
      });
      expect(again.code, again.stderr).toBe(0);
      expect(readdirSync(join(cwd, input))).toHaveLength(7);
      for (const file of readdirSync(join(cwd, input)))
        expect(readFileSync(join(cwd, input, file), 'utf8'), `${input}: ${file}`).toBe(expected.get(file));
    }
  });
});
