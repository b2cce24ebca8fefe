/**
 * The built-in role definitions the lab serves (a small, representative subset of Azure's; ids and permissions as
 * Azure publishes them in "Azure built-in roles"). The scanner never hard-codes these: it reads them from the API.
 */
import type { AzureRoleDefinition } from './estate.ts';

export const builtinRoles: AzureRoleDefinition[] = [
  {
    id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    name: 'Owner',
    description: 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    assignableScopes: ['/'],
    permissions: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }],
  },
  {
    id: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    name: 'Contributor',
    description: 'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.',
    assignableScopes: ['/'],
    permissions: [
      {
        actions: ['*'],
        notActions: [
          'Microsoft.Authorization/*/Delete',
          'Microsoft.Authorization/*/Write',
          'Microsoft.Authorization/elevateAccess/Action',
          'Microsoft.Blueprint/blueprintAssignments/write',
          'Microsoft.Blueprint/blueprintAssignments/delete',
          'Microsoft.Compute/galleries/share/action',
          'Microsoft.Purview/consents/write',
          'Microsoft.Purview/consents/delete',
          'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
          'Microsoft.Subscription/cancel/action',
          'Microsoft.Subscription/enable/action',
        ],
        dataActions: [],
        notDataActions: [],
      },
    ],
  },
  {
    id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    name: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    assignableScopes: ['/'],
    permissions: [{ actions: ['*/read'], notActions: [], dataActions: [], notDataActions: [] }],
  },
  {
    id: '43d0d8ad-25c7-4714-9337-8ba259a9fe05',
    name: 'Monitoring Reader',
    description: 'Can read all monitoring data (metrics, logs, etc.).',
    assignableScopes: ['/'],
    permissions: [
      {
        actions: ['*/read', 'Microsoft.OperationalInsights/workspaces/search/action', 'Microsoft.Support/*'],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
  },
  {
    id: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    name: 'User Access Administrator',
    description: 'Lets you manage user access to Azure resources.',
    assignableScopes: ['/'],
    permissions: [
      { actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'], notActions: [], dataActions: [], notDataActions: [] },
    ],
  },
  {
    id: '9980e02c-c2be-4d73-94e8-173b1dc7cf3c',
    name: 'Virtual Machine Contributor',
    description: 'Create and manage virtual machines, manage disks, install and run software.',
    assignableScopes: ['/'],
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Compute/availabilitySets/*',
          'Microsoft.Compute/locations/*',
          'Microsoft.Compute/virtualMachines/*',
          'Microsoft.Compute/virtualMachineScaleSets/*',
          'Microsoft.Compute/disks/write',
          'Microsoft.Compute/disks/read',
          'Microsoft.Compute/disks/delete',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
        ],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
  },
  {
    id: '7efff54f-a5b4-42b5-a1c5-5411624893ce',
    name: 'Disk Snapshot Contributor',
    description: 'Provides permission to backup vault to manage disk snapshots.',
    assignableScopes: ['/'],
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/*/read',
          'Microsoft.Compute/snapshots/delete',
          'Microsoft.Compute/snapshots/write',
          'Microsoft.Compute/snapshots/read',
          'Microsoft.Compute/snapshots/beginGetAccess/action',
          'Microsoft.Compute/snapshots/endGetAccess/action',
          'Microsoft.Compute/disks/beginGetAccess/action',
          'Microsoft.Resources/subscriptions/resourceGroups/read',
        ],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ],
  },
  {
    id: '959f8984-c045-4866-89c7-12bf9737be2e',
    name: 'Data Operator for Managed Disks',
    description: 'Provides permissions to upload data to empty managed disks, read, or export data of managed disks and snapshots.',
    assignableScopes: ['/'],
    permissions: [
      {
        actions: [],
        notActions: [],
        dataActions: [
          'Microsoft.Compute/disks/download/action',
          'Microsoft.Compute/disks/upload/action',
          'Microsoft.Compute/snapshots/download/action',
          'Microsoft.Compute/snapshots/upload/action',
        ],
        notDataActions: [],
      },
    ],
  },
];
