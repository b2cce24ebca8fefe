/**
 * CloudTrail's event history (LookupEvents), read once per event name per region of an account and shared by every
 * reader: the creator lookup (collect/creators.ts) and the activity review (collect/activity.ts) read the same
 * listings, so the review costs no call where the creator lookup already runs. LookupEvents takes one lookup
 * attribute per call and keeps 90 days of management events, failed calls included
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html).
 */
import type { Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import { type AccountIO, allPages } from '../scope-io.ts';

/** CloudTrail event history keeps 90 days. */
export const HISTORY_DAYS = 90;

const histories = new WeakMap<AccountIO, Map<string, Promise<TrailEvent[]>>>();

/**
 * Every event of one name in one region over the 90-day history, newest first as CloudTrail returns them; one
 * bounded listing per name and region however many readers ask. Rejects when the listing fails: each reader
 * records the gap under its own part.
 */
export function trailEvents(io: AccountIO, region: string, name: string, now: Date): Promise<TrailEvent[]> {
  let memo = histories.get(io);
  if (!memo) {
    memo = new Map();
    histories.set(io, memo);
  }
  const key = `${region}\u0000${name}`;
  const known = memo.get(key);
  if (known) return known;
  const start = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const read = allPages<TrailEvent>(io.listing('cloudtrail:LookupEvents', region, `EventName=${name}`), async (token) => {
    const input = {
      LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: name }],
      StartTime: start,
      EndTime: now,
      MaxResults: 50,
      NextToken: token,
    };
    const out = await io.api.lookupEvents(region, input, `EventName=${name}`);
    return { items: out.Events, next: out.NextToken };
  });
  // A failed read is not retried by a second reader: it rejects for both, and each records its own gap.
  read.catch(() => undefined);
  memo.set(key, read);
  return read;
}
