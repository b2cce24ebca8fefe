/**
 * Creation activity per project: the Admin Activity entries of the snapshot family's creating and sharing calls
 * (the creator lookup's one `entries:list` search, its filter widened to the `setIamPolicy` calls: more entries, no
 * more searches), failed calls included, within `scan.activityLookbackDays` (the `_Required` bucket keeps Admin
 * Activity 400 days). The search reaches back as far as the longer of the two readers needs.
 */
import { type ActivityEvent, sortActivity } from '../../../src/core/model/activity.ts';
import type { Part } from '../../../src/core/model/result.ts';
import { attempt } from '../../gaps.ts';
import { PagingStoppedError } from '../creators.ts';
import { classifyGcpError as classify } from '../errors.ts';
import { activityFromEntries } from '../normalise/activity.ts';
import type { AuditLogEntry } from '../normalise/snapshots.ts';
import { GLOBAL, type GcpIO } from '../scope-io.ts';
import type { GcpScopeContext } from './context.ts';

/** Admin Activity audit logs are kept 400 days in the `_Required` bucket. */
export const ADMIN_ACTIVITY_DAYS = 400;
const DAY = 86_400_000;

const searches = new WeakMap<GcpScopeContext, Promise<AuditLogEntry[]>>();

/** How far back the search reaches: the longer of the creator lookup's and the activity review's windows. */
function lookbackDays(ctx: GcpScopeContext): number {
  const creators = ctx.config.creatorLookup && ctx.needs.has('creators') ? ctx.config.creatorLookbackDays : 0;
  const activity = ctx.config.creatorLookup && ctx.needs.has('activity') ? Math.min(ctx.activityLookbackDays, ADMIN_ACTIVITY_DAYS) : 0;
  return Math.max(creators, activity);
}

/** The project's family entries, searched once however many readers ask (rejects with what was read when paging stopped). */
export function familyEntries(io: GcpIO, ctx: GcpScopeContext): Promise<AuditLogEntry[]> {
  const known = searches.get(ctx);
  if (known) return known;
  const since = new Date(ctx.now.getTime() - lookbackDays(ctx) * DAY);
  const read = io.creationEntries(ctx.project.projectId, since);
  read.catch(() => undefined);
  searches.set(ctx, read);
  return read;
}

/** The entries for one reader: a failed search is that reader's gap; a stopped one gives what was read, and a gap. */
export function entriesFor(io: GcpIO, ctx: GcpScopeContext, part: Part): Promise<AuditLogEntry[] | undefined> {
  return attempt(ctx.gaps, part, GLOBAL, classify, async () => {
    try {
      return await familyEntries(io, ctx);
    } catch (err) {
      if (!(err instanceof PagingStoppedError)) throw err;
      ctx.gaps.push({ code: err.code, part, operation: 'logging:entries.list', region: GLOBAL, message: err.message });
      return err.entries;
    }
  });
}

export async function collectActivity(io: GcpIO, ctx: GcpScopeContext): Promise<ActivityEvent[] | undefined> {
  const entries = await entriesFor(io, ctx, 'activity');
  if (!entries) return undefined;
  ctx.ok.add('activity');
  const since = ctx.now.getTime() - Math.min(ctx.activityLookbackDays, ADMIN_ACTIVITY_DAYS) * DAY;
  return sortActivity(activityFromEntries(entries, ctx.project.projectId, since, 'logging:entries.list Admin Activity'));
}
