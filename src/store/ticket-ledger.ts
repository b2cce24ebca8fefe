/**
 * The ticket ledger inside the state store: which remote ticket tracks which finding (or check × scope group), and
 * the operations in flight. An operation is written here before its first remote call and removed in the same
 * transaction as the ledger entry that completes it (a write-ahead log), so a crash, or a create that failed without
 * saying whether the ticket was made, is settled by the next sync instead of being repeated blindly.
 */
import type { DatabaseSync } from 'node:sqlite';
import { transaction } from './database.ts';

export interface TicketMember {
  state: 'open' | 'resolved' | 'suppressed';
  evidenceHash: string;
  label: string;
}

export interface TicketLink {
  sink: string;
  key: string;
  marker: string;
  remoteId: string;
  remoteKey: string;
  url: string | null;
  title: string;
  state: 'open' | 'closed';
  evidenceHash: string;
  members: Record<string, TicketMember>;
  createdAt: string;
  updatedAt: string;
  lastScanId: string | null;
}

export type TicketOpKind = 'create' | 'refresh' | 'close' | 'reopen';

/** What an operation writes into the ledger when it completes. */
export interface TicketOpTarget {
  state: 'open' | 'closed';
  title: string;
  evidenceHash: string;
  members: Record<string, TicketMember>;
  /** Where the ticket goes (Jira project, GitHub repository…), to search for it again; null: the sink's default. */
  project: string | null;
}

export interface PendingTicketOp {
  sink: string;
  key: string;
  marker: string;
  kind: TicketOpKind;
  /** Hash of marker, kind and scan id: written on the ticket (comment tag) so a repeat is recognised. */
  opId: string;
  scanId: string;
  startedAt: string;
  /** When a create failed without saying whether the ticket was made (5xx, connection reset); null otherwise. */
  ambiguousAt: string | null;
  target: TicketOpTarget;
}

type Row = Record<string, string | null>;

function toTicketLink(r: Row): TicketLink {
  return {
    sink: r.sink!,
    key: r.key!,
    marker: r.marker!,
    remoteId: r.remote_id!,
    remoteKey: r.remote_key!,
    url: r.url ?? null,
    title: r.title!,
    state: r.state as 'open' | 'closed',
    evidenceHash: r.evidence_hash!,
    members: JSON.parse(r.members!),
    createdAt: r.created_at!,
    updatedAt: r.updated_at!,
    lastScanId: r.last_scan_id ?? null,
  };
}

function toPendingOp(r: Row): PendingTicketOp {
  return {
    sink: r.sink!,
    key: r.key!,
    marker: r.marker!,
    kind: r.kind as TicketOpKind,
    opId: r.op_id!,
    scanId: r.scan_id!,
    startedAt: r.started_at!,
    ambiguousAt: r.ambiguous_at ?? null,
    target: JSON.parse(r.target!),
  };
}

export function ticketLinks(db: DatabaseSync, sink: string): TicketLink[] {
  return (db.prepare('SELECT * FROM ticket_links WHERE sink = ? ORDER BY key').all(sink) as unknown as Row[]).map(toTicketLink);
}

export function saveTicketLink(db: DatabaseSync, link: TicketLink): void {
  db.prepare(
    `INSERT OR REPLACE INTO ticket_links (sink, key, marker, remote_id, remote_key, url, title, state, evidence_hash, members, created_at, updated_at, last_scan_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    link.sink,
    link.key,
    link.marker,
    link.remoteId,
    link.remoteKey,
    link.url,
    link.title,
    link.state,
    link.evidenceHash,
    JSON.stringify(link.members),
    link.createdAt,
    link.updatedAt,
    link.lastScanId,
  );
}

export function dropTicketLink(db: DatabaseSync, sink: string, key: string): void {
  db.prepare('DELETE FROM ticket_links WHERE sink = ? AND key = ?').run(sink, key);
}

export function pendingTicketOps(db: DatabaseSync, sink: string): PendingTicketOp[] {
  return (db.prepare('SELECT * FROM ticket_ops WHERE sink = ? ORDER BY key').all(sink) as unknown as Row[]).map(toPendingOp);
}

export function savePendingTicketOp(db: DatabaseSync, op: PendingTicketOp): void {
  db.prepare(
    `INSERT OR REPLACE INTO ticket_ops (sink, key, marker, kind, op_id, scan_id, started_at, ambiguous_at, target)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(op.sink, op.key, op.marker, op.kind, op.opId, op.scanId, op.startedAt, op.ambiguousAt, JSON.stringify(op.target));
}

export function dropPendingTicketOp(db: DatabaseSync, sink: string, key: string): void {
  db.prepare('DELETE FROM ticket_ops WHERE sink = ? AND key = ?').run(sink, key);
}

/** Records the ledger entry an operation produced and forgets the operation, in one transaction. */
export function completeTicketOp(db: DatabaseSync, link: TicketLink): void {
  transaction(db, () => {
    saveTicketLink(db, link);
    dropPendingTicketOp(db, link.sink, link.key);
  });
}

/** Forgets everything the ledger holds for one sink (links and operations in flight). */
export function forgetTickets(db: DatabaseSync, sink: string): number {
  return transaction(db, () => {
    db.prepare('DELETE FROM ticket_ops WHERE sink = ?').run(sink);
    return Number(db.prepare('DELETE FROM ticket_links WHERE sink = ?').run(sink).changes);
  });
}
