/**
 * ARM resource bodies the lab returns, shaped like the official examples in ../shared/fixtures/azure (the
 * provider's normalisers are tested against those files; a test compares the lab's keys with theirs).
 */
import { createHash } from 'node:crypto';
import type {
  AzureActionGroup,
  AzureActivityEvent,
  AzureActivityLogAlert,
  AzureDenyAssignment,
  AzureDiagnosticSetting,
  AzureDisk,
  AzureDiskAccess,
  AzureRoleAssignment,
  AzureRoleDefinition,
  AzureSnapshot,
  AzureSubscription,
} from './estate.ts';
import { type AzureLabState, mgScope } from './state.ts';

/** A stable GUID derived from text, for ids the estate leaves out. */
export function stableGuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

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

function rgId(subscriptionId: string, rg: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${rg}`;
}

export function diskId(subscriptionId: string, rg: string, name: string): string {
  return `${rgId(subscriptionId, rg)}/providers/Microsoft.Compute/disks/${name}`;
}

export function snapshotId(subscriptionId: string, rg: string, name: string): string {
  return `${rgId(subscriptionId, rg)}/providers/Microsoft.Compute/snapshots/${name}`;
}

const encryptionTypes = {
  platform: 'EncryptionAtRestWithPlatformKey',
  customer: 'EncryptionAtRestWithCustomerKey',
  'platform-and-customer': 'EncryptionAtRestWithPlatformAndCustomerKeys',
} as const;

export function snapshotBody(s: AzureSnapshot, subscriptionId: string) {
  const id = snapshotId(subscriptionId, s.resourceGroup, s.name);
  let creationData: Record<string, string> = { createOption: 'Empty' };
  if (s.source && 'disk' in s.source) {
    const source = diskId(subscriptionId, s.source.resourceGroup ?? s.resourceGroup, s.source.disk);
    creationData = { createOption: 'Copy', sourceResourceId: source, sourceUniqueId: stableGuid(source) };
  } else if (s.source && 'sourceResourceId' in s.source) {
    creationData = {
      createOption: 'Copy',
      sourceResourceId: s.source.sourceResourceId,
      sourceUniqueId: stableGuid(s.source.sourceResourceId),
    };
  } else if (s.source && 'importUri' in s.source) {
    creationData = {
      createOption: 'Import',
      sourceUri: s.source.importUri,
      ...(s.source.storageAccountId ? { storageAccountId: s.source.storageAccountId } : {}),
    };
  }
  return {
    properties: {
      creationData,
      diskSizeGB: s.sizeGB,
      diskSizeBytes: s.sizeGB * 1024 ** 3,
      uniqueId: stableGuid(id),
      encryption: {
        type: encryptionTypes[s.encryption],
        ...(s.encryption !== 'platform' && s.diskEncryptionSetId ? { diskEncryptionSetId: s.diskEncryptionSetId } : {}),
      },
      incremental: s.incremental,
      networkAccessPolicy: s.networkAccessPolicy,
      publicNetworkAccess: s.publicNetworkAccess,
      ...(s.dataAccessAuthMode ? { dataAccessAuthMode: s.dataAccessAuthMode } : {}),
      ...(s.diskAccessId ? { diskAccessId: s.diskAccessId } : {}),
      timeCreated: s.timeCreated,
      provisioningState: 'Succeeded',
      diskState: s.diskState ?? 'Unattached',
    },
    type: 'Microsoft.Compute/snapshots',
    location: s.location,
    tags: s.tags,
    sku: { name: s.incremental ? 'Standard_ZRS' : 'Standard_LRS', tier: 'Standard' },
    ...(s.createdBy ? { systemData: { createdBy: s.createdBy, createdByType: s.createdByType ?? 'User', createdAt: s.timeCreated } } : {}),
    id,
    name: s.name,
  };
}

export function diskAccessBody(d: AzureDiskAccess, subscriptionId: string) {
  const id = `${rgId(subscriptionId, d.resourceGroup)}/providers/Microsoft.Compute/diskAccesses/${d.name}`;
  return {
    properties: {
      privateEndpointConnections: d.privateEndpoints.map((p) => ({
        properties: {
          privateEndpoint: { id: `${rgId(subscriptionId, d.resourceGroup)}/providers/Microsoft.Network/privateEndpoints/${p.name}` },
          privateLinkServiceConnectionState: { status: p.status, description: '', actionsRequired: 'None' },
          provisioningState: 'Succeeded',
        },
        id: `${id}/privateEndpointConnections/${p.name}`,
        name: p.name,
        type: 'Microsoft.Compute/diskAccesses/PrivateEndpointConnections',
      })),
      provisioningState: 'Succeeded',
      timeCreated: '2026-01-01T00:00:00+00:00',
    },
    type: 'Microsoft.Compute/diskAccesses',
    location: d.location,
    tags: {},
    id,
    name: d.name,
  };
}

export function diskBody(d: AzureDisk, subscriptionId: string) {
  return {
    properties: {
      creationData: { createOption: 'Empty' },
      diskSizeGB: d.sizeGB,
      encryption: { type: 'EncryptionAtRestWithPlatformKey' },
      networkAccessPolicy: 'AllowAll',
      publicNetworkAccess: 'Enabled',
      timeCreated: '2026-01-01T00:00:00+00:00',
      provisioningState: 'Succeeded',
      diskState: 'Attached',
    },
    type: 'Microsoft.Compute/disks',
    location: d.location,
    tags: d.tags,
    sku: { name: 'Premium_LRS', tier: 'Premium' },
    id: diskId(subscriptionId, d.resourceGroup, d.name),
    name: d.name,
  };
}

/** Subscription diagnostic settings, with the official example's quirks: an id without a leading slash, `type: null`. */
export function diagnosticSettingBody(d: AzureDiagnosticSetting, subscriptionId: string) {
  return {
    id: `subscriptions/${subscriptionId}/providers/microsoft.insights/diagnosticSettings/${d.name}`,
    type: null,
    name: d.name,
    properties: {
      ...(d.storageAccountId ? { storageAccountId: d.storageAccountId } : {}),
      ...(d.workspaceId ? { workspaceId: d.workspaceId } : {}),
      ...(d.eventHubAuthorizationRuleId ? { eventHubAuthorizationRuleId: d.eventHubAuthorizationRuleId } : {}),
      ...(d.eventHubName ? { eventHubName: d.eventHubName } : {}),
      logs: d.logs.map((l) => ({
        ...(l.category ? { category: l.category } : { categoryGroup: l.categoryGroup }),
        enabled: l.enabled,
      })),
    },
  };
}

export function activityLogAlertBody(a: AzureActivityLogAlert, subscriptionId: string) {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${a.resourceGroup}/providers/microsoft.insights/activityLogAlerts/${a.name}`,
    type: 'Microsoft.Insights/ActivityLogAlerts',
    name: a.name,
    location: 'Global',
    tags: {},
    properties: {
      scopes: a.scopes ?? [`/subscriptions/${subscriptionId}`],
      condition: { allOf: a.allOf },
      actions: { actionGroups: a.actionGroups.map((id) => ({ actionGroupId: id, webhookProperties: {} })) },
      enabled: a.enabled,
      description: a.description ?? '',
    },
  };
}

export function actionGroupId(subscriptionId: string, g: AzureActionGroup): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${g.resourceGroup}/providers/microsoft.insights/actionGroups/${g.name}`;
}

const receiverFields: Record<AzureActionGroup['receivers'][number]['type'], (r: AzureActionGroup['receivers'][number]) => object> = {
  email: (r) => ({ emailAddress: r.address ?? `${r.name}@example.com`, useCommonAlertSchema: true, status: r.status ?? 'Enabled' }),
  sms: (r) => ({ countryCode: '1', phoneNumber: r.address ?? '5555550100', status: r.status ?? 'Enabled' }),
  webhook: (r) => ({ serviceUri: r.address ?? 'https://example.com/hook', useCommonAlertSchema: true, useAadAuth: false }),
  armRole: (r) => ({ roleId: r.address ?? '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', useCommonAlertSchema: true }),
  azureAppPush: (r) => ({ emailAddress: r.address ?? `${r.name}@example.com` }),
  voice: (r) => ({ countryCode: '1', phoneNumber: r.address ?? '5555550100' }),
  logicApp: (r) => ({
    resourceId: r.address ?? '/subscriptions/x/resourceGroups/x/providers/Microsoft.Logic/workflows/x',
    callbackUrl: 'https://example.com/logic',
    useCommonAlertSchema: true,
  }),
  azureFunction: (r) => ({
    functionAppResourceId: r.address ?? '/subscriptions/x/resourceGroups/x/providers/Microsoft.Web/sites/x',
    functionName: r.name,
    httpTriggerUrl: 'https://example.com/function',
    useCommonAlertSchema: true,
  }),
  eventHub: (r) => ({
    eventHubNameSpace: 'soc',
    eventHubName: r.address ?? r.name,
    useCommonAlertSchema: true,
    subscriptionId: '00000000-0000-0000-0000-000000000000',
  }),
  automationRunbook: (r) => ({
    automationAccountId: r.address ?? '/subscriptions/x/resourceGroups/x/providers/Microsoft.Automation/automationAccounts/x',
    runbookName: r.name,
    webhookResourceId: '/subscriptions/x/resourceGroups/x/providers/Microsoft.Automation/automationAccounts/x/webhooks/x',
    isGlobalRunbook: false,
    useCommonAlertSchema: true,
  }),
  itsm: (r) => ({
    workspaceId: '00000000-0000-0000-0000-000000000000',
    connectionId: r.address ?? 'itsm',
    ticketConfiguration: '{}',
    region: 'westeurope',
  }),
};

/** An action group (ActionGroups_Get): every receiver array present, empty when the group has none of that kind. */
export function actionGroupBody(g: AzureActionGroup, subscriptionId: string) {
  const of = (type: AzureActionGroup['receivers'][number]['type']) =>
    g.receivers.filter((r) => r.type === type).map((r) => ({ name: r.name, ...receiverFields[type](r) }));
  return {
    id: actionGroupId(subscriptionId, g),
    type: 'Microsoft.Insights/ActionGroups',
    name: g.name,
    location: 'Global',
    tags: {},
    properties: {
      groupShortName: g.shortName ?? g.name.slice(0, 12),
      enabled: g.enabled,
      emailReceivers: of('email'),
      smsReceivers: of('sms'),
      webhookReceivers: of('webhook'),
      itsmReceivers: of('itsm'),
      azureAppPushReceivers: of('azureAppPush'),
      automationRunbookReceivers: of('automationRunbook'),
      voiceReceivers: of('voice'),
      logicAppReceivers: of('logicApp'),
      azureFunctionReceivers: of('azureFunction'),
      armRoleReceivers: of('armRole'),
      eventHubReceivers: of('eventHub'),
    },
  };
}

export function activityEventBody(e: AzureActivityEvent, subscriptionId: string, tenantId: string, resourceId: string) {
  const rg = /\/resourceGroups\/([^/]+)/i.exec(resourceId)?.[1] ?? '';
  const provider = /\/providers\/([^/]+)\//i.exec(resourceId)?.[1] ?? e.operationName.split('/')[0] ?? '';
  const type = /\/providers\/([^/]+\/[^/]+)\//i.exec(resourceId)?.[1] ?? '';
  const eventDataId = stableGuid(resourceId, e.eventTimestamp, e.caller, e.status, e.operationName);
  const isAction = /\/action$/i.test(e.operationName);
  const ticks = (BigInt(Date.parse(e.eventTimestamp)) * 10000n + 621355968000000000n).toString();
  const lv = (value: string) => ({ value, localizedValue: value });
  return {
    authorization: { action: e.operationName, scope: resourceId },
    caller: e.caller,
    claims: { 'http://schemas.microsoft.com/identity/claims/tenantid': tenantId, appidacr: '1', ...e.claims },
    correlationId: stableGuid('correlation', resourceId, e.eventTimestamp),
    description: '',
    eventDataId,
    eventName: { value: 'EndRequest', localizedValue: 'End request' },
    category: lv(e.category),
    eventTimestamp: e.eventTimestamp,
    id: `${resourceId}/events/${eventDataId}/ticks/${ticks}`,
    level: 'Informational',
    operationId: stableGuid('operation', resourceId, e.eventTimestamp),
    operationName: lv(e.operationName),
    resourceGroupName: rg,
    resourceProviderName: lv(provider),
    resourceType: lv(type),
    resourceId,
    status: lv(e.status),
    subStatus:
      e.status !== 'Succeeded'
        ? lv('')
        : isAction
          ? { value: 'OK', localizedValue: 'OK (HTTP Status Code: 200)' }
          : { value: 'Created', localizedValue: 'Created (HTTP Status Code: 201)' },
    submissionTimestamp: e.eventTimestamp,
    subscriptionId,
    tenantId,
    httpRequest: { method: isAction ? 'POST' : 'PUT', clientIpAddress: '192.0.2.10', clientRequestId: stableGuid('client', eventDataId) },
    properties: { statusCode: e.status === 'Succeeded' ? (isAction ? 'OK' : 'Created') : e.status },
  };
}

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

function underScope(scope: string, kind: 'roleAssignments' | 'denyAssignments', id: string): string {
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
