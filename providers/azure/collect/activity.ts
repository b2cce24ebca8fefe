/**
 * Creation activity per subscription: the snapshot family's operations in the activity log (one listing of the
 * Microsoft.Compute events, 90 days back — what the activity log keeps — shared with the creator lookup, so the
 * review costs no call where that lookup runs, and one paged listing per subscription where it does not), failed
 * calls included, within `scan.activityLookbackDays`.
 */
import type { EventData } from '@azure/arm-monitor';
import { type ActivityEvent, sortActivity } from '../../../src/core/model/activity.ts';
import { activityFromEvents } from '../normalise/activity-events.ts';
import type { AzureScopeIO } from '../scope-io.ts';

/** The activity log keeps 90 days (https://learn.microsoft.com/en-us/azure/azure-monitor/platform/activity-log#retention-period). */
export const ACTIVITY_LOG_DAYS = 90;
const DAY = 86_400_000;

const listings = new WeakMap<AzureScopeIO, Promise<EventData[]>>();

/** The subscription's Microsoft.Compute activity-log events of the last 90 days, read once however many readers ask. */
export function computeEvents(io: AzureScopeIO, now: Date): Promise<EventData[]> {
  const known = listings.get(io);
  if (known) return known;
  const read = io.listActivityLogs(new Date(now.getTime() - ACTIVITY_LOG_DAYS * DAY), now, 'Microsoft.Compute');
  // Each reader records its own gap when it fails.
  read.catch(() => undefined);
  listings.set(io, read);
  return read;
}

export async function collectActivity(io: AzureScopeIO, now: Date, lookbackDays: number): Promise<ActivityEvent[] | undefined> {
  const events = await io.part('activity', () => computeEvents(io, now));
  if (!events) return undefined;
  const since = now.getTime() - Math.min(lookbackDays, ACTIVITY_LOG_DAYS) * DAY;
  const read = 'Microsoft.Insights:ListActivityLogs resourceProvider=Microsoft.Compute';
  const seen = new Set<string>();
  return sortActivity(
    activityFromEvents(events, since, read).filter((a) => {
      if (seen.has(a.id)) return false;
      seen.add(a.id);
      return true;
    }),
  );
}
