/**
 * The GCP REST operations the scanner reads, one route each: Resource Manager v3, Cloud Logging v2, Cloud
 * Monitoring v3, IAM v1 (roles) and v2 (deny policies), Compute Engine v1. Every route is a read.
 */
import { decodeToken, encodeToken, type LabRequest, type LabResponse, page } from '../core.ts';
import { diskLocation, type GcpBinding, type GcpDenyPolicy, type GcpProject, type GcpSink } from './estate.ts';
import { computeRegions } from './regions.ts';
import type { GcpLabState } from './state.ts';
import {
  bodyJson,
  bucketStateEnum,
  combinerEnum,
  comparisonEnum,
  decodeFully,
  enumValue,
  errorInfo,
  gcpError,
  json,
  notFound,
  permissionDenied,
  serviceDisabled,
  stateEnum,
  verificationEnum,
} from './wire.ts';

export interface RouteContext {
  req: LabRequest;
  state: GcpLabState;
  m: RegExpExecArray;
}

export interface Route {
  method: 'GET' | 'POST';
  re: RegExp;
  service: string;
  operation: string;
  scope: (m: RegExpExecArray, req: LabRequest) => string | null;
  handle: (ctx: RouteContext) => LabResponse;
}

const COMPUTE = 'https://www.googleapis.com/compute/v1';

/**
 * Largest page a caller may ask for, where the API documents one: Compute list calls accept `maxResults` 0-500
 * (https://cloud.google.com/compute/docs/reference/rest/v1/snapshots/list), entries.list `pageSize` up to 1000
 * (https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list). Beyond it the real APIs answer 400.
 */
const documentedMax: Record<string, number> = { maxResults: 500, 'entries.pageSize': 1000 };

export class PageSizeError extends Error {}

function paged<T>(
  ctx: RouteContext,
  items: readonly T[],
  salt: string,
  sizeParam = 'pageSize',
  tokenParam = 'pageToken',
  body?: Record<string, unknown>,
) {
  const max = ctx.state.estate.pageSize;
  const asked = Number(body?.[sizeParam] ?? ctx.req.url.searchParams.get(sizeParam) ?? 0);
  const limit = documentedMax[body ? `entries.${sizeParam}` : sizeParam];
  if (limit !== undefined && asked > limit)
    throw new PageSizeError(`Invalid value for field '${sizeParam}': ${asked}. Must be less than or equal to ${limit}`);
  const size = asked > 0 ? Math.min(asked, max) : max;
  const token = (body?.[tokenParam] as string | undefined) ?? ctx.req.url.searchParams.get(tokenParam);
  const offset = decodeToken(token, salt);
  if (offset === null) return null;
  const p = page(items, offset, size);
  return { items: p.items, next: p.next === null ? undefined : encodeToken(p.next, salt) };
}

const badToken = () => gcpError(400, 'The page token is invalid.');

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

function policyJson(bindings: readonly GcpBinding[], requested: number): LabResponse {
  const conditional = bindings.some((b) => b.condition);
  if (conditional && requested < 3) {
    return gcpError(400, 'Policy with conditional role bindings requires requestedPolicyVersion 3.');
  }
  return json({
    version: conditional ? 3 : 1,
    etag: Buffer.from(JSON.stringify(bindings).slice(0, 12)).toString('base64'),
    bindings: bindings.map((b) => ({
      role: b.role,
      members: [...b.members],
      ...(b.condition
        ? { condition: { expression: b.condition.expression, title: b.condition.title ?? '', description: b.condition.description ?? '' } }
        : {}),
    })),
  });
}

function requestedVersion(req: LabRequest): number {
  const body = bodyJson(req);
  const fromBody = (body?.options as { requestedPolicyVersion?: number } | undefined)?.requestedPolicyVersion;
  return Number(fromBody ?? req.url.searchParams.get('optionsRequestedPolicyVersion') ?? 0);
}

function projectJson(ctx: RouteContext, p: GcpProject) {
  return {
    name: `projects/${p.number}`,
    parent: p.parent,
    projectId: p.id,
    state: enumValue(ctx.req, 'ACTIVE', stateEnum),
    displayName: p.name ?? p.id,
    labels: p.labels,
    etag: 'W/"lab"',
  };
}

/** Levels (org, folder, project) by resource path. */
function level(state: GcpLabState, kind: string, id: string) {
  const org = state.estate.organization;
  if (kind === 'organizations') return org && org.id === id ? org : undefined;
  if (kind === 'folders') return state.folders.get(id);
  return state.project(id);
}

function sinkJson(parent: string, s: GcpSink) {
  return {
    name: s.name,
    resourceName: `${parent}/sinks/${s.name}`,
    destination: s.destination,
    filter: s.filter,
    description: s.description ?? '',
    disabled: s.disabled,
    exclusions: s.exclusions.map((e) => ({ name: e.name, filter: e.filter, disabled: e.disabled })),
    writerIdentity: s.name.startsWith('_')
      ? ''
      : `serviceAccount:service-${parent.replace(/\D/g, '') || '0'}@gcp-sa-logging.iam.gserviceaccount.com`,
    includeChildren: s.includeChildren,
    interceptChildren: s.interceptChildren,
  };
}

function denyJson(attachment: string, d: GcpDenyPolicy, withRules: boolean) {
  return {
    name: `policies/${encodeURIComponent(attachment)}/denypolicies/${d.id}`,
    uid: `uid-${d.id}`,
    kind: 'DenyPolicy',
    displayName: d.displayName ?? d.id,
    etag: 'lab',
    ...(withRules
      ? {
          rules: d.rules.map((r) => ({
            description: r.description ?? '',
            denyRule: {
              deniedPrincipals: r.deniedPrincipals,
              exceptionPrincipals: r.exceptionPrincipals,
              deniedPermissions: r.deniedPermissions,
              exceptionPermissions: r.exceptionPermissions,
              ...(r.denialCondition
                ? { denialCondition: { expression: r.denialCondition.expression, title: r.denialCondition.title ?? '' } }
                : {}),
            },
          })),
        }
      : {}),
  };
}

/** `cloudresourcemanager.googleapis.com/projects/p` → the level it names (projects by id or number). */
function attachmentLevel(state: GcpLabState, attachment: string) {
  const m = /^cloudresourcemanager\.googleapis\.com\/(organizations|folders|projects)\/([^/]+)$/.exec(attachment);
  if (!m) return { level: undefined, canonical: attachment };
  const lvl = level(state, m[1] as string, m[2] as string);
  const canonical = m[1] === 'projects' && lvl ? `cloudresourcemanager.googleapis.com/projects/${(lvl as GcpProject).number}` : attachment;
  return { level: lvl, canonical };
}

function snapshotJson(p: GcpProject, index: number, state: GcpLabState) {
  const s = p.snapshots[index];
  if (!s) return null;
  const disk = s.sourceDisk ? p.disks.find((d) => `${diskLocation(d)}/disks/${d.name}` === s.sourceDisk) : undefined;
  const home = s.region ? `regions/${s.region}` : 'global';
  return {
    kind: 'compute#snapshot',
    id: state.snapshotId(p, s, index),
    creationTimestamp: s.creationTimestamp,
    name: s.name,
    description: s.description,
    status: s.status,
    ...(s.sourceDisk
      ? { sourceDisk: `${COMPUTE}/projects/${p.id}/${s.sourceDisk}`, sourceDiskId: disk ? `${p.number}7${index}` : `${p.number}8${index}` }
      : {}),
    diskSizeGb: String(s.diskSizeGb),
    storageBytes: String(s.diskSizeGb * 1024 * 1024 * 256),
    storageBytesStatus: 'UP_TO_DATE',
    storageLocations: s.storageLocations,
    labels: s.labels,
    labelFingerprint: '42WmSpB8rSM=',
    selfLink: `${COMPUTE}/projects/${p.id}/${home}/snapshots/${s.name}`,
    ...(s.region ? { region: `${COMPUTE}/projects/${p.id}/regions/${s.region}` } : {}),
    snapshotType: 'STANDARD',
    ...(s.kmsKeyName ? { snapshotEncryptionKey: { kmsKeyName: `${s.kmsKeyName}/cryptoKeyVersions/1` } } : {}),
    ...(s.csek ? { snapshotEncryptionKey: { sha256: 'K5hl2Zx7Xa8t1sGmxRTNh3VcT6mZDe6fZp+K8MdBOxg=' } } : {}),
    ...(s.autoCreated ? { autoCreated: true } : {}),
    ...(s.schedulePolicy
      ? { sourceSnapshotSchedulePolicy: `${COMPUTE}/projects/${p.id}/${s.schedulePolicy}`, sourceSnapshotSchedulePolicyId: `${p.number}55` }
      : {}),
  };
}

function computeGuard(ctx: RouteContext, p: GcpProject | undefined): LabResponse | null {
  if (!p)
    return gcpError(404, `The resource 'projects/${ctx.m[1]}' was not found`, {
      errors: [{ message: 'not found', domain: 'global', reason: 'notFound' }],
    });
  if (!p.computeApi) return serviceDisabled('compute.googleapis.com', 'Compute Engine API', p.number);
  return null;
}

function labRegions(state: GcpLabState): readonly string[] {
  return state.estate.regions ?? computeRegions;
}

function regionGuard(ctx: RouteContext, region: string): LabResponse | null {
  if (labRegions(ctx.state).includes(region)) return null;
  return gcpError(400, `Invalid value for field 'region': '${region}'. Unknown region.`, {
    errors: [{ message: `Invalid value for field 'region': '${region}'. Unknown region.`, domain: 'global', reason: 'invalid' }],
  });
}

/** Global snapshots (`region` null) or one region's snapshots, by name. */
function snapshotList(ctx: RouteContext, proj: GcpProject, region: string | null): LabResponse {
  const indices = proj.snapshots
    .map((_, i) => i)
    .filter((i) => (proj.snapshots[i]?.region ?? null) === region)
    .sort((a, b) => ((proj.snapshots[a]?.name ?? '') < (proj.snapshots[b]?.name ?? '') ? -1 : 1));
  const home = region ? `regions/${region}` : 'global';
  const p = paged(ctx, indices, `snapshots-${proj.id}-${home}`, 'maxResults', 'pageToken');
  if (!p) return badToken();
  return json({
    kind: 'compute#snapshotList',
    id: `projects/${proj.id}/${home}/snapshots`,
    items: p.items.map((i) => snapshotJson(proj, i, ctx.state)),
    ...(p.next ? { nextPageToken: p.next } : {}),
    selfLink: `${COMPUTE}/projects/${proj.id}/${home}/snapshots`,
  });
}

function snapshotPolicy(ctx: RouteContext, region: string | null, name: string): LabResponse {
  const proj = ctx.state.project(ctx.m[1] ?? '');
  const guard = computeGuard(ctx, proj) ?? (region ? regionGuard(ctx, region) : null);
  if (guard || !proj) return guard as LabResponse;
  const s = proj.snapshots.find((x) => x.name === name && (x.region ?? null) === region);
  const home = region ? `regions/${region}` : 'global';
  if (!s) return gcpError(404, `The resource 'projects/${proj.id}/${home}/snapshots/${name}' was not found`);
  return policyJson(s.iam, requestedVersion(ctx.req));
}

const scope1 = (m: RegExpExecArray) => m[1] ?? null;
const levelScope = (m: RegExpExecArray) => (m[1] === 'projects' ? (m[2] ?? null) : `${m[1]}/${m[2]}`);

export const routes: Route[] = [
  // ---------------------------------------------------------------- Resource Manager v3
  {
    method: 'GET',
    re: /^\/v3\/organizations:search$/,
    service: 'cloudresourcemanager',
    operation: 'organizations.search',
    scope: () => null,
    handle(ctx) {
      const o = ctx.state.estate.organization;
      const visible = o && ctx.state.can('resourcemanager.organizations.get', `organizations/${o.id}`);
      return json({
        organizations: visible
          ? [
              {
                name: `organizations/${o.id}`,
                displayName: o.domain,
                directoryCustomerId: o.directoryCustomerId,
                state: enumValue(ctx.req, 'ACTIVE', stateEnum),
              },
            ]
          : [],
      });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/organizations\/(\d+)$/,
    service: 'cloudresourcemanager',
    operation: 'organizations.get',
    scope: (m) => `organizations/${m[1]}`,
    handle(ctx) {
      const o = ctx.state.estate.organization;
      if (!o || o.id !== ctx.m[1]) return permissionDenied('resourcemanager.organizations.get', `organizations/${ctx.m[1]}`);
      return json({
        name: `organizations/${o.id}`,
        displayName: o.domain,
        directoryCustomerId: o.directoryCustomerId,
        state: enumValue(ctx.req, 'ACTIVE', stateEnum),
      });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/folders$/,
    service: 'cloudresourcemanager',
    operation: 'folders.list',
    scope: (_m, req) => req.url.searchParams.get('parent'),
    handle(ctx) {
      const parent = ctx.req.url.searchParams.get('parent') ?? '';
      const items = ctx.state.estate.folders.filter((f) => f.parent === parent).sort((a, b) => (a.id < b.id ? -1 : 1));
      const p = paged(ctx, items, `folders-${parent}`);
      if (!p) return badToken();
      return json({
        folders: p.items.map((f) => ({
          name: `folders/${f.id}`,
          parent: f.parent,
          displayName: f.name,
          state: enumValue(ctx.req, 'ACTIVE', stateEnum),
        })),
        nextPageToken: p.next,
      });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/folders\/(\d+)$/,
    service: 'cloudresourcemanager',
    operation: 'folders.get',
    scope: (m) => `folders/${m[1]}`,
    handle(ctx) {
      const f = ctx.state.folders.get(ctx.m[1] ?? '');
      if (!f) return permissionDenied('resourcemanager.folders.get', `folders/${ctx.m[1]}`);
      return json({ name: `folders/${f.id}`, parent: f.parent, displayName: f.name, state: enumValue(ctx.req, 'ACTIVE', stateEnum) });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/projects:search$/,
    service: 'cloudresourcemanager',
    operation: 'projects.search',
    scope: () => null,
    handle(ctx) {
      const q = (ctx.req.url.searchParams.get('query') ?? '').trim();
      let parent: string | null = null;
      const m1 = /^parent:((?:folders|organizations)\/\d+)$/.exec(q);
      const m2 = /^parent\.type:(folder|organization) parent\.id:(\d+)$/.exec(q);
      if (m1) parent = m1[1] as string;
      else if (m2) parent = `${m2[1]}s/${m2[2]}`;
      else if (q !== '') return gcpError(400, `Unsupported query in the lab: ${q}`);
      // A search answers with what the caller may see (resourcemanager.projects.get), never a 403.
      const items = ctx.state.estate.projects
        .filter((p) => (parent === null || p.parent === parent) && ctx.state.can('resourcemanager.projects.get', `projects/${p.id}`))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const p = paged(ctx, items, `search-${q}`);
      if (!p) return badToken();
      return json({ projects: p.items.map((x) => projectJson(ctx, x)), nextPageToken: p.next });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/projects$/,
    service: 'cloudresourcemanager',
    operation: 'projects.list',
    scope: (_m, req) => req.url.searchParams.get('parent'),
    handle(ctx) {
      const parent = ctx.req.url.searchParams.get('parent') ?? '';
      const items = ctx.state.estate.projects
        .filter((p) => p.parent === parent && ctx.state.can('resourcemanager.projects.get', `projects/${p.id}`))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const p = paged(ctx, items, `projects-${parent}`);
      if (!p) return badToken();
      return json({ projects: p.items.map((x) => projectJson(ctx, x)), nextPageToken: p.next });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/projects\/([a-z0-9-]+)$/,
    service: 'cloudresourcemanager',
    operation: 'projects.get',
    scope: scope1,
    handle(ctx) {
      const p = ctx.state.project(ctx.m[1] ?? '');
      if (!p) return permissionDenied('resourcemanager.projects.get', `projects/${ctx.m[1]}`);
      return json(projectJson(ctx, p));
    },
  },
  {
    method: 'POST',
    re: /^\/v3\/(organizations|folders|projects)\/([a-z0-9-]+):getIamPolicy$/,
    service: 'cloudresourcemanager',
    operation: 'getIamPolicy',
    scope: levelScope,
    handle(ctx) {
      const lvl = level(ctx.state, ctx.m[1] as string, ctx.m[2] as string);
      if (!lvl) return permissionDenied(`resourcemanager.${ctx.m[1]}.getIamPolicy`, `${ctx.m[1]}/${ctx.m[2]}`);
      return policyJson(lvl.iam, requestedVersion(ctx.req));
    },
  },
  // ---------------------------------------------------------------- Cloud Logging v2
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
      return json({ sinks: p.items.map((s) => sinkJson(parent, s)), nextPageToken: p.next });
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
      const projects = new Set(names.map((n) => ctx.state.project(n.replace(/^projects\//, ''))?.id).filter(Boolean));
      if (projects.size === 0) return gcpError(400, 'resourceNames must name at least one readable project.');
      if (!ctx.state.takeLogRead(Date.now())) return quotaExceeded();
      const filter = String(body.filter ?? '');
      const since = /timestamp\s*>=?\s*"([^"]+)"/.exec(filter)?.[1] ?? null;
      const methods = [...filter.matchAll(/"((?:v1|beta|alpha)\.compute\.[\w.]+)"/g)].map((m) => m[1]);
      let entries = ctx.state.audit.filter(
        (e) =>
          projects.has(e.projectId) &&
          (since === null || e.timestamp >= new Date(since).toISOString()) &&
          (methods.length === 0 || methods.includes(e.methodName)),
      );
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
  // ---------------------------------------------------------------- Cloud Monitoring v3
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
  // ---------------------------------------------------------------- IAM v2 deny policies
  {
    method: 'GET',
    re: /^\/v2\/policies\/([^/]+)\/denypolicies$/,
    service: 'iam',
    operation: 'policies.list',
    scope: (m) => attachmentScope(decodeFully(m[1] ?? '')),
    handle(ctx) {
      const attachment = decodeFully(ctx.m[1] ?? '');
      const { level: lvl, canonical } = attachmentLevel(ctx.state, attachment);
      if (!lvl) return permissionDenied('iam.denypolicies.list', attachment);
      const p = paged(ctx, lvl.denyPolicies, `deny-${canonical}`);
      if (!p) return badToken();
      // Like the real API, the listing carries policy metadata only: rules come from policies.get.
      return json({ policies: p.items.map((d) => denyJson(canonical, d, false)), nextPageToken: p.next });
    },
  },
  {
    method: 'GET',
    re: /^\/v2\/policies\/([^/]+)\/denypolicies\/([\w-]+)$/,
    service: 'iam',
    operation: 'policies.get',
    scope: (m) => attachmentScope(decodeFully(m[1] ?? '')),
    handle(ctx) {
      const attachment = decodeFully(ctx.m[1] ?? '');
      const { level: lvl, canonical } = attachmentLevel(ctx.state, attachment);
      const d = lvl?.denyPolicies.find((x) => x.id === ctx.m[2]);
      if (!lvl || !d) return notFound(`Policy ${ctx.m[2]}`);
      return json(denyJson(canonical, d, true));
    },
  },
  // ---------------------------------------------------------------- IAM v1 roles
  {
    method: 'GET',
    re: /^\/v1\/((?:roles\/[\w.]+)|(?:(?:projects|organizations)\/[a-z0-9-]+\/roles\/[\w.]+))$/,
    service: 'iam',
    operation: 'roles.get',
    scope: (m) =>
      m[1]?.startsWith('projects/')
        ? (m[1].split('/')[1] ?? null)
        : m[1]?.startsWith('organizations/')
          ? m[1].split('/').slice(0, 2).join('/')
          : null,
    handle(ctx) {
      const unknown = [...ctx.req.url.searchParams.keys()].find((k) => !k.startsWith('$') && k !== 'alt' && k !== 'prettyPrint');
      if (unknown) return gcpError(400, `Invalid JSON payload received. Unknown name "${unknown}": Cannot bind query parameter.`);
      const r = ctx.state.roles.get(ctx.m[1] ?? '');
      if (!r) return notFound(`Role ${ctx.m[1]}`);
      return json({
        name: r.name,
        title: r.title,
        description: '',
        includedPermissions: r.includedPermissions,
        stage: 'GA',
        etag: 'BwXlab',
        ...(r.deleted ? { deleted: true } : {}),
      });
    },
  },
  // ---------------------------------------------------------------- Compute Engine v1
  {
    method: 'GET',
    re: /^\/compute\/v1\/projects\/([a-z0-9-]+)\/global\/snapshots$/,
    service: 'compute',
    operation: 'snapshots.list',
    scope: scope1,
    handle(ctx) {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      const guard = computeGuard(ctx, proj);
      if (guard || !proj) return guard as LabResponse;
      return snapshotList(ctx, proj, null);
    },
  },
  {
    method: 'GET',
    re: /^\/compute\/v1\/projects\/([a-z0-9-]+)\/regions\/([a-z0-9-]+)\/snapshots$/,
    service: 'compute',
    operation: 'regionSnapshots.list',
    scope: scope1,
    handle(ctx) {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      const guard = computeGuard(ctx, proj) ?? regionGuard(ctx, ctx.m[2] ?? '');
      if (guard || !proj) return guard as LabResponse;
      return snapshotList(ctx, proj, ctx.m[2] ?? null);
    },
  },
  {
    method: 'GET',
    re: /^\/compute\/v1\/projects\/([a-z0-9-]+)\/regions$/,
    service: 'compute',
    operation: 'regions.list',
    scope: scope1,
    handle(ctx) {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      const guard = computeGuard(ctx, proj);
      if (guard || !proj) return guard as LabResponse;
      const regions = [...labRegions(ctx.state)].sort();
      const p = paged(ctx, regions, `regions-${proj.id}`, 'maxResults', 'pageToken');
      if (!p) return badToken();
      return json({
        kind: 'compute#regionList',
        id: `projects/${proj.id}/regions`,
        items: p.items.map((r) => ({
          kind: 'compute#region',
          id: String(1000 + regions.indexOf(r)),
          creationTimestamp: '1969-12-31T16:00:00.000-08:00',
          name: r,
          description: r,
          status: 'UP',
          zones: ['a', 'b', 'c'].map((z) => `${COMPUTE}/projects/${proj.id}/zones/${r}-${z}`),
          quotas: [],
          selfLink: `${COMPUTE}/projects/${proj.id}/regions/${r}`,
          supportsPzs: false,
        })),
        ...(p.next ? { nextPageToken: p.next } : {}),
        selfLink: `${COMPUTE}/projects/${proj.id}/regions`,
      });
    },
  },
  {
    method: 'GET',
    re: /^\/compute\/v1\/projects\/([a-z0-9-]+)\/global\/snapshots\/([a-z0-9-]+)\/getIamPolicy$/,
    service: 'compute',
    operation: 'snapshots.getIamPolicy',
    scope: scope1,
    handle: (ctx) => snapshotPolicy(ctx, null, ctx.m[2] ?? ''),
  },
  {
    method: 'GET',
    re: /^\/compute\/v1\/projects\/([a-z0-9-]+)\/regions\/([a-z0-9-]+)\/snapshots\/([a-z0-9-]+)\/getIamPolicy$/,
    service: 'compute',
    operation: 'regionSnapshots.getIamPolicy',
    scope: scope1,
    handle: (ctx) => snapshotPolicy(ctx, ctx.m[2] ?? null, ctx.m[3] ?? ''),
  },
  {
    method: 'GET',
    re: /^\/compute\/v1\/projects\/([a-z0-9-]+)\/aggregated\/disks$/,
    service: 'compute',
    operation: 'disks.aggregatedList',
    scope: scope1,
    handle(ctx) {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      const guard = computeGuard(ctx, proj);
      if (guard || !proj) return guard as LabResponse;
      const disks = [...proj.disks].sort((a, b) => (`${diskLocation(a)}/${a.name}` < `${diskLocation(b)}/${b.name}` ? -1 : 1));
      const p = paged(ctx, disks, `disks-${proj.id}`, 'maxResults', 'pageToken');
      if (!p) return badToken();
      const items: Record<string, unknown> = {};
      for (const d of p.items) {
        const key = diskLocation(d);
        const bucket = (items[key] ?? { disks: [] }) as { disks: unknown[] };
        bucket.disks.push({
          kind: 'compute#disk',
          id: `${proj.number}7${proj.disks.indexOf(d)}`,
          name: d.name,
          sizeGb: String(d.sizeGb),
          ...(d.zone
            ? { zone: `${COMPUTE}/projects/${proj.id}/zones/${d.zone}` }
            : {
                region: `${COMPUTE}/projects/${proj.id}/regions/${d.region}`,
                replicaZones: ['b', 'c'].map((z) => `${COMPUTE}/projects/${proj.id}/zones/${d.region}-${z}`),
              }),
          status: 'READY',
          labels: d.labels,
          selfLink: `${COMPUTE}/projects/${proj.id}/${key}/disks/${d.name}`,
        });
        items[key] = bucket;
      }
      return json({
        kind: 'compute#diskAggregatedList',
        id: `projects/${proj.id}/aggregated/disks`,
        items,
        ...(p.next ? { nextPageToken: p.next } : {}),
      });
    },
  },
];

function attachmentScope(attachment: string): string | null {
  const m = /^cloudresourcemanager\.googleapis\.com\/(organizations|folders|projects)\/([^/]+)$/.exec(attachment);
  if (!m) return null;
  return m[1] === 'projects' ? (m[2] ?? null) : `${m[1]}/${m[2]}`;
}

export function matchRoute(req: LabRequest): { route: Route; m: RegExpExecArray } | null {
  for (const route of routes) {
    if (route.method !== req.method) continue;
    const m = route.re.exec(req.url.pathname);
    if (m) return { route, m };
  }
  return null;
}

export type { GcpSink };
