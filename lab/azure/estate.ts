/**
 * The `azure` section of an estate: a tenant with its management-group tree, subscriptions (diagnostic settings,
 * activity log alerts, activity log events, disks, snapshots, managed images, galleries with their image versions,
 * restore point collections), principals, custom role definitions, role
 * assignments and deny assignments at any scope. Built-in role definitions come from a published dataset
 * (lab/azure/builtin-roles.ts, lab/azure/data/). See lab/ESTATE.md.
 */
import { z } from 'zod';
import { builtinRole } from './builtin-roles.ts';

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a GUID such as 00000000-0000-0000-0000-000000000001');
const tags = z.record(z.string(), z.string()).default({});
const location = z.string().regex(/^[a-z0-9]+$/, 'an Azure location such as westeurope');
const name = z.string().regex(/^[\w.()-]{1,90}$/, 'a resource name: letters, digits and ._()-');

export const AzurePrincipalType = z.enum(['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device']);

export const AzurePermission = z.strictObject({
  actions: z.array(z.string()).default([]),
  notActions: z.array(z.string()).default([]),
  dataActions: z.array(z.string()).default([]),
  notDataActions: z.array(z.string()).default([]),
});
export type AzurePermission = z.infer<typeof AzurePermission>;

export const AzureRoleDefinition = z.strictObject({
  id: guid,
  name: z.string().min(1),
  description: z.string().default(''),
  /** Management group, subscription or resource group scopes it can be assigned at (ARM ids). */
  assignableScopes: z.array(z.string()).min(1),
  permissions: z.array(AzurePermission).min(1),
});
export type AzureRoleDefinition = z.infer<typeof AzureRoleDefinition>;

export const AzureRoleAssignment = z.strictObject({
  id: guid.optional(),
  /** ARM scope: `/`, `/providers/Microsoft.Management/managementGroups/{id}`, `/subscriptions/{id}[/resourceGroups/{rg}[/providers/…]]`. */
  scope: z.string().startsWith('/'),
  principalId: guid,
  principalType: AzurePrincipalType.default('User'),
  /** A built-in role name (`Owner`, `Contributor`…), a custom role name from `roleDefinitions`, or a role GUID. */
  role: z.string().min(1),
  /** ABAC condition; makes the grant conditional. */
  condition: z.string().optional(),
  conditionVersion: z.string().optional(),
});
export type AzureRoleAssignment = z.infer<typeof AzureRoleAssignment>;

/** A PIM role eligibility (served as a role eligibility schedule instance): the principal can activate the role. */
export const AzureEligibility = z.strictObject({
  id: guid.optional(),
  scope: z.string().startsWith('/'),
  principalId: guid,
  principalType: AzurePrincipalType.default('User'),
  /** A built-in role name, a custom role name from `roleDefinitions`, or a role GUID. */
  role: z.string().min(1),
  condition: z.string().optional(),
  /** ISO time the eligibility ends; absent: permanent. */
  endDateTime: z.string().optional(),
});
export type AzureEligibility = z.infer<typeof AzureEligibility>;

/** The PIM activation rules of a role at a scope (served as a role management policy assignment's effective rules). */
export const AzureActivationPolicy = z.strictObject({
  scope: z.string().startsWith('/'),
  role: z.string().min(1),
  approval: z.boolean().default(false),
  mfa: z.boolean().default(true),
  justification: z.boolean().default(true),
  ticket: z.boolean().default(false),
  /** ISO 8601 duration of the longest activation. */
  maximumDuration: z.string().default('PT8H'),
});
export type AzureActivationPolicy = z.infer<typeof AzureActivationPolicy>;

export const AzureDenyAssignment = z.strictObject({
  id: guid.optional(),
  name: z.string().min(1),
  scope: z.string().startsWith('/'),
  permissions: z.array(AzurePermission).min(1),
  /** Principals denied; `00000000-0000-0000-0000-000000000000` (type SystemDefined) is everyone. */
  principals: z.array(z.strictObject({ id: guid, type: z.string().default('User') })).min(1),
  excludePrincipals: z.array(z.strictObject({ id: guid, type: z.string().default('User') })).default([]),
  doNotApplyToChildScopes: z.boolean().default(false),
  isSystemProtected: z.boolean().default(true),
  /** ABAC condition limiting where the deny applies (emitted as `condition`, with `conditionVersion` 2.0). */
  condition: z.string().optional(),
});
export type AzureDenyAssignment = z.infer<typeof AzureDenyAssignment>;

export const AzureLogSetting = z
  .strictObject({
    category: z.string().optional(),
    categoryGroup: z.string().optional(),
    enabled: z.boolean().default(true),
    /** Not a field of subscription diagnostic settings (their log settings have category, categoryGroup, enabled only). */
    retentionDays: z
      .never({
        error:
          'subscription diagnostic settings have no retention policy (the API documents category, categoryGroup and enabled only): retention is set on the destination',
      })
      .optional(),
  })
  .refine((l) => (l.category === undefined) !== (l.categoryGroup === undefined), { error: 'give either category or categoryGroup' });

export const AzureDiagnosticSetting = z.strictObject({
  name,
  workspaceId: z.string().optional(),
  storageAccountId: z.string().optional(),
  eventHubAuthorizationRuleId: z.string().optional(),
  eventHubName: z.string().optional(),
  logs: z.array(AzureLogSetting).default([]),
});
export type AzureDiagnosticSetting = z.infer<typeof AzureDiagnosticSetting>;

const AlertLeaf = z.strictObject({
  field: z.string(),
  equals: z.string().optional(),
  containsAny: z.array(z.string()).optional(),
});
export const AzureAlertCondition = z.strictObject({
  field: z.string().optional(),
  equals: z.string().optional(),
  containsAny: z.array(z.string()).optional(),
  anyOf: z.array(AlertLeaf).optional(),
});

/** Who an action group notifies: one receiver of a kind the ActionGroups API lists. */
export const AzureReceiver = z.strictObject({
  type: z.enum([
    'email',
    'sms',
    'webhook',
    'armRole',
    'azureAppPush',
    'voice',
    'logicApp',
    'azureFunction',
    'eventHub',
    'automationRunbook',
    'itsm',
  ]),
  name: z.string().min(1),
  /** Email address, phone number, service URI, role id…, as the receiver kind needs (a placeholder when absent). */
  address: z.string().optional(),
  /** Email and SMS receivers report whether they are subscribed (`Disabled`: the recipient opted out). */
  status: z.enum(['Enabled', 'Disabled', 'NotSpecified']).optional(),
});

export const AzureActionGroup = z.strictObject({
  name,
  resourceGroup: name.default('monitoring'),
  shortName: z.string().max(12).optional(),
  /** A disabled action group notifies none of its receivers. */
  enabled: z.boolean().default(true),
  receivers: z.array(AzureReceiver).default([]),
});
export type AzureActionGroup = z.infer<typeof AzureActionGroup>;

export const AzureActivityLogAlert = z.strictObject({
  name,
  resourceGroup: name.default('monitoring'),
  enabled: z.boolean().default(true),
  /** Default: the subscription. */
  scopes: z.array(z.string()).optional(),
  allOf: z.array(AzureAlertCondition).min(1),
  /** Action group ids (`/subscriptions/…/resourceGroups/…/providers/microsoft.insights/actionGroups/…`). */
  actionGroups: z.array(z.string()).default([]),
  description: z.string().optional(),
});
export type AzureActivityLogAlert = z.infer<typeof AzureActivityLogAlert>;

export const AzureDisk = z.strictObject({
  name,
  resourceGroup: name,
  location,
  sizeGB: z.number().int().min(1).default(128),
  tags,
  /** `ActiveSAS` / `ActiveSASFrozen`: a SAS export URL (beginGetAccess) is live now. */
  diskState: z
    .enum(['Attached', 'Unattached', 'Reserved', 'ActiveSAS', 'ActiveSASFrozen', 'ReadyToUpload', 'ActiveUpload'])
    .default('Attached'),
  networkAccessPolicy: z.enum(['AllowAll', 'AllowPrivate', 'DenyAll']).default('AllowAll'),
  publicNetworkAccess: z.enum(['Enabled', 'Disabled']).default('Enabled'),
  dataAccessAuthMode: z.enum(['AzureActiveDirectory', 'None']).optional(),
  diskAccessId: z.string().startsWith('/').optional(),
});
export type AzureDisk = z.infer<typeof AzureDisk>;

export const AzureSnapshot = z.strictObject({
  name,
  resourceGroup: name,
  location,
  timeCreated: z.iso.datetime({ offset: true }),
  sizeGB: z.number().int().min(1).default(128),
  tags,
  incremental: z.boolean().default(false),
  /** Where it came from: a disk name in this subscription (`disk`), any ARM id (`sourceResourceId`), or an import URI. */
  source: z
    .union([
      z.strictObject({ disk: name, resourceGroup: name.optional() }),
      z.strictObject({ sourceResourceId: z.string() }),
      z.strictObject({ importUri: z.string(), storageAccountId: z.string().optional() }),
    ])
    .optional(),
  encryption: z.enum(['platform', 'customer', 'platform-and-customer']).default('platform'),
  diskEncryptionSetId: z.string().optional(),
  networkAccessPolicy: z.enum(['AllowAll', 'AllowPrivate', 'DenyAll']).default('AllowAll'),
  publicNetworkAccess: z.enum(['Enabled', 'Disabled']).default('Enabled'),
  /** `AzureActiveDirectory`: export URLs need a Microsoft Entra sign-in; left out of the response when absent (None). */
  dataAccessAuthMode: z.enum(['AzureActiveDirectory', 'None']).optional(),
  /** The disk access (private endpoints) an AllowPrivate snapshot is exported through: a full ARM id. */
  diskAccessId: z.string().startsWith('/').optional(),
  diskState: z.string().optional(),
  /** systemData.createdBy / createdByType; left out of the response when absent. */
  createdBy: z.string().optional(),
  createdByType: z.enum(['User', 'Application', 'ManagedIdentity', 'Key']).optional(),
});
export type AzureSnapshot = z.infer<typeof AzureSnapshot>;

/** systemData.createdBy / createdByType of a resource; left out of the response when absent. */
const createdBy = {
  createdBy: z.string().optional(),
  createdByType: z.enum(['User', 'Application', 'ManagedIdentity', 'Key']).optional(),
};

/** A managed image (Microsoft.Compute/images), made from a VM, a disk, a snapshot or a blob. */
export const AzureImage = z.strictObject({
  name,
  resourceGroup: name,
  location,
  tags,
  /** What it was made from: a VM or disk or snapshot name in this subscription's resource group, or a blob URI. */
  source: z
    .union([
      z.strictObject({ virtualMachine: name }),
      z.strictObject({ disk: name }),
      z.strictObject({ snapshot: name }),
      z.strictObject({ blobUri: z.string() }),
    ])
    .optional(),
  sizeGB: z.number().int().min(1).default(128),
  diskEncryptionSetId: z.string().startsWith('/').optional(),
  ...createdBy,
});
export type AzureImage = z.infer<typeof AzureImage>;

export const AzureGalleryImageVersion = z.strictObject({
  /** Semantic version name, e.g. 1.0.0. */
  name: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version such as 1.0.0'),
  publishedDate: z.iso.datetime({ offset: true }),
  /** Replication regions (default: the gallery's location). */
  targetRegions: z.array(location).default([]),
  /** ARM id of the source: a managed image, a VM, a disk, a snapshot or another version. */
  source: z.string().startsWith('/').optional(),
  sizeGB: z.number().int().min(1).default(30),
  diskEncryptionSetId: z.string().startsWith('/').optional(),
  tags,
  ...createdBy,
});
export type AzureGalleryImageVersion = z.infer<typeof AzureGalleryImageVersion>;

/** An Azure Compute Gallery: its sharing applies to every version in it. */
export const AzureGallery = z.strictObject({
  name: z.string().regex(/^[\w.]{1,80}$/, 'a gallery name: letters, digits, underscores and periods'),
  resourceGroup: name,
  location,
  tags,
  /** Private; Groups: direct-shared with `groups`; Community: public to every Azure user. */
  sharing: z.enum(['Private', 'Groups', 'Community']).default('Private'),
  groups: z.array(z.strictObject({ type: z.enum(['Subscriptions', 'AADTenants']), ids: z.array(guid).min(1) })).default([]),
  /** The community gallery's public name prefix (Community sharing). */
  publicNamePrefix: z.string().optional(),
  images: z
    .array(
      z.strictObject({
        name,
        osType: z.enum(['Linux', 'Windows']).default('Linux'),
        versions: z.array(AzureGalleryImageVersion).default([]),
      }),
    )
    .default([]),
});
export type AzureGallery = z.infer<typeof AzureGallery>;

/** A VM restore point collection and its restore points (one disk restore point per disk of the VM). */
export const AzureRestorePointCollection = z.strictObject({
  name,
  resourceGroup: name,
  location,
  tags,
  /** The VM it protects, by name in the same resource group. */
  virtualMachine: name,
  restorePoints: z
    .array(
      z.strictObject({
        name,
        timeCreated: z.iso.datetime({ offset: true }),
        /** The VM's disks, by name: one disk restore point each. */
        disks: z
          .array(
            z.strictObject({
              name,
              networkAccessPolicy: z.enum(['AllowAll', 'AllowPrivate', 'DenyAll']).default('AllowAll'),
              publicNetworkAccess: z.enum(['Enabled', 'Disabled']).default('Enabled'),
              diskAccessId: z.string().startsWith('/').optional(),
            }),
          )
          .min(1),
      }),
    )
    .default([]),
});
export type AzureRestorePointCollection = z.infer<typeof AzureRestorePointCollection>;

export const AzureDiskAccess = z.strictObject({
  name,
  resourceGroup: name,
  location,
  /** Private endpoint connections and their approval state. */
  privateEndpoints: z
    .array(z.strictObject({ name, status: z.enum(['Approved', 'Pending', 'Rejected', 'Disconnected']).default('Approved') }))
    .default([]),
});
export type AzureDiskAccess = z.infer<typeof AzureDiskAccess>;

export const AzureActivityEvent = z.strictObject({
  /** Resource the event is about: a full ARM id, or `snapshot: name` (+ resourceGroup) in this subscription. */
  resourceId: z.string().optional(),
  snapshot: name.optional(),
  resourceGroup: name.optional(),
  operationName: z.string().default('Microsoft.Compute/snapshots/write'),
  caller: z.string(),
  eventTimestamp: z.iso.datetime({ offset: true }),
  status: z.enum(['Started', 'Accepted', 'Succeeded', 'Failed']).default('Succeeded'),
  category: z.string().default('Administrative'),
  /**
   * Claims of the caller's token added to the event's `claims` (e.g. `xms_mirid`, the resource a managed identity
   * belongs to; `appid`).
   */
  claims: z.record(z.string(), z.string()).default({}),
  /** A failed call's error code (e.g. AuthorizationFailed): written to `properties.statusMessage`, sub-status Forbidden. */
  errorCode: z.string().optional(),
});
export type AzureActivityEvent = z.infer<typeof AzureActivityEvent>;

/** A Microsoft Sentinel analytics rule on a workspace (Microsoft.SecurityInsights/alertRules). */
export const AzureSentinelRule = z.strictObject({
  name,
  kind: z.enum(['Scheduled', 'NRT', 'Fusion', 'MicrosoftSecurityIncidentCreation']).default('Scheduled'),
  displayName: z.string().optional(),
  enabled: z.boolean().default(true),
  /** KQL (Scheduled and NRT rules). */
  query: z.string().optional(),
});
export type AzureSentinelRule = z.infer<typeof AzureSentinelRule>;

/** A Log Analytics workspace (Microsoft.OperationalInsights/workspaces), optionally onboarded to Microsoft Sentinel. */
export const AzureWorkspace = z.strictObject({
  name,
  resourceGroup: name,
  location: location.default('westeurope'),
  retentionInDays: z.number().int().min(30).max(730).default(30),
  /** Onboarded to Microsoft Sentinel (its analytics rules are listed; otherwise the list is empty). */
  sentinel: z.boolean().default(false),
  sentinelRules: z.array(AzureSentinelRule).default([]),
});
export type AzureWorkspace = z.infer<typeof AzureWorkspace>;

/** A storage account or an event hub namespace: an export destination whose existence the scanner checks. */
export const AzureDestinationResource = z.strictObject({
  name,
  resourceGroup: name,
  location: location.default('westeurope'),
});
export type AzureDestinationResource = z.infer<typeof AzureDestinationResource>;

/** An Azure Monitor log search alert rule (Microsoft.Insights/scheduledQueryRules). */
export const AzureScheduledQueryRule = z.strictObject({
  name,
  resourceGroup: name.default('monitoring'),
  location: location.default('westeurope'),
  enabled: z.boolean().default(true),
  /** Resource ids the query runs over (a workspace id for the exported activity log). */
  scopes: z.array(z.string()).min(1),
  query: z.string(),
  /** Action group ids. */
  actionGroups: z.array(z.string()).default([]),
});
export type AzureScheduledQueryRule = z.infer<typeof AzureScheduledQueryRule>;

export const AzureSubscription = z.strictObject({
  id: guid,
  name: z.string().min(1),
  state: z.enum(['Enabled', 'Warned', 'PastDue', 'Disabled', 'Deleted']).default('Enabled'),
  /** Management group id; default: the tenant root group. */
  parent: z.string().optional(),
  /** False: the subscription is in the hierarchy but the scanner's credential cannot list it. */
  visible: z.boolean().default(true),
  managedByTenants: z.array(guid).default([]),
  diagnosticSettings: z.array(AzureDiagnosticSetting).default([]),
  activityLogAlerts: z.array(AzureActivityLogAlert).default([]),
  actionGroups: z.array(AzureActionGroup).default([]),
  /** Log Analytics workspaces in this subscription (a diagnostic setting naming one that is not here points at nothing). */
  workspaces: z.array(AzureWorkspace).default([]),
  /** Export destinations besides workspaces (Storage Accounts - Get Properties, Event Hubs Namespaces - Get). */
  storageAccounts: z.array(AzureDestinationResource).default([]),
  eventHubNamespaces: z.array(AzureDestinationResource).default([]),
  scheduledQueryRules: z.array(AzureScheduledQueryRule).default([]),
  activityLog: z.array(AzureActivityEvent).default([]),
  disks: z.array(AzureDisk).default([]),
  diskAccesses: z.array(AzureDiskAccess).default([]),
  snapshots: z.array(AzureSnapshot).default([]),
  images: z.array(AzureImage).default([]),
  galleries: z.array(AzureGallery).default([]),
  restorePointCollections: z.array(AzureRestorePointCollection).default([]),
});
export type AzureSubscription = z.infer<typeof AzureSubscription>;

export const AzureManagementGroup = z.strictObject({
  id: z.string().regex(/^[\w().-]{1,90}$/, 'a management group id: letters, digits and ._()-'),
  name: z.string().min(1),
  /** Parent management group id; default: the tenant root group. */
  parent: z.string().optional(),
});
export type AzureManagementGroup = z.infer<typeof AzureManagementGroup>;

/** A Microsoft Entra ID user, as Microsoft Graph serves it. */
export const AzureDirectoryUser = z.strictObject({
  id: guid,
  displayName: z.string(),
  userPrincipalName: z.string().min(1),
  mail: z.string().optional(),
  /** `Guest`: an invited (B2B) user; its user principal name carries `#EXT#`. */
  userType: z.enum(['Member', 'Guest']).default('Member'),
  accountEnabled: z.boolean().default(true),
});

export const AzureDirectoryGroup = z.strictObject({
  id: guid,
  displayName: z.string(),
  /** Direct members: users, groups (nested) and service principals of the directory, by object id. */
  members: z.array(guid).default([]),
});

export const AzureDirectoryServicePrincipal = z.strictObject({
  id: guid,
  displayName: z.string(),
  appId: guid,
  /** `ManagedIdentity`: the identity of an Azure resource. */
  servicePrincipalType: z.enum(['Application', 'ManagedIdentity']).default('Application'),
  accountEnabled: z.boolean().default(true),
});

/** The tenant's directory (Microsoft Graph): who the principals are and who is in which group. */
export const AzureDirectory = z.strictObject({
  /**
   * Microsoft Graph application permissions the lab's client holds. getByIds needs Directory.Read.All; a group's
   * members need GroupMember.Read.All (or Group.Read.All, Directory.Read.All); without User.Read.All /
   * Application.Read.All, members of those types come back with their id and type only. Without any: 403.
   */
  permissions: z.array(z.string()).default(['Directory.Read.All']),
  users: z.array(AzureDirectoryUser).default([]),
  groups: z.array(AzureDirectoryGroup).default([]),
  servicePrincipals: z.array(AzureDirectoryServicePrincipal).default([]),
});
export type AzureDirectory = z.infer<typeof AzureDirectory>;

const AzureEstateFields = z.strictObject({
  tenantId: guid.default('72f988bf-0000-4000-8000-00000000aa01'),
  /** Display name of the tenant root management group (its id is the tenant id). */
  rootName: z.string().default('Tenant Root Group'),
  /** Items per page for every list (ARM pages with absolute nextLinks). */
  pageSize: z.number().int().min(1).max(1000).default(100),
  managementGroups: z.array(AzureManagementGroup).default([]),
  roleDefinitions: z.array(AzureRoleDefinition).default([]),
  roleAssignments: z.array(AzureRoleAssignment).default([]),
  denyAssignments: z.array(AzureDenyAssignment).default([]),
  /** PIM: eligible role assignments and the activation rules per role and scope. */
  eligibilities: z.array(AzureEligibility).default([]),
  activationPolicies: z.array(AzureActivationPolicy).default([]),
  subscriptions: z.array(AzureSubscription).min(1, 'the azure section needs at least one subscription'),
  /**
   * Who the lab's client signs in as. Given: every ARM read is authorised against this principal's role assignments
   * in `roleAssignments` (and those of the groups it is in): management groups and subscriptions it cannot read are
   * not listed, and reads there answer 403. Absent: the client reads everything (as with Reader at the tenant root).
   */
  caller: z.strictObject({ principalId: guid, groups: z.array(guid).default([]) }).optional(),
  /**
   * ARM's throttling token buckets for reads, per subscription and per tenant (per principal): `bucket` requests
   * at most, refilled at `refillPerSecond`; past it, 429 with Retry-After. Default: Azure's documented numbers.
   */
  directory: AzureDirectory.default({ permissions: ['Directory.Read.All'], users: [], groups: [], servicePrincipals: [] }),
  readLimits: z
    .strictObject({ bucket: z.number().int().min(1).default(250), refillPerSecond: z.number().min(0.01).default(25) })
    .default({ bucket: 250, refillPerSecond: 25 }),
});

/**
 * References inside the tenant must resolve: a role assignment names a custom role of `roleDefinitions` or a built-in
 * role of the published dataset; a parent is a management group of the estate (or the tenant root). An estate that
 * breaks this is refused on load, naming the field, rather than answered with a lab error mid-scan.
 */
export const AzureEstate = AzureEstateFields.superRefine((e, ctx) => {
  const groups = new Set([e.tenantId, ...e.managementGroups.map((g) => g.id)].map((x) => x.toLowerCase()));
  const custom = (ref: string) => {
    const key = (ref.split('/').pop() ?? ref).toLowerCase();
    return e.roleDefinitions.some((r) => r.id.toLowerCase() === key || r.name.toLowerCase() === ref.toLowerCase());
  };
  const roleRefs = [
    ...e.roleAssignments.map((a, i) => ({ role: a.role, path: ['roleAssignments', i, 'role'] })),
    ...e.eligibilities.map((a, i) => ({ role: a.role, path: ['eligibilities', i, 'role'] })),
    ...e.activationPolicies.map((a, i) => ({ role: a.role, path: ['activationPolicies', i, 'role'] })),
  ];
  roleRefs.forEach((a) => {
    if (custom(a.role) || builtinRole(a.role)) return;
    ctx.addIssue({
      code: 'custom',
      path: a.path,
      message: `"${a.role}" is neither a custom role of azure.roleDefinitions nor a built-in role the lab knows (lab/azure/data/built-in-roles.json; regenerate it with scripts/azure-builtin-roles.ts to add one)`,
    });
  });
  const parents = (list: 'managementGroups' | 'subscriptions', items: ReadonlyArray<{ parent?: string | undefined }>) =>
    items.forEach((x, i) => {
      if (x.parent && !groups.has(x.parent.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: [list, i, 'parent'], message: `"${x.parent}" is not a management group of the estate` });
      }
    });
  parents('managementGroups', e.managementGroups);
  parents('subscriptions', e.subscriptions);
});
export type AzureEstate = z.infer<typeof AzureEstate>;
