/**
 * Microsoft.Compute: the snapshot inventory, the disks it was made from (and disks with a live SAS export), the disk
 * accesses exports go through, and the rest of the snapshot family: managed images, galleries with their image
 * definitions and versions, restore point collections (with their restore points on `$expand`) and disk restore
 * points.
 */
import type { LabRequest, LabResponse } from '../../core.ts';
import type { AzureGallery, AzureRestorePointCollection, AzureSubscription } from '../estate.ts';
import { diskAccessBody, diskBody, snapshotBody } from '../resources/compute.ts';
import {
  diskRestorePointBody,
  galleryBody,
  galleryImageBody,
  galleryImageVersionBody,
  imageBody,
  restorePointCollectionBody,
} from '../resources/family.ts';
import { armError, armJson, type Route } from '../wire.ts';
import type { RouteContext } from './context.ts';

const lc = (s: string | undefined) => (s ?? '').toLowerCase();

/** A read of one resource (or its children) under `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/`. */
function resourceRoute(
  c: RouteContext,
  path: string,
  op: { operation: string; action: string },
  handle: (req: LabRequest, sub: AzureSubscription, rg: string, names: string[]) => LabResponse,
): Route {
  return {
    method: 'GET',
    pattern: new RegExp(`^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/${path}$`, 'i'),
    service: 'Microsoft.Compute',
    operation: op.operation,
    scope: (m) => m[1] ?? null,
    auth: { action: op.action, scope: (m) => `/subscriptions/${m[1]}/resourceGroups/${m[2]}` },
    handle: (req, m) =>
      c.withSub(m[1], (sub) =>
        handle(
          req,
          sub,
          m[2] ?? '',
          m.slice(3).map((x) => x ?? ''),
        ),
      ),
  };
}

function notFound(type: string, name: string, rg: string): LabResponse {
  return armError(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${rg}' was not found.`);
}

function gallery(sub: AzureSubscription, rg: string, name: string): AzureGallery | undefined {
  return sub.galleries.find((g) => lc(g.resourceGroup) === lc(rg) && lc(g.name) === lc(name));
}

function collection(sub: AzureSubscription, rg: string, name: string): AzureRestorePointCollection | undefined {
  return sub.restorePointCollections.find((x) => lc(x.resourceGroup) === lc(rg) && lc(x.name) === lc(name));
}

function familyRoutes(c: RouteContext): Route[] {
  return [
    c.subscriptionList(
      'Microsoft.Compute/images',
      { service: 'Microsoft.Compute', operation: 'ListImages', action: 'Microsoft.Compute/images/read' },
      (sub) => sub.images.map((i) => imageBody(i, sub.id)),
      'images',
    ),
    c.subscriptionList(
      'Microsoft.Compute/galleries',
      { service: 'Microsoft.Compute', operation: 'ListGalleries', action: 'Microsoft.Compute/galleries/read' },
      (sub) => sub.galleries.map((g) => galleryBody(g, sub.id, false)),
      'galleries',
    ),
    resourceRoute(
      c,
      'galleries/([^/]+)',
      { operation: 'GetGallery', action: 'Microsoft.Compute/galleries/read' },
      (req, sub, rg, [name]) => {
        const g = gallery(sub, rg, name ?? '');
        if (!g) return notFound('Microsoft.Compute/galleries', name ?? '', rg);
        const expand = req.url.searchParams.get('$expand');
        if (expand !== null && expand.toLowerCase() !== 'sharingprofile/groups') {
          return armError(
            400,
            'InvalidParameter',
            `The value '${expand}' of parameter '$expand' is not valid: use 'SharingProfile/Groups'.`,
          );
        }
        return armJson(galleryBody(g, sub.id, expand !== null));
      },
    ),
    resourceRoute(
      c,
      'galleries/([^/]+)/images',
      { operation: 'ListGalleryImages', action: 'Microsoft.Compute/galleries/images/read' },
      (req, sub, rg, [name]) => {
        const g = gallery(sub, rg, name ?? '');
        if (!g) return notFound('Microsoft.Compute/galleries', name ?? '', rg);
        return c.page(
          req,
          g.images.map((i) => galleryImageBody(g, i, sub.id)),
          `gallery-images:${g.name}`,
        );
      },
    ),
    resourceRoute(
      c,
      'galleries/([^/]+)/images/([^/]+)/versions',
      { operation: 'ListGalleryImageVersions', action: 'Microsoft.Compute/galleries/images/versions/read' },
      (req, sub, rg, [name, imageName]) => {
        const g = gallery(sub, rg, name ?? '');
        const image = g?.images.find((i) => lc(i.name) === lc(imageName));
        if (!g || !image) return notFound('Microsoft.Compute/galleries/images', `${name}/${imageName}`, rg);
        return c.page(
          req,
          image.versions.map((v) => galleryImageVersionBody(g, image.name, v, sub.id)),
          `gallery-versions:${g.name}/${image.name}`,
        );
      },
    ),
    c.subscriptionList(
      'Microsoft.Compute/restorePointCollections',
      { service: 'Microsoft.Compute', operation: 'ListRestorePointCollections', action: 'Microsoft.Compute/restorePointCollections/read' },
      (sub) => sub.restorePointCollections.map((x) => restorePointCollectionBody(x, sub.id, false)),
      'restorePointCollections',
    ),
    resourceRoute(
      c,
      'restorePointCollections/([^/]+)',
      { operation: 'GetRestorePointCollection', action: 'Microsoft.Compute/restorePointCollections/read' },
      (req, sub, rg, [name]) => {
        const x = collection(sub, rg, name ?? '');
        if (!x) return notFound('Microsoft.Compute/restorePointCollections', name ?? '', rg);
        const expand = req.url.searchParams.get('$expand');
        if (expand !== null && expand !== 'restorePoints') {
          return armError(400, 'InvalidParameter', `The value '${expand}' of parameter '$expand' is not valid: use 'restorePoints'.`);
        }
        return armJson(restorePointCollectionBody(x, sub.id, expand !== null));
      },
    ),
    resourceRoute(
      c,
      'restorePointCollections/([^/]+)/restorePoints/([^/]+)/diskRestorePoints',
      {
        operation: 'ListDiskRestorePoints',
        action: 'Microsoft.Compute/restorePointCollections/restorePoints/diskRestorePoints/read',
      },
      (req, sub, rg, [name, rpName]) => {
        const x = collection(sub, rg, name ?? '');
        const rp = x?.restorePoints.find((r) => lc(r.name) === lc(rpName));
        if (!x || !rp) return notFound('Microsoft.Compute/restorePointCollections/restorePoints', `${name}/${rpName}`, rg);
        return c.page(
          req,
          rp.disks.map((d) => diskRestorePointBody(x, rp, d, sub.id)),
          `disk-restore-points:${x.name}/${rp.name}`,
        );
      },
    ),
  ];
}

export function computeRoutes(c: RouteContext): Route[] {
  return [
    c.subscriptionList(
      'Microsoft.Compute/snapshots',
      { service: 'Microsoft.Compute', operation: 'ListSnapshots', action: 'Microsoft.Compute/snapshots/read' },
      (sub) => sub.snapshots.map((x) => snapshotBody(x, sub.id)),
      'snapshots',
    ),
    c.subscriptionList(
      'Microsoft.Compute/disks',
      { service: 'Microsoft.Compute', operation: 'ListDisks', action: 'Microsoft.Compute/disks/read' },
      (sub) => sub.disks.map((d) => diskBody(d, sub.id)),
      'disks',
    ),
    c.subscriptionList(
      'Microsoft.Compute/diskAccesses',
      { service: 'Microsoft.Compute', operation: 'ListDiskAccesses', action: 'Microsoft.Compute/diskAccesses/read' },
      (sub) => sub.diskAccesses.map((d) => diskAccessBody(d, sub.id)),
      'diskAccesses',
    ),
    ...familyRoutes(c),
  ];
}
