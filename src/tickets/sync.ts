/**
 * Ticket sync: settle what an earlier run left in flight, optionally rebuild the ledger from the ticket system
 * (`--reconcile`), plan from the state store, then carry the plan out against one ticket system. Every operation is
 * written to the ledger before its first remote call and recorded as done in the same transaction as its result, so
 * a crash at any point is resumed, not repeated: creates are confirmed by searching for the marker, comments are
 * recognised by their operation tag, state changes are checked against the ticket first. With `dryRun` the plan is
 * printed and nothing remote or local is written.
 */
import { sleep as defaultSleep } from '../core/clock.ts';
import { assertTransport, URL_FIELDS } from '../core/config/transport.ts';
import { terminalField } from '../core/terminal-text.ts';
import type { TicketsConfig } from '../core/config/tickets.ts';
import type { Logger } from '../core/log.ts';
import type { StateStore } from '../store/state-store.ts';
import { ledger, recordFailure, remote, type SyncContext, type SyncReport } from './context.ts';
import { redact, type SinkCredentials, secretsOf } from './credentials.ts';
import { carryOut } from './execute.ts';
import type { TicketSink } from './model.ts';
import { describeOp, desiredTickets, type PlanInput, planOps, plannedOf, type TicketOp } from './plan.ts';
import { reconcileLedger } from './reconcile.ts';
import type { RetryOptions } from './retry.ts';
import { settlePending } from './settle.ts';
import { githubSink } from './sinks/github.ts';
import { jiraSink, type JiraSinkOptions } from './sinks/jira.ts';
import { servicenowSink } from './sinks/servicenow.ts';
import { webhookSink } from './sinks/webhook.ts';

export type { OpOutcome, SyncReport } from './context.ts';

export interface SinkFactoryOptions {
  scanId: string;
  fetch?: typeof fetch;
  jira?: JiraSinkOptions;
}

export function createSink(tickets: TicketsConfig, creds: SinkCredentials, opts: SinkFactoryOptions): TicketSink {
  // The transport policy once more where the client is built: the sink's credentials go only to a URL it allows.
  assertTransport(`tickets.${tickets.sink}`, tickets[tickets.sink], URL_FIELDS[tickets.sink]);
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

export interface SyncOptions {
  store: StateStore;
  tickets: TicketsConfig;
  /** null for a dry run. */
  sink: TicketSink | null;
  credentials: SinkCredentials | null;
  log: Logger;
  /** Rebuild the ledger from the ticket system first (webhook: send the reconcile event after the sync). */
  reconcile?: boolean;
  /** With reconcile: close open snapaudit tickets this store knows nothing about, after a scan that read everything. */
  closeUnknown?: boolean;
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

function latestCompleteScan(store: StateStore) {
  const scan = store.latest();
  if (!scan) throw new Error(`${store.path}: no scan recorded yet; run \`snapaudit scan\` first`);
  // An interrupted scan read only part of the estate: its "resolved" findings are unknowns and its coverage findings
  // say nothing about the clouds. Tickets follow scans that ran to the end.
  if (scan.interrupted)
    throw new Error(
      `the latest recorded scan (${scan.id}) was interrupted; tickets follow scans that ran to the end. Fix: rerun the scan, then sync`,
    );
  return scan;
}

/**
 * What planning reads from the store: only the findings at or above tickets.minSeverity (filtered in SQL, read row
 * by row, once), each finding read again when a ticket it changes is drafted, and each lifecycle looked up when a
 * ticket asks for it — never the whole scan.
 */
function planInput(store: StateStore, tickets: TicketsConfig, scan: ReturnType<typeof latestCompleteScan>): PlanInput {
  return {
    scan,
    findings: store.findingsAtOrAbove(scan.seq, tickets.minSeverity),
    finding: (fingerprint) => store.scanFinding(scan.seq, fingerprint),
    lifecycles: { get: (fingerprint) => store.lifecycle(fingerprint) ?? undefined },
    links: store.ticketLinks(tickets.sink),
    tickets,
  };
}

/** The operations a dry run of the latest recorded scan would plan, each with its draft (one at a time). */
export function planTickets(store: StateStore, tickets: TicketsConfig): Generator<TicketOp> {
  return planOps(planInput(store, tickets, latestCompleteScan(store)));
}

export async function syncTickets(opts: SyncOptions): Promise<SyncReport> {
  const { store, tickets, log } = opts;
  const scan = latestCompleteScan(store);
  const report: SyncReport = {
    scan,
    sink: tickets.sink,
    dryRun: opts.sink === null,
    planned: [],
    done: [],
    failed: [],
    pending: [],
    unknown: [],
    reconciled: false,
  };
  const sink = opts.sink;
  if (!sink) {
    for (const op of planOps(planInput(store, tickets, scan))) report.planned.push(plannedOf(op));
    return report;
  }
  const secrets = opts.credentials ? secretsOf(opts.credentials) : [];
  const sleep = opts.retry?.sleep ?? ((ms: number) => defaultSleep(ms));
  const retry: RetryOptions = {
    maxAttempts: tickets.retry.maxAttempts,
    baseDelayMs: tickets.retry.baseDelayMs,
    maxDelayMs: tickets.retry.maxDelayMs,
    maxRetryAfterMs: tickets.retry.maxRetryAfterMs,
    ...opts.retry,
    sleep,
    onRetry: (attempt, failure, delayMs) =>
      log.warn('tickets.retry', {
        sink: tickets.sink,
        attempt,
        status: failure.status,
        delayMs,
        message: redact(failure.message, secrets),
      }),
  };
  const ctx: SyncContext = { store, sink, tickets, scan, retry, sleep, now: opts.now ?? (() => new Date()), log, secrets, report };

  const settled = await settlePending(ctx);
  const adopted = opts.reconcile ? await reconcileLedger(ctx, { closeUnknown: opts.closeUnknown === true }) : new Set<string>();
  const input = { ...ledger(() => planInput(store, tickets, scan)), adopted, unsure: settled.unsure };
  // The groups are planned from the store first (the scan's findings read once), then each operation is drafted and
  // carried out in turn: one draft in memory at a time.
  const planned = new Set<string>();
  for (const op of planOps(input)) {
    if (settled.blocked.has(op.key)) continue;
    report.planned.push(plannedOf(op));
    planned.add(op.key);
    try {
      await carryOut(ctx, op, settled.pending.get(op.key));
    } catch (err) {
      recordFailure(ctx, op.kind, op.key, err);
    }
  }
  // operations in flight that the plan no longer asks for are finished with (one the plan asked for again, of the
  // same kind or another, was replaced by that operation's own entry)
  for (const [key, row] of settled.pending) {
    if (!planned.has(key)) ledger(() => store.dropPendingTicketOp(row.sink, key));
  }
  if (opts.reconcile && sink.reconcile) {
    try {
      const { tickets: desired, scanComplete } = ledger(() => exportTickets(store, tickets));
      const reconcile = sink.reconcile.bind(sink);
      await remote(ctx, () => reconcile(desired, { id: scan.id, complete: scanComplete }));
      report.reconciled = true;
    } catch (err) {
      recordFailure(ctx, 'reconcile', '*', err);
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
    // Ticket keys, markers and error texts come from the ticket system: each is one terminal field.
    for (const d of report.done) lines.push(`  ${d.outcome.padEnd(9)} ${terminalField(d.ticket)}  ${d.key}`);
    for (const p of report.pending)
      lines.push(
        `  PENDING   ${terminalField(p.marker)}: the create failed without saying whether the ticket was made; the next sync settles it`,
      );
    for (const f of report.failed) lines.push(`  FAILED    ${f.kind} ${terminalField(f.key)}: ${terminalField(f.message)}`);
    if (report.unknown.length > 0) {
      lines.push(`  ${report.unknown.length} open ticket(s) carry a snapaudit marker this state store does not know (left open):`);
      for (const t of report.unknown) lines.push(`    ${terminalField(t.key)}  ${terminalField(t.marker)}`);
    }
  }
  if (report.planned.length === 0 && report.done.length === 0 && report.failed.length === 0)
    lines.push('  nothing to do: tickets are in sync');
  return `${lines.join('\n')}\n`;
}

/** The state every ticket should be in after the latest scan: `tickets export`, and what the webhook reconciles to. */
export function exportTickets(store: StateStore, tickets: TicketsConfig) {
  const scan = latestCompleteScan(store);
  return {
    scanId: scan.id,
    scanStartedAt: scan.startedAt,
    scanComplete: scan.complete && scan.shard === null,
    sink: tickets.sink,
    tickets: desiredTickets(planInput(store, tickets, scan)),
  };
}

/** Runs a sync against an open store (the caller holds the writer lease). */
export async function runTicketSync(opts: {
  store: StateStore;
  tickets: TicketsConfig;
  credentials: SinkCredentials | null;
  dryRun: boolean;
  reconcile?: boolean;
  closeUnknown?: boolean;
  log: Logger;
}): Promise<SyncReport> {
  const latest = opts.store.latest();
  const sink = opts.dryRun || !opts.credentials || !latest ? null : createSink(opts.tickets, opts.credentials, { scanId: latest.id });
  return syncTickets({
    store: opts.store,
    tickets: opts.tickets,
    sink,
    credentials: opts.credentials,
    log: opts.log,
    reconcile: opts.reconcile === true,
    closeUnknown: opts.closeUnknown === true,
  });
}
