/**
 * Finding a ticket by its marker. A search index can lag behind writes (Jira's JQL search is eventually consistent:
 * https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile), so a search result is a hint: the state
 * comes from reading the ticket itself. When the marker is on more than one ticket the oldest is the one snapaudit
 * keeps, and open younger ones are closed as duplicates. After a create that failed ambiguously the marker is
 * searched for with backoff, up to `tickets.retry.confirmCreateMs` after the failure — never by creating again.
 */
import { bareDraft, type OpOutcome, opIdOf, recordFailure, remote, type SyncContext } from './context.ts';
import type { RemoteTicket } from './model.ts';

/** Search attempts after an ambiguous create, whatever the clock says (bounds the loop if time stands still). */
const MAX_CONFIRM_SEARCHES = 12;
/** The shortest pause between confirmation searches. */
const MIN_CONFIRM_DELAY_MS = 250;

async function closeDuplicate(ctx: SyncContext, marker: string, dup: RemoteTicket, canonical: RemoteTicket): Promise<void> {
  const text = `Duplicate of ${canonical.key}: snapaudit found this marker (${marker}) on more than one ticket and keeps the oldest.`;
  try {
    await remote(ctx, () =>
      ctx.sink.close(dup, bareDraft(marker, `duplicate of ${canonical.key}`), [{ kind: 'paragraph', text }], 'duplicate', {
        id: opIdOf(marker, `duplicate ${dup.id}`, ''),
        resume: true,
      }),
    );
    const outcome: OpOutcome = 'closed';
    ctx.report.done.push({ kind: 'duplicate', key: marker, ticket: dup.key, outcome });
    ctx.log.warn('tickets.duplicate-closed', { sink: ctx.tickets.sink, marker, ticket: dup.key, kept: canonical.key });
  } catch (err) {
    recordFailure(ctx, 'duplicate', marker, err);
  }
}

/** The ticket carrying the marker (the oldest, read directly), or null when the search shows none. */
export async function findCanonical(ctx: SyncContext, marker: string, project: string | null): Promise<RemoteTicket | null> {
  const found = await remote(ctx, () => ctx.sink.search(marker, project));
  for (const [i, hit] of found.entries()) {
    const ticket = await remote(ctx, () => ctx.sink.get(hit));
    if (!ticket) continue; // deleted since the index saw it
    for (const dup of found.slice(i + 1)) if (dup.state === 'open') await closeDuplicate(ctx, marker, dup, ticket);
    return ticket;
  }
  return null;
}

/**
 * After a create failed without saying whether the ticket was made: search for the marker with backoff until
 * `confirmCreateMs` after `since`. The ticket when found; null when it still cannot be seen (not made, or not yet
 * visible: the caller keeps the create pending rather than creating again).
 */
export async function confirmCreate(ctx: SyncContext, marker: string, project: string | null, since: string): Promise<RemoteTicket | null> {
  const deadline = Date.parse(since) + ctx.tickets.retry.confirmCreateMs;
  let delay = Math.max(MIN_CONFIRM_DELAY_MS, ctx.tickets.retry.baseDelayMs);
  for (let attempt = 1; ; attempt++) {
    const found = await findCanonical(ctx, marker, project);
    if (found) return found;
    const left = deadline - ctx.now().getTime();
    if (left <= 0 || attempt >= MAX_CONFIRM_SEARCHES) return null;
    await ctx.sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, Math.max(MIN_CONFIRM_DELAY_MS, ctx.tickets.retry.maxDelayMs));
  }
}
