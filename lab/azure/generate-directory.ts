/**
 * The directory of a generated Azure tenant (lab/generate.ts): every principal its role assignments name exists —
 * users, service principals and groups, each group with three member users of its own — so a scan names them and
 * lists the groups' members as it would in a real tenant (a role assignment naming a deleted principal is the
 * exception there). No random draws: ids of members are derived from the group's, and the rest of the estate is what
 * it was without a directory.
 */
import type { EstateInput } from '../estate.ts';
import { stableGuid } from './resources/ids.ts';

type AzureInput = NonNullable<EstateInput['azure']>;
type Directory = NonNullable<AzureInput['directory']>;

/** Members per generated group. */
const MEMBERS = 3;

export function generatedDirectory(assignments: ReadonlyArray<{ principalId: string; principalType?: string }>): Directory {
  const users: NonNullable<Directory['users']> = [];
  const groups: NonNullable<Directory['groups']> = [];
  const servicePrincipals: NonNullable<Directory['servicePrincipals']> = [];
  const seen = new Set<string>();
  const user = (id: string, n: string) => users.push({ id, displayName: `User ${n}`, userPrincipalName: `user-${n}@contoso.example` });
  for (const [i, a] of assignments.entries()) {
    if (seen.has(a.principalId)) continue;
    seen.add(a.principalId);
    if (a.principalType === 'Group') {
      const members = Array.from({ length: MEMBERS }, (_, k) => stableGuid('generated-member', a.principalId, String(k)));
      for (const [k, m] of members.entries()) user(m, `${i}-${k}`);
      groups.push({ id: a.principalId, displayName: `Group ${i}`, members });
    } else if (a.principalType === 'ServicePrincipal')
      servicePrincipals.push({ id: a.principalId, displayName: `App ${i}`, appId: stableGuid('generated-app', a.principalId) });
    else user(a.principalId, String(i));
  }
  return { permissions: ['Directory.Read.All'], users, groups, servicePrincipals };
}
