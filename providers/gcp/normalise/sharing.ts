/**
 * Exposure from a resource-level IAM policy, one rule for every member of the snapshot family (snapshots, images,
 * machine images, instant snapshots): `allUsers` / `allAuthenticatedUsers` make it public, every other member it is
 * granted to is a share (inside or outside the organisation); deleted principals hold nothing.
 */
import type { Fact, Snapshot, Tri } from '../../../src/core/model/result.ts';
import { classifyMember, type Membership } from '../members.ts';

export interface RawBinding {
  role?: string | null;
  members?: string[] | null;
  condition?: { expression?: string | null; title?: string | null } | null;
}

const publicMembers = new Set(['allUsers', 'allAuthenticatedUsers']);

function memberKind(member: string): string {
  if (member.startsWith('principal://') || member.startsWith('principalSet://')) return member.split('://')[0] as string;
  return member.split(':')[0] ?? member;
}

/** The sharing the bindings grant; null bindings (not read) leave it unknown with the note that says why. */
export function iamSharing(iam: readonly RawBinding[] | null, note: string | null, membership: Membership): Snapshot['sharing'] {
  const sharedWith: Snapshot['sharing']['sharedWith'] = [];
  const notes: string[] = [];
  if (iam === null) return { public: 'unknown', sharedWith, sharesKnown: false, notes: note ? [note] : [] };
  let isPublic: Tri = 'no';
  for (const b of iam) {
    for (const member of b.members ?? []) {
      // A deleted principal can use nothing: the binding no longer applies to anyone.
      if (member.startsWith('deleted:')) continue;
      if (publicMembers.has(member)) {
        isPublic = 'yes';
        notes.push(`${b.role} granted to ${member}${b.condition ? ' (conditionally)' : ''}`);
        continue;
      }
      const info = classifyMember(member, membership);
      if (!sharedWith.some((s) => s.id === member))
        sharedWith.push({ id: member, kind: memberKind(member), inOrganization: info.inOrganization });
    }
  }
  return { public: isPublic, sharedWith, sharesKnown: true, notes };
}

/** The `public` and `shared-with` facts, quoting the members the policy read (`source`: the getIamPolicy call). */
export function iamFacts(source: string, iam: readonly RawBinding[] | null, isPublic: Tri): Fact[] {
  if (iam === null) return [];
  const members = [...new Set(iam.flatMap((b) => b.members ?? []))];
  const open = members.filter((m) => publicMembers.has(m));
  return [
    { fact: 'public', source, value: isPublic === 'yes' ? open.join(', ') : 'no allUsers / allAuthenticatedUsers', authoritative: true },
    { fact: 'shared-with', source, value: members.length ? members.join(', ') : 'none', authoritative: true },
  ];
}
