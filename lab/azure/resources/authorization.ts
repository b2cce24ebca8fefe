/** Microsoft.Authorization resources as ARM returns them: role definitions, role assignments, deny assignments. */
import type { AzureActivationPolicy, AzureDenyAssignment, AzureEligibility, AzureRoleAssignment, AzureRoleDefinition } from '../estate.ts';
import type { AzureLabState } from '../state.ts';
import { stableGuid } from './ids.ts';

const roleDefPath = '/providers/Microsoft.Authorization/roleDefinitions/';

/** A role definition id as ARM spells it: tenant-level for MG/root contexts, subscription-qualified otherwise. */
export function roleDefinitionId(role: AzureRoleDefinition, subscriptionId: string | null): string {
  return `${subscriptionId ? `/subscriptions/${subscriptionId}` : ''}${roleDefPath}${role.id}`;
}

export function roleDefinitionBody(role: AzureRoleDefinition, id: string, custom: boolean) {
  return {
    properties: {
      roleName: role.name,
      type: custom ? 'CustomRole' : 'BuiltInRole',
      description: role.description,
      assignableScopes: role.assignableScopes,
      permissions: role.permissions.map((p) => ({
        actions: p.actions,
        notActions: p.notActions,
        dataActions: p.dataActions,
        notDataActions: p.notDataActions,
      })),
    },
    id,
    type: 'Microsoft.Authorization/roleDefinitions',
    name: role.id,
  };
}

export function assignmentId(a: AzureRoleAssignment): string {
  return a.id ?? stableGuid('assignment', a.scope.toLowerCase(), a.principalId, a.role.toLowerCase());
}

function underScope(
  scope: string,
  kind:
    | 'roleAssignments'
    | 'denyAssignments'
    | 'roleEligibilityScheduleInstances'
    | 'roleManagementPolicyAssignment'
    | 'roleManagementPolicies',
  id: string,
): string {
  return `${scope === '/' ? '' : scope.replace(/\/+$/, '')}/providers/Microsoft.Authorization/${kind}/${id}`;
}

export function roleAssignmentBody(a: AzureRoleAssignment, state: AzureLabState) {
  const role = state.role(a.role);
  if (!role) throw new Error(`role assignment at ${a.scope}: unknown role ${a.role}`);
  const id = assignmentId(a);
  return {
    properties: {
      roleDefinitionId: roleDefinitionId(role, state.subscriptionOf(a.scope)),
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      ...(a.condition ? { condition: a.condition, conditionVersion: a.conditionVersion ?? '2.0' } : {}),
      createdOn: '2025-06-01T00:00:00.0000000Z',
      updatedOn: '2025-06-01T00:00:00.0000000Z',
    },
    id: underScope(a.scope, 'roleAssignments', id),
    type: 'Microsoft.Authorization/roleAssignments',
    name: id,
  };
}

export function denyAssignmentBody(d: AzureDenyAssignment) {
  const id = d.id ?? stableGuid('deny', d.scope.toLowerCase(), d.name);
  return {
    properties: {
      denyAssignmentName: d.name,
      description: '',
      permissions: d.permissions.map((p) => ({
        actions: p.actions,
        notActions: p.notActions,
        dataActions: p.dataActions,
        notDataActions: p.notDataActions,
      })),
      scope: d.scope,
      doNotApplyToChildScopes: d.doNotApplyToChildScopes,
      principals: d.principals.map((p) => ({ id: p.id, type: p.type })),
      excludePrincipals: d.excludePrincipals.map((p) => ({ id: p.id, type: p.type })),
      isSystemProtected: d.isSystemProtected,
      ...(d.condition ? { condition: d.condition, conditionVersion: '2.0' } : {}),
    },
    id: underScope(d.scope, 'denyAssignments', id),
    type: 'Microsoft.Authorization/denyAssignments',
    name: id,
  };
}

/** A PIM eligibility as a role eligibility schedule instance (stable 2020-10-01 shape). */
export function eligibilityInstanceBody(e: AzureEligibility, state: AzureLabState) {
  const role = state.role(e.role);
  if (!role) throw new Error(`eligibility at ${e.scope}: unknown role ${e.role}`);
  const id = e.id ?? stableGuid('eligibility', e.scope.toLowerCase(), e.principalId, e.role.toLowerCase());
  return {
    properties: {
      scope: e.scope,
      roleDefinitionId: roleDefinitionId(role, state.subscriptionOf(e.scope)),
      principalId: e.principalId,
      principalType: e.principalType,
      roleEligibilityScheduleId: underScope(e.scope, 'roleEligibilityScheduleInstances', id).replace('Instances/', 's/'),
      status: 'Provisioned',
      startDateTime: '2025-06-01T00:00:00.000Z',
      ...(e.endDateTime ? { endDateTime: e.endDateTime } : {}),
      memberType: 'Direct',
      ...(e.condition ? { condition: e.condition, conditionVersion: '2.0' } : {}),
      createdOn: '2025-06-01T00:00:00.000Z',
    },
    name: id,
    id: underScope(e.scope, 'roleEligibilityScheduleInstances', id),
    type: 'Microsoft.Authorization/roleEligibilityScheduleInstances',
  };
}

const activationTarget = {
  caller: 'EndUser',
  operations: ['All'],
  level: 'Assignment',
  targetObjects: null,
  inheritableSettings: null,
  enforcedSettings: null,
};

/** A role management policy assignment with its effective end-user activation rules (stable 2020-10-01 shape). */
export function activationPolicyBody(p: AzureActivationPolicy, state: AzureLabState) {
  const role = state.role(p.role);
  if (!role) throw new Error(`activation policy at ${p.scope}: unknown role ${p.role}`);
  const policyId = stableGuid('pim-policy', p.scope.toLowerCase(), role.id);
  const name = `${policyId}_${role.id}`;
  const enabledRules = [
    ...(p.mfa ? ['MultiFactorAuthentication'] : []),
    ...(p.justification ? ['Justification'] : []),
    ...(p.ticket ? ['Ticketing'] : []),
  ];
  return {
    properties: {
      scope: p.scope,
      roleDefinitionId: roleDefinitionId(role, state.subscriptionOf(p.scope)),
      policyId: underScope(p.scope, 'roleManagementPolicies', policyId),
      effectiveRules: [
        {
          setting: {
            isApprovalRequired: p.approval,
            isApprovalRequiredForExtension: false,
            isRequestorJustificationRequired: p.justification,
            approvalMode: p.approval ? 'SingleStage' : 'NoApproval',
            approvalStages: [],
          },
          id: 'Approval_EndUser_Assignment',
          ruleType: 'RoleManagementPolicyApprovalRule',
          target: activationTarget,
        },
        {
          isEnabled: false,
          claimValue: '',
          id: 'AuthenticationContext_EndUser_Assignment',
          ruleType: 'RoleManagementPolicyAuthenticationContextRule',
          target: activationTarget,
        },
        { enabledRules, id: 'Enablement_EndUser_Assignment', ruleType: 'RoleManagementPolicyEnablementRule', target: activationTarget },
        {
          isExpirationRequired: true,
          maximumDuration: p.maximumDuration,
          id: 'Expiration_EndUser_Assignment',
          ruleType: 'RoleManagementPolicyExpirationRule',
          target: activationTarget,
        },
      ],
    },
    name,
    id: underScope(p.scope, 'roleManagementPolicyAssignment', name),
    type: 'Microsoft.Authorization/RoleManagementPolicyAssignment',
  };
}
