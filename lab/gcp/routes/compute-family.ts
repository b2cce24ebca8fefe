/**
 * Compute Engine v1, the rest of the snapshot family: images and machine images (global), instant snapshots (zonal
 * and regional, listed through the aggregated listing), each with its IAM policy. Shapes from the Compute v1
 * reference (https://cloud.google.com/compute/docs/reference/rest/v1/images, …/machineImages, …/instantSnapshots).
 */
import type { LabResponse } from '../../core.ts';
import { type GcpImage, type GcpInstantSnapshot, type GcpMachineImage, type GcpProject, instantLocation } from '../estate.ts';
import { gcpError, json } from '../wire.ts';
import { computeGuard, regionGuard } from './compute.ts';
import { badToken, COMPUTE, paged, policyJson, requestedVersion, type Route, type RouteContext, scope1 } from './context.ts';

/** Answers for one project, after the guards every Compute call passes (project, API enabled, region known). */
function withProject(ctx: RouteContext, answer: (proj: GcpProject) => LabResponse, region?: string): LabResponse {
  const proj = ctx.state.project(ctx.m[1] ?? '');
  const guard = computeGuard(ctx, proj) ?? (region ? regionGuard(ctx, region) : null);
  if (guard || !proj) return guard as LabResponse;
  return answer(proj);
}

const byName = <T extends { name: string }>(items: readonly T[]) => [...items].sort((a, b) => (a.name < b.name ? -1 : 1));
const fingerprint = '42WmSpB8rSM=';
const idOf = (p: GcpProject, code: number, index: number) => `${p.number}${code}${String(index + 1).padStart(3, '0')}`;
const keyJson = (kmsKeyName: string | undefined) => (kmsKeyName ? { kmsKeyName: `${kmsKeyName}/cryptoKeyVersions/1` } : undefined);

function imageJson(p: GcpProject, x: GcpImage) {
  const key = keyJson(x.kmsKeyName);
  return {
    kind: 'compute#image',
    id: idOf(p, 41, p.images.indexOf(x)),
    creationTimestamp: x.creationTimestamp,
    name: x.name,
    description: x.description,
    sourceType: 'RAW',
    status: 'READY',
    archiveSizeBytes: String(x.diskSizeGb * 1024 * 1024 * 256),
    diskSizeGb: String(x.diskSizeGb),
    ...(x.sourceDisk ? { sourceDisk: `${COMPUTE}/projects/${p.id}/${x.sourceDisk}`, sourceDiskId: idOf(p, 71, 0) } : {}),
    ...(x.sourceSnapshot ? { sourceSnapshot: `${COMPUTE}/projects/${p.id}/${x.sourceSnapshot}`, sourceSnapshotId: idOf(p, 81, 0) } : {}),
    ...(x.family ? { family: x.family } : {}),
    labels: x.labels,
    labelFingerprint: fingerprint,
    storageLocations: x.storageLocations,
    selfLink: `${COMPUTE}/projects/${p.id}/global/images/${x.name}`,
    ...(key ? { imageEncryptionKey: key } : {}),
  };
}

function machineImageJson(p: GcpProject, x: GcpMachineImage) {
  const key = keyJson(x.kmsKeyName);
  return {
    kind: 'compute#machineImage',
    id: idOf(p, 42, p.machineImages.indexOf(x)),
    creationTimestamp: x.creationTimestamp,
    name: x.name,
    description: x.description,
    ...(x.sourceInstance ? { sourceInstance: `${COMPUTE}/projects/${p.id}/${x.sourceInstance}` } : {}),
    status: 'READY',
    totalStorageBytes: String(x.totalStorageGb * 1024 ** 3),
    storageLocations: x.storageLocations,
    labels: x.labels,
    labelFingerprint: fingerprint,
    selfLink: `${COMPUTE}/projects/${p.id}/global/machineImages/${x.name}`,
    ...(key ? { machineImageEncryptionKey: key } : {}),
  };
}

function instantJson(p: GcpProject, x: GcpInstantSnapshot) {
  const where = instantLocation(x);
  return {
    kind: 'compute#instantSnapshot',
    id: idOf(p, 43, p.instantSnapshots.indexOf(x)),
    creationTimestamp: x.creationTimestamp,
    name: x.name,
    description: x.description,
    status: 'READY',
    sourceDisk: `${COMPUTE}/projects/${p.id}/${x.sourceDisk}`,
    sourceDiskId: idOf(p, 72, 0),
    diskSizeGb: String(x.diskSizeGb),
    labels: x.labels,
    labelFingerprint: fingerprint,
    ...(x.zone ? { zone: `${COMPUTE}/projects/${p.id}/zones/${x.zone}` } : { region: `${COMPUTE}/projects/${p.id}/regions/${x.region}` }),
    selfLink: `${COMPUTE}/projects/${p.id}/${where}/instantSnapshots/${x.name}`,
  };
}

/** A global list answer (`kind` names the item type, e.g. `image`). */
function globalList<T extends { name: string }>(
  ctx: RouteContext,
  p: GcpProject,
  items: readonly T[],
  kind: string,
  path: string,
  toJson: (x: T) => unknown,
) {
  const page = paged(ctx, byName(items), `${path}-${p.id}`, 'maxResults', 'pageToken');
  if (!page) return badToken();
  return json({
    kind: `compute#${kind}List`,
    id: `projects/${p.id}/global/${path}`,
    items: page.items.map(toJson),
    ...(page.next ? { nextPageToken: page.next } : {}),
    selfLink: `${COMPUTE}/projects/${p.id}/global/${path}`,
  });
}

/** The IAM policy of one item, or the 404 Compute answers for a name it does not hold. */
function policyOf(ctx: RouteContext, p: GcpProject, item: { iam: GcpImage['iam'] } | undefined, path: string): LabResponse {
  if (!item) return gcpError(404, `The resource 'projects/${p.id}/${path}' was not found`);
  return policyJson(item.iam, requestedVersion(ctx.req));
}

const P = '([a-z0-9-]+)';
const NAME = '([a-z0-9-]+)';
const re = (path: string) => new RegExp(`^/compute/v1/projects/${P}/${path}$`);

export const computeFamilyRoutes: Route[] = [
  {
    method: 'GET',
    re: re('global/images'),
    service: 'compute',
    operation: 'images.list',
    scope: scope1,
    handle: (ctx) => withProject(ctx, (p) => globalList(ctx, p, p.images, 'image', 'images', (x) => imageJson(p, x))),
  },
  {
    method: 'GET',
    re: re(`global/images/${NAME}/getIamPolicy`),
    service: 'compute',
    operation: 'images.getIamPolicy',
    scope: scope1,
    handle: (ctx) =>
      withProject(ctx, (p) =>
        policyOf(
          ctx,
          p,
          p.images.find((x) => x.name === ctx.m[2]),
          `global/images/${ctx.m[2]}`,
        ),
      ),
  },
  {
    method: 'GET',
    re: re('global/machineImages'),
    service: 'compute',
    operation: 'machineImages.list',
    scope: scope1,
    handle: (ctx) =>
      withProject(ctx, (p) => globalList(ctx, p, p.machineImages, 'machineImage', 'machineImages', (x) => machineImageJson(p, x))),
  },
  {
    method: 'GET',
    re: re(`global/machineImages/${NAME}/getIamPolicy`),
    service: 'compute',
    operation: 'machineImages.getIamPolicy',
    scope: scope1,
    handle: (ctx) =>
      withProject(ctx, (p) =>
        policyOf(
          ctx,
          p,
          p.machineImages.find((x) => x.name === ctx.m[2]),
          `global/machineImages/${ctx.m[2]}`,
        ),
      ),
  },
  {
    method: 'GET',
    re: re('aggregated/instantSnapshots'),
    service: 'compute',
    operation: 'instantSnapshots.aggregatedList',
    scope: scope1,
    handle: (ctx) =>
      withProject(ctx, (p) => {
        const sorted = [...p.instantSnapshots].sort((a, b) =>
          `${instantLocation(a)}/${a.name}` < `${instantLocation(b)}/${b.name}` ? -1 : 1,
        );
        const page = paged(ctx, sorted, `instant-${p.id}`, 'maxResults', 'pageToken');
        if (!page) return badToken();
        const items: Record<string, { instantSnapshots: unknown[] }> = {};
        for (const x of page.items) (items[instantLocation(x)] ??= { instantSnapshots: [] }).instantSnapshots.push(instantJson(p, x));
        return json({
          kind: 'compute#instantSnapshotAggregatedList',
          id: `projects/${p.id}/aggregated/instantSnapshots`,
          items,
          ...(page.next ? { nextPageToken: page.next } : {}),
          selfLink: `${COMPUTE}/projects/${p.id}/aggregated/instantSnapshots`,
        });
      }),
  },
  {
    method: 'GET',
    re: re(`zones/([a-z0-9-]+)/instantSnapshots/${NAME}/getIamPolicy`),
    service: 'compute',
    operation: 'instantSnapshots.getIamPolicy',
    scope: scope1,
    handle: (ctx) =>
      withProject(ctx, (p) =>
        policyOf(
          ctx,
          p,
          p.instantSnapshots.find((x) => x.zone === ctx.m[2] && x.name === ctx.m[3]),
          `zones/${ctx.m[2]}/instantSnapshots/${ctx.m[3]}`,
        ),
      ),
  },
  {
    method: 'GET',
    re: re(`regions/([a-z0-9-]+)/instantSnapshots/${NAME}/getIamPolicy`),
    service: 'compute',
    operation: 'regionInstantSnapshots.getIamPolicy',
    scope: scope1,
    handle: (ctx) =>
      withProject(
        ctx,
        (p) =>
          policyOf(
            ctx,
            p,
            p.instantSnapshots.find((x) => x.region === ctx.m[2] && x.name === ctx.m[3]),
            `regions/${ctx.m[2]}/instantSnapshots/${ctx.m[3]}`,
          ),
        ctx.m[2],
      ),
  },
];
