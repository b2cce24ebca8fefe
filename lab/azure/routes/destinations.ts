/**
 * Export destinations besides workspaces: a storage account (Storage Accounts - Get Properties) and an event hub
 * namespace (Namespaces - Get). A name the estate does not hold answers ARM's 404 ResourceNotFound.
 */
import type { AzureDestinationResource, AzureSubscription } from '../estate.ts';
import { eventHubNamespaceBody, storageAccountBody } from '../resources/destinations.ts';
import { armError, armJson, type Route } from '../wire.ts';
import type { RouteContext } from './context.ts';

const find = (list: readonly AzureDestinationResource[], rg: string | undefined, name: string | undefined) =>
  list.find((x) => x.resourceGroup.toLowerCase() === (rg ?? '').toLowerCase() && x.name.toLowerCase() === (name ?? '').toLowerCase());

const notFound = (type: string, rg: string | undefined, name: string | undefined) =>
  armError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );

/** The two destination types, each with its operation and its read action. */
const kinds = [
  {
    type: 'Microsoft.Storage/storageAccounts',
    service: 'Microsoft.Storage',
    operation: 'GetStorageAccountProperties',
    list: (sub: AzureSubscription) => sub.storageAccounts,
    body: storageAccountBody,
  },
  {
    type: 'Microsoft.EventHub/namespaces',
    service: 'Microsoft.EventHub',
    operation: 'GetNamespace',
    list: (sub: AzureSubscription) => sub.eventHubNamespaces,
    body: eventHubNamespaceBody,
  },
];

export function destinationRoutes(c: RouteContext): Route[] {
  return kinds.map((k) => ({
    method: 'GET' as const,
    pattern: new RegExp(`^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/${k.type.replace('.', '\\.')}/([^/]+)$`, 'i'),
    service: k.service,
    operation: k.operation,
    scope: (m: RegExpExecArray) => m[1] ?? null,
    auth: { action: `${k.type}/read`, scope: (m: RegExpExecArray) => `/subscriptions/${m[1]}/resourceGroups/${m[2]}` },
    handle: (_req: unknown, m: RegExpExecArray) =>
      c.withSub(m[1], (sub) => {
        const x = find(k.list(sub), m[2], m[3]);
        return x ? armJson(k.body(x, sub.id)) : notFound(k.type, m[2], m[3]);
      }),
  }));
}
