/** Subscriptions and management groups as ARM returns them (Microsoft.Resources, Microsoft.Management). */
import type { AzureSubscription } from '../estate.ts';
import { mgScope } from '../state.ts';

export function subscriptionBody(s: AzureSubscription, tenantId: string) {
  return {
    id: `/subscriptions/${s.id}`,
    authorizationSource: 'RoleBased',
    managedByTenants: s.managedByTenants.map((t) => ({ tenantId: t })),
    subscriptionId: s.id,
    tenantId,
    displayName: s.name,
    state: s.state,
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
    tags: {},
  };
}

export function managementGroupBody(id: string, name: string, tenantId: string) {
  return { id: mgScope(id), type: 'Microsoft.Management/managementGroups', name: id, properties: { tenantId, displayName: name } };
}

export function descendantBody(kind: 'mg' | 'subscription', id: string, displayName: string, parentMg: string) {
  return {
    id: kind === 'mg' ? mgScope(id) : `/subscriptions/${id}`,
    type: kind === 'mg' ? 'Microsoft.Management/managementGroups' : '/subscriptions',
    name: id,
    properties: { displayName, parent: { id: mgScope(parentMg) } },
  };
}
