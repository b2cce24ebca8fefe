/**
 * Who can create, copy, share or delete snapshots in a subscription: role assignments at, above and below it, deny
 * assignments, and the role definitions they name (each read once per scan), evaluated offline (rbac.ts). Then one
 * hop further (pim.ts): PIM role eligibility schedule instances at or above the subscription, evaluated like the
 * assignments they would activate, with the activation rules of the scopes where an eligibility grants a capability
 * (only those scopes, each once per scan). Without PIM data (no licence, no permission) the gap is recorded and the
 * direct grants stand.
 */
import type { Principal } from '../../../src/core/model/result.ts';
import { toAssignment, toDeny, toRole } from '../normalise/rbac.ts';
import { activationRules, type Eligibility, eligibleGrants, policyScopes, toEligibility, withEligibility } from '../pim.ts';
import { evaluateSubscription, type RbacRole } from '../rbac.ts';
import type { AzureScopeIO } from '../scope-io.ts';
import type { AzureScopeContext } from './context.ts';

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
    const eligible: Eligibility[] = ((await io.part('principals', () => io.listEligibilityInstances())) ?? []).map(toEligibility);
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
    const direct = evaluateSubscription(input).principals;
    const viaEligibility = eligibleGrants(input, eligible);
    if (viaEligibility.length === 0) return direct;
    const policies = await Promise.all(
      policyScopes(viaEligibility).map((scope) => io.part('principals', () => io.listActivationPolicies(scope))),
    );
    return withEligibility(
      direct,
      viaEligibility,
      policies.flatMap((list) => (list ?? []).map(activationRules)),
    );
  });
}
