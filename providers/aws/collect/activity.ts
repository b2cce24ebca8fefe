/**
 * Creation activity per account × region: every event of the snapshot family's catalogue (snapshot-events.ts:
 * creating, copying, sharing and exporting) in CloudTrail's event history, failed attempts included, within the
 * lookback window (`scan.activityLookbackDays`, at most the 90 days LookupEvents keeps). The listings are shared
 * with the creator lookup (event-history.ts): the creation names it reads cost nothing more; the others (shares,
 * exports, and creation names of kinds a region does not hold) cost one LookupEvents listing each per region.
 */
import { type ActivityEvent, sortActivity } from '../../../src/core/model/activity.ts';
import { activityOf } from '../normalise/activity.ts';
import type { AccountIO } from '../scope-io.ts';
import { snapshotEventCatalogue } from '../snapshot-events.ts';
import { HISTORY_DAYS, trailEvents } from './event-history.ts';

/** The event names the review reads, in catalogue order. */
export const activityEventNames: readonly string[] = snapshotEventCatalogue.map((e) => e.name);

async function regionActivity(io: AccountIO, region: string, now: Date, since: number): Promise<ActivityEvent[]> {
  const lists = await Promise.all(
    activityEventNames.map(async (name) => {
      const events = await io.part('activity', region, () => trailEvents(io, region, name, now));
      if (events) io.ok.add(region);
      const read = `cloudtrail:LookupEvents EventName=${name}`;
      return (events ?? []).flatMap((e) => {
        const a = activityOf(e, region, read);
        return a && Date.parse(a.at) >= since ? [a] : [];
      });
    }),
  );
  return lists.flat();
}

export async function collectActivity(io: AccountIO, now: Date, lookbackDays: number): Promise<ActivityEvent[]> {
  const days = Math.min(lookbackDays, HISTORY_DAYS);
  const since = now.getTime() - days * 86_400_000;
  const perRegion = await Promise.all(io.scope.regions.map((region) => regionActivity(io, region, now, since)));
  const seen = new Set<string>();
  const out: ActivityEvent[] = [];
  for (const a of perRegion.flat()) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    out.push(a);
  }
  return sortActivity(out);
}
