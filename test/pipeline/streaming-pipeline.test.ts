/**
 * The scheduled pipeline streams (issue #23): with the state store on, every finished scope is staged in the store
 * as it finishes and the scan is recorded in one final transaction with its outputs; result.json and result.ndjson
 * stream from the spool. What a user would notice: the same result.json, the same history and the same summary as
 * the in-memory path, nothing recorded when the outputs cannot be written, nothing left over by a scan that died.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { demoEstate } from '../resilience/support.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { NOW, scanEstate } from '../support/lab.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { ScanState } from '../../src/cli/scan-state.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { resultFromDisk } from '../../src/core/model/order.ts';

/** Every row the state store holds about its scans, with the volatile recording time left out. */
function dump(path: string): Record<string, unknown[]> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const all = (sql: string) => db.prepare(sql).all();
    return {
      scans: all(
        'SELECT id, started_at, finished_at, complete, interrupted, providers, discovered, shard, checks, summary FROM scans ORDER BY seq',
      ),
      scopes: all('SELECT * FROM scan_scopes ORDER BY rowid'),
      capabilities: all('SELECT * FROM scan_capabilities ORDER BY rowid'),
      snapshots: all('SELECT * FROM scan_snapshots ORDER BY rowid'),
      findings: all('SELECT * FROM scan_findings ORDER BY rowid'),
      lifecycle: all('SELECT * FROM findings ORDER BY fingerprint'),
      // staging lives in the writer's temporary tables, never in the store file
      tables: all("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'staged%'"),
    };
  } finally {
    db.close();
  }
}

const scan = (out: string, format: string, state: string) => [
  'scan',
  '--demo',
  '--format',
  format,
  '--state',
  state,
  '--now',
  NOW,
  '--out',
  out,
  '--fail-on',
  'high',
];

describe('the pipeline with the state store, streamed', () => {
  it('JSON + state streams from the spool and records exactly what the in-memory path records', async () => {
    const cwd = tempDir();
    const streamed = await runCli(scan('streamed', 'json,ndjson', 'streamed.sqlite'), { cwd });
    const whole = await runCli(scan('whole', 'json,md', 'whole.sqlite'), { cwd });
    expect(streamed.code).toBe(1);
    expect(streamed.code).toBe(whole.code);
    const read = (f: string) => readFileSync(join(cwd, f), 'utf8');
    expect(read('streamed/result.json')).toBe(read('whole/result.json'));
    expect(dump(join(cwd, 'streamed.sqlite'))).toEqual(dump(join(cwd, 'whole.sqlite')));
    expect(dump(join(cwd, 'streamed.sqlite')).tables).toEqual([]);
    const summary = (out: string) =>
      out
        .split('\n')
        .filter((l) => !l.startsWith('wrote '))
        .map((l) => l.replace(/recorded in .*$/, 'recorded in <state file>'));
    expect(summary(streamed.stdout)).toEqual(summary(whole.stdout));
    expect(streamed.stdout).toContain('state: first scan recorded in');
  }, 180_000); // two demo scans

  it('result.ndjson is result.json one scope per line: the header line, then the scopes in the same order', async () => {
    const cwd = tempDir();
    const run = await runCli(scan('out', 'ndjson', 'state.sqlite'), { cwd });
    expect(run.code).toBe(1);
    // as written: each scope compact (its shared table and references) in either file
    const json = JSON.parse(readFileSync(join(cwd, 'out/result.json'), 'utf8'));
    const lines = readFileSync(join(cwd, 'out/result.ndjson'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const [head, ...scopes] = lines;
    expect(head.record).toBe('result');
    expect(scopes.length).toBeGreaterThan(1);
    expect(scopes.every((s) => s.record === 'scope')).toBe(true);
    const strip = ({ record: _r, ...rest }: Record<string, unknown>) => rest;
    // each finding once in either file: the top level (the NDJSON header) holds those of no scope, each scope its own
    expect({ ...strip(head), scopes: scopes.map(strip) }).toEqual(json);
    expect(resultFromDisk(json)).toEqual(json);
    const every = [...head.findings, ...scopes.flatMap((s) => s.findings)].map((f: { fingerprint: string }) => f.fingerprint);
    expect(new Set(every).size).toBe(every.length);
    expect(json.findings).toEqual(head.findings);
    expect(scopes.flatMap((s) => s.findings).length).toBeGreaterThan(head.findings.length);
  });

  it('records nothing when the streamed outputs cannot be put in place', async () => {
    const cwd = tempDir();
    const out = join(cwd, 'out');
    // result.ndjson is a folder: the rename over it fails after result.json was streamed
    const first = await runCli(scan('out', 'json', 'state.sqlite'), { cwd });
    expect(first.code).toBe(1);
    mkdirSync(join(out, 'result.ndjson', 'x'), { recursive: true });
    const later = await runCli(
      ['scan', '--demo', '--format', 'json,ndjson', '--state', 'state.sqlite', '--now', '2026-11-27T00:00:00Z', '--out', 'out'],
      {
        cwd,
      },
    );
    expect(later.code).toBe(2);
    expect(later.stderr).toContain('the scan was not recorded in the state store');
    const rows = dump(join(cwd, 'state.sqlite'));
    expect(rows.scans).toHaveLength(1);
  });

  it('a scan that died with scopes staged leaves no trace in the store, and the next one records normally', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.sqlite');
    const { result } = await scanEstate(demoEstate());
    // a writer stages scopes and stops before recording (a crash: its connection goes away)
    const dead = StateStore.open(path, { create: true });
    const lease = dead.lock({ command: 'scan' });
    const stage = dead.stage();
    for (const s of result.scopes.slice(0, 2)) stage.add(s);
    lease.release();
    dead.close();
    const after = dump(path);
    expect(after.scans).toEqual([]);
    expect(after.scopes).toEqual([]);
    expect(after.tables).toEqual([]);
    const next = ScanState.open(defaultConfig(), fixedClock(NOW), path, 'scan');
    try {
      expect(next.store?.latest()).toBeNull();
      next.store?.record(result, { retain: 5 });
      expect(next.store?.scopesOf(1)).toHaveLength(result.scopes.length);
    } finally {
      next.close();
    }
  });

  it('staging scopes in any finishing order records the same rows as recording the whole result', async () => {
    const dir = tempDir();
    const { result } = await scanEstate(demoEstate());
    const whole = StateStore.open(join(dir, 'whole.sqlite'), { create: true });
    const staged = StateStore.open(join(dir, 'staged.sqlite'), { create: true });
    try {
      whole.record(result, { retain: 5 });
      const stage = staged.stage();
      for (const s of [...result.scopes].reverse()) stage.add(s);
      staged.recordStaged({ ...result, scopes: [] }, stage, { retain: 5 });
    } finally {
      whole.close();
      staged.close();
    }
    expect(dump(join(dir, 'staged.sqlite'))).toEqual(dump(join(dir, 'whole.sqlite')));
  });

  it('ticket planning reads only the findings at or above tickets.minSeverity from the store, in fingerprint order', async () => {
    const dir = tempDir();
    const { result } = await scanEstate(demoEstate());
    const store = StateStore.open(join(dir, 'state.sqlite'), { create: true });
    try {
      const { scan } = store.record(result, { retain: 5 });
      const all = store.findingsOf(scan.seq);
      const high = [...store.findingsAtOrAbove(scan.seq, 'high')];
      expect(high.length).toBeGreaterThan(0);
      expect(high.length).toBeLessThan(all.length);
      expect(high).toEqual(all.filter((f) => f.severity === 'critical' || f.severity === 'high'));
    } finally {
      store.close();
    }
  });
});
