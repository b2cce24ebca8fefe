/**
 * `tickets sync --reconcile`: rebuild the ledger from the ticket system itself, so a lost or restored state store
 * converges. The open tickets carrying a snapaudit marker are listed (paged, bounded) in every project the config
 * routes to; each marker this store knows (ledger, latest scan, finding history) is adopted into the ledger or has
 * its ledger entry corrected to the ticket's real state, read directly; ledger entries that say open but were not
 * listed are read too. The plan that follows then closes, reopens and refreshes as the latest scan says. Open tickets
 * with markers this store does not know are reported, and closed only with `--close-unknown` after a scan that read
 * everything (they may belong to another snapaudit configuration writing to the same place).
 */
import type { TicketLink, TicketMember } from '../store/state-store.ts';
import { bareDraft, ledger, opIdOf, recordFailure, remote, remoteOf, type SyncContext } from './context.ts';
import type { ListedTicket } from './model.ts';
import { groupKeyOf, markerFor } from './plan.ts';
import { findCanonical } from './search.ts';

/**
 * What the store can name of the markers the ticket system listed: marker → ledger key, and the members each such key
 * had according to the finding history. The latest scan and the history are read once, row by row, and only what a
 * listed marker needs is kept (a tenant's history can hold far more findings than it has open tickets).
 */
function knownKeys(ctx: SyncContext, links: readonly TicketLink[], listed: ReadonlySet<string>) {
  const { grouping } = ctx.tickets;
  const markers = new Map<string, string>();
  const members = new Map<string, Record<string, TicketMember>>();
  const add = (key: string): boolean => {
    const marker = markerFor(key, grouping);
    if (!listed.has(marker)) return false;
    markers.set(marker, key);
    return true;
  };
  for (const f of ctx.store.findingsAtOrAbove(ctx.scan.seq, 'info')) add(groupKeyOf(grouping, f));
  for (const life of ctx.store.eachLifecycle()) {
    const key = groupKeyOf(grouping, life);
    if (!add(key)) continue;
    const m = members.get(key) ?? {};
    m[life.fingerprint] = { state: life.state === 'resolved' ? 'resolved' : 'open', evidenceHash: '', label: life.fingerprint };
    members.set(key, m);
  }
  for (const l of links) markers.set(l.marker, l.key);
  return { markers, members };
}

async function closeUntracked(ctx: SyncContext, t: ListedTicket): Promise<void> {
  const text = `Closed: snapaudit scan ${ctx.scan.id} read everything this configuration covers and no finding carries this ticket's marker (${t.marker}) any more.`;
  try {
    await remote(ctx, () =>
      ctx.sink.close(t, bareDraft(t.marker, t.title), [{ kind: 'paragraph', text }], 'untracked', {
        id: opIdOf(t.marker, 'untracked', ctx.scan.id),
        resume: true,
      }),
    );
    ctx.report.done.push({ kind: 'untracked', key: t.marker, ticket: t.key, outcome: 'closed' });
  } catch (err) {
    recordFailure(ctx, 'untracked', t.marker, err);
  }
}

async function reconcileMarker(
  ctx: SyncContext,
  key: string,
  listed: ListedTicket[],
  link: TicketLink | undefined,
  members: Record<string, TicketMember>,
  adopted: Set<string>,
) {
  const first = listed[0]!;
  if (link && listed.length === 1 && first.id === link.remoteId && link.state === 'open') return;
  // a listing is a search: read the tickets themselves, oldest first, closing younger duplicates
  const ticket = (await findCanonical(ctx, first.marker, first.project)) ?? (await remote(ctx, () => ctx.sink.get(first)));
  if (!ticket) return;
  const at = ctx.now().toISOString();
  if (!link) {
    ledger(() =>
      ctx.store.saveTicketLink({
        sink: ctx.tickets.sink,
        key,
        marker: first.marker,
        remoteId: ticket.id,
        remoteKey: ticket.key,
        url: ticket.url,
        title: first.title,
        state: ticket.state,
        evidenceHash: '',
        members,
        createdAt: at,
        updatedAt: at,
        lastScanId: ctx.scan.id,
      }),
    );
    adopted.add(key);
    ctx.report.done.push({ kind: 'create', key, ticket: ticket.key, outcome: 'adopted' });
  } else if (link.remoteId !== ticket.id || link.state !== ticket.state) {
    const moved = { remoteId: ticket.id, remoteKey: ticket.key, url: ticket.url, state: ticket.state };
    ledger(() => ctx.store.saveTicketLink({ ...link, ...moved, updatedAt: at }));
  }
}

/** Rebuilds the ledger from the ticket system; returns the keys adopted without a ledger entry. */
export async function reconcileLedger(ctx: SyncContext, opts: { closeUnknown: boolean }): Promise<Set<string>> {
  const adopted = new Set<string>();
  if (!ctx.sink.searchable) return adopted; // the webhook is reconciled by an event after the sync
  const projects = [null, ...ctx.tickets.owners.map((o) => o.project ?? null)];
  let listed: ListedTicket[];
  try {
    listed = await remote(ctx, () => ctx.sink.listOpen(projects));
  } catch (err) {
    recordFailure(ctx, 'reconcile', '*', err);
    return adopted;
  }
  const links = ledger(() => ctx.store.ticketLinks(ctx.tickets.sink));
  const byKey = new Map(links.map((l) => [l.key, l]));
  const byMarker = Map.groupBy(listed, (t) => t.marker);
  const known = knownKeys(ctx, links, new Set(byMarker.keys()));
  const everything = ctx.scan.complete && ctx.scan.shard === null;
  for (const [marker, tickets] of byMarker) {
    const key = known.markers.get(marker);
    if (key === undefined) {
      ctx.report.unknown.push(...tickets);
      if (opts.closeUnknown && everything) for (const t of tickets) await closeUntracked(ctx, t);
      continue;
    }
    try {
      await reconcileMarker(ctx, key, tickets, byKey.get(key), known.members.get(key) ?? {}, adopted);
    } catch (err) {
      recordFailure(ctx, 'reconcile', key, err);
    }
  }
  // the ledger says open but the listing does not show it: read it
  for (const link of links) {
    if (link.state !== 'open' || byMarker.has(link.marker)) continue;
    try {
      const now = await remote(ctx, () => ctx.sink.get(remoteOf(link)));
      if (!now) ledger(() => ctx.store.dropTicketLink(link.sink, link.key));
      else if (now.state !== link.state)
        ledger(() => ctx.store.saveTicketLink({ ...link, state: now.state, updatedAt: ctx.now().toISOString() }));
    } catch (err) {
      recordFailure(ctx, 'reconcile', link.key, err);
    }
  }
  ctx.report.reconciled = true;
  return adopted;
}
