/**
 * Owner resolution, the same for every provider: an owner tag/label (configured keys, in order) → the identity in
 * the audit event that created the snapshot → the platform's own record of the creator (Azure systemData) → the
 * owner tag of the source volume/disk → unknown. The source is recorded so readers know how much to trust it.
 */
import type { Finding, Principal, Snapshot } from './result.ts';

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

export interface NamedIdentity {
  name: string;
  login: string | null;
}

/**
 * The names a scope's principals and their members go by, by lower-case id: those a directory named (display name and
 * sign-in name) and those whose provider name differs from their id (an AWS role's name). Received values only.
 */
export function scopeIdentityNames(principals: readonly Principal[]): Map<string, NamedIdentity> {
  const names = new Map<string, NamedIdentity>();
  for (const p of principals)
    for (const x of [p, ...(p.members ?? [])])
      if (x.name !== x.id && !names.has(x.id.toLowerCase()))
        names.set(x.id.toLowerCase(), { name: x.name, login: x.identity?.login ?? null });
  return names;
}

/** Findings whose owner the scope's directory named get that name beside the id (`ownerIdentity`). */
export function nameFindingOwners(findings: readonly Finding[], names: ReadonlyMap<string, NamedIdentity>): Finding[] {
  if (names.size === 0) return [...findings];
  return findings.map((f) => {
    const named = f.owner ? names.get(f.owner.toLowerCase()) : undefined;
    return named ? { ...f, ownerIdentity: named } : f;
  });
}
