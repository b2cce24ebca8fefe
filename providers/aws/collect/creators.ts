/**
 * Who made each artifact: CloudTrail's 90-day event history (LookupEvents), one bounded listing per event name per
 * region, indexed by normalise/creators.ts. Read only when a selected check needs creators and `creatorLookup` is on.
 */
import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import { type CreationIndex, emptyIndex, indexEvents } from '../normalise/creators.ts';
import { type AccountIO, allPages } from '../scope-io.ts';

const HISTORY_DAYS = 90;

/** The creation events of the names given in one region; undefined when none of the lookups could be read. */
export async function creationIndex(
  io: AccountIO,
  region: string,
  names: readonly string[],
  now: Date,
): Promise<CreationIndex | undefined> {
  const index = emptyIndex();
  const start = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const results = await Promise.all(
    names.map((name) =>
      io.part('creators', region, () =>
        allPages<TrailEvent>(io.listing('cloudtrail:LookupEvents', region, `EventName=${name}`), async (token) => {
          const input = {
            LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: name }],
            StartTime: start,
            EndTime: now,
            MaxResults: 50,
            NextToken: token,
          };
          const out = await io.api.lookupEvents(region, input, `EventName=${name}`);
          return { items: out.Events, next: out.NextToken };
        }),
      ),
    ),
  );
  if (results.every((r) => r === undefined)) return undefined;
  // Index in the catalogue's fixed order so the result does not depend on timing.
  for (const events of results) if (events) indexEvents(index, events);
  return index;
}
