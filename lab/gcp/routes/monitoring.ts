/** Cloud Monitoring v3: alert policies and notification channels. */
import { badToken, paged, type Route, scope1 } from './context.ts';
import { combinerEnum, comparisonEnum, enumValue, json, permissionDenied, verificationEnum } from '../wire.ts';

export const monitoringRoutes: Route[] = [
  {
    method: 'GET',
    re: /^\/v3\/projects\/([a-z0-9-]+)\/alertPolicies$/,
    service: 'monitoring',
    operation: 'alertPolicies.list',
    scope: scope1,
    handle(ctx) {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      if (!proj) return permissionDenied('monitoring.alertPolicies.list', `projects/${ctx.m[1]}`);
      const p = paged(ctx, proj.alertPolicies, `alerts-${proj.id}`);
      if (!p) return badToken();
      return json({
        alertPolicies: p.items.map((a) => ({
          name: `projects/${proj.id}/alertPolicies/${a.id}`,
          displayName: a.displayName,
          enabled: a.enabled,
          ...(a.notificationChannels.length > 0
            ? {
                notificationChannels: a.notificationChannels.map((c) =>
                  c.includes('/') ? c : `projects/${proj.id}/notificationChannels/${c}`,
                ),
              }
            : {}),
          combiner: enumValue(ctx.req, 'OR', combinerEnum),
          conditions: a.conditions.map((c, i) => ({
            name: `projects/${proj.id}/alertPolicies/${a.id}/conditions/${i + 1}`,
            displayName: c.displayName,
            ...(c.logMatch !== undefined
              ? { conditionMatchedLog: { filter: c.logMatch } }
              : {
                  conditionThreshold: {
                    filter: c.filter ?? `metric.type="logging.googleapis.com/user/${c.metric}" AND resource.type="global"`,
                    comparison: enumValue(ctx.req, 'COMPARISON_GT', comparisonEnum),
                    thresholdValue: 0,
                    duration: '0s',
                  },
                }),
          })),
        })),
        nextPageToken: p.next,
        totalSize: proj.alertPolicies.length,
      });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/projects\/([a-z0-9-]+)\/notificationChannels$/,
    service: 'monitoring',
    operation: 'notificationChannels.list',
    scope: scope1,
    handle(ctx) {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      if (!proj) return permissionDenied('monitoring.notificationChannels.list', `projects/${ctx.m[1]}`);
      const p = paged(ctx, proj.notificationChannels, `channels-${proj.id}`);
      if (!p) return badToken();
      return json({
        notificationChannels: p.items.map((c) => ({
          name: `projects/${proj.id}/notificationChannels/${c.id}`,
          type: c.type,
          displayName: c.displayName,
          labels: c.labels,
          enabled: c.enabled,
          verificationStatus: enumValue(ctx.req, 'VERIFIED', verificationEnum),
        })),
        ...(p.next ? { nextPageToken: p.next } : {}),
        totalSize: proj.notificationChannels.length,
      });
    },
  },
];
