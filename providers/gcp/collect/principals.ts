/**
 * Who can snapshot in a project: the allow and deny policies of the project and of every ancestor (ancestors' read
 * once per scan), the roles they bind (read once per scan), evaluated by iam.ts against the catalogue; then who is in
 * the groups that matter (identities.ts: Cloud Identity). Then one hop further (impersonation.ts): the own allow
 * policy of each service account that holds a capability (and only those, once per scan each) says who may act as
 * it; they reach its grants. Last, what the service accounts are called (identities.ts: IAM).
 */
import type { Principal } from '../../../src/core/model/result.ts';
import { attempt } from '../../gaps.ts';
import { classifyGcpError as classify } from '../errors.ts';
import { type AllowPolicyAt, type Binding, type DenyPolicyAt, evaluateIam, type RoleInfo } from '../iam.ts';
import { capableServiceAccounts, withImpersonation } from '../impersonation.ts';
import { allowPolicyAt, denyPolicyAt, roleInfo } from '../normalise/iam.ts';
import { GLOBAL, type GcpIO } from '../scope-io.ts';
import type { GcpScopeContext } from './context.ts';
import { groupsToExpand, nameIdentities, readGroups, readServiceAccounts } from './identities.ts';

export async function collectPrincipals(io: GcpIO, ctx: GcpScopeContext): Promise<Principal[]> {
  const read = <T>(fn: () => Promise<T>) => attempt(ctx.gaps, 'principals', GLOBAL, classify, fn);
  const nodes = [...ctx.project.ancestors, ctx.node];
  const allow: AllowPolicyAt[] = [];
  const deny: DenyPolicyAt[] = [];
  let allRead = true;
  await Promise.all(
    nodes.map(async (node, i) => {
      const [policy, denies] = await Promise.all([read(() => io.iamPolicy(node)), read(() => io.denyPolicies(node))]);
      if (!policy || !denies) allRead = false;
      if (policy) allow[i] = allowPolicyAt(node, policy);
      deny.push(...(denies ?? []).map((d) => denyPolicyAt(node, d)));
    }),
  );
  const allowed = allow.filter((a): a is AllowPolicyAt => a !== undefined);
  const roles = new Map<string, RoleInfo>();
  const readRoles = (bindings: readonly Binding[]) =>
    Promise.all(
      [...new Set(bindings.map((b) => b.role))]
        .filter((name) => !roles.has(name))
        .sort()
        .map(async (name) => {
          const r = await read(() => io.role(name));
          if (!r) allRead = false;
          roles.set(name, r ? roleInfo(name, r) : { name, title: null, permissions: null });
        }),
    );
  await readRoles(allowed.flatMap((a) => a.bindings));
  deny.sort((a, b) => (a.name < b.name ? -1 : 1));
  const input = { allow: allowed, deny, roles, membership: ctx.membership, catalogue: ctx.catalogue, now: ctx.now };
  const first = evaluateIam(input).principals;
  // With the members of the groups that matter read, deny rules on groups are decided: evaluate again.
  const groups = ctx.config.directoryLookup ? await readGroups(io, ctx, groupsToExpand(first, deny, ctx.membership)) : undefined;
  const withGroups = groups?.membership.size ? { ...input, groups: groups.membership } : input;
  const direct = groups?.membership.size ? evaluateIam(withGroups).principals : first;

  // One hop further: who may act as the service accounts that can snapshot.
  const saPolicies = new Map<string, readonly Binding[]>();
  await Promise.all(
    capableServiceAccounts(direct).map(async (email) => {
      const policy = await read(() => io.serviceAccountIamPolicy(email));
      if (!policy) allRead = false;
      else
        saPolicies.set(email, allowPolicyAt({ level: 'project', id: `projects/-/serviceAccounts/${email}`, name: null }, policy).bindings);
    }),
  );
  await readRoles([...saPolicies.values()].flat());
  if (allowed.length > 0 && allRead) ctx.ok.add('principals');
  const principals = withImpersonation({
    ...withGroups,
    principals: direct,
    projectId: ctx.project.projectId,
    serviceAccountPolicies: saPolicies,
    projectPolicies: allowed,
  }).principals;
  if (!ctx.config.directoryLookup) return principals;
  // Service accounts among the principals, and among the members of their groups.
  const accounts = await readServiceAccounts(
    io,
    ctx,
    principals.filter((p) => p.id.startsWith('serviceAccount:')).map((p) => p.id.slice('serviceAccount:'.length)),
    [...(groups?.members.values() ?? [])].flat().flatMap((m) => (m.kind === 'service-account' ? [m.email] : [])),
  );
  nameIdentities(principals, groups, accounts);
  return principals;
}
