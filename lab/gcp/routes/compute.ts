/** Compute Engine v1: snapshots (global and regional) with their IAM policies, regions, disks. */
import type { LabResponse } from '../../core.ts';
import { diskLocation, type GcpProject } from '../estate.ts';
import { computeRegions } from '../regions.ts';
import type { GcpLabState } from '../state.ts';
import { badToken, COMPUTE, paged, policyJson, requestedVersion, type Route, type RouteContext, scope1 } from './context.ts';
import { gcpError, json, serviceDisabled } from '../wire.ts';

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

export function computeGuard(ctx: RouteContext, p: GcpProject | undefined): LabResponse | null {
  if (!p)
    return gcpError(404, `The resource 'projects/${ctx.m[1]}' was not found`, {
      errors: [{ message: 'not found', domain: 'global', reason: 'notFound' }],
    });
  if (!p.computeApi) return serviceDisabled('compute.googleapis.com', 'Compute Engine API', p.number);
  return null;
}

export function labRegions(state: GcpLabState): readonly string[] {
  return state.estate.regions ?? computeRegions;
}

export function regionGuard(ctx: RouteContext, region: string): LabResponse | null {
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

export const computeRoutes: Route[] = [
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
          ...(d.schedules.length > 0
            ? { resourcePolicies: [...new Set(d.schedules.map((x) => `${COMPUTE}/projects/${proj.id}/${x.policy}`))] }
            : {}),
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
