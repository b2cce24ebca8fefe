/** What every kind of the snapshot family shares in the model: timestamps, and owner and creator from the Admin Activity log. */
import { resolveOwner } from '../../../src/core/model/owner.ts';
import type { Fact, Snapshot } from '../../../src/core/model/result.ts';

export interface Creator {
  identity: string;
  at: string;
}

export function toIso(ts: string | null | undefined): string | null {
  if (!ts) return null;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Owner (labels, else the creating call's principal, else the source's labels) and creator of one item. */
export function ownership(
  labels: Record<string, string>,
  ownerTagKeys: readonly string[],
  creator: Creator | null,
  sourceTags: Record<string, string> | null,
): Pick<Snapshot, 'owner' | 'creator'> {
  return {
    owner: resolveOwner({
      tags: labels,
      ownerTagKeys,
      creatorFromAudit: creator?.identity ?? null,
      ...(sourceTags ? { sourceTags } : {}),
    }),
    creator: creator ? { identity: creator.identity, source: 'audit-event', at: creator.at } : null,
  };
}

/** The `creator` fact, quoting the principal of the creating call. */
export function creatorFacts(creator: Creator | null): Fact[] {
  return creator
    ? [
        {
          fact: 'creator',
          source: 'logging:entries.list protoPayload.authenticationInfo.principalEmail',
          value: creator.identity,
          authoritative: true,
        },
      ]
    : [];
}
