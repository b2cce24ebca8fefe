/**
 * The creator lookup: the Admin Activity entries of every call that creates or shares a member of the snapshot family
 * (each call in every API spelling, see audit.ts; the shares are for the activity review, collect/activity.ts) and of
 * the calls that attach a snapshot schedule to a disk, read from `entries:list` over REST (the client library cannot decode AuditLog
 * payloads over REST), `lookbackDays` back — the `_Required` bucket keeps Admin Activity 400 days.
 *
 * Paging follows the documented contract: a page may hold no entries and still carry a nextPageToken (the search
 * is not finished), so paging goes on until the token is gone, bounded by `maxPages` and by a token that repeats.
 */
import { familyCreationMethods, familySharingMethods, scheduleAttachMethods, snapshotMethods } from './audit.ts';
import type { AuditLogEntry } from './normalise/snapshots.ts';

/** The largest page entries.list accepts (https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list). */
export const ENTRIES_PAGE_SIZE = 1000;
/** Pages one project's lookup may read before it stops and says so. */
export const MAX_ENTRY_PAGES = 200;

export interface EntriesPage {
  entries?: AuditLogEntry[];
  nextPageToken?: string;
}

export function creatorFilter(projectId: string, since: Date): string {
  return [
    `logName="projects/${projectId}/logs/cloudaudit.googleapis.com%2Factivity"`,
    `protoPayload.methodName=(${[...snapshotMethods, ...familyCreationMethods, ...familySharingMethods]
      .map((m) => m.method)
      .concat(scheduleAttachMethods)
      .map((m) => `"${m}"`)
      .join(' OR ')})`,
    `timestamp>="${since.toISOString()}"`,
  ].join(' AND ');
}

export class PagingStoppedError extends Error {
  readonly entries: AuditLogEntry[];
  /** As the shared pager names it: a repeated token is an invalid response, the page bound a limit reached. */
  readonly code: 'invalid_response' | 'limit_reached';
  constructor(message: string, entries: AuditLogEntry[], code: 'invalid_response' | 'limit_reached') {
    super(message);
    this.name = 'PagingStoppedError';
    this.entries = entries;
    this.code = code;
  }
}

/**
 * Reads every page of one project's creation entries. `list` makes one `entries:list` call (paced and retried by the
 * caller). Throws PagingStoppedError (with what was read) when the bound is reached or a token repeats.
 */
export async function readCreationEntries(
  projectId: string,
  since: Date,
  list: (body: Record<string, unknown>) => Promise<EntriesPage>,
  maxPages = MAX_ENTRY_PAGES,
): Promise<AuditLogEntry[]> {
  const filter = creatorFilter(projectId, since);
  const out: AuditLogEntry[] = [];
  const seen = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= maxPages)
      throw new PagingStoppedError(
        `creator lookup of project ${projectId} stopped after ${maxPages} pages of entries:list`,
        out,
        'limit_reached',
      );
    const res = await list({
      resourceNames: [`projects/${projectId}`],
      filter,
      orderBy: 'timestamp asc',
      pageSize: ENTRIES_PAGE_SIZE,
      ...(pageToken ? { pageToken } : {}),
    });
    out.push(...(res.entries ?? []));
    pageToken = res.nextPageToken || undefined;
    if (!pageToken) return out;
    if (seen.has(pageToken))
      throw new PagingStoppedError(
        `creator lookup of project ${projectId} stopped: entries:list returned a page token it had already returned`,
        out,
        'invalid_response',
      );
    seen.add(pageToken);
  }
}
