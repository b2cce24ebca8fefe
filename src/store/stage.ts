/**
 * A scan's scopes staged in the state store as they finish: each scope's rows (what it could read, its who-can set,
 * its snapshots, its findings) are written in a small transaction of their own the moment the scope is done, so
 * nothing of the scan needs to stay in memory for the store; `StateStore.recordStaged` then moves them into the
 * scan's tables in its final transaction. The summary counts are added up on the way.
 *
 * The staging tables are the connection's TEMP tables, kept in a temporary file (never in memory): they are not
 * part of the store file, so a scan that dies before it is recorded leaves nothing behind in the store, and the
 * store's pages hold only recorded scans.
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Finding, ScopeResult } from '../core/model/result.ts';
import { transaction } from './database.ts';
import { creatorsOf, evidenceHash, readability, SummaryTotals } from './summary.ts';

/** The staging tables: the columns of the scan_* tables, keyed by the stage instead of the scan. */
const STAGING_TABLES = `
CREATE TEMP TABLE IF NOT EXISTS staged_scopes (
  stage TEXT NOT NULL,
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  regions TEXT NOT NULL,
  principals_read INTEGER NOT NULL,
  snapshot_regions TEXT NOT NULL,
  activity_read INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (stage, provider, scope_id)
);
CREATE TEMP TABLE IF NOT EXISTS staged_capabilities (
  stage TEXT NOT NULL,
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  principal_name TEXT NOT NULL,
  principal_type TEXT NOT NULL,
  capability TEXT NOT NULL,
  external INTEGER NOT NULL,
  PRIMARY KEY (stage, provider, scope_id, principal_id, capability)
);
CREATE TEMP TABLE IF NOT EXISTS staged_snapshots (
  stage TEXT NOT NULL,
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  region TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  snapshot_id TEXT NOT NULL,
  name TEXT,
  created_at TEXT,
  public TEXT NOT NULL,
  shared_outside INTEGER NOT NULL,
  owner TEXT,
  PRIMARY KEY (stage, provider, scope_id, resource_id)
);
CREATE TEMP TABLE IF NOT EXISTS staged_creators (
  stage TEXT NOT NULL,
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  identity TEXT NOT NULL,
  first_at TEXT NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (stage, provider, scope_id, identity)
);
CREATE TEMP TABLE IF NOT EXISTS staged_findings (
  stage TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  check_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  origin TEXT NOT NULL,
  provider TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  region TEXT,
  evidence_hash TEXT NOT NULL,
  finding TEXT NOT NULL,
  PRIMARY KEY (stage, fingerprint)
);
`;

/** The staging tables, in the order their rows are moved (and removed). */
export const stagedTables = ['staged_scopes', 'staged_capabilities', 'staged_snapshots', 'staged_creators', 'staged_findings'] as const;

export class ScanStage {
  readonly id = randomBytes(8).toString('hex');
  readonly totals = new SummaryTotals();
  private readonly db: DatabaseSync;
  private readonly scopeIns: StatementSync;
  private readonly capIns: StatementSync;
  private readonly snapIns: StatementSync;
  private readonly findIns: StatementSync;
  private readonly creatorIns: StatementSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    db.exec('PRAGMA temp_store = FILE');
    db.exec(STAGING_TABLES);
    this.scopeIns = db.prepare(
      'INSERT INTO staged_scopes (stage, provider, scope_id, name, status, regions, principals_read, snapshot_regions, activity_read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.creatorIns = db.prepare(
      'INSERT OR IGNORE INTO staged_creators (stage, provider, scope_id, identity, first_at, events) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.capIns = db.prepare(
      'INSERT OR IGNORE INTO staged_capabilities (stage, provider, scope_id, principal_id, principal_name, principal_type, capability, external) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.snapIns = db.prepare(
      'INSERT OR IGNORE INTO staged_snapshots (stage, provider, scope_id, region, resource_id, snapshot_id, name, created_at, public, shared_outside, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.findIns = db.prepare(
      'INSERT OR IGNORE INTO staged_findings (stage, fingerprint, check_id, severity, status, origin, provider, scope_id, region, evidence_hash, finding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Stages one finished scope (its own transaction). */
  add(s: ScopeResult): void {
    transaction(this.db, () => {
      const r = readability(s);
      this.scopeIns.run(
        this.id,
        s.scope.provider,
        s.scope.id,
        s.scope.name,
        s.coverage.status,
        JSON.stringify(Object.fromEntries(s.coverage.regions.map((x) => [x.region, x.status]))),
        r.principalsRead ? 1 : 0,
        JSON.stringify(r.snapshotRegions),
        r.activityRead ? 1 : 0,
      );
      for (const c of creatorsOf(s)) this.creatorIns.run(this.id, s.scope.provider, s.scope.id, c.identity, c.firstAt, c.events);
      for (const p of s.principals) {
        for (const c of p.capabilities) this.capIns.run(this.id, s.scope.provider, s.scope.id, p.id, p.name, p.type, c, p.external ? 1 : 0);
      }
      for (const snap of s.snapshots) {
        this.snapIns.run(
          this.id,
          s.scope.provider,
          s.scope.id,
          snap.region,
          snap.resourceId,
          snap.id,
          snap.name,
          snap.createdAt,
          snap.sharing.public,
          snap.sharing.sharedWith.some((x) => x.inOrganization === 'no') ? 1 : 0,
          snap.owner.value,
        );
      }
      this.insertFindings(s.findings, 'scope');
    });
    this.totals.addScope(s);
  }

  /** Stages the scan's own findings (discovery), once every scope is in. */
  addScanFindings(findings: readonly Finding[]): void {
    transaction(this.db, () => this.insertFindings(findings, 'discovery'));
    this.totals.addFindings(findings);
  }

  private insertFindings(findings: readonly Finding[], origin: 'scope' | 'discovery'): void {
    for (const f of findings) {
      this.findIns.run(
        this.id,
        f.fingerprint,
        f.checkId,
        f.severity,
        f.status,
        origin,
        f.provider,
        f.scopeId,
        f.region,
        evidenceHash(f),
        JSON.stringify(f),
      );
    }
  }

  /** Removes what this stage wrote (the scan is not recorded). */
  discard(): void {
    transaction(this.db, () => {
      for (const t of stagedTables) this.db.prepare(`DELETE FROM temp.${t} WHERE stage = ?`).run(this.id);
    });
  }
}
