/**
 * Security Command Center: the Security Center Management API's securityCenterServices.get for Security Health
 * Analytics (https://cloud.google.com/security-command-center/docs/reference/security-center-management/rest/v1/projects.locations.securityCenterServices/get)
 * and v2 findings.list across a project's sources (`sources/-`, `filter`, `pageSize` up to 1000, `pageToken`:
 * https://cloud.google.com/security-command-center/docs/reference/rest/v2/projects.sources.findings/list). The lab
 * applies the filters the scanner sends: categories OR-ed, and `state="…"`.
 */
import type { GcpProject } from '../estate.ts';
import { gcpError, json, permissionDenied } from '../wire.ts';
import { badToken, paged, type Route, scope1 } from './context.ts';

const SERVICES = [
  'container-threat-detection',
  'event-threat-detection',
  'security-health-analytics',
  'vm-threat-detection',
  'web-security-scanner',
];

/** The filters the lab understands: `(category="A" OR category="B") AND state="ACTIVE"`, or parts of it. */
function parseFilter(filter: string): { categories: string[] | null; state: string | null } | null {
  const categories = [...filter.matchAll(/category\s*=\s*"([A-Z0-9_]+)"/g)].map((m) => m[1] as string);
  const state = /state\s*=\s*"([A-Z_]+)"/.exec(filter)?.[1] ?? null;
  const rest = filter
    .replace(/category\s*=\s*"[A-Z0-9_]+"/g, '')
    .replace(/state\s*=\s*"[A-Z_]+"/g, '')
    .replace(/\b(AND|OR)\b|[()\s]/g, '');
  if (rest !== '') return null;
  return { categories: categories.length ? categories : null, state };
}

const resourceNameOf = (proj: GcpProject, resource: string) =>
  resource.startsWith('//') ? resource : `//compute.googleapis.com/projects/${proj.id}/global/images/${resource}`;

export const securityCenterRoutes: Route[] = [
  {
    method: 'GET',
    re: /^\/v1\/projects\/([a-z0-9-]+)\/locations\/global\/securityCenterServices\/([a-z-]+)$/,
    service: 'securitycentermanagement',
    operation: 'securityCenterServices.get',
    scope: scope1,
    handle(ctx) {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      const name = `projects/${ctx.m[1]}/locations/global/securityCenterServices/${ctx.m[2]}`;
      if (!proj) return permissionDenied('securitycentermanagement.securityCenterServices.get', name);
      if (!SERVICES.includes(ctx.m[2] ?? '')) return gcpError(400, `Invalid service name: ${ctx.m[2]}`);
      const scc = ctx.m[2] === 'security-health-analytics' ? proj.securityCenter : undefined;
      return json({
        name,
        intendedEnablementState: 'INHERITED',
        effectiveEnablementState: scc?.healthAnalytics ?? 'DISABLED',
        ...(scc
          ? {
              modules: Object.fromEntries(
                Object.entries(scc.modules).map(([k, v]) => [k, { intendedEnablementState: 'INHERITED', effectiveEnablementState: v }]),
              ),
            }
          : {}),
        updateTime: '2026-01-01T00:00:00Z',
      });
    },
  },
  {
    method: 'GET',
    re: /^\/v2\/projects\/([a-z0-9-]+)\/sources\/-\/findings$/,
    service: 'securitycenter',
    operation: 'findings.list',
    scope: scope1,
    handle(ctx) {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      if (!proj) return permissionDenied('securitycenter.findings.list', `projects/${ctx.m[1]}`);
      const size = Number(ctx.req.url.searchParams.get('pageSize') ?? 0);
      if (size > 1000) return gcpError(400, `Invalid value for field 'pageSize': ${size}. Must be less than or equal to 1000`);
      const filter = parseFilter(ctx.req.url.searchParams.get('filter') ?? '');
      if (!filter) return gcpError(400, 'The lab does not parse this filter');
      const findings = (proj.securityCenter?.findings ?? []).filter(
        (f) =>
          (filter.categories === null || filter.categories.includes(f.category)) && (filter.state === null || f.state === filter.state),
      );
      const p = paged(ctx, findings, `scc-${proj.id}-${ctx.req.url.searchParams.get('filter') ?? ''}`);
      if (!p) return badToken();
      return json({
        listFindingsResults: p.items.map((f, i) => {
          const resourceName = resourceNameOf(proj, f.resource);
          const id = `f${proj.number}${String(i).padStart(4, '0')}${f.category.length}`;
          return {
            finding: {
              name: `projects/${proj.number}/sources/1000000000000000001/locations/global/findings/${id}`,
              parent: `projects/${proj.number}/sources/1000000000000000001/locations/global`,
              resourceName,
              state: f.state,
              category: f.category,
              findingClass: 'MISCONFIGURATION',
              severity: 'HIGH',
              eventTime: f.eventTime,
              createTime: f.eventTime,
            },
            resource: {
              name: resourceName,
              type: 'google.compute.Image',
              gcpMetadata: { project: `//cloudresourcemanager.googleapis.com/projects/${proj.number}` },
            },
          };
        }),
        readTime: '2026-12-01T00:00:00Z',
        ...(p.next ? { nextPageToken: p.next } : {}),
        totalSize: findings.length,
      });
    },
  },
];
