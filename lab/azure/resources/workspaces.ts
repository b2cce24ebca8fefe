/**
 * Bodies of Log Analytics workspaces (Workspaces_Get), Microsoft Sentinel analytics rules (AlertRules_List) and
 * Azure Monitor log search alert rules (ScheduledQueryRules_ListBySubscription), shaped like ARM's.
 */
import type { AzureScheduledQueryRule, AzureSentinelRule, AzureWorkspace } from '../estate.ts';
import { rgId, stableGuid } from './ids.ts';

export function workspaceId(subscriptionId: string, w: Pick<AzureWorkspace, 'resourceGroup' | 'name'>): string {
  return `${rgId(subscriptionId, w.resourceGroup)}/providers/Microsoft.OperationalInsights/workspaces/${w.name}`;
}

export function workspaceBody(w: AzureWorkspace, subscriptionId: string) {
  return {
    id: workspaceId(subscriptionId, w),
    name: w.name,
    type: 'Microsoft.OperationalInsights/workspaces',
    location: w.location,
    tags: {},
    properties: {
      provisioningState: 'Succeeded',
      customerId: stableGuid('workspace', subscriptionId, w.resourceGroup, w.name),
      sku: { name: 'PerGB2018', lastSkuUpdate: '2025-01-01T00:00:00.0000000Z' },
      retentionInDays: w.retentionInDays,
      features: { legacy: 0, searchVersion: 1, enableLogAccessUsingOnlyResourcePermissions: true },
      workspaceCapping: { dailyQuotaGb: -1.0, quotaNextResetTime: '2026-11-26T00:00:00Z', dataIngestionStatus: 'RespectQuota' },
      publicNetworkAccessForIngestion: 'Enabled',
      publicNetworkAccessForQuery: 'Enabled',
      createdDate: '2025-01-01T00:00:00.0000000Z',
      modifiedDate: '2025-01-01T00:00:00.0000000Z',
    },
  };
}

export function sentinelRuleBody(r: AzureSentinelRule, wsId: string) {
  const query = r.kind === 'Scheduled' || r.kind === 'NRT';
  return {
    id: `${wsId}/providers/Microsoft.SecurityInsights/alertRules/${r.name}`,
    name: r.name,
    type: 'Microsoft.SecurityInsights/alertRules',
    kind: r.kind,
    etag: `"${stableGuid('etag', wsId, r.name)}"`,
    properties: {
      displayName: r.displayName ?? r.name,
      enabled: r.enabled,
      ...(query
        ? {
            query: r.query ?? '',
            severity: 'High',
            ...(r.kind === 'Scheduled'
              ? { queryFrequency: 'PT1H', queryPeriod: 'PT1H', triggerOperator: 'GreaterThan', triggerThreshold: 0 }
              : {}),
            suppressionDuration: 'PT1H',
            suppressionEnabled: false,
            tactics: ['DefenseEvasion'],
            techniques: ['T1578'],
            incidentConfiguration: { createIncident: true },
          }
        : {}),
      lastModifiedUtc: '2025-01-01T00:00:00Z',
    },
  };
}

export function scheduledQueryRuleBody(r: AzureScheduledQueryRule, subscriptionId: string) {
  return {
    id: `${rgId(subscriptionId, r.resourceGroup)}/providers/microsoft.insights/scheduledqueryrules/${r.name}`,
    name: r.name,
    type: 'microsoft.insights/scheduledqueryrules',
    location: r.location,
    kind: 'LogAlert',
    tags: {},
    properties: {
      displayName: r.name,
      severity: 1,
      enabled: r.enabled,
      scopes: r.scopes,
      evaluationFrequency: 'PT5M',
      windowSize: 'PT5M',
      criteria: {
        allOf: [
          {
            query: r.query,
            timeAggregation: 'Count',
            operator: 'GreaterThan',
            threshold: 0,
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          },
        ],
      },
      autoMitigate: false,
      actions: { actionGroups: r.actionGroups, customProperties: {} },
    },
  };
}
