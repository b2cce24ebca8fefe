/**
 * Before planning, the sync settles what an earlier run left in flight (the write-ahead entries of the ledger):
 * - a create: search for the marker (with backoff while the failure is younger than `confirmCreateMs`); found, the
 *   ticket is adopted; not found, the create is forgotten and the plan makes it again;
 * - a comment, close or reopen: read the ticket; when it already reached the state the operation wanted, the
 *   operation is recorded as done (the state change is always its last step), otherwise the ledger takes the
 *   ticket's real state and the plan repeats the operation under the same id (its comment is recognised);
 * - on a sink that cannot be read back (webhook), the desired state is sent again.
 * A key whose entry cannot be settled (the ticket system is down) is left alone for this run.
 */
import type { PendingTicketOp, TicketLink } from '../store/state-store.ts';
import { ledger, linkFor, recordFailure, remote, remoteOf, type SyncContext } from './context.ts';
import { confirmCreate } from './search.ts';

export interface Settled {
  /** Operations still in flight, by key: the plan reuses their id when it asks for the same kind again. */
  pending: Map<string, PendingTicketOp>;
  /** Keys to leave alone in this run. */
  blocked: Set<string>;
  /** Keys whose remote state is unknown (webhook): the plan asserts the desired state. */
  unsure: Set<string>;
}

async function settleCreate(ctx: SyncContext, row: PendingTicketOp, out: Settled): Promise<void> {
  const { store } = ctx;
  if (!ctx.sink.searchable) {
    ledger(() => store.dropPendingTicketOp(row.sink, row.key)); // sent again; the receiver deduplicates
    return;
  }
  const found = await confirmCreate(ctx, row.marker, row.target.project, row.ambiguousAt ?? row.startedAt);
  if (!found) {
    ledger(() => store.dropPendingTicketOp(row.sink, row.key));
    ctx.log.info('tickets.pending-absent', { sink: row.sink, key: row.key, marker: row.marker });
    return;
  }
  const link = linkFor(ctx, row, found);
  if (found.state === 'open') {
    ledger(() => store.completeTicketOp(link));
  } else {
    // the create had found a closed ticket and was reopening it: the reopen goes on under the same id
    const reopen: PendingTicketOp = { ...row, kind: 'reopen', ambiguousAt: null };
    ledger(() => {
      store.saveTicketLink(link);
      store.savePendingTicketOp(reopen);
    });
    out.pending.set(row.key, reopen);
  }
  ctx.report.done.push({ kind: 'create', key: row.key, ticket: found.key, outcome: 'adopted' });
  ctx.log.info('tickets.pending-found', { sink: row.sink, key: row.key, ticket: found.key });
}

async function settleChange(ctx: SyncContext, row: PendingTicketOp, link: TicketLink | undefined, out: Settled): Promise<void> {
  const { store } = ctx;
  if (!link) {
    ledger(() => store.dropPendingTicketOp(row.sink, row.key));
    return;
  }
  if (!ctx.sink.searchable) {
    out.unsure.add(row.key);
    out.pending.set(row.key, row);
    return;
  }
  const now = await remote(ctx, () => ctx.sink.get(remoteOf(link)));
  if (!now) {
    ledger(() => {
      store.dropPendingTicketOp(row.sink, row.key);
      store.dropTicketLink(row.sink, row.key);
    });
    return;
  }
  if ((row.kind === 'close' && now.state === 'closed') || (row.kind === 'reopen' && now.state === 'open')) {
    ledger(() => store.completeTicketOp(linkFor(ctx, row, { ...remoteOf(link), state: now.state }, link)));
    return;
  }
  if (now.state !== link.state) ledger(() => store.saveTicketLink({ ...link, state: now.state }));
  out.pending.set(row.key, row);
}

export async function settlePending(ctx: SyncContext): Promise<Settled> {
  const out: Settled = { pending: new Map(), blocked: new Set(), unsure: new Set() };
  const rows = ledger(() => ctx.store.pendingTicketOps(ctx.tickets.sink));
  if (rows.length === 0) return out;
  const links = new Map(ledger(() => ctx.store.ticketLinks(ctx.tickets.sink)).map((l) => [l.key, l]));
  for (const row of rows) {
    try {
      if (row.kind === 'create') await settleCreate(ctx, row, out);
      else await settleChange(ctx, row, links.get(row.key), out);
    } catch (err) {
      out.blocked.add(row.key);
      recordFailure(ctx, 'settle', row.key, err);
    }
  }
  return out;
}
