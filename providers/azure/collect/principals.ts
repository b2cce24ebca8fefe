/**
 * Who can create, copy, share or delete snapshots in a subscription: role assignments at, above and below it, deny
 * assignments, and the role definitions they name (each read once per scan), evaluated offline (rbac.ts); then who the
 * principals are and who is in the groups that matter (identities.ts, Microsoft Graph). Then one hop further (pim.ts):
 * PIM role eligibility schedule instances at, above and below the subscription, evaluated like the assignments they would
 * activate (with the same group membership), with the activation rules of the scopes where an eligibility grants a
 * capability (only those scopes, each once per scan). Without PIM data (no licence, no permission) the gap is recorded
 * and the direct grants stand. Eligible principals are named like the others.
 */
import type { Principal } from '../../../src/core/model/result.ts';
import { toAssignment, toDeny, toRole } from '../normalise/rbac.ts';
import {
  activationRules,
  type Eligibility,
  type EligibleGrant,
  eligibilitiesOf,
  eligibleGrants,
  policyScopes,
  toEligibility,
  withEligibility,
} from '../pim.ts';
import { denyNamesGroup, evaluateSubscription, type RbacRole } from '../rbac.ts';
import type { AzureScopeIO } from '../scope-io.ts';
import type { AzureScopeContext } from './context.ts';
import { groupsToExpand, membershipSets, nameIdentities, readMembership } from './identities.ts';

export function collectPrincipals(io: AzureScopeIO, ctx: AzureScopeContext): Promise<Principal[] | undefined> {
  return io.part('principals', async () => {
    // The three listings run together; a failure is reported for the first in this fixed order, whichever failed first.
    const [assignmentsRead, deniesRead, eligibilityRead] = await Promise.allSettled([
      io.listRoleAssignments(),
      io.listDenyAssignments(),
      // PIM: one unfiltered listing, at, above and below the subscription (pim.ts eligibilitiesOf).
      io.listEligibilityInstances(),
    ]);
    if (assignmentsRead.status === 'rejected') throw assignmentsRead.reason;
    const assignments = assignmentsRead.value;
    // Without the deny assignments the grants are still reported (a deny can only take some away), with the gap; so
    // are they without PIM's eligibilities (no licence, no permission).
    const settled = <T>(read: PromiseSettledResult<T>) =>
      io.part('principals', async () => {
        if (read.status === 'rejected') throw read.reason;
        return read.value;
      });
    const denies = await settled(deniesRead);
    const listed = await settled(eligibilityRead);
    const eligible: Eligibility[] = eligibilitiesOf((listed ?? []).map(toEligibility), ctx.subscriptionId);
    const roleIds = [
      ...new Set(
        [...assignments.map((a) => a.roleDefinitionId), ...eligible.map((e) => e.roleDefinitionId)].filter((r): r is string => !!r),
      ),
    ].sort();
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
    const firstEligible = eligibleGrants(input, eligible);
    // With the members of the groups that matter read (those holding or eligible for a capability, those a deny names),
    // deny assignments on groups are decided: evaluate again.
    const read = await readMembership(io, groupsToExpand([...first, ...firstEligible.map((x) => x.principal)], input.denies));
    const members = read ?? new Map();
    // Membership decides deny assignments that name or exclude a group, nothing else: without one, the first stands.
    const decides = members.size > 0 && input.denies.some(denyNamesGroup);
    const withMembers = decides ? { ...input, membership: membershipSets(members) } : input;
    const direct = decides ? evaluateSubscription(withMembers).principals : first;
    const viaEligibility = decides ? eligibleGrants(withMembers, eligible) : firstEligible;
    const principals = viaEligibility.length === 0 ? direct : await applyEligibility(io, direct, viaEligibility);
    // Refused already (the gap names the permission): one gap is enough, names are not asked for.
    if (read !== undefined || !io.directoryRefused()) await nameIdentities(io, principals, members);
    return principals;
  });
}

/** The direct principals with the eligible grants on top, each with the activation rules of its scope. */
async function applyEligibility(io: AzureScopeIO, direct: Principal[], viaEligibility: EligibleGrant[]): Promise<Principal[]> {
  const policies = await Promise.all(
    policyScopes(viaEligibility).map((scope) => io.part('principals', () => io.listActivationPolicies(scope))),
  );
  return withEligibility(
    direct,
    viaEligibility,
    policies.flatMap((list) => (list ?? []).map(activationRules)),
  );
}
