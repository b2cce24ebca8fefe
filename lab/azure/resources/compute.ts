/**
 * Microsoft.Compute resources as ARM returns them, shaped like the official examples in ../shared/fixtures/azure (a
 * test compares the lab's keys with theirs; the fidelity test validates them against the official OpenAPI schemas).
 */
import type { AzureDisk, AzureDiskAccess, AzureSnapshot } from '../estate.ts';
import { diskId, rgId, snapshotId, stableGuid } from './ids.ts';

const encryptionTypes = {
  platform: 'EncryptionAtRestWithPlatformKey',
  customer: 'EncryptionAtRestWithCustomerKey',
  'platform-and-customer': 'EncryptionAtRestWithPlatformAndCustomerKeys',
} as const;

export function snapshotBody(s: AzureSnapshot, subscriptionId: string) {
  const id = snapshotId(subscriptionId, s.resourceGroup, s.name);
  let creationData: Record<string, string> = { createOption: 'Empty' };
  if (s.source && 'disk' in s.source) {
    const source = diskId(subscriptionId, s.source.resourceGroup ?? s.resourceGroup, s.source.disk);
    creationData = { createOption: 'Copy', sourceResourceId: source, sourceUniqueId: stableGuid(source) };
  } else if (s.source && 'sourceResourceId' in s.source) {
    creationData = {
      createOption: 'Copy',
      sourceResourceId: s.source.sourceResourceId,
      sourceUniqueId: stableGuid(s.source.sourceResourceId),
    };
  } else if (s.source && 'importUri' in s.source) {
    creationData = {
      createOption: 'Import',
      sourceUri: s.source.importUri,
      ...(s.source.storageAccountId ? { storageAccountId: s.source.storageAccountId } : {}),
    };
  }
  return {
    properties: {
      creationData,
      diskSizeGB: s.sizeGB,
      diskSizeBytes: s.sizeGB * 1024 ** 3,
      uniqueId: stableGuid(id),
      encryption: {
        type: encryptionTypes[s.encryption],
        ...(s.encryption !== 'platform' && s.diskEncryptionSetId ? { diskEncryptionSetId: s.diskEncryptionSetId } : {}),
      },
      incremental: s.incremental,
      networkAccessPolicy: s.networkAccessPolicy,
      publicNetworkAccess: s.publicNetworkAccess,
      ...(s.dataAccessAuthMode ? { dataAccessAuthMode: s.dataAccessAuthMode } : {}),
      ...(s.diskAccessId ? { diskAccessId: s.diskAccessId } : {}),
      timeCreated: s.timeCreated,
      provisioningState: 'Succeeded',
      diskState: s.diskState ?? 'Unattached',
    },
    type: 'Microsoft.Compute/snapshots',
    location: s.location,
    tags: s.tags,
    sku: { name: s.incremental ? 'Standard_ZRS' : 'Standard_LRS', tier: 'Standard' },
    ...(s.createdBy ? { systemData: { createdBy: s.createdBy, createdByType: s.createdByType ?? 'User', createdAt: s.timeCreated } } : {}),
    id,
    name: s.name,
  };
}

export function diskAccessBody(d: AzureDiskAccess, subscriptionId: string) {
  const id = `${rgId(subscriptionId, d.resourceGroup)}/providers/Microsoft.Compute/diskAccesses/${d.name}`;
  return {
    properties: {
      privateEndpointConnections: d.privateEndpoints.map((p) => ({
        properties: {
          privateEndpoint: { id: `${rgId(subscriptionId, d.resourceGroup)}/providers/Microsoft.Network/privateEndpoints/${p.name}` },
          privateLinkServiceConnectionState: { status: p.status, description: '', actionsRequired: 'None' },
          provisioningState: 'Succeeded',
        },
        id: `${id}/privateEndpointConnections/${p.name}`,
        name: p.name,
        type: 'Microsoft.Compute/diskAccesses/PrivateEndpointConnections',
      })),
      provisioningState: 'Succeeded',
      timeCreated: '2026-01-01T00:00:00+00:00',
    },
    type: 'Microsoft.Compute/diskAccesses',
    location: d.location,
    tags: {},
    id,
    name: d.name,
  };
}

export function diskBody(d: AzureDisk, subscriptionId: string) {
  return {
    properties: {
      creationData: { createOption: 'Empty' },
      diskSizeGB: d.sizeGB,
      encryption: { type: 'EncryptionAtRestWithPlatformKey' },
      networkAccessPolicy: d.networkAccessPolicy,
      publicNetworkAccess: d.publicNetworkAccess,
      ...(d.dataAccessAuthMode ? { dataAccessAuthMode: d.dataAccessAuthMode } : {}),
      ...(d.diskAccessId ? { diskAccessId: d.diskAccessId } : {}),
      timeCreated: '2026-01-01T00:00:00+00:00',
      provisioningState: 'Succeeded',
      diskState: d.diskState,
    },
    type: 'Microsoft.Compute/disks',
    location: d.location,
    tags: d.tags,
    sku: { name: 'Premium_LRS', tier: 'Premium' },
    id: diskId(subscriptionId, d.resourceGroup, d.name),
    name: d.name,
  };
}
