/**
 * Who can snapshot in a project: the allow and deny policies of the project and of every ancestor (ancestors' read
 * once per scan), the roles they bind (read once per scan), evaluated by iam.ts against the catalogue.
 */
import type { Principal } from '../../../src/core/model/result.ts';
import { attempt } from '../../gaps.ts';
import { classifyGcpError as classify } from '../errors.ts';
import { type AllowPolicyAt, type DenyPolicyAt, evaluateIam, type RoleInfo } from '../iam.ts';
import { allowPolicyAt, denyPolicyAt, roleInfo } from '../normalise/iam.ts';
import { GLOBAL, type GcpIO } from '../scope-io.ts';
import type { GcpScopeContext } from './context.ts';

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
  return evaluateIam({ allow: allowed, deny, roles, membership: ctx.membership, catalogue: ctx.catalogue, now: ctx.now }).principals;
}
