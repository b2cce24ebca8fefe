/**
 * Who made each artifact: CloudTrail's 90-day event history (LookupEvents), one bounded listing per event name per
 * region (shared with the activity review, collect/event-history.ts), indexed by normalise/creators.ts. Read only
 * when a selected check needs creators and `creatorLookup` is on.
 */
import { type CreationIndex, emptyIndex, indexEvents } from '../normalise/creators.ts';
import type { AccountIO } from '../scope-io.ts';
import { trailEvents } from './event-history.ts';

/** The creation events of the names given in one region; undefined when none of the lookups could be read. */
export async function creationIndex(
  io: AccountIO,
  region: string,
  names: readonly string[],
  now: Date,
): Promise<CreationIndex | undefined> {
  const index = emptyIndex();
  const results = await Promise.all(names.map((name) => io.part('creators', region, () => trailEvents(io, region, name, now))));
  if (results.every((r) => r === undefined)) return undefined;
  // Index in the catalogue's fixed order so the result does not depend on timing.
  for (const events of results) if (events) indexEvents(index, events);
  return index;
}
