/**
 * Who the principals are: Microsoft Graph names every principal of the subscription's who-can result (getByIds),
 * and lists the transitive members of the groups that matter — groups holding a snapshot capability and tenant
 * groups a deny assignment names or excludes — so that deny assignments on groups are decided (rbac.ts) and a group's
 * grant says who is in it. Each read is optional: refused (403) or failed, it is one gap naming what to grant, and
 * the result stays as it was (ids for names, deny assignments on groups conditional).
 */
import type { Principal } from '../../../src/core/model/result.ts';
import type { GraphObject } from '../graph.ts';
import { displayOf, identityOf, membersOf, principalTypeOf } from '../normalise/identities.ts';
import type { Membership, RbacDeny } from '../rbac.ts';
import type { AzureScopeIO } from '../scope-io.ts';

/** Tenant groups whose membership decides a deny assignment or names the people behind a grant. */
export function groupsToExpand(principals: readonly Principal[], denies: readonly RbacDeny[]): string[] {
  const ids = new Set<string>();
  for (const p of principals) if (p.type === 'group' && !p.external) ids.add(p.id.toLowerCase());
  for (const d of denies)
    for (const x of [...d.principals, ...d.excludePrincipals]) if (x.type.toLowerCase() === 'group') ids.add(x.id.toLowerCase());
  return [...ids].sort();
}

/** Group ids → transitive members; null: the directory holds no such group (so it has no members). */
export type Members = ReadonlyMap<string, readonly GraphObject[] | null>;

/** Transitive members of each group, or undefined when the directory could not be read (one gap). */
export function readMembership(io: AzureScopeIO, groupIds: readonly string[]): Promise<Members | undefined> {
  if (!io.directoryEnabled || groupIds.length === 0) return Promise.resolve(new Map());
  return io.part('principals', async () => {
    const lists = await Promise.all(groupIds.map(async (id) => [id, await io.listTransitiveMembers(id)] as const));
    return new Map(lists);
  });
}

export function membershipSets(members: Members): Membership {
  return new Map([...members].map(([g, list]) => [g, new Set((list ?? []).map((m) => m.id.toLowerCase()))] as const));
}

/** Names, kinds, account state and members onto the principals (in place); a guest is external. */
export async function nameIdentities(io: AzureScopeIO, principals: Principal[], members: Members): Promise<void> {
  if (!io.directoryEnabled || principals.length === 0) return;
  const objects = await io.part('principals', () =>
    io.getDirectoryObjects(principals.filter((p) => !p.external || p.type !== 'group').map((p) => p.id)),
  );
  for (const p of principals) {
    const key = p.id.toLowerCase();
    const o = objects?.get(key);
    const list = members.get(key);
    if (list) p.members = membersOf(list);
    if (!o) continue;
    const identity = identityOf(o);
    p.identity = identity;
    p.name = displayOf(identity, p.id);
    // ARM names a managed identity's principal type ServicePrincipal; Graph says which kind of service principal it is.
    if (p.type === 'service-principal' && identity.kind === 'managed-identity') p.type = 'managed-identity';
    if (identity.kind === 'guest') p.external = true;
    for (const g of p.grants) {
      if (identity.kind === 'guest') g.external = true;
      const first = g.path[0];
      if (first?.kind === 'principal' && first.id.toLowerCase() === key)
        first.label = `${principalLabel(principalTypeOf(identity))} ${p.name}`;
    }
  }
}

function principalLabel(type: Principal['type']): string {
  return (
    { user: 'User', group: 'Group', 'service-principal': 'ServicePrincipal', 'managed-identity': 'ManagedIdentity' }[type as string] ??
    'Principal'
  );
}
