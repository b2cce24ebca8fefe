/** Cloud Logging v2: sinks, buckets, log-based metrics and entries:list (under the lab's read quota). */
import { encodeToken, type LabResponse } from '../../core.ts';
import type { GcpProject, GcpSink } from '../estate.ts';
import { badToken, level, levelScope, paged, type Route, scope1 } from './context.ts';
import { bodyJson, bucketStateEnum, enumValue, errorInfo, gcpError, json, permissionDenied } from '../wire.ts';

/** Over the Cloud Logging read quota: 429 RESOURCE_EXHAUSTED, no Retry-After (the quota refills each minute). */
function quotaExceeded(): LabResponse {
  return gcpError(
    429,
    "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'logging.googleapis.com'.",
    {
      details: [
        errorInfo('RATE_LIMIT_EXCEEDED', 'googleapis.com', {
          service: 'logging.googleapis.com',
          quota_metric: 'logging.googleapis.com/read_requests',
          quota_limit: 'ReadRequestsPerMinutePerProject',
        }),
      ],
    },
  );
}

/** Cloud Logging's writer identity for a sink of this parent (https://cloud.google.com/logging/docs/export/configure_export_v2#dest-auth). */
function writerOf(parent: string, s: GcpSink, projectNumber: string | null): string {
  if (s.writerIdentity !== undefined) return s.writerIdentity;
  if (s.name.startsWith('_')) return '';
  const [kind, id] = parent.split('/') as [string, string];
  const who = kind === 'organizations' ? `org-${id}` : kind === 'folders' ? `folder-${id}` : (projectNumber ?? id);
  return `serviceAccount:service-${who}@gcp-sa-logging.iam.gserviceaccount.com`;
}

function sinkJson(parent: string, s: GcpSink, projectNumber: string | null = null) {
  return {
    name: s.name,
    resourceName: `${parent}/sinks/${s.name}`,
    destination: s.destination,
    filter: s.filter,
    description: s.description ?? '',
    disabled: s.disabled,
    exclusions: s.exclusions.map((e) => ({ name: e.name, filter: e.filter, disabled: e.disabled })),
    writerIdentity: writerOf(parent, s, projectNumber),
    includeChildren: s.includeChildren,
    interceptChildren: s.interceptChildren,
  };
}

export const loggingRoutes: Route[] = [
  {
    method: 'GET',
    re: /^\/v2\/(organizations|folders|projects)\/([a-z0-9-]+)\/sinks$/,
    service: 'logging',
    operation: 'sinks.list',
    scope: levelScope,
    handle(ctx) {
      const kind = ctx.m[1] as string;
      const lvl = level(ctx.state, kind, ctx.m[2] as string);
      if (!lvl) return permissionDenied('logging.sinks.list', `${kind}/${ctx.m[2]}`);
      const parent = `${kind}/${kind === 'projects' ? (lvl as GcpProject).id : ctx.m[2]}`;
      const sinks = kind === 'projects' ? ctx.state.projectSinks(lvl as GcpProject) : lvl.sinks;
      const p = paged(ctx, sinks, `sinks-${parent}`);
      if (!p) return badToken();
      const number = kind === 'projects' ? (lvl as GcpProject).number : null;
      return json({ sinks: p.items.map((s) => sinkJson(parent, s, number)), nextPageToken: p.next });
    },
  },
  {
    method: 'GET',
    re: /^\/v2\/projects\/([a-z0-9-]+)\/locations\/-\/buckets$/,
    service: 'logging',
    operation: 'buckets.list',
    scope: scope1,
    handle(ctx) {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      if (!proj) return permissionDenied('logging.buckets.list', `projects/${ctx.m[1]}`);
      const p = paged(ctx, ctx.state.buckets(proj), `buckets-${proj.id}`);
      if (!p) return badToken();
      return json({
        buckets: p.items.map((b) => ({
          name: `projects/${proj.id}/locations/${b.location}/buckets/${b.id}`,
          description: b.description ?? '',
          retentionDays: b.retentionDays,
          locked: b.locked,
          lifecycleState: enumValue(ctx.req, 'ACTIVE', bucketStateEnum),
        })),
        nextPageToken: p.next,
      });
    },
  },
  {
    method: 'GET',
    re: /^\/v2\/projects\/([a-z0-9-]+)\/metrics$/,
    service: 'logging',
    operation: 'metrics.list',
    scope: scope1,
    handle(ctx) {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      if (!proj) return permissionDenied('logging.logMetrics.list', `projects/${ctx.m[1]}`);
      const p = paged(ctx, proj.metrics, `metrics-${proj.id}`);
      if (!p) return badToken();
      return json({
        metrics: p.items.map((x) => ({ name: x.name, description: x.description ?? '', filter: x.filter, disabled: x.disabled })),
        nextPageToken: p.next,
      });
    },
  },
  {
    method: 'POST',
    re: /^\/v2\/entries:list$/,
    service: 'logging',
    operation: 'entries.list',
    scope: (_m, req) => {
      const names = (bodyJson(req)?.resourceNames as string[] | undefined) ?? [];
      return names[0]?.replace(/^projects\//, '') ?? null;
    },
    handle(ctx) {
      const body = bodyJson(ctx.req);
      if (!body) return gcpError(400, 'Invalid JSON payload received.');
      const names = (body.resourceNames as string[] | undefined) ?? [];
      const projects = new Set(
        names.map((n) => ctx.state.project(n.replace(/^projects\//, ''))?.id).filter((id): id is string => id !== undefined),
      );
      if (projects.size === 0) return gcpError(400, 'resourceNames must name at least one readable project.');
      if (!ctx.state.takeLogRead(Date.now())) return quotaExceeded();
      const filter = String(body.filter ?? '');
      const since = /timestamp\s*>=?\s*"([^"]+)"/.exec(filter)?.[1] ?? null;
      const methods = [...filter.matchAll(/"((?:v1|beta|alpha)\.compute\.[\w.]+)"/g)].map((m) => m[1]);
      const from = since === null ? null : new Date(since).toISOString();
      let entries = ctx.state
        .auditOf(projects)
        .filter((e) => (from === null || e.timestamp >= from) && (methods.length === 0 || methods.includes(e.methodName)));
      if (String(body.orderBy ?? '').includes('desc')) entries = [...entries].reverse();
      const salt = `entries-${[...projects].join(',')}`;
      // The documented partial page: the first answer of a search holds no entries, only a token to go on with.
      if (!body.pageToken) {
        if (Number(body.pageSize ?? 0) > 1000)
          return gcpError(400, `Invalid value for field 'pageSize': ${body.pageSize}. Must be less than or equal to 1000`);
        return json({ nextPageToken: encodeToken(0, salt) });
      }
      const p = paged(ctx, entries, salt, 'pageSize', 'pageToken', body);
      if (!p) return badToken();
      return json({ entries: p.items.map((e) => e.json), ...(p.next ? { nextPageToken: p.next } : {}) });
    },
  },
];
