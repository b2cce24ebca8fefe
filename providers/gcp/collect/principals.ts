/**
 * Who can snapshot in a project: the allow and deny policies of the project and of every ancestor (ancestors' read
 * once per scan), the roles they bind (read once per scan), evaluated by iam.ts against the catalogue; then who is in
 * the groups that matter and what the service accounts are called (identities.ts: Cloud Identity, IAM).
 */
import type { Principal } from '../../../src/core/model/result.ts';
import { attempt } from '../../gaps.ts';
import { classifyGcpError as classify } from '../errors.ts';
import { type AllowPolicyAt, type DenyPolicyAt, evaluateIam, type RoleInfo } from '../iam.ts';
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
  const roleNames = [...new Set(allowed.flatMap((a) => a.bindings.map((b) => b.role)))].sort();
  const roles = new Map<string, RoleInfo>();
  await Promise.all(
    roleNames.map(async (name) => {
      const r = await read(() => io.role(name));
      if (!r) allRead = false;
      roles.set(name, r ? roleInfo(name, r) : { name, title: null, permissions: null });
    }),
  );
  if (allowed.length > 0 && allRead) ctx.ok.add('principals');
  deny.sort((a, b) => (a.name < b.name ? -1 : 1));
  const input = { allow: allowed, deny, roles, membership: ctx.membership, catalogue: ctx.catalogue, now: ctx.now };
  const first = evaluateIam(input).principals;
  if (!ctx.config.directoryLookup) return first;
  // With the members of the groups that matter read, deny rules on groups are decided: evaluate again.
  const groups = await readGroups(io, ctx, groupsToExpand(first, deny, ctx.membership));
  const principals = groups?.membership.size ? evaluateIam({ ...input, groups: groups.membership }).principals : first;
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
