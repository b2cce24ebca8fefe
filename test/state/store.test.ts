import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion, StateStoreError } from '../../src/store/database.ts';
import { migrations } from '../../src/store/migrations.ts';
import { StoreLockedError } from '../../src/store/lock.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { tempDir } from '../support/cli.ts';
import { alice, bob, scriptedScan, snap } from './support.ts';

const T = (day: number) => `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;

function freshStore(): StateStore {
  return StateStore.open(join(tempDir('snapaudit-state-'), 'state.sqlite'));
}

describe('state store: schema migrations', () => {
  it('creates a new file at the latest schema version, in WAL mode, and records each migration once', () => {
    const store = freshStore();
    expect(schemaVersion(store.db)).toBe(migrations.length);
    expect((store.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    const applied = store.db.prepare('SELECT version, name FROM schema_migrations').all();
    expect(applied).toHaveLength(migrations.length);
    const path = store.path;
    store.close();
    const again = StateStore.open(path);
    expect(again.db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length });
    again.close();
  });

  it('upgrades an older file in order, keeping its data', () => {
    const dir = tempDir();
    const db = new DatabaseSync(join(dir, 'old.sqlite'));
    migrate(db, 'old', migrations);
    db.exec("INSERT INTO writer_lock (id, token, pid, host, command, acquired_at, heartbeat_at) VALUES (1, 't', 1, 'h', 'c', 'x', 'x')");
    const next = [...migrations, { name: 'add a note column', sql: 'ALTER TABLE scans ADD COLUMN note TEXT;' }];
    expect(migrate(db, 'old', next)).toBe(next.length);
    expect(schemaVersion(db)).toBe(next.length);
    expect(db.prepare('SELECT name FROM schema_migrations ORDER BY version DESC LIMIT 1').get()).toEqual({ name: 'add a note column' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM writer_lock').get()).toEqual({ n: 1 });
    db.close();
  });

  it('rolls a failing migration back entirely and names it', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db, 'mem', migrations);
    const broken = [...migrations, { name: 'half-done', sql: 'CREATE TABLE extra (a); INSERT INTO no_such_table VALUES (1);' }];
    expect(() => migrate(db, 'mem', broken)).toThrow(new RegExp(`migration ${broken.length} \\(half-done\\) failed`));
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ n: 0 });
  });

  it('refuses a file written by a newer snapaudit', () => {
    const dir = tempDir();
    const path = join(dir, 'newer.sqlite');
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA user_version = ${migrations.length + 5}`);
    db.close();
    expect(() => StateStore.open(path)).toThrow(/written by a newer snapaudit \(schema version \d+/);
  });

  it('does not create a store for read-only commands', () => {
    expect(() => StateStore.open(join(tempDir(), 'missing.sqlite'), { create: false })).toThrow(StateStoreError);
  });
});

describe('state store: one writer at a time', () => {
  it('refuses a second writer with a message naming the holder, and frees the lock on release', () => {
    const a = freshStore();
    const b = StateStore.open(a.path);
    const lease = a.lock({ command: 'scan' });
    let err: unknown;
    try {
      b.lock({ command: 'scan' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreLockedError);
    expect((err as Error).message).toMatch(new RegExp(`another snapaudit is writing to this state store \\(scan, pid ${process.pid} on `));
    expect((err as Error).message).toMatch(/Nothing was scanned or written\. Fix: /);
    lease.release();
    b.lock({ command: 'tickets sync' }).release();
    a.close();
    b.close();
  });

  it('takes over a lock whose process died', () => {
    const store = freshStore();
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    const now = new Date().toISOString();
    store.db
      .prepare("INSERT INTO writer_lock (id, token, pid, host, command, acquired_at, heartbeat_at) VALUES (1, 'old', ?, ?, 'scan', ?, ?)")
      .run(dead, hostname(), now, now);
    const lease = store.lock({ command: 'scan' });
    expect(store.db.prepare('SELECT pid FROM writer_lock').get()).toEqual({ pid: process.pid });
    lease.release();
    store.close();
  });

  it('takes over a lock from another host once its heartbeat is stale, but not before', () => {
    const store = freshStore();
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    const fresh = new Date().toISOString();
    const insert = (beat: string) =>
      store.db
        .prepare(
          "INSERT OR REPLACE INTO writer_lock (id, token, pid, host, command, acquired_at, heartbeat_at) VALUES (1, 'x', 1, 'other-host', 'scan', ?, ?)",
        )
        .run(beat, beat);
    insert(fresh);
    expect(() => store.lock({ command: 'scan' })).toThrow(/pid 1 on other-host/);
    insert(old);
    store.lock({ command: 'scan' }).release();
    store.close();
  });
});

describe('state store: retention', () => {
  it('keeps the last N scans with their rows, and forgets old resolved findings', async () => {
    const store = freshStore();
    for (let day = 1; day <= 5; day++) {
      const accounts = { '111111111111': { snapshots: [snap(`snap-0000000${day}`, { public: day === 1 })] } };
      store.record(await scriptedScan(T(day), accounts), { retain: 3 });
    }
    const scans = store.scans();
    expect(scans.map((s) => s.startedAt)).toEqual([T(3), T(4), T(5)]);
    const orphans = (table: string) =>
      store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE scan_seq NOT IN (SELECT seq FROM scans)`).get() as { n: number };
    for (const t of ['scan_scopes', 'scan_findings', 'scan_snapshots', 'scan_capabilities']) expect(orphans(t).n).toBe(0);
    // the public snapshot of day 1 was resolved on day 2, and is older than every kept scan: forgotten
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM findings WHERE check_id = 'snapshots.public'").get()).toEqual({ n: 0 });
    store.close();
  });
});

describe('state store: lifecycle', () => {
  it('tracks first seen, last seen, resolved and regressed', async () => {
    const store = freshStore();
    const open = { '111111111111': { snapshots: [snap('snap-0000000a', { public: true })] } };
    const fixed = { '111111111111': { snapshots: [snap('snap-0000000a')] } };
    const r1 = store.record(await scriptedScan(T(1), open), { retain: 10 });
    const fp = store.findingsOf(r1.scan.seq).find((f) => f.checkId === 'snapshots.public')!.fingerprint;
    expect(store.lifecycle(fp)).toMatchObject({ state: 'open', firstSeenAt: T(1), lastSeenAt: T(1), regressions: 0 });
    store.record(await scriptedScan(T(2), open), { retain: 10 });
    expect(store.lifecycle(fp)).toMatchObject({ state: 'open', firstSeenAt: T(1), lastSeenAt: T(2) });
    const r3 = store.record(await scriptedScan(T(3), fixed), { retain: 10 });
    expect(r3.resolved).toBeGreaterThanOrEqual(1);
    expect(store.lifecycle(fp)).toMatchObject({ state: 'resolved', resolvedAt: T(3), lastSeenAt: T(2) });
    const r4 = store.record(await scriptedScan(T(4), open), { retain: 10 });
    expect(r4.regressed).toBe(1);
    expect(store.lifecycle(fp)).toMatchObject({
      state: 'open',
      firstSeenAt: T(1),
      regressions: 1,
      lastRegressedAt: T(4),
      resolvedAt: null,
    });
    store.close();
  });

  it('does not resolve the findings of a scope the scan could not read', async () => {
    const store = freshStore();
    store.record(await scriptedScan(T(1), { '111111111111': { snapshots: [snap('snap-0000000a', { public: true })] } }), { retain: 10 });
    const r2 = store.record(await scriptedScan(T(2), { '111111111111': { unreadable: true } }), { retain: 10 });
    expect(r2.resolved).toBe(0);
    const publicFinding = [...store.lifecycles().values()].find((l) => l.checkId === 'snapshots.public')!;
    expect(publicFinding.state).toBe('open');
    store.close();
  });

  it('records a scan id only once (the same --now twice)', async () => {
    const store = freshStore();
    const result = await scriptedScan(T(1), { '111111111111': {} });
    expect(store.record(result, { retain: 10 }).duplicate).toBe(false);
    expect(store.record(result, { retain: 10 }).duplicate).toBe(true);
    expect(store.scans()).toHaveLength(1);
    store.close();
  });

  it('feeds permissions.newly-granted from the latest scan that read each scope', async () => {
    const store = freshStore();
    store.record(await scriptedScan(T(1), { '111111111111': { principals: [alice(['create'])] } }), { retain: 10 });
    // an unreadable scan in between must not make the next one think alice is new
    store.record(await scriptedScan(T(2), { '111111111111': { unreadable: true } }, { previous: store.previousScan() }), { retain: 10 });
    const r3 = await scriptedScan(
      T(3),
      { '111111111111': { principals: [alice(['create', 'share']), bob()] } },
      { previous: store.previousScan() },
    );
    const newly = r3.scopes.flatMap((s) => s.findings).filter((f) => f.checkId === 'permissions.newly-granted');
    expect(newly.map((f) => [f.messageId, f.evidence.principal, f.evidence.gained]).sort()).toEqual([
      ['gained', 'alice', ['share']],
      ['gained', 'bob', ['create']],
    ]);
    store.close();
  });
});

const writerScript = `
import { StateStore } from ${JSON.stringify(new URL('../../src/store/state-store.ts', import.meta.url).href)};
import { writeSync } from 'node:fs';
const store = StateStore.open(process.argv[2]);
const db = store.db;
let n = 0;
writeSync(1, 'ready\\n');
for (;;) {
  db.exec('BEGIN IMMEDIATE');
  const seq = Number(db.prepare("INSERT INTO scans (id, started_at, finished_at, complete, interrupted, providers, discovered, shard, checks, tool_version, summary, recorded_at) VALUES (?, 'a', 'b', 1, 0, '[]', '[]', NULL, '[]', 'v', '{}', 'c')").run(process.argv[3] + '-' + n++).lastInsertRowid);
  const ins = db.prepare("INSERT INTO scan_snapshots (scan_seq, provider, scope_id, region, resource_id, snapshot_id, name, created_at, public, shared_outside, owner) VALUES (?, 'aws', 's', 'r', ?, 'id', NULL, NULL, 'no', 0, NULL)");
  for (let i = 0; i < 500; i++) ins.run(seq, 'res-' + i);
  db.exec('COMMIT');
}
`;

describe('state store: crash safety', () => {
  it('a writer killed mid-transaction leaves a consistent store: whole scans only', async () => {
    const dir = tempDir();
    const path = join(dir, 'state.sqlite');
    StateStore.open(path).close();
    const script = join(dir, 'writer.mjs');
    writeFileSync(script, writerScript);
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, [script, path, `round${round}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
      });
      await new Promise((r) => setTimeout(r, 150 + round * 50));
      const exited = new Promise((r) => child.once('exit', r));
      expect(child.exitCode).toBeNull();
      child.kill('SIGKILL');
      await exited;
    }
    const store = StateStore.open(path);
    expect(store.db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    const scans = store.db.prepare('SELECT COUNT(*) AS n FROM scans').get() as { n: number };
    expect(scans.n).toBeGreaterThan(0);
    const partial = store.db.prepare('SELECT scan_seq, COUNT(*) AS n FROM scan_snapshots GROUP BY scan_seq HAVING n != 500').all();
    expect(partial).toEqual([]);
    const rows = store.db.prepare('SELECT COUNT(*) AS n FROM scan_snapshots').get() as { n: number };
    expect(rows.n).toBe(scans.n * 500);
    // and it is usable afterwards
    store.record(await scriptedScan(T(1), { '111111111111': {} }), { retain: 100 });
    store.close();
  });
});
