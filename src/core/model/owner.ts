/**
 * Owner resolution, the same for every provider: an owner tag/label (configured keys, in order) → the identity in
 * the audit event that created the snapshot → the platform's own record of the creator (Azure systemData) → the
 * owner tag of the source volume/disk → unknown. The source is recorded so readers know how much to trust it.
 */
import type { Snapshot } from './result.ts';

export interface OwnerInputs {
  tags: Record<string, string>;
  ownerTagKeys: readonly string[];
  creatorFromAudit?: string | null;
  creatorFromSystemData?: string | null;
  sourceTags?: Record<string, string>;
  /**
   * Tag names compare case-insensitively on this cloud (Azure: "tag names are case-insensitive for operations",
   * https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations); otherwise
   * exactly.
   */
  caseInsensitiveKeys?: boolean;
}

function tagValue(tags: Record<string, string>, keys: readonly string[], insensitive: boolean): [string, string] | null {
  const same = (a: string, b: string) => (insensitive ? a.toLowerCase() === b.toLowerCase() : a === b);
  for (const key of keys) {
    const hit = Object.entries(tags).find(([k, v]) => same(k, key) && v.trim() !== '');
    if (hit) return hit;
  }
  return null;
}

export function resolveOwner(i: OwnerInputs): Snapshot['owner'] {
  const insensitive = i.caseInsensitiveKeys === true;
  const own = tagValue(i.tags, i.ownerTagKeys, insensitive);
  if (own) return { value: own[1], source: 'tag', detail: own[0] };
  if (i.creatorFromAudit) return { value: i.creatorFromAudit, source: 'audit-event', detail: null };
  if (i.creatorFromSystemData) return { value: i.creatorFromSystemData, source: 'system-data', detail: null };
  const fromSource = i.sourceTags ? tagValue(i.sourceTags, i.ownerTagKeys, insensitive) : null;
  if (fromSource) return { value: fromSource[1], source: 'source-tag', detail: fromSource[0] };
  return { value: null, source: 'unknown', detail: null };
}
