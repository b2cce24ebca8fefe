/**
 * The GCP REST operations the lab serves, one route each, one file per service: Resource Manager v3, Cloud Logging
 * v2, Cloud Monitoring v3, IAM v1 (roles, service accounts) and v2 (deny policies), Compute Engine v1, Cloud Identity
 * Groups v1, Security Command Center v2 findings and the Security Center Management API. Every route is a read.
 */
import type { LabRequest } from '../../core.ts';
import { cloudIdentityRoutes } from './cloudidentity.ts';
import { computeRoutes } from './compute.ts';
import { computeFamilyRoutes } from './compute-family.ts';
import { computeScheduleRoutes } from './compute-schedules.ts';
import type { Route } from './context.ts';
import { destinationRoutes } from './destinations.ts';
import { iamRoutes } from './iam.ts';
import { loggingRoutes } from './logging.ts';
import { monitoringRoutes } from './monitoring.ts';
import { resourceManagerRoutes } from './resource-manager.ts';
import { securityCenterRoutes } from './security-center.ts';

export { PageSizeError, type Route, type RouteContext } from './context.ts';

export const routes: readonly Route[] = [
  ...resourceManagerRoutes,
  ...loggingRoutes,
  ...monitoringRoutes,
  ...iamRoutes,
  ...computeRoutes,
  ...computeFamilyRoutes,
  ...computeScheduleRoutes,
  ...destinationRoutes,
  ...cloudIdentityRoutes,
  ...securityCenterRoutes,
];

export function matchRoute(req: LabRequest): { route: Route; m: RegExpExecArray } | null {
  for (const route of routes) {
    if (route.method !== req.method) continue;
    const m = route.re.exec(req.url.pathname);
    if (m) return { route, m };
  }
  return null;
}
