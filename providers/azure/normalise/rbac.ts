/**
 * Role definitions, role assignments and deny assignments (SDK models) → the RBAC evaluator's inputs (rbac.ts). Pure
 * functions, tested against the official example payloads and the lab.
 */
import type { DenyAssignment, RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import type { RbacAssignment, RbacDeny, RbacPermission, RbacRole } from '../rbac.ts';

const permission = (p: {
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}): RbacPermission => ({
  actions: p.actions ?? [],
  notActions: p.notActions ?? [],
  dataActions: p.dataActions ?? [],
  notDataActions: p.notDataActions ?? [],
});

/** A role definition's blocks, once per definition read (a scan reads each role once and evaluates it everywhere). */
const blocksOf = new WeakMap<RoleDefinition, RbacPermission[]>();

/** A role definition (built-in or custom, tenant-level or subscription-qualified id) → the matcher's role. */
export function toRole(d: RoleDefinition, requestedId: string): RbacRole {
  let permissions = blocksOf.get(d);
  if (!permissions) {
    permissions = (d.permissions ?? []).map(permission);
    blocksOf.set(d, permissions);
  }
  return {
    id: (d.name ?? requestedId.split('/').pop() ?? requestedId).toLowerCase(),
    resourceId: d.id ?? requestedId,
    name: d.roleName ?? d.name ?? requestedId,
    custom: (d.roleType ?? '').toLowerCase() === 'customrole',
    permissions,
  };
}

export function toAssignment(a: RoleAssignment): RbacAssignment {
  return {
    id: a.id ?? a.name ?? '',
    scope: a.scope ?? '/',
    principalId: a.principalId ?? '',
    principalType: a.principalType ?? 'Unknown',
    roleId: ((a.roleDefinitionId ?? '').split('/').pop() ?? '').toLowerCase(),
    roleDefinitionId: a.roleDefinitionId ?? '',
    condition: a.condition ? a.condition : null,
  };
}

export function toDeny(d: DenyAssignment): RbacDeny {
  return {
    id: d.id ?? d.name ?? '',
    name: d.denyAssignmentName ?? d.name ?? '',
    scope: d.scope ?? '/',
    permissions: (d.permissions ?? []).map(permission),
    principals: (d.principals ?? []).map((p) => ({ id: p.id ?? '', type: p.type ?? '' })),
    excludePrincipals: (d.excludePrincipals ?? []).map((p) => ({ id: p.id ?? '', type: p.type ?? '' })),
    doNotApplyToChildScopes: d.doNotApplyToChildScopes === true,
    condition: d.condition ? d.condition : null,
  };
}
