/**
 * Ticket sync: plan from the state store, then carry the plan out against one ticket system, writing the ledger
 * after every remote operation (so a crash repeats at most one, and the marker search catches even that). Before
 * creating, the sink is searched for a ticket with the marker: a rerun after a lost ledger adopts the existing ticket
 * instead of opening a duplicate. With `dryRun` the plan is printed and nothing remote or local is written.
 */
import type { Logger } from '../core/log.ts';
import type { ScanRecord, StateStore, TicketLink } from '../store/state-store.ts';
import type { TicketsConfig } from '../core/config/tickets.ts';
import { redact, type SinkCredentials, secretsOf } from './credentials.ts';
import type { RemoteTicket, TicketSink } from './model.ts';
import { describeOp, planSync, type TicketOp } from './plan.ts';
import { classify, type RetryOptions, withRetry } from './retry.ts';
import { githubSink } from './sinks/github.ts';
import { jiraSink, type JiraSinkOptions } from './sinks/jira.ts';
import { servicenowSink } from './sinks/servicenow.ts';
import { webhookSink } from './sinks/webhook.ts';

export interface SinkFactoryOptions {
  scanId: string;
  fetch?: typeof fetch;
  jira?: JiraSinkOptions;
}

export function createSink(tickets: TicketsConfig, creds: SinkCredentials, opts: SinkFactoryOptions): TicketSink {
  switch (tickets.sink) {
    case 'jira':
      return jiraSink(tickets.jira!, creds, opts.jira);
    case 'github':
      return githubSink(tickets.github!, creds, opts.fetch ? { fetch: opts.fetch } : {});
    case 'servicenow':
      return servicenowSink(tickets.servicenow!, creds, opts.fetch ? { fetch: opts.fetch } : {});
    case 'webhook':
      return webhookSink(tickets.webhook!, creds, { scanId: opts.scanId, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  }
}

export type OpOutcome = 'created' | 'adopted' | 'commented' | 'closed' | 'reopened';

export interface SyncReport {
  scan: ScanRecord;
  sink: TicketsConfig['sink'];
  dryRun: boolean;
  planned: TicketOp[];
  done: Array<{ kind: TicketOp['kind']; key: string; ticket: string; outcome: OpOutcome }>;
  failed: Array<{ kind: TicketOp['kind']; key: string; message: string }>;
}

export interface SyncOptions {
  store: StateStore;
  tickets: TicketsConfig;
  /** null for a dry run. */
  sink: TicketSink | null;
  credentials: SinkCredentials | null;
  log: Logger;
  retry?: Partial<RetryOptions>;
  now?: () => Date;
}

export function sinkName(tickets: TicketsConfig): string {
  switch (tickets.sink) {
    case 'jira':
      return `jira ${tickets.jira?.deployment} ${tickets.jira?.url} project ${tickets.jira?.project}`;
    case 'github':
      return `github ${tickets.github?.repo}`;
    case 'servicenow':
      return `servicenow ${tickets.servicenow?.instanceUrl} table ${tickets.servicenow?.table}`;
    case 'webhook':
      return `webhook ${tickets.webhook?.url}`;
  }
}

export async function syncTickets(opts: SyncOptions): Promise<SyncReport> {
  const { store, tickets, log } = opts;
  const now = opts.now ?? (() => new Date());
  const scan = store.latest();
  if (!scan) throw new Error(`${store.path}: no scan recorded yet; run \`snapaudit scan\` first`);
  // An interrupted scan read only part of the estate: its "resolved" findings are unknowns and its coverage findings
  // say nothing about the clouds. Tickets follow scans that ran to the end.
  if (scan.interrupted)
    throw new Error(
      `the latest recorded scan (${scan.id}) was interrupted; tickets follow scans that ran to the end. Fix: rerun the scan, then sync`,
    );
  const sinkKind = tickets.sink;
  const planned = planSync({
    scan,
    findings: store.findingsOf(scan.seq),
    lifecycles: store.lifecycles(),
    links: store.ticketLinks(sinkKind),
    tickets,
  });
  const report: SyncReport = { scan, sink: sinkKind, dryRun: opts.sink === null, planned, done: [], failed: [] };
  const sink = opts.sink;
  if (!sink) return report;

  const secrets = opts.credentials ? secretsOf(opts.credentials) : [];
  const retry: RetryOptions = {
    maxAttempts: tickets.retry.maxAttempts,
    baseDelayMs: tickets.retry.baseDelayMs,
    maxDelayMs: tickets.retry.maxDelayMs,
    ...opts.retry,
    onRetry: (attempt, failure, delayMs) =>
      log.warn('tickets.retry', { sink: sinkKind, attempt, status: failure.status, delayMs, message: redact(failure.message, secrets) }),
  };
  const save = (op: TicketOp, ticket: RemoteTicket, state: 'open' | 'closed', previous?: TicketLink) => {
    const at = now().toISOString();
    store.saveTicketLink({
      sink: sinkKind,
      key: op.key,
      marker: op.draft.marker,
      remoteId: ticket.id,
      remoteKey: ticket.key,
      url: ticket.url,
      title: op.draft.title,
      state,
      evidenceHash: op.evidenceHash,
      members: op.members,
      createdAt: previous?.createdAt ?? at,
      updatedAt: at,
      lastScanId: scan.id,
    });
  };
  const remoteOf = (l: TicketLink): RemoteTicket => ({ id: l.remoteId, key: l.remoteKey, url: l.url, state: l.state });

  for (const op of planned) {
    try {
      let outcome: OpOutcome;
      let ticket: RemoteTicket;
      if (op.kind === 'create') {
        const existing = await withRetry(() => sink.find(op.draft), retry);
        if (existing) {
          ticket = existing;
          outcome = 'adopted';
          if (existing.state === 'closed') {
            await withRetry(
              () =>
                sink.reopen(existing, op.draft, [
                  { kind: 'paragraph', text: `Reopened: snapaudit scan ${scan.id} (${scan.startedAt}) finds this again.` },
                ]),
              retry,
            );
            outcome = 'reopened';
          }
        } else {
          ticket = await withRetry(() => sink.create(op.draft), { ...retry, recover: () => sink.find(op.draft) });
          outcome = 'created';
        }
        save(op, ticket, 'open');
      } else {
        ticket = remoteOf(op.link);
        if (op.kind === 'refresh') {
          await withRetry(() => sink.refresh(ticket, op.draft, op.comment), retry);
          outcome = 'commented';
          save(op, ticket, 'open', op.link);
        } else if (op.kind === 'close') {
          await withRetry(() => sink.close(ticket, op.draft, op.comment, op.reason === 'suppressed' ? 'suppressed' : 'resolved'), retry);
          outcome = 'closed';
          save(op, ticket, 'closed', op.link);
        } else {
          await withRetry(() => sink.reopen(ticket, op.draft, op.comment), retry);
          outcome = 'reopened';
          save(op, ticket, 'open', op.link);
        }
      }
      report.done.push({ kind: op.kind, key: op.key, ticket: ticket.key, outcome });
      log.info('tickets.op', { sink: sinkKind, op: op.kind, outcome, ticket: ticket.key, key: op.key });
    } catch (err) {
      const f = classify(err);
      const text = f.status !== null && !f.message.includes(String(f.status)) ? `HTTP ${f.status}: ${f.message}` : f.message;
      const message = redact(text, secrets);
      report.failed.push({ kind: op.kind, key: op.key, message });
      log.error('tickets.failed', { sink: sinkKind, op: op.kind, key: op.key, status: f.status, message });
    }
  }
  return report;
}

export function renderSyncReport(report: SyncReport, target: string): string {
  const count = (k: TicketOp['kind']) => report.planned.filter((o) => o.kind === k).length;
  const lines = [
    `tickets ${report.dryRun ? 'plan (dry run: nothing is sent or recorded)' : 'sync'} → ${target} · scan ${report.scan.id}: ` +
      `${count('create')} to open, ${count('refresh')} to comment, ${count('close')} to close, ${count('reopen')} to reopen`,
  ];
  if (report.dryRun) {
    for (const op of report.planned) lines.push(`  ${describeOp(op)}`);
    if (report.planned.some((o) => o.kind === 'create'))
      lines.push('  (before each create, the ticket system is searched for the marker: an existing ticket is adopted instead)');
  } else {
    for (const d of report.done) lines.push(`  ${d.outcome.padEnd(9)} ${d.ticket}  ${d.key}`);
    for (const f of report.failed) lines.push(`  FAILED    ${f.kind} ${f.key}: ${f.message}`);
  }
  if (report.planned.length === 0) lines.push('  nothing to do: tickets are in sync');
  return `${lines.join('\n')}\n`;
}

/** Runs a sync against an open store (the caller holds the writer lease). */
export async function runTicketSync(opts: {
  store: StateStore;
  tickets: TicketsConfig;
  credentials: SinkCredentials | null;
  dryRun: boolean;
  log: Logger;
}): Promise<SyncReport> {
  const latest = opts.store.latest();
  const sink = opts.dryRun || !opts.credentials || !latest ? null : createSink(opts.tickets, opts.credentials, { scanId: latest.id });
  return syncTickets({ store: opts.store, tickets: opts.tickets, sink, credentials: opts.credentials, log: opts.log });
}
