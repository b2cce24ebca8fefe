/**
 * What one ticket sync carries through its steps (settle what a crash left, reconcile, plan, carry out), and the
 * small helpers they share: remote calls go through the retry policy, ledger writes abort the sync when they fail
 * (carrying on without a ledger would repeat work blindly), and every operation has a stable id.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../core/log.ts';
import type { PendingTicketOp, ScanRecord, StateStore, TicketLink, TicketOpKind } from '../store/state-store.ts';
import type { TicketsConfig } from '../core/config/tickets.ts';
import { redact } from './credentials.ts';
import type { ListedTicket, RemoteTicket, TicketDraft, TicketSink } from './model.ts';
import type { PlannedOp } from './plan.ts';
import { classify, type RetryOptions, withRetry } from './retry.ts';

export type OpOutcome = 'created' | 'adopted' | 'commented' | 'updated' | 'closed' | 'reopened' | 'pending';

export interface SyncReport {
  scan: ScanRecord;
  sink: TicketsConfig['sink'];
  dryRun: boolean;
  /** The operations the plan asked for, as the report shows them (their drafts are not kept). */
  planned: PlannedOp[];
  done: Array<{ kind: TicketOpKind | 'duplicate' | 'untracked'; key: string; ticket: string; outcome: OpOutcome }>;
  failed: Array<{ kind: TicketOpKind | 'settle' | 'reconcile' | 'duplicate' | 'untracked'; key: string; message: string }>;
  /** Creates that failed without saying whether the ticket was made and were not found yet: the next sync settles them. */
  pending: Array<{ key: string; marker: string; since: string }>;
  /** With --reconcile: open tickets carrying a snapaudit marker this state store knows nothing about. */
  unknown: ListedTicket[];
  reconciled: boolean;
}

export interface SyncContext {
  store: StateStore;
  sink: TicketSink;
  tickets: TicketsConfig;
  scan: ScanRecord;
  retry: RetryOptions;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  log: Logger;
  secrets: readonly string[];
  report: SyncReport;
}

/** A ledger write failed: the sync stops (the write-ahead entries already on disk let the next sync resume). */
export class LedgerError extends Error {
  constructor(cause: unknown) {
    super(`the state store could not record a ticket operation: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'LedgerError';
  }
}

export function ledger<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw err instanceof LedgerError ? err : new LedgerError(err);
  }
}

export const remote = <T>(ctx: SyncContext, fn: () => Promise<T>): Promise<T> => withRetry(fn, ctx.retry);

/** The id of one operation on one ticket for one scan (written on the ticket as the comment tag). */
export const opIdOf = (marker: string, kind: string, scanId: string) =>
  createHash('sha256').update(`${marker}|${kind}|${scanId}`).digest('hex').slice(0, 16);

/** A draft for closing a ticket no finding stands behind (a duplicate, an untracked ticket): only its marker counts. */
export const bareDraft = (marker: string, title: string): TicketDraft => ({
  key: marker,
  marker,
  title,
  doc: [],
  severity: 'info',
  labels: [],
  assignee: null,
  project: null,
  findings: [],
});

export const remoteOf = (l: TicketLink): RemoteTicket => ({ id: l.remoteId, key: l.remoteKey, url: l.url, state: l.state });

/** The ledger entry for a ticket, from what an operation intended and what the ticket system holds. */
export function linkFor(
  ctx: SyncContext,
  row: Pick<PendingTicketOp, 'key' | 'marker' | 'target'>,
  ticket: RemoteTicket,
  previous?: TicketLink,
): TicketLink {
  const at = ctx.now().toISOString();
  return {
    sink: ctx.tickets.sink,
    key: row.key,
    marker: row.marker,
    remoteId: ticket.id,
    remoteKey: ticket.key,
    url: ticket.url,
    title: row.target.title,
    state: ticket.state,
    evidenceHash: row.target.evidenceHash,
    members: row.target.members,
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
    lastScanId: ctx.scan.id,
  };
}

/** A failure as one line for the report and the log, secrets scrubbed. */
export function failureText(ctx: SyncContext, err: unknown): { status: number | null; message: string } {
  const f = classify(err);
  const text = f.status !== null && !f.message.includes(String(f.status)) ? `HTTP ${f.status}: ${f.message}` : f.message;
  return { status: f.status, message: redact(text, ctx.secrets) };
}

export function recordFailure(ctx: SyncContext, kind: SyncReport['failed'][number]['kind'], key: string, err: unknown): void {
  if (err instanceof LedgerError) throw err;
  const { status, message } = failureText(ctx, err);
  ctx.report.failed.push({ kind, key, message });
  ctx.log.error('tickets.failed', { sink: ctx.tickets.sink, op: kind, key, status, message });
}
