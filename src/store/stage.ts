/**
 * A scan's scopes staged in the state store as they finish: each scope's rows (what it could read, its who-can set,
 * its snapshots, its findings) are written in a small transaction of their own the moment the scope is done, so
 * nothing of the scan needs to stay in memory for the store; `StateStore.recordStaged` then moves them into the
 * scan's tables in its final transaction. The summary counts are added up on the way.
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Finding, ScopeResult } from '../core/model/result.ts';
import { transaction } from './database.ts';
import { evidenceHash, readability, SummaryTotals } from './summary.ts';

/** The staging tables, in the order their rows are moved (and removed). */
export const stagedTables = ['staged_scopes', 'staged_capabilities', 'staged_snapshots', 'staged_findings'] as const;

export class ScanStage {
  readonly id = randomBytes(8).toString('hex');
  readonly totals = new SummaryTotals();
  private readonly db: DatabaseSync;
  private readonly scopeIns: StatementSync;
  private readonly capIns: StatementSync;
  private readonly snapIns: StatementSync;
  private readonly findIns: StatementSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.scopeIns = db.prepare(
      'INSERT INTO staged_scopes (stage, provider, scope_id, name, status, regions, principals_read, snapshot_regions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
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
      );
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
      for (const t of stagedTables) this.db.prepare(`DELETE FROM ${t} WHERE stage = ?`).run(this.id);
    });
  }
}

/** Removes every staged row: those of a writer that stopped before recording its scan. Call holding the lease. */
export function clearStaged(db: DatabaseSync): number {
  return transaction(db, () => stagedTables.reduce((n, t) => n + Number(db.prepare(`DELETE FROM ${t}`).run().changes), 0));
}
