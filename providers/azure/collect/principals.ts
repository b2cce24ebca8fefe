/**
 * Who can create, copy, share or delete snapshots in a subscription: role assignments at, above and below it, deny
 * assignments, and the role definitions they name (each read once per scan), evaluated offline (rbac.ts); then who the
 * principals are and who is in the groups that matter (identities.ts, Microsoft Graph).
 */
import type { Principal } from '../../../src/core/model/result.ts';
import { toAssignment, toDeny, toRole } from '../normalise/rbac.ts';
import { evaluateSubscription, type RbacRole } from '../rbac.ts';
import type { AzureScopeIO } from '../scope-io.ts';
import type { AzureScopeContext } from './context.ts';
import { groupsToExpand, membershipSets, nameIdentities, readMembership } from './identities.ts';

export function collectPrincipals(io: AzureScopeIO, ctx: AzureScopeContext): Promise<Principal[] | undefined> {
  return io.part('principals', async () => {
    // Both listings run together; a failure is reported for the first in this fixed order, whichever failed first.
    const [assignmentsRead, deniesRead] = await Promise.allSettled([io.listRoleAssignments(), io.listDenyAssignments()]);
    if (assignmentsRead.status === 'rejected') throw assignmentsRead.reason;
    const assignments = assignmentsRead.value;
    // Without the deny assignments the grants are still reported (a deny can only take some away), with the gap.
    const denies = await io.part('principals', async () => {
      if (deniesRead.status === 'rejected') throw deniesRead.reason;
      return deniesRead.value;
    });
    const roleIds = [...new Set(assignments.map((a) => a.roleDefinitionId).filter((r): r is string => !!r))].sort();
    const roles = new Map<string, RbacRole>();
    await Promise.all(
      roleIds.map(async (rid) => {
        const role = await io.part('principals', async () => toRole(await io.getRoleDefinition(rid), rid));
        if (role) roles.set(role.id, role);
      }),
    );
    const input = {
      subscriptionId: ctx.subscriptionId,
      ancestors: ctx.ancestors,
      roles,
      assignments: assignments.map(toAssignment),
      denies: (denies ?? []).map(toDeny),
      catalogue: ctx.catalogue,
      externalPrincipals: ctx.externalPrincipals,
      now: ctx.now,
    };
    const first = evaluateSubscription(input).principals;
    // With the members of the groups that matter read, deny assignments on groups are decided: evaluate again.
    const read = await readMembership(io, groupsToExpand(first, input.denies));
    const members = read ?? new Map();
    const principals = members.size ? evaluateSubscription({ ...input, membership: membershipSets(members) }).principals : first;
    // Refused already (the gap names the permission): one gap is enough, names are not asked for.
    if (read !== undefined || !io.directoryRefused()) await nameIdentities(io, principals, members);
    return principals;
  });
}
