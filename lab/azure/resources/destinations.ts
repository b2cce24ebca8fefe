/**
 * Bodies of the export destinations the scanner checks exist: storage accounts (Storage Accounts - Get Properties,
 * Microsoft.Storage 2023-05-01) and event hub namespaces (Namespaces - Get, Microsoft.EventHub 2024-01-01), shaped
 * like the specs' examples (StorageAccountGetProperties.json, EHNameSpaceCreate.json), only the fields the lab sends.
 */
import type { AzureDestinationResource } from '../estate.ts';
import { rgId } from './ids.ts';

export function storageAccountBody(a: AzureDestinationResource, subscriptionId: string) {
  return {
    id: `${rgId(subscriptionId, a.resourceGroup)}/providers/Microsoft.Storage/storageAccounts/${a.name}`,
    name: a.name,
    type: 'Microsoft.Storage/storageAccounts',
    kind: 'StorageV2',
    location: a.location,
    tags: {},
    sku: { name: 'Standard_LRS', tier: 'Standard' },
    properties: {
      provisioningState: 'Succeeded',
      creationTime: '2025-01-01T00:00:00.0000000Z',
      primaryLocation: a.location,
      statusOfPrimary: 'available',
      supportsHttpsTrafficOnly: true,
    },
  };
}

export function eventHubNamespaceBody(n: AzureDestinationResource, subscriptionId: string) {
  return {
    id: `${rgId(subscriptionId, n.resourceGroup)}/providers/Microsoft.EventHub/namespaces/${n.name}`,
    name: n.name,
    type: 'Microsoft.EventHub/Namespaces',
    location: n.location,
    tags: {},
    sku: { name: 'Standard', tier: 'Standard', capacity: 1 },
    properties: {
      provisioningState: 'Succeeded',
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      serviceBusEndpoint: `https://${n.name}.servicebus.windows.net:443/`,
      metricId: `${subscriptionId}:${n.name}`,
      kafkaEnabled: true,
    },
  };
}
