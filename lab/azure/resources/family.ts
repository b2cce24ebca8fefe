/**
 * The rest of the snapshot family as ARM returns it — managed images, Azure Compute Gallery galleries, image
 * definitions and versions, restore point collections with their restore points, disk restore points — shaped like
 * the official examples of azure-rest-api-specs (ComputeRP, GalleryRP, DiskRP) and validated against their OpenAPI
 * schemas by the fidelity test.
 */
import type { AzureGallery, AzureGalleryImageVersion, AzureImage, AzureRestorePointCollection } from '../estate.ts';
import { computeId, diskId, stableGuid } from './ids.ts';

type RestorePoint = AzureRestorePointCollection['restorePoints'][number];

const systemData = (x: { createdBy?: string | undefined; createdByType?: string | undefined }, at: string) =>
  x.createdBy ? { systemData: { createdBy: x.createdBy, createdByType: x.createdByType ?? 'User', createdAt: at } } : {};

export function imageBody(i: AzureImage, subscriptionId: string) {
  const source = i.source;
  const ref = (type: string, name: string) => ({ id: computeId(subscriptionId, i.resourceGroup, type, name) });
  const osDisk = {
    osType: 'Linux',
    osState: 'Generalized',
    ...(source && 'disk' in source ? { managedDisk: ref('disks', source.disk) } : {}),
    ...(source && 'snapshot' in source ? { snapshot: ref('snapshots', source.snapshot) } : {}),
    ...(source && 'blobUri' in source ? { blobUri: source.blobUri } : {}),
    caching: 'ReadWrite',
    diskSizeGB: i.sizeGB,
    storageAccountType: 'Standard_LRS',
    ...(i.diskEncryptionSetId ? { diskEncryptionSet: { id: i.diskEncryptionSetId } } : {}),
  };
  return {
    properties: {
      ...(source && 'virtualMachine' in source ? { sourceVirtualMachine: ref('virtualMachines', source.virtualMachine) } : {}),
      storageProfile: { osDisk, dataDisks: [], zoneResilient: false },
      provisioningState: 'Succeeded',
      hyperVGeneration: 'V2',
    },
    type: 'Microsoft.Compute/images',
    location: i.location,
    tags: i.tags,
    ...systemData(i, '2026-01-01T00:00:00+00:00'),
    id: computeId(subscriptionId, i.resourceGroup, 'images', i.name),
    name: i.name,
  };
}

export function galleryId(subscriptionId: string, g: AzureGallery): string {
  return computeId(subscriptionId, g.resourceGroup, 'galleries', g.name);
}

/**
 * A gallery. The sharing profile's permission is in every answer; the groups it is shared with only when asked for
 * (`$expand=SharingProfile/Groups`), as ARM does.
 */
export function galleryBody(g: AzureGallery, subscriptionId: string, expandGroups: boolean) {
  const community =
    g.sharing === 'Community'
      ? {
          communityGalleryInfo: {
            publisherUri: 'https://contoso.example',
            publisherContact: 'images@contoso.example',
            eula: 'https://contoso.example/eula',
            publicNamePrefix: g.publicNamePrefix ?? g.name.toLowerCase(),
            communityGalleryEnabled: true,
            publicNames: [`${g.publicNamePrefix ?? g.name.toLowerCase()}-${stableGuid(g.name)}`],
          },
        }
      : {};
  return {
    properties: {
      description: `${g.name} gallery`,
      identifier: { uniqueName: `${stableGuid(subscriptionId, g.name)}-${g.name.toUpperCase()}` },
      sharingProfile: {
        permissions: g.sharing,
        ...(expandGroups && g.sharing === 'Groups' ? { groups: g.groups } : {}),
        ...community,
      },
      provisioningState: 'Succeeded',
    },
    type: 'Microsoft.Compute/galleries',
    location: g.location,
    tags: g.tags,
    id: galleryId(subscriptionId, g),
    name: g.name,
  };
}

export function galleryImageBody(g: AzureGallery, image: AzureGallery['images'][number], subscriptionId: string) {
  return {
    properties: {
      osType: image.osType,
      osState: 'Generalized',
      hyperVGeneration: 'V2',
      identifier: { publisher: 'contoso', offer: g.name, sku: image.name },
      provisioningState: 'Succeeded',
    },
    type: 'Microsoft.Compute/galleries/images',
    location: g.location,
    tags: {},
    id: `${galleryId(subscriptionId, g)}/images/${image.name}`,
    name: image.name,
  };
}

export function galleryImageVersionBody(g: AzureGallery, imageName: string, v: AzureGalleryImageVersion, subscriptionId: string) {
  const regions = v.targetRegions.length ? v.targetRegions : [g.location];
  return {
    properties: {
      publishingProfile: {
        targetRegions: regions.map((name) => ({
          name,
          regionalReplicaCount: 1,
          storageAccountType: 'Standard_LRS',
          ...(v.diskEncryptionSetId ? { encryption: { osDiskImage: { diskEncryptionSetId: v.diskEncryptionSetId } } } : {}),
        })),
        replicaCount: 1,
        excludeFromLatest: false,
        publishedDate: v.publishedDate,
        storageAccountType: 'Standard_LRS',
      },
      storageProfile: {
        ...(v.source ? { source: { id: v.source } } : {}),
        osDiskImage: { sizeInGB: v.sizeGB, hostCaching: 'ReadOnly' },
      },
      provisioningState: 'Succeeded',
    },
    type: 'Microsoft.Compute/galleries/images/versions',
    location: g.location,
    tags: v.tags,
    ...systemData(v, v.publishedDate),
    id: `${galleryId(subscriptionId, g)}/images/${imageName}/versions/${v.name}`,
    name: v.name,
  };
}

export function restorePointCollectionId(subscriptionId: string, c: AzureRestorePointCollection): string {
  return computeId(subscriptionId, c.resourceGroup, 'restorePointCollections', c.name);
}

export function diskRestorePointName(c: AzureRestorePointCollection, disk: string): string {
  return `${disk}_${stableGuid(c.name, disk)}`;
}

function restorePointBody(c: AzureRestorePointCollection, rp: RestorePoint, subscriptionId: string) {
  const id = `${restorePointCollectionId(subscriptionId, c)}/restorePoints/${rp.name}`;
  const disk = (name: string) => ({
    name,
    managedDisk: { storageAccountType: 'Premium_LRS', id: diskId(subscriptionId, c.resourceGroup, name) },
    diskRestorePoint: { id: `${id}/diskRestorePoints/${diskRestorePointName(c, name)}` },
  });
  const [os, ...data] = rp.disks;
  return {
    name: rp.name,
    id,
    type: 'Microsoft.Compute/restorePointCollections/restorePoints',
    properties: {
      excludeDisks: [],
      sourceMetadata: {
        storageProfile: {
          ...(os ? { osDisk: { osType: 'Linux', ...disk(os.name) } } : {}),
          dataDisks: data.map((d, lun) => ({ lun, ...disk(d.name) })),
        },
        location: c.location,
      },
      provisioningState: 'Succeeded',
      consistencyMode: 'CrashConsistent',
      timeCreated: rp.timeCreated,
    },
  };
}

/** A restore point collection; its restore points only when asked for (`$expand=restorePoints`), as ARM does. */
export function restorePointCollectionBody(c: AzureRestorePointCollection, subscriptionId: string, expand: boolean) {
  const id = restorePointCollectionId(subscriptionId, c);
  return {
    name: c.name,
    id,
    type: 'Microsoft.Compute/restorePointCollections',
    location: c.location,
    tags: c.tags,
    properties: {
      source: { id: computeId(subscriptionId, c.resourceGroup, 'virtualMachines', c.virtualMachine), location: c.location },
      restorePointCollectionId: stableGuid(id),
      provisioningState: 'Succeeded',
      ...(expand ? { restorePoints: c.restorePoints.map((rp) => restorePointBody(c, rp, subscriptionId)) } : {}),
    },
  };
}

export function diskRestorePointBody(
  c: AzureRestorePointCollection,
  rp: RestorePoint,
  d: RestorePoint['disks'][number],
  subscriptionId: string,
) {
  const name = diskRestorePointName(c, d.name);
  const source = diskId(subscriptionId, c.resourceGroup, d.name);
  return {
    name,
    id: `${restorePointCollectionId(subscriptionId, c)}/restorePoints/${rp.name}/diskRestorePoints/${name}`,
    type: 'Microsoft.Compute/restorePointCollections/restorePoints/diskRestorePoints',
    properties: {
      timeCreated: rp.timeCreated,
      sourceResourceId: source,
      osType: 'Linux',
      familyId: stableGuid('family', source),
      sourceUniqueId: stableGuid(source),
      encryption: { type: 'EncryptionAtRestWithPlatformKey' },
      networkAccessPolicy: d.networkAccessPolicy,
      publicNetworkAccess: d.publicNetworkAccess,
      ...(d.diskAccessId ? { diskAccessId: d.diskAccessId } : {}),
      completionPercent: 100,
      sourceResourceLocation: c.location,
    },
  };
}
