/** Microsoft.Insights resources as ARM returns them: diagnostic settings, activity log alerts, action groups, events. */
import type { AzureActionGroup, AzureActivityEvent, AzureActivityLogAlert, AzureDiagnosticSetting } from '../estate.ts';
import { stableGuid } from './ids.ts';

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
    subStatus: e.errorCode
      ? { value: 'Forbidden', localizedValue: 'Forbidden (HTTP Status Code: 403)' }
      : e.status !== 'Succeeded'
        ? lv('')
        : isAction
          ? { value: 'OK', localizedValue: 'OK (HTTP Status Code: 200)' }
          : { value: 'Created', localizedValue: 'Created (HTTP Status Code: 201)' },
    submissionTimestamp: e.eventTimestamp,
    subscriptionId,
    tenantId,
    httpRequest: {
      method: isAction ? 'POST' : 'PUT',
      clientIpAddress: e.claims.ipaddr ?? '203.0.113.10',
      clientRequestId: stableGuid('client', eventDataId),
    },
    properties: e.errorCode
      ? {
          statusCode: 'Forbidden',
          statusMessage: JSON.stringify({
            error: {
              code: e.errorCode,
              message: `The client '${e.caller}' does not have authorization to perform action '${e.operationName}'.`,
            },
          }),
        }
      : { statusCode: e.status === 'Succeeded' ? (isAction ? 'OK' : 'Created') : e.status },
  };
}
