/**
 * Where the exported activity log is alerted on: Log Analytics workspaces (Workspaces_Get), the Microsoft Sentinel
 * analytics rules on one (AlertRules_List, a paged `{value, nextLink}` list; an empty list where Sentinel is not
 * onboarded) and the Azure Monitor log search alert rules of a subscription (ScheduledQueryRules_ListBySubscription).
 */
import type { AzureSubscription, AzureWorkspace } from '../estate.ts';
import { scheduledQueryRuleBody, sentinelRuleBody, workspaceBody, workspaceId } from '../resources/workspaces.ts';
import { armError, armJson, type Route } from '../wire.ts';
import type { RouteContext } from './context.ts';

const WORKSPACE = '/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.OperationalInsights/workspaces/([^/]+)';

function findWorkspace(sub: AzureSubscription, rg: string | undefined, name: string | undefined): AzureWorkspace | undefined {
  return sub.workspaces.find(
    (w) => w.resourceGroup.toLowerCase() === (rg ?? '').toLowerCase() && w.name.toLowerCase() === (name ?? '').toLowerCase(),
  );
}

function workspaceNotFound(rg: string | undefined, name: string | undefined) {
  return armError(
    404,
    'ResourceNotFound',
    `The Resource 'Microsoft.OperationalInsights/workspaces/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function workspaceRoutes(c: RouteContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: new RegExp(`^${WORKSPACE}$`, 'i'),
      service: 'Microsoft.OperationalInsights',
      operation: 'GetWorkspace',
      scope: (m) => m[1] ?? null,
      auth: { action: 'Microsoft.OperationalInsights/workspaces/read', scope: (m) => `/subscriptions/${m[1]}/resourceGroups/${m[2]}` },
      handle: (_req, m) =>
        c.withSub(m[1], (sub) => {
          const w = findWorkspace(sub, m[2], m[3]);
          return w ? armJson(workspaceBody(w, sub.id)) : workspaceNotFound(m[2], m[3]);
        }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${WORKSPACE}/providers/Microsoft\\.SecurityInsights/alertRules$`, 'i'),
      service: 'Microsoft.SecurityInsights',
      operation: 'ListAlertRules',
      scope: (m) => m[1] ?? null,
      auth: { action: 'Microsoft.SecurityInsights/alertRules/read', scope: (m) => `/subscriptions/${m[1]}/resourceGroups/${m[2]}` },
      handle: (req, m) =>
        c.withSub(m[1], (sub) => {
          const w = findWorkspace(sub, m[2], m[3]);
          if (!w) return workspaceNotFound(m[2], m[3]);
          const id = workspaceId(sub.id, w);
          return c.page(req, w.sentinel ? w.sentinelRules.map((r) => sentinelRuleBody(r, id)) : [], `sentinel-${id}`);
        }),
    },
    c.subscriptionList(
      'Microsoft.Insights/scheduledQueryRules',
      { service: 'Microsoft.Insights', operation: 'ListScheduledQueryRules', action: 'Microsoft.Insights/scheduledQueryRules/read' },
      (sub) => sub.scheduledQueryRules.map((r) => scheduledQueryRuleBody(r, sub.id)),
      'sqr',
    ),
  ];
}
