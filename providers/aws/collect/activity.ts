/**
 * Creation activity per account × region: every event of the snapshot family's catalogue (snapshot-events.ts:
 * creating, copying, sharing and exporting) in CloudTrail's event history, failed attempts included, within the
 * lookback window (`scan.activityLookbackDays`, at most the 90 days LookupEvents keeps). The listings are shared
 * with the creator lookup (event-history.ts): the creation names it reads cost nothing more; the others (shares,
 * exports, and creation names of kinds a region does not hold) cost one LookupEvents listing each per region.
 */
import pLimit from 'p-limit';
import { type ActivityEvent, sortActivity } from '../../../src/core/model/activity.ts';
import { activityOf } from '../normalise/activity.ts';
import type { AccountIO } from '../scope-io.ts';
import { snapshotEventCatalogue } from '../snapshot-events.ts';
import { HISTORY_DAYS, trailEvents } from './event-history.ts';

/** The event names the review reads, in catalogue order. */
export const activityEventNames: readonly string[] = snapshotEventCatalogue.map((e) => e.name);

/** The engine's default calls in flight per scope (`scan.concurrency.callsPerScope`), when the runtime does not say. */
const DEFAULT_CALLS_PER_SCOPE = 8;

/** The events of one name in one region within the window; none when the listing could not be read (a gap). */
async function nameActivity(io: AccountIO, region: string, name: string, now: Date, since: number): Promise<ActivityEvent[]> {
  const events = await io.part('activity', region, () => trailEvents(io, region, name, now));
  if (events) io.ok.add(region);
  const read = `cloudtrail:LookupEvents EventName=${name}`;
  return (events ?? []).flatMap((e) => {
    const a = activityOf(e, region, read);
    return a && Date.parse(a.at) >= since ? [a] : [];
  });
}

/**
 * Every name in every region: 20 listings per region, 400 in an account of 20 regions, all independent. Started
 * together, each would wait for one of the scope's few call slots (`scan.concurrency.callsPerScope`) holding its whole
 * chain of suspended calls — some 2 MB per account; so only as many listings start at once as the scope has slots,
 * the next one as one ends. The same listings, and as many at once as can be sent.
 */
export async function collectActivity(io: AccountIO, now: Date, lookbackDays: number): Promise<ActivityEvent[]> {
  const days = Math.min(lookbackDays, HISTORY_DAYS);
  const since = now.getTime() - days * 86_400_000;
  // name by name across the regions: the creation events (first in the catalogue) of every region are read first, and
  // the creator lookup, which waits for them before a region's attribute reads, finds them read or under way
  const reads = activityEventNames.flatMap((name) => io.scope.regions.map((region) => ({ region, name })));
  // p-limit starts each listing only when one of the slots is free (a queued item is its arguments, not a chain)
  const lists = await pLimit(io.rt.callsPerScope ?? DEFAULT_CALLS_PER_SCOPE).map(reads, (r) =>
    nameActivity(io, r.region, r.name, now, since),
  );
  const seen = new Set<string>();
  const out: ActivityEvent[] = [];
  for (const a of lists.flat()) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    out.push(a);
  }
  return sortActivity(out);
}
