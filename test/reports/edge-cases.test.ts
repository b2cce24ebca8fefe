import { describe, expect, it } from 'vitest';
import { renderers } from '../../reports/index.ts';
import { renderOcsfEvents } from '../../reports/ocsf.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { SCHEMA_VERSION } from '../../src/core/model/result.ts';
import { catalogue } from '../../checks/index.ts';

const empty: ScanResult = {
  schemaVersion: SCHEMA_VERSION,
  tool: { name: 'snapaudit', version: '0.1.0' },
  scan: {
    id: 'empty',
    startedAt: '2026-11-26T00:00:00.000Z',
    finishedAt: '2026-11-26T00:00:01.000Z',
    complete: true,
    interrupted: false,
    providers: [],
    shard: null,
  },
  stats: {
    scopes: { total: 0, complete: 0, partial: 0, failed: 0, interrupted: 0 },
    apiCalls: 0,
    throttles: 0,
    retries: 0,
    errors: 0,
    operations: {},
  },
  checks: [],
  discovery: [],
  scopes: [],
  findings: [],
};

const interrupted: ScanResult = {
  ...empty,
  scan: { ...empty.scan, id: 'interrupted', complete: false, interrupted: true, providers: ['aws'], shard: { index: 1, count: 4 } },
  discovery: [
    {
      provider: 'aws',
      root: null,
      status: 'failed',
      scopesFound: 0,
      scopesSelected: 0,
      gaps: [{ code: 'interrupted', part: 'discovery', operation: null, region: null, message: 'scan interrupted' }],
    },
  ],
};

describe('reports of degenerate scans', () => {
  for (const [name, result] of [
    ['an empty scan', empty],
    ['an interrupted shard whose discovery failed', interrupted],
  ] as const) {
    it(`render every format for ${name} without failing`, () => {
      for (const [format, render] of Object.entries(renderers)) {
        const files = render(result, { trend: null, frameworks: ['nist-800-53', 'cis-aws'], checks: catalogue });
        expect(files.length, format).toBeGreaterThan(0);
        for (const f of files) expect(String(f.content).length, `${format} ${f.name}`).toBeGreaterThan(0);
      }
      expect(renderOcsfEvents(result)).toEqual([]);
    });
  }

  it('says plainly when nothing was in scope or the scan was interrupted', () => {
    const html = String(renderers.html!(empty, { trend: null, frameworks: [], checks: catalogue })[0]!.content);
    expect(html).toContain('<div class="v">n/a</div><div class="w">of scope-regions record snapshot creation and alert on it</div>');
    expect(html).toContain('0 of 0 record it (n/a)');
    expect(html).toContain('No snapshot was found');
    const cut = String(renderers.html!(interrupted, { trend: null, frameworks: ['cis-aws'], checks: catalogue })[0]!.content);
    expect(cut).toContain('This scan is incomplete (interrupted)');
    expect(cut).toContain('This is shard 2 of 4');
    const md = String(renderers.md!(interrupted, { trend: null, frameworks: [], checks: catalogue })[0]!.content);
    expect(md).toContain('Incomplete scan (interrupted)');
  });
});
