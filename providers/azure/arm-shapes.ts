/**
 * ARM's wire shape → the shape @azure/arm-compute's generated deserialisers give, for the resources the plain reader
 * lists (arm.ts): the normalisers read the SDK's objects, so an object read plainly must be the same object. ARM puts
 * a resource's own fields under `properties`; the SDK lifts them to the top (`...properties`) and turns its date-time
 * fields into `Date`s (an empty or missing one is left as it is, as the SDK leaves it). Each adapter follows the
 * REST reference of its resource (the fields under `properties`, which of them are date-time) and is held to the
 * SDK client's own answer for the same lab response by test/azure/arm-reader.test.ts.
 *
 * https://learn.microsoft.com/en-us/rest/api/compute/snapshots/list
 * https://learn.microsoft.com/en-us/rest/api/compute/disks/list
 * https://learn.microsoft.com/en-us/rest/api/compute/disk-restore-point/list-by-restore-point
 * https://learn.microsoft.com/en-us/rest/api/compute/images/list
 * https://learn.microsoft.com/en-us/rest/api/compute/restore-point-collections/list-all
 * https://learn.microsoft.com/en-us/rest/api/compute/restore-point-collections/get
 * https://learn.microsoft.com/en-us/rest/api/compute/galleries/list
 * https://learn.microsoft.com/en-us/rest/api/compute/gallery-images/list-by-gallery
 * https://learn.microsoft.com/en-us/rest/api/compute/gallery-image-versions/list-by-gallery-image
 *
 * @azure/arm-authorization (an AutoRest client) lifts `properties` the same way, and reads its DateTime fields as
 * `Date`s:
 * https://learn.microsoft.com/en-us/rest/api/authorization/role-assignments/list-for-subscription
 * https://learn.microsoft.com/en-us/rest/api/authorization/deny-assignments/list
 * https://learn.microsoft.com/en-us/rest/api/authorization/role-eligibility-schedule-instances/list-for-scope
 *
 * @azure/arm-monitor (generated) lifts a diagnostic setting's and an activity log alert's `properties`; an activity
 * log event is not a resource: its `properties` is a map of its own, left in place, and its two timestamps are dates.
 * https://learn.microsoft.com/en-us/rest/api/monitor/diagnostic-settings/list
 * https://learn.microsoft.com/en-us/rest/api/monitor/activity-log-alerts/list-by-subscription-id
 * https://learn.microsoft.com/en-us/rest/api/monitor/activity-logs/list
 */
import type {
  DenyAssignment,
  RoleAssignment,
  RoleDefinition,
  RoleEligibilityScheduleInstance,
  RoleManagementPolicyAssignment,
} from '@azure/arm-authorization';
import type { DescendantInfo, ManagementGroupInfo } from '@azure/arm-managementgroups';
import type {
  ActionGroupResource,
  ActivityLogAlertResource,
  DiagnosticSettingsResource,
  EventData,
  ScheduledQueryRuleResource,
} from '@azure/arm-monitor';
import type { Subscription } from '@azure/arm-resources-subscriptions';
import type {
  Snapshot as AzSnapshot,
  Disk,
  DiskAccess,
  DiskRestorePoint,
  Gallery,
  GalleryImage,
  GalleryImageVersion,
  Image,
  RestorePoint,
  RestorePointCollection,
} from '@azure/arm-compute';

type Wire = Record<string, unknown>;

/** A date-time as the SDK reads it: a `Date` of a non-empty value, anything else as it is. */
function date(v: unknown): unknown {
  return v ? new Date(v as string) : v;
}

/** ARM's systemData, with its two date-times (common-types: SystemData). */
function systemData(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const s = v as Wire;
  return { ...s, createdAt: date(s.createdAt), lastModifiedAt: date(s.lastModifiedAt) };
}

/** A tracked resource with its `properties` lifted to the top, `dates` of them read as `Date`s. */
/** Sets a key as its own property, as a spread does: a `__proto__` key in hostile JSON stays a key, not a prototype. */
function put(out: Wire, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

function lifted(item: Wire, dates: readonly string[], rename?: Readonly<Record<string, string>>): Wire {
  // one copy of the top (every key but `properties`, in its order), then the properties after it
  const out: Wire = {};
  for (const k in item) if (k !== 'properties' && Object.hasOwn(item, k)) put(out, k, item[k]);
  if (out.systemData !== undefined) out.systemData = systemData(out.systemData);
  const properties = item.properties;
  if (properties && typeof properties === 'object') {
    const props = properties as Wire;
    for (const k in props) if (Object.hasOwn(props, k)) put(out, rename?.[k] ?? k, props[k]);
    for (const d of dates) if (d in out) out[d] = date(out[d]);
  }
  return out;
}

export const snapshotOf = (item: Wire): AzSnapshot => lifted(item, ['timeCreated']) as unknown as AzSnapshot;

/** Disk: `LastOwnershipUpdateTime` is spelled with a capital on the wire and read as `lastOwnershipUpdateTime`. */
export const diskOf = (item: Wire): Disk =>
  lifted(item, ['timeCreated', 'burstingEnabledTime', 'lastOwnershipUpdateTime'], {
    LastOwnershipUpdateTime: 'lastOwnershipUpdateTime',
  }) as unknown as Disk;

export const diskRestorePointOf = (item: Wire): DiskRestorePoint => lifted(item, ['timeCreated']) as DiskRestorePoint;

export const imageOf = (item: Wire): Image => lifted(item, []) as unknown as Image;

/** A restore point (inside a collection read with `$expand=restorePoints`): its instance view's statuses carry a time. */
function restorePointOf(item: Wire): RestorePoint {
  const rp = lifted(item, ['timeCreated']);
  const view = rp.instanceView as { statuses?: Wire[] } | undefined;
  if (view && Array.isArray(view.statuses))
    rp.instanceView = { ...view, statuses: view.statuses.map((s) => ({ ...s, time: date(s.time) })) };
  return rp as RestorePoint;
}

export const restorePointCollectionOf = (item: Wire): RestorePointCollection => {
  const c = lifted(item, []);
  if (Array.isArray(c.restorePoints)) c.restorePoints = (c.restorePoints as Wire[]).map(restorePointOf);
  return c as unknown as RestorePointCollection;
};

export const roleAssignmentOf = (item: Wire): RoleAssignment => lifted(item, ['createdOn', 'updatedOn']) as RoleAssignment;

export const denyAssignmentOf = (item: Wire): DenyAssignment => lifted(item, ['createdOn', 'updatedOn']) as DenyAssignment;

export const eligibilityInstanceOf = (item: Wire): RoleEligibilityScheduleInstance =>
  lifted(item, ['startDateTime', 'endDateTime', 'createdOn']) as RoleEligibilityScheduleInstance;

export const diagnosticSettingOf = (item: Wire): DiagnosticSettingsResource => lifted(item, []) as DiagnosticSettingsResource;

export const activityLogAlertOf = (item: Wire): ActivityLogAlertResource => lifted(item, []) as ActivityLogAlertResource;

export const eventOf = (item: Wire): EventData =>
  ({ ...item, eventTimestamp: date(item.eventTimestamp), submissionTimestamp: date(item.submissionTimestamp) }) as EventData;

export const galleryOf = (item: Wire): Gallery => lifted(item, []) as unknown as Gallery;

export const galleryImageOf = (item: Wire): GalleryImage => lifted(item, ['endOfLifeDate']) as unknown as GalleryImage;

/** An image version: the dates are in its publishing profile and its validations. */
export const galleryImageVersionOf = (item: Wire): GalleryImageVersion => {
  const v = lifted(item, []);
  const pub = v.publishingProfile as Wire | undefined;
  if (pub && typeof pub === 'object')
    v.publishingProfile = { ...pub, publishedDate: date(pub.publishedDate), endOfLifeDate: date(pub.endOfLifeDate) };
  const checks = v.validationsProfile as { executedValidations?: Wire[] } | undefined;
  if (checks && Array.isArray(checks.executedValidations))
    v.validationsProfile = {
      ...checks,
      executedValidations: checks.executedValidations.map((e) => ({ ...e, executionTime: date(e.executionTime) })),
    };
  return v as unknown as GalleryImageVersion;
};

/**
 * A subscription (@azure/arm-resources-subscriptions, generated): not a tracked resource, its fields at the top; the
 * generated deserializer keeps the fields its model names and no others.
 * https://learn.microsoft.com/en-us/rest/api/resources/subscriptions/list
 */
export const subscriptionOf = (item: Wire): Subscription =>
  ({
    id: item.id,
    subscriptionId: item.subscriptionId,
    displayName: item.displayName,
    tenantId: item.tenantId,
    state: item.state,
    subscriptionPolicies: item.subscriptionPolicies,
    authorizationSource: item.authorizationSource,
    managedByTenants: item.managedByTenants,
    tags: item.tags,
  }) as Subscription;

/**
 * A management group and a group's descendant (@azure/arm-managementgroups, an AutoRest client): `properties` lifted.
 * https://learn.microsoft.com/en-us/rest/api/managementgroups/management-groups/list
 * https://learn.microsoft.com/en-us/rest/api/managementgroups/management-groups/get-descendants
 */
export const managementGroupOf = (item: Wire): ManagementGroupInfo => lifted(item, []) as ManagementGroupInfo;

export const descendantOf = (item: Wire): DescendantInfo => lifted(item, []) as DescendantInfo;

/**
 * A role definition (@azure/arm-authorization, AutoRest): `properties` lifted, its `type` read as `roleType` (the
 * resource's own `type` stays at the top), `createdOn` and `updatedOn` as dates.
 * https://learn.microsoft.com/en-us/rest/api/authorization/role-definitions/get-by-id
 */
export const roleDefinitionOf = (item: Wire): RoleDefinition =>
  lifted(item, ['createdOn', 'updatedOn'], { type: 'roleType' }) as RoleDefinition;

/**
 * A PIM role management policy assignment (@azure/arm-authorization, AutoRest): `properties` lifted; its effective
 * rules (a polymorphic list, told apart by `ruleType`) keep their wire names; the policy's `lastModifiedDateTime` is a date.
 * https://learn.microsoft.com/en-us/rest/api/authorization/role-management-policy-assignments/list-for-scope
 */
export const policyAssignmentOf = (item: Wire): RoleManagementPolicyAssignment => {
  const a = lifted(item, []);
  const props = a.policyAssignmentProperties as Wire | undefined;
  const policy = props?.policy as Wire | undefined;
  if (props && typeof props === 'object' && policy && typeof policy === 'object' && 'lastModifiedDateTime' in policy)
    a.policyAssignmentProperties = { ...props, policy: { ...policy, lastModifiedDateTime: date(policy.lastModifiedDateTime) } };
  return a as RoleManagementPolicyAssignment;
};

/**
 * An action group (@azure/arm-monitor, generated): `properties` lifted.
 * https://learn.microsoft.com/en-us/rest/api/monitor/action-groups/get
 */
export const actionGroupOf = (item: Wire): ActionGroupResource => lifted(item, []) as unknown as ActionGroupResource;

/**
 * A log search alert rule (@azure/arm-monitor, generated): `properties` lifted, each condition's `ignoreDataBefore` a date.
 * https://learn.microsoft.com/en-us/rest/api/monitor/scheduled-query-rules/list-by-subscription
 */
export const scheduledQueryRuleOf = (item: Wire): ScheduledQueryRuleResource => {
  const r = lifted(item, []);
  const criteria = r.criteria as { allOf?: Wire[] } | undefined;
  if (criteria && Array.isArray(criteria.allOf))
    r.criteria = {
      ...criteria,
      allOf: criteria.allOf.map((c) => ('ignoreDataBefore' in c ? { ...c, ignoreDataBefore: date(c.ignoreDataBefore) } : c)),
    };
  return r as unknown as ScheduledQueryRuleResource;
};

/**
 * A disk access (@azure/arm-compute, generated): `properties` lifted with `timeCreated` a date, and so are each of its
 * private endpoint connections' (no dates of their own).
 * https://learn.microsoft.com/en-us/rest/api/compute/disk-accesses/list
 */
export const diskAccessOf = (item: Wire): DiskAccess => {
  const a = lifted(item, ['timeCreated']);
  if (Array.isArray(a.privateEndpointConnections))
    a.privateEndpointConnections = (a.privateEndpointConnections as Wire[]).map((c) => lifted(c, []));
  return a as unknown as DiskAccess;
};
