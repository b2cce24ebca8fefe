/**
 * Microsoft.Insights: subscription diagnostic settings, activity log alerts, action groups and the activity log
 * (its `$filter` grammar exactly as documented, filters.ts).
 */
import type { AzureActivityEvent, AzureSubscription } from '../estate.ts';
import { parseActivityFilter } from '../filters.ts';
import { snapshotId } from '../resources/ids.ts';
import { actionGroupBody, activityEventBody, activityLogAlertBody, diagnosticSettingBody } from '../resources/insights.ts';
import { armError, armJson, type Route } from '../wire.ts';
import type { RouteContext } from './context.ts';

const DAY = 86_400_000;

/** The resource an event is about: its own id, or the named snapshot of the subscription. */
export function eventResource(e: AzureActivityEvent, sub: AzureSubscription): string {
  if (e.resourceId) return e.resourceId;
  const snap = sub.snapshots.find((s) => s.name === e.snapshot && (!e.resourceGroup || s.resourceGroup === e.resourceGroup));
  return snapshotId(sub.id, e.resourceGroup ?? snap?.resourceGroup ?? 'unknown', e.snapshot ?? 'unknown');
}

export function insightsRoutes(c: RouteContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Insights\/diagnosticSettings$/i,
      service: 'Microsoft.Insights',
      operation: 'ListDiagnosticSettings',
      scope: (m) => m[1] ?? null,
      auth: { action: 'Microsoft.Insights/diagnosticSettings/read', scope: (m) => `/subscriptions/${m[1]}` },
      // Not paged by ARM: one `{value}` body.
      handle: (_req, m) =>
        c.withSub(m[1], (sub) => armJson({ value: sub.diagnosticSettings.map((d) => diagnosticSettingBody(d, sub.id)) })),
    },
    c.subscriptionList(
      'Microsoft.Insights/activityLogAlerts',
      { service: 'Microsoft.Insights', operation: 'ListActivityLogAlerts', action: 'Microsoft.Insights/activityLogAlerts/read' },
      (sub) => sub.activityLogAlerts.map((a) => activityLogAlertBody(a, sub.id)),
      'alerts',
    ),
    {
      method: 'GET',
      pattern: /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Insights\/actionGroups\/([^/]+)$/i,
      service: 'Microsoft.Insights',
      operation: 'GetActionGroup',
      scope: (m) => m[1] ?? null,
      auth: { action: 'Microsoft.Insights/actionGroups/read', scope: (m) => `/subscriptions/${m[1]}/resourceGroups/${m[2]}` },
      handle: (_req, m) =>
        c.withSub(m[1], (sub) => {
          const g = sub.actionGroups.find(
            (x) => x.resourceGroup.toLowerCase() === (m[2] ?? '').toLowerCase() && x.name.toLowerCase() === (m[3] ?? '').toLowerCase(),
          );
          if (!g) {
            return armError(
              404,
              'ResourceNotFound',
              `The Resource 'microsoft.insights/actiongroups/${m[3]}' under resource group '${m[2]}' was not found.`,
            );
          }
          return armJson(actionGroupBody(g, sub.id));
        }),
    },
    {
      method: 'GET',
      pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Insights\/eventtypes\/management\/values$/i,
      service: 'Microsoft.Insights',
      operation: 'ListActivityLogs',
      scope: (m) => m[1] ?? null,
      auth: { action: 'Microsoft.Insights/eventtypes/values/read', scope: (m) => `/subscriptions/${m[1]}` },
      handle: (req, m) => c.withSub(m[1], (sub) => activityLog(c, req.url.searchParams.get('$filter') ?? '', sub, req)),
    },
  ];
}

function activityLog(c: RouteContext, raw: string, sub: AzureSubscription, req: Parameters<Route['handle']>[0]) {
  const f = parseActivityFilter(raw);
  if (!f) {
    return armError(
      400,
      'BadRequest',
      `The $filter '${raw}' is not supported. It requires eventTimestamp ge '<start>' [and eventTimestamp le '<end>'] and at most one of: resourceGroupName eq, resourceUri eq, resourceProvider eq, correlationId eq. No other syntax is allowed.`,
    );
  }
  const from = Date.parse(f.from);
  const to = f.to ? Date.parse(f.to) : Number.POSITIVE_INFINITY;
  if (Number.isNaN(from) || Number.isNaN(to) || to < from) return armError(400, 'BadRequest', 'Invalid eventTimestamp range.');
  if (Number.isFinite(to) && to - from > 91 * DAY) {
    return armError(400, 'BadRequest', 'The time range cannot exceed 90 days: activity log events are kept for 90 days.');
  }
  const v = (f.value ?? '').toLowerCase();
  const events = sub.activityLog
    .map((e) => ({ e, resourceId: eventResource(e, sub) }))
    .filter(({ e, resourceId }) => {
      const t = Date.parse(e.eventTimestamp);
      if (t < from || t > to) return false;
      const id = resourceId.toLowerCase();
      if (f.field === 'resourceProvider') return id.includes(`/providers/${v}/`);
      if (f.field === 'resourceGroupName') return id.includes(`/resourcegroups/${v}/`);
      if (f.field === 'resourceUri') return id === v;
      // Correlation ids are derived from the resource and time (resources/insights.ts): the lab keeps none to match.
      if (f.field === 'correlationId') return false;
      return true;
    })
    .sort((a, b) => Date.parse(b.e.eventTimestamp) - Date.parse(a.e.eventTimestamp))
    .map(({ e, resourceId }) => activityEventBody(e, sub.id, c.state.tenantId, resourceId));
  return c.page(req, events, 'events');
}
