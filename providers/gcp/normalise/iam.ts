/** Allow policies, deny policies and roles as Resource Manager and IAM answer them → the inputs of the who-can evaluator (iam.ts). */
import type { AllowPolicyAt, DenyPolicyAt, ResourceNode, RoleInfo } from '../iam.ts';
import type { RawDenyPolicy, RawPolicy, RawRole } from '../raw.ts';

export function allowPolicyAt(node: ResourceNode, policy: RawPolicy): AllowPolicyAt {
  return {
    node,
    bindings: (policy.bindings ?? []).map((b) => ({
      role: b.role ?? '?',
      members: b.members ?? [],
      condition: b.condition?.expression ? { title: b.condition.title ?? null, expression: b.condition.expression } : null,
    })),
  };
}

/** A deny policy read in full; `name` is `<level>/denypolicies/<id>`. */
export function denyPolicyAt(node: ResourceNode, p: RawDenyPolicy): DenyPolicyAt {
  return {
    node,
    name: p.name ?? '?',
    rules: (p.rules ?? []).flatMap((r) =>
      r.denyRule
        ? [
            {
              deniedPrincipals: r.denyRule.deniedPrincipals ?? [],
              exceptionPrincipals: r.denyRule.exceptionPrincipals ?? [],
              deniedPermissions: r.denyRule.deniedPermissions ?? [],
              exceptionPermissions: r.denyRule.exceptionPermissions ?? [],
              denialCondition: r.denyRule.denialCondition?.expression
                ? { title: r.denyRule.denialCondition.title ?? null, expression: r.denyRule.denialCondition.expression }
                : null,
            },
          ]
        : [],
    ),
  };
}

export function roleInfo(name: string, r: RawRole): RoleInfo {
  return { name, title: r.title ?? null, permissions: r.includedPermissions ?? [], deleted: r.deleted === true };
}
