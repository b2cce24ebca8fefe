/**
 * Carrying out one planned operation, idempotently. The operation is written to the ledger before its first remote
 * call (write-ahead) and removed with the ledger entry it produces, in one transaction. Its id (marker, operation,
 * scan) rides on the comment it writes, so a resumed operation recognises its own comment; state changes are checked
 * against the ticket first. A create that fails ambiguously (5xx or a reset: the server may have made the ticket) is
 * not sent again: the marker is searched for with backoff, and what is still unseen stays pending for the next sync.
 */
import type { PendingTicketOp, TicketLink } from '../store/state-store.ts';
import { failureText, ledger, linkFor, type OpOutcome, opIdOf, remote, remoteOf, type SyncContext } from './context.ts';
import type { OpRef, RemoteTicket, TicketDoc } from './model.ts';
import type { TicketOp } from './plan.ts';
import { classify } from './retry.ts';
import { confirmCreate, findCanonical } from './search.ts';
import { TicketGoneError } from './sinks/compose.ts';

/** A create failed in a way that does not say whether the ticket was made. Never retried blindly. */
class AmbiguousCreate extends Error {
  constructor(cause: unknown) {
    super('the ticket system did not say whether the ticket was created', { cause });
    this.name = 'AmbiguousCreate';
  }
}

/** 5xx and network failures may come after the server acted; 429 and the 4xx do not. */
const ambiguous = (err: unknown) => {
  const f = classify(err);
  return f.retryable && (f.status === null || f.status >= 500);
};

function writeAhead(ctx: SyncContext, op: TicketOp, pending: PendingTicketOp | undefined): PendingTicketOp {
  const same = pending?.kind === op.kind;
  const row: PendingTicketOp = {
    sink: ctx.tickets.sink,
    key: op.key,
    marker: op.draft.marker,
    kind: op.kind,
    opId: same ? pending.opId : opIdOf(op.draft.marker, op.kind, ctx.scan.id),
    scanId: same ? pending.scanId : ctx.scan.id,
    startedAt: same ? pending.startedAt : ctx.now().toISOString(),
    ambiguousAt: null,
    target: {
      state: op.kind === 'close' ? 'closed' : 'open',
      title: op.draft.title,
      evidenceHash: op.evidenceHash,
      members: op.members,
      project: op.draft.project,
    },
  };
  ledger(() => ctx.store.savePendingTicketOp(row));
  return row;
}

async function create(ctx: SyncContext, op: TicketOp, row: PendingTicketOp, ref: () => OpRef): Promise<[RemoteTicket, OpOutcome]> {
  const { sink } = ctx;
  if (!sink.searchable) {
    // no remote state: at least once, and the receiver deduplicates on the delivery id
    return [await remote(ctx, () => sink.create(op.draft)), 'created'];
  }
  let existing: RemoteTicket | null;
  try {
    existing = await findCanonical(ctx, op.draft.marker, op.draft.project);
  } catch (err) {
    ledger(() => ctx.store.dropPendingTicketOp(row.sink, row.key)); // nothing was sent
    throw err;
  }
  if (existing?.state === 'open') return [existing, 'adopted'];
  if (existing) {
    const text = `Reopened: snapaudit scan ${ctx.scan.id} (${ctx.scan.startedAt}) finds this again.`;
    const comment: TicketDoc = [{ kind: 'paragraph', text }];
    await remote(ctx, () => sink.reopen(existing, op.draft, comment, ref()));
    return [{ ...existing, state: 'open' }, 'reopened'];
  }
  try {
    const once = async () => {
      try {
        return await sink.create(op.draft);
      } catch (err) {
        throw ambiguous(err) ? new AmbiguousCreate(err) : err;
      }
    };
    return [await remote(ctx, once), 'created'];
  } catch (err) {
    if (!(err instanceof AmbiguousCreate)) {
      ledger(() => ctx.store.dropPendingTicketOp(row.sink, row.key)); // refused: nothing was made
      throw err;
    }
    const at = ctx.now().toISOString();
    ledger(() => ctx.store.savePendingTicketOp({ ...row, ambiguousAt: at }));
    const message = failureText(ctx, err.cause).message;
    ctx.log.warn('tickets.create-unconfirmed', { sink: sink.kind, key: op.key, marker: op.draft.marker, message });
    // once a create of this run stayed unconfirmed for the whole window, later ones get one look each (the next sync
    // settles them): an outage must not cost a confirmation window per finding
    const found =
      ctx.report.pending.length > 0
        ? await findCanonical(ctx, op.draft.marker, op.draft.project)
        : await confirmCreate(ctx, op.draft.marker, op.draft.project, at);
    if (!found) return [{ id: '', key: op.draft.marker, url: null, state: 'open' }, 'pending'];
    return [found, 'created'];
  }
}

/** Whether a failure means the linked ticket no longer exists: a 404/410, confirmed by reading the ticket. */
async function gone(ctx: SyncContext, link: TicketLink, err: unknown): Promise<boolean> {
  if (err instanceof TicketGoneError) return true;
  const status = classify(err).status;
  if (status !== 404 && status !== 410) return false;
  try {
    return (await remote(ctx, () => ctx.sink.get(remoteOf(link)))) === null;
  } catch {
    return false;
  }
}

/** Carries out one operation; throws what failed (the caller records it). */
export async function carryOut(ctx: SyncContext, op: TicketOp, pending: PendingTicketOp | undefined): Promise<void> {
  const { sink } = ctx;
  const row = writeAhead(ctx, op, pending);
  let resume = pending?.kind === op.kind;
  const ref = (): OpRef => {
    const r = { id: row.opId, resume };
    resume = true; // any later attempt may follow one that acted
    return r;
  };
  let ticket: RemoteTicket;
  let outcome: OpOutcome;
  try {
    if (op.kind === 'create') {
      [ticket, outcome] = await create(ctx, op, row, ref);
    } else {
      ticket = remoteOf(op.link);
      if (op.kind === 'refresh') {
        await remote(ctx, () => sink.refresh(ticket, op.draft, op.comment, ref()));
        outcome = op.comment ? 'commented' : 'updated';
      } else if (op.kind === 'close') {
        const reason = op.reason === 'suppressed' ? 'suppressed' : 'resolved';
        await remote(ctx, () => sink.close(ticket, op.draft, op.comment, reason, ref()));
        ticket = { ...ticket, state: 'closed' };
        outcome = 'closed';
      } else {
        await remote(ctx, () => sink.reopen(ticket, op.draft, op.comment, ref()));
        ticket = { ...ticket, state: 'open' };
        outcome = 'reopened';
      }
    }
  } catch (err) {
    if (op.kind !== 'create' && (await gone(ctx, op.link, err))) {
      // the linked ticket is gone: forget it; the next plan opens a new one if the finding still needs it
      ledger(() => {
        ctx.store.dropPendingTicketOp(row.sink, row.key);
        ctx.store.dropTicketLink(row.sink, row.key);
      });
      throw new TicketGoneError(op.link.remoteKey);
    }
    throw err;
  }
  if (outcome === 'pending') {
    ctx.report.pending.push({ key: op.key, marker: op.draft.marker, since: row.startedAt });
  } else {
    const previous = op.kind === 'create' ? undefined : op.link;
    ledger(() => ctx.store.completeTicketOp(linkFor(ctx, row, ticket, previous)));
  }
  ctx.report.done.push({ kind: op.kind, key: op.key, ticket: ticket.key, outcome });
  ctx.log.info('tickets.op', { sink: sink.kind, op: op.kind, outcome, ticket: ticket.key, key: op.key });
}
