/**
 * The state store: a node:sqlite file holding the history the scanner needs between runs — each scan's findings,
 * who-can set and snapshot set, what each scan could read, the lifecycle of every finding (first seen, last seen,
 * resolved, regressed) and the ticket ledger. A scan's scopes are staged as they finish (stage.ts, outside the
 * store file) and the scan is recorded in one final transaction, so a crash leaves either the whole scan or none of
 * it; only the last `retain` scans are kept.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { PreviousScan } from '../core/model/previous-scan.ts';
import {
  type Capability,
  type Finding,
  LEGACY_MESSAGE_ID,
  type Provider,
  type ScanResult,
  type Severity,
  severities,
} from '../core/model/result.ts';
import { openDatabase, StateStoreError, transaction, verifyDatabase } from './database.ts';
import { acquireLock, type Lease, type LockOptions } from './lock.ts';
import { ScanStage } from './stage.ts';
import type { ScanSummary } from './summary.ts';
import * as ledger from './ticket-ledger.ts';
import type { PendingTicketOp, TicketLink } from './ticket-ledger.ts';

export { StateStoreError };
export type { PendingTicketOp, TicketLink, TicketMember, TicketOpKind, TicketOpTarget } from './ticket-ledger.ts';

export interface ScanRecord {
  seq: number;
  id: string;
  startedAt: string;
  finishedAt: string;
  complete: boolean;
  interrupted: boolean;
  providers: Provider[];
  shard: string | null;
  checks: string[];
  toolVersion: string;
  summary: ScanSummary;
}

export interface StoredScope {
  provider: Provider;
  scopeId: string;
  name: string;
  status: string;
  regions: Record<string, string>;
  principalsRead: boolean;
  snapshotRegions: string[];
}

export interface StoredFinding {
  fingerprint: string;
  checkId: string;
  severity: Severity;
  status: 'open' | 'suppressed';
  origin: 'scope' | 'discovery';
  provider: Provider;
  scopeId: string;
  region: string | null;
  evidenceHash: string;
  finding: Finding;
}

export interface StoredCapability {
  provider: Provider;
  scopeId: string;
  principalId: string;
  principalName: string;
  principalType: string;
  capability: Capability;
  external: boolean;
}

export interface StoredSnapshot {
  provider: Provider;
  scopeId: string;
  region: string;
  resourceId: string;
  snapshotId: string;
  name: string | null;
  createdAt: string | null;
  public: string;
  sharedOutside: boolean;
  owner: string | null;
}

export interface Lifecycle {
  fingerprint: string;
  checkId: string;
  provider: string;
  scopeId: string;
  state: 'open' | 'resolved';
  firstSeenSeq: number;
  firstSeenAt: string;
  lastSeenSeq: number;
  lastSeenAt: string;
  resolvedSeq: number | null;
  resolvedAt: string | null;
  regressions: number;
  lastRegressedAt: string | null;
}

export interface RecordOptions {
  retain: number;
  beforeCommit?: (outcome: RecordOutcome) => void;
}

/** How many open findings not seen by a scan the lifecycle reads at a time. */
const RESOLVE_PAGE = 1000;

/** What the lifecycle needs of a finding. */
interface FindingKeyRow {
  fingerprint: string;
  check_id: string;
  origin: string;
  provider: string;
  scope_id: string;
  region: string | null;
}

/** Adds the scan's creators and activity-read scopes to the lasting history (activity.first-time-creator). */
function rememberCreators(db: DatabaseSync, seq: number, at: string): void {
  db.prepare(
    'INSERT OR IGNORE INTO creators (provider, scope_id, identity, first_seen_seq, first_seen_at) SELECT provider, scope_id, identity, ?, ? FROM scan_creators WHERE scan_seq = ?',
  ).run(seq, at, seq);
  db.prepare(
    'INSERT OR IGNORE INTO activity_scopes (provider, scope_id, first_read_seq, first_read_at) SELECT provider, scope_id, ?, ? FROM scan_scopes WHERE scan_seq = ? AND activity_read = 1',
  ).run(seq, at, seq);
}

/**
 * Moves a stage's rows into the tables of scan `seq`, in canonical order (scopes by provider and id, the scan's own
 * findings last), and removes them from the stage.
 */
function moveStaged(db: DatabaseSync, stage: string, seq: number): void {
  const move: Array<[string, string, string]> = [
    ['scan_scopes', 'provider, scope_id, name, status, regions, principals_read, snapshot_regions, activity_read', 'provider, scope_id'],
    [
      'scan_capabilities',
      'provider, scope_id, principal_id, principal_name, principal_type, capability, external',
      'provider, scope_id, rowid',
    ],
    [
      'scan_snapshots',
      'provider, scope_id, region, resource_id, snapshot_id, name, created_at, public, shared_outside, owner',
      'provider, scope_id, rowid',
    ],
    ['scan_creators', 'provider, scope_id, identity, first_at, events', 'provider, scope_id, identity'],
    [
      'scan_findings',
      'fingerprint, check_id, severity, status, origin, provider, scope_id, region, evidence_hash, finding',
      "origin = 'discovery', provider, scope_id, rowid",
    ],
  ];
  for (const [table, columns, order] of move) {
    const staged = table.replace(/^scan_/, 'staged_');
    db.prepare(
      `INSERT OR IGNORE INTO main.${table} (scan_seq, ${columns}) SELECT ?, ${columns} FROM temp.${staged} WHERE stage = ? ORDER BY ${order}`,
    ).run(seq, stage);
    db.prepare(`DELETE FROM temp.${staged} WHERE stage = ?`).run(stage);
  }
}

export interface RecordOutcome {
  scan: ScanRecord;
  /** The scan id was already recorded (same --now twice): nothing was written. */
  duplicate: boolean;
  /** Scans deleted by retention. */
  pruned: number;
  /** Lifecycle changes this scan caused. */
  opened: number;
  resolved: number;
  regressed: number;
}

/** What a scan could see: decides whether a finding absent from it was fixed or just not looked at. */
export interface Assessment {
  checks: ReadonlySet<string>;
  providers: ReadonlySet<string>;
  scopes: ReadonlyMap<string, { status: string; regions: Record<string, string> }>;
}

export function scopeKey(provider: string, scopeId: string): string {
  return `${provider}\u0000${scopeId}`;
}

export function assessed(
  a: Assessment,
  f: { checkId: string; origin: string; provider: string; scopeId: string; region: string | null },
): boolean {
  if (!a.checks.has(f.checkId) || !a.providers.has(f.provider)) return false;
  if (f.origin === 'discovery') return true;
  const s = a.scopes.get(scopeKey(f.provider, f.scopeId));
  if (!s) return false;
  if (s.status === 'complete') return true;
  if (s.status !== 'partial') return false;
  return f.region !== null && s.regions[f.region] === 'scanned';
}

export const DEFAULT_STATE_PATH = '.snapaudit/state.sqlite';

interface ScanRow {
  seq: number;
  id: string;
  started_at: string;
  finished_at: string;
  complete: number;
  interrupted: number;
  providers: string;
  shard: string | null;
  checks: string;
  tool_version: string;
  summary: string;
}

function toScanRecord(r: ScanRow): ScanRecord {
  return {
    seq: r.seq,
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    complete: r.complete === 1,
    interrupted: r.interrupted === 1,
    providers: JSON.parse(r.providers),
    shard: r.shard,
    checks: JSON.parse(r.checks),
    toolVersion: r.tool_version,
    summary: JSON.parse(r.summary),
  };
}

const SCAN_COLUMNS = 'seq, id, started_at, finished_at, complete, interrupted, providers, shard, checks, tool_version, summary';

export class StateStore {
  readonly path: string;
  readonly db: DatabaseSync;
  private findingBy: StatementSync | undefined;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.db = db;
  }

  /** Opens (and with `create`, creates) the store at `path`, migrating it to the current schema. */
  static open(path: string, opts: { create: boolean } = { create: true }): StateStore {
    return new StateStore(path, openDatabase(path, { create: opts.create }));
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /**
   * What a writer checks before it scans: the file is intact (SQLite's quick_check) and writable (a write in a
   * transaction that is rolled back). Throws StateStoreError naming the problem and the fix.
   */
  verify(): void {
    verifyDatabase(this.db, this.path);
  }

  /** Takes the single-writer lease; throws StoreLockedError naming the holder when another writer has it. */
  lock(opts: LockOptions): Lease {
    return acquireLock(this.db, this.path, opts);
  }

  // ---- scans -------------------------------------------------------------------------------------------------

  scans(): ScanRecord[] {
    return (this.db.prepare(`SELECT ${SCAN_COLUMNS} FROM scans ORDER BY seq`).all() as unknown as ScanRow[]).map(toScanRecord);
  }

  latest(): ScanRecord | null {
    const r = this.db.prepare(`SELECT ${SCAN_COLUMNS} FROM scans ORDER BY seq DESC LIMIT 1`).get() as ScanRow | undefined;
    return r ? toScanRecord(r) : null;
  }

  /** A scan by id, by id prefix (at least 6 characters, when unambiguous) or by `#seq`. */
  scan(ref: string): ScanRecord | null {
    if (/^#\d+$/.test(ref)) {
      const r = this.db.prepare(`SELECT ${SCAN_COLUMNS} FROM scans WHERE seq = ?`).get(Number(ref.slice(1))) as ScanRow | undefined;
      return r ? toScanRecord(r) : null;
    }
    const exact = this.db.prepare(`SELECT ${SCAN_COLUMNS} FROM scans WHERE id = ?`).get(ref) as ScanRow | undefined;
    if (exact) return toScanRecord(exact);
    if (ref.length < 6) return null;
    const rows = this.db
      .prepare(`SELECT ${SCAN_COLUMNS} FROM scans WHERE id LIKE ? ESCAPE '\\'`)
      .all(`${ref.replace(/[\\%_]/g, '\\$&')}%`) as unknown as ScanRow[];
    return rows.length === 1 ? toScanRecord(rows[0]!) : null;
  }

  /** The scan recorded just before `seq`. */
  before(seq: number): ScanRecord | null {
    const r = this.db.prepare(`SELECT ${SCAN_COLUMNS} FROM scans WHERE seq < ? ORDER BY seq DESC LIMIT 1`).get(seq) as ScanRow | undefined;
    return r ? toScanRecord(r) : null;
  }

  scopesOf(seq: number): StoredScope[] {
    const rows = this.db
      .prepare(
        'SELECT provider, scope_id, name, status, regions, principals_read, snapshot_regions FROM scan_scopes WHERE scan_seq = ? ORDER BY provider, scope_id',
      )
      .all(seq) as unknown as Array<{
      provider: Provider;
      scope_id: string;
      name: string;
      status: string;
      regions: string;
      principals_read: number;
      snapshot_regions: string;
    }>;
    return rows.map((r) => ({
      provider: r.provider,
      scopeId: r.scope_id,
      name: r.name,
      status: r.status,
      regions: JSON.parse(r.regions),
      principalsRead: r.principals_read === 1,
      snapshotRegions: JSON.parse(r.snapshot_regions),
    }));
  }

  findingsOf(seq: number): StoredFinding[] {
    return [...this.findingsAtOrAbove(seq, 'info')];
  }

  /**
   * The findings of scan `seq` at or above a severity, ordered by fingerprint, read row by row (the filter runs in
   * SQL, and only the rows it keeps are parsed): what ticket planning needs without the whole scan in memory.
   */
  *findingsAtOrAbove(seq: number, severity: Severity): Generator<StoredFinding> {
    const wanted = severities.slice(0, severities.indexOf(severity) + 1);
    const rows = this.db
      .prepare(
        `SELECT fingerprint, check_id, severity, status, origin, provider, scope_id, region, evidence_hash, finding FROM scan_findings WHERE scan_seq = ? AND severity IN (${wanted.map(() => '?').join(', ')}) ORDER BY fingerprint`,
      )
      .iterate(seq, ...wanted) as Iterable<Record<string, string | null>>;
    for (const r of rows) {
      yield {
        fingerprint: r.fingerprint!,
        checkId: r.check_id!,
        severity: r.severity as Severity,
        status: r.status as 'open' | 'suppressed',
        origin: r.origin as 'scope' | 'discovery',
        provider: r.provider as Provider,
        scopeId: r.scope_id!,
        region: r.region ?? null,
        evidenceHash: r.evidence_hash!,
        // findings stored before message ids existed read as `legacy`, like older result files
        finding: { messageId: LEGACY_MESSAGE_ID, ...JSON.parse(r.finding!) },
      };
    }
  }

  /** One finding of scan `seq` by fingerprint, as reported; null when the scan has none with that fingerprint. */
  scanFinding(seq: number, fingerprint: string): Finding | null {
    this.findingBy ??= this.db.prepare('SELECT finding FROM scan_findings WHERE scan_seq = ? AND fingerprint = ?');
    const r = this.findingBy.get(seq, fingerprint) as { finding: string } | undefined;
    return r ? { messageId: LEGACY_MESSAGE_ID, ...JSON.parse(r.finding) } : null;
  }

  capabilitiesOf(seq: number): StoredCapability[] {
    const rows = this.db
      .prepare(
        'SELECT provider, scope_id, principal_id, principal_name, principal_type, capability, external FROM scan_capabilities WHERE scan_seq = ? ORDER BY provider, scope_id, principal_id, capability',
      )
      .all(seq) as unknown as Array<Record<string, string | number>>;
    return rows.map((r) => ({
      provider: r.provider as Provider,
      scopeId: String(r.scope_id),
      principalId: String(r.principal_id),
      principalName: String(r.principal_name),
      principalType: String(r.principal_type),
      capability: r.capability as Capability,
      external: r.external === 1,
    }));
  }

  snapshotsOf(seq: number): StoredSnapshot[] {
    const rows = this.db
      .prepare(
        'SELECT provider, scope_id, region, resource_id, snapshot_id, name, created_at, public, shared_outside, owner FROM scan_snapshots WHERE scan_seq = ? ORDER BY provider, scope_id, region, resource_id',
      )
      .all(seq) as unknown as Array<Record<string, string | number | null>>;
    return rows.map((r) => ({
      provider: r.provider as Provider,
      scopeId: String(r.scope_id),
      region: String(r.region),
      resourceId: String(r.resource_id),
      snapshotId: String(r.snapshot_id),
      name: r.name === null ? null : String(r.name),
      createdAt: r.created_at === null ? null : String(r.created_at),
      public: String(r.public),
      sharedOutside: r.shared_outside === 1,
      owner: r.owner === null ? null : String(r.owner),
    }));
  }

  assessment(scan: ScanRecord): Assessment {
    const scopes = new Map<string, { status: string; regions: Record<string, string> }>();
    for (const s of this.scopesOf(scan.seq)) scopes.set(scopeKey(s.provider, s.scopeId), { status: s.status, regions: s.regions });
    return { checks: new Set(scan.checks), providers: new Set(scan.providers), scopes };
  }

  lifecycle(fingerprint: string): Lifecycle | null {
    const r = this.db.prepare('SELECT * FROM findings WHERE fingerprint = ?').get(fingerprint) as
      | Record<string, string | number | null>
      | undefined;
    return r ? toLifecycle(r) : null;
  }

  lifecycles(): Map<string, Lifecycle> {
    return new Map([...this.eachLifecycle()].map((l) => [l.fingerprint, l]));
  }

  /** Every finding's lifecycle, read row by row (the history can be far larger than a scan). */
  *eachLifecycle(): Generator<Lifecycle> {
    for (const r of this.db.prepare('SELECT * FROM findings').iterate() as Iterable<Record<string, string | number | null>>)
      yield toLifecycle(r);
  }

  /**
   * What `permissions.newly-granted` compares with: for each scope, the who-can set of the latest recorded scan that
   * read that scope's principals completely (an interrupted or partial scan in between does not hide a new grant).
   */
  previousScan(): PreviousScan {
    const latestSeq = this.db.prepare(
      'SELECT MAX(scan_seq) AS seq FROM scan_scopes WHERE provider = ? AND scope_id = ? AND principals_read = 1',
    );
    const caps = this.db.prepare(
      'SELECT principal_id, capability FROM scan_capabilities WHERE scan_seq = ? AND provider = ? AND scope_id = ?',
    );
    const cache = new Map<string, Map<string, Capability[]> | null>();
    const load = (provider: string, scopeId: string): Map<string, Capability[]> | null => {
      const key = scopeKey(provider, scopeId);
      if (cache.has(key)) return cache.get(key) ?? null;
      const row = latestSeq.get(provider, scopeId) as { seq: number | null };
      let value: Map<string, Capability[]> | null = null;
      if (row.seq !== null) {
        value = new Map();
        for (const r of caps.all(row.seq, provider, scopeId) as unknown as Array<{ principal_id: string; capability: Capability }>) {
          value.set(r.principal_id, [...(value.get(r.principal_id) ?? []), r.capability]);
        }
      }
      cache.set(key, value);
      return value;
    };
    const activityRead = this.db.prepare('SELECT 1 AS read FROM activity_scopes WHERE provider = ? AND scope_id = ?');
    const creatorRows = this.db.prepare('SELECT identity FROM creators WHERE provider = ? AND scope_id = ?');
    const creators = new Map<string, ReadonlySet<string> | null>();
    return {
      creators: (provider, scopeId) => {
        const key = scopeKey(provider, scopeId);
        if (!creators.has(key)) {
          const read = activityRead.get(provider, scopeId) !== undefined;
          const rows = read ? (creatorRows.all(provider, scopeId) as Array<{ identity: string }>) : [];
          creators.set(key, read ? new Set(rows.map((r) => r.identity)) : null);
        }
        return creators.get(key) ?? null;
      },
      scopeSeen: (provider, scopeId) => load(provider, scopeId) !== null,
      capabilities: (provider, scopeId, principalId) => [...(load(provider, scopeId)?.get(principalId) ?? [])].sort(),
    };
  }

  // ---- recording ---------------------------------------------------------------------------------------------

  /** A stage for the scopes of a scan about to run: each is written as it finishes (see stage.ts). */
  stage(): ScanStage {
    return new ScanStage(this.db);
  }

  /**
   * Records a scan whose scopes are all in memory (`result.scopes`): stages them, then records as `recordStaged`.
   */
  record(result: ScanResult, opts: RecordOptions): RecordOutcome {
    const stage = this.stage();
    try {
      for (const s of result.scopes) stage.add(s);
    } catch (err) {
      stage.discard();
      throw err;
    }
    return this.recordStaged(result, stage, opts);
  }

  /**
   * Records a scan whose scopes were staged as they finished (`header.scopes` is not read): adds the scan's own
   * findings, then one transaction moves the staged rows into the scan's tables and updates the lifecycle of every
   * finding. `beforeCommit` runs inside it, once the rows are in (it can read the trend): the CLI writes the scan's
   * outputs there, so a scan is recorded only when its outputs were written — if it throws, nothing of the scan is
   * recorded and its staged rows are removed.
   */
  recordStaged(header: ScanResult, stage: ScanStage, opts: RecordOptions): RecordOutcome {
    const existing = this.scan(header.scan.id);
    if (existing && existing.id === header.scan.id) {
      stage.discard();
      const outcome = { scan: existing, duplicate: true, pruned: 0, opened: 0, resolved: 0, regressed: 0 };
      opts.beforeCommit?.(outcome);
      return outcome;
    }
    try {
      stage.addScanFindings(header.findings);
      return transaction(this.db, () => this.commitStaged(header, stage, opts));
    } catch (err) {
      stage.discard();
      throw err;
    }
  }

  private commitStaged(result: ScanResult, stage: ScanStage, opts: RecordOptions): RecordOutcome {
    const db = this.db;
    const at = result.scan.startedAt;
    const summary = stage.totals.summary();
    const checks = result.checks.map((c) => c.id).sort();
    const ins = db
      .prepare(
        `INSERT INTO scans (id, started_at, finished_at, complete, interrupted, providers, discovered, shard, checks, tool_version, summary, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        result.scan.id,
        result.scan.startedAt,
        result.scan.finishedAt,
        result.scan.complete ? 1 : 0,
        result.scan.interrupted ? 1 : 0,
        JSON.stringify(result.scan.providers),
        JSON.stringify(result.discovery.filter((d) => d.status === 'complete').map((d) => d.provider)),
        result.scan.shard ? `${result.scan.shard.index}/${result.scan.shard.count}` : null,
        JSON.stringify(checks),
        result.tool.version,
        JSON.stringify(summary),
        new Date().toISOString(),
      );
    const seq = Number(ins.lastInsertRowid);
    moveStaged(db, stage.id, seq);
    rememberCreators(db, seq, at);

    // Lifecycle: new, still open, regressed (came back after being resolved), resolved (assessed and gone). Done in
    // SQL over the scan's rows and in pages of the findings not seen, never the whole finding history in memory: an
    // organisation's first scan records every finding it has (hundreds of thousands at 2,000 accounts).
    const inScan = 'EXISTS (SELECT 1 FROM scan_findings s WHERE s.scan_seq = ? AND s.fingerprint = findings.fingerprint)';
    const regressed = Number(
      db
        .prepare(
          `UPDATE findings SET state = 'open', resolved_seq = NULL, resolved_at = NULL, regressions = regressions + 1, last_regressed_at = ?, last_seen_seq = ?, last_seen_at = ? WHERE state = 'resolved' AND ${inScan}`,
        )
        .run(at, seq, at, seq).changes,
    );
    db.prepare(`UPDATE findings SET last_seen_seq = ?, last_seen_at = ? WHERE state = 'open' AND last_seen_seq < ? AND ${inScan}`).run(
      seq,
      at,
      seq,
      seq,
    );
    // the rest are new: a fingerprint is in `findings` now only if an earlier scan saw it
    const opened = Number(
      db
        .prepare(
          `INSERT OR IGNORE INTO findings (fingerprint, check_id, origin, provider, scope_id, region, state, first_seen_seq, first_seen_at, last_seen_seq, last_seen_at)
             SELECT fingerprint, check_id, origin, provider, scope_id, region, 'open', ?, ?, ?, ? FROM scan_findings WHERE scan_seq = ? ORDER BY rowid`,
        )
        .run(seq, at, seq, at, seq).changes,
    );
    const scopeRows = db
      .prepare('SELECT provider, scope_id, status, regions FROM scan_scopes WHERE scan_seq = ?')
      .all(seq) as unknown as Array<{
      provider: string;
      scope_id: string;
      status: string;
      regions: string;
    }>;
    const assessment: Assessment = {
      checks: new Set(checks),
      providers: new Set(result.scan.providers),
      scopes: new Map(scopeRows.map((r) => [scopeKey(r.provider, r.scope_id), { status: r.status, regions: JSON.parse(r.regions) }])),
    };
    // Open and not seen by this scan: resolved where this scan assessed them (it looked and they were gone). Read a
    // page at a time after the last fingerprint read, not by iterating a query over the table being updated.
    const notSeen = db.prepare(
      "SELECT fingerprint, check_id, origin, provider, scope_id, region FROM findings WHERE state = 'open' AND last_seen_seq < ? AND fingerprint > ? ORDER BY fingerprint LIMIT ?",
    );
    const resolve = db.prepare("UPDATE findings SET state = 'resolved', resolved_seq = ?, resolved_at = ? WHERE fingerprint = ?");
    let resolved = 0;
    let after = '';
    for (;;) {
      const page = notSeen.all(seq, after, RESOLVE_PAGE) as unknown as FindingKeyRow[];
      for (const row of page) {
        const key = { checkId: row.check_id, origin: row.origin, provider: row.provider, scopeId: row.scope_id, region: row.region };
        if (assessed(assessment, key)) {
          resolve.run(seq, at, row.fingerprint);
          resolved++;
        }
      }
      if (page.length < RESOLVE_PAGE) break;
      after = page[page.length - 1]!.fingerprint;
    }

    // Retention: keep the last `retain` scans; forget resolved findings older than every kept scan.
    const cutoff = db.prepare('SELECT seq FROM scans ORDER BY seq DESC LIMIT 1 OFFSET ?').get(Math.max(1, opts.retain) - 1) as
      | { seq: number }
      | undefined;
    let pruned = 0;
    if (cutoff) {
      pruned = Number(db.prepare('DELETE FROM scans WHERE seq < ?').run(cutoff.seq).changes);
      if (pruned > 0) db.prepare("DELETE FROM findings WHERE state = 'resolved' AND last_seen_seq < ?").run(cutoff.seq);
    }
    const scan = toScanRecord(db.prepare(`SELECT ${SCAN_COLUMNS} FROM scans WHERE seq = ?`).get(seq) as unknown as ScanRow);
    const outcome = { scan, duplicate: false, pruned, opened, resolved, regressed };
    opts.beforeCommit?.(outcome);
    return outcome;
  }

  // ---- ticket ledger -----------------------------------------------------------------------------------------

  ticketLinks(sink: string): TicketLink[] {
    return ledger.ticketLinks(this.db, sink);
  }

  saveTicketLink(link: TicketLink): void {
    ledger.saveTicketLink(this.db, link);
  }

  dropTicketLink(sink: string, key: string): void {
    ledger.dropTicketLink(this.db, sink, key);
  }

  /** Operations begun and not yet recorded as done (a crash, or a create whose outcome is unknown). */
  pendingTicketOps(sink: string): PendingTicketOp[] {
    return ledger.pendingTicketOps(this.db, sink);
  }

  savePendingTicketOp(op: PendingTicketOp): void {
    ledger.savePendingTicketOp(this.db, op);
  }

  dropPendingTicketOp(sink: string, key: string): void {
    ledger.dropPendingTicketOp(this.db, sink, key);
  }

  /** Saves the link an operation produced and forgets the operation, atomically. */
  completeTicketOp(link: TicketLink): void {
    ledger.completeTicketOp(this.db, link);
  }

  /** Forgets the whole ticket ledger of one sink (links and operations in flight). */
  deleteTicketLinks(sink: string): number {
    return ledger.forgetTickets(this.db, sink);
  }
}

function toLifecycle(r: Record<string, string | number | null>): Lifecycle {
  return {
    fingerprint: String(r.fingerprint),
    checkId: String(r.check_id),
    provider: String(r.provider),
    scopeId: String(r.scope_id),
    state: r.state as 'open' | 'resolved',
    firstSeenSeq: Number(r.first_seen_seq),
    firstSeenAt: String(r.first_seen_at),
    lastSeenSeq: Number(r.last_seen_seq),
    lastSeenAt: String(r.last_seen_at),
    resolvedSeq: r.resolved_seq === null ? null : Number(r.resolved_seq),
    resolvedAt: r.resolved_at === null ? null : String(r.resolved_at),
    regressions: Number(r.regressions),
    lastRegressedAt: r.last_regressed_at === null ? null : String(r.last_regressed_at),
  };
}

export function storeError(message: string): StateStoreError {
  return new StateStoreError(message);
}
