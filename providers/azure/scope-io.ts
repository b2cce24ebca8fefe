/**
 * The per-subscription I/O object: every ARM call a subscription's collection makes goes through it — one engine call
 * per page (`rt.call`: bounded concurrency, retries and classification by the engine), bounded paging, and the reads
 * shared across subscriptions (role definitions, action groups) cached once per scan. It returns SDK-shaped data and
 * is the only collection code that touches SDK clients; collectors (collect/*.ts) turn what it returns into the model.
 */
import type {
  DenyAssignment,
  RoleAssignment,
  RoleDefinition,
  RoleEligibilityScheduleInstance,
  RoleManagementPolicyAssignment,
} from '@azure/arm-authorization';
import type {
  Snapshot as AzSnapshot,
  Disk,
  DiskAccess,
  DiskRestorePoint,
  Gallery,
  GalleryImage,
  GalleryImageVersion,
  Image,
  RestorePointCollection,
} from '@azure/arm-compute';
import type {
  ActionGroupResource,
  ActivityLogAlertResource,
  DiagnosticSettingsResource,
  EventData,
  ScheduledQueryRuleResource,
} from '@azure/arm-monitor';
import type { Operation } from '../../src/core/calls.ts';
import type { Gap, Part } from '../../src/core/model/result.ts';
import { attempt, gapFrom, isInterruption } from '../gaps.ts';
import { readPages } from '../paging.ts';
import type { ProviderRuntime, ScopeRuntime } from '../types.ts';
import type { ArmReader } from './arm.ts';
import {
  actionGroupOf,
  activityLogAlertOf,
  denyAssignmentOf,
  diagnosticSettingOf,
  diskAccessOf,
  diskOf,
  diskRestorePointOf,
  eligibilityInstanceOf,
  eventOf,
  galleryImageOf,
  galleryImageVersionOf,
  galleryOf,
  imageOf,
  policyAssignmentOf,
  restorePointCollectionOf,
  roleAssignmentOf,
  roleDefinitionOf,
  scheduledQueryRuleOf,
  snapshotOf,
} from './arm-shapes.ts';
import type { AzureClients } from './clients.ts';
import { classifyAzureError } from './errors.ts';
import { subscriptionOf } from './ids.ts';

/** The subscription of a resource id (the workspace's own, read with that subscription's client). */
const subscriptionOfId = (id: string): string => subscriptionOf(id) ?? '';
import type { GraphObject, GraphPage } from './graph.ts';

interface Pager<T> {
  byPage(settings?: { continuationToken?: string }): AsyncIterableIterator<T[]>;
}

/**
 * Reads every page of an ARM list, one engine call per page: a failed page is retried from its own nextLink, never
 * from the start, and every page is counted. Bounded like every listing (providers/paging.ts): a repeated nextLink
 * or the page ceiling ends it with a gap; items are de-duplicated by id.
 */
export function listAll<T>(
  rt: Pick<ProviderRuntime, 'call' | 'maxPages'>,
  op: Operation,
  list: (signal: AbortSignal) => Pager<T> | Promise<Pager<T>>,
  tokenOf: (page: T[]) => string | undefined,
): Promise<T[]> {
  const listing = { operation: `${op.service}:${op.name}`, region: op.region ?? null, ...(rt.maxPages ? { maxPages: rt.maxPages } : {}) };
  return readPages<T>(listing, async (token) => {
    const page = await rt.call(op, async (signal) => {
      const next = await (await list(signal)).byPage(token ? { continuationToken: token } : undefined).next();
      return next.done ? null : next.value;
    });
    return { items: page ?? [], next: page ? tokenOf(page) : undefined };
  });
}

/** The generated clients put the nextLink on the page array itself. */
export function modularToken<T>(page: T[]): string | undefined {
  return (page as T[] & { continuationToken?: string }).continuationToken;
}

/**
 * Which SDK client a listing stood in for, and so how its pages read: the generated ("modular") clients fail a page
 * without a `value` array, or with a nextLink that is not a string, and add the listing's api-version to a nextLink
 * that names none; the AutoRest ("classic") clients read a page without `value` as empty and follow the nextLink as
 * it is.
 */
export type PagerStyle = 'modular' | 'classic';

/**
 * Reads every page of an ARM list through the plain reader (arm.ts), one engine call per page, bounded and
 * de-duplicated as listAll is, each item rebuilt in the SDK's shape (arm-shapes.ts), each page read as the SDK client
 * it stands in for reads it (`style`).
 */
export function listPlain<T>(
  rt: Pick<ProviderRuntime, 'call' | 'maxPages'>,
  arm: ArmReader,
  op: Operation,
  path: string,
  apiVersion: string,
  shape: (item: Record<string, unknown>) => T,
  style: PagerStyle = 'modular',
): Promise<T[]> {
  const listing = { operation: `${op.service}:${op.name}`, region: op.region ?? null, ...(rt.maxPages ? { maxPages: rt.maxPages } : {}) };
  const modular = style === 'modular';
  return readPages<T>(listing, async (token) => {
    const read = modular ? 'page' : 'classic';
    const body = (await rt.call(op, (signal) => arm.get(token ?? path, apiVersion, signal, read))) as Record<string, unknown> | null;
    const value = body?.value ?? (modular ? undefined : []);
    if (!Array.isArray(value)) throw new Error("Couldn't paginate response\n Body doesn't contain an array property with name: value");
    const next = body?.nextLink;
    if (modular && typeof next !== 'string' && next !== undefined && next !== null)
      throw new Error(`Body Property nextLink should be a string or undefined or null but got ${typeof next}`);
    const link = typeof next === 'string' && next ? (modular ? withApiVersion(next, apiVersion) : next) : undefined;
    return { items: value.map((item) => shape(item as Record<string, unknown>)), next: link };
  });
}

/** A nextLink with the listing's api-version when it names none (as the generated pagers send it). */
function withApiVersion(link: string, apiVersion: string): string {
  const url = new URL(link, 'https://management.azure.com');
  return url.searchParams.get('api-version') ? link : `${link}${url.search ? '&' : '?'}api-version=${apiVersion}`;
}

/** The api-versions @azure/arm-compute's generated clients send (the plain reader asks for the same answers). */
export const DISK_API = '2026-03-02';
export const COMPUTE_API = '2026-04-01';
export const GALLERY_API = '2025-12-03';
/** The api-versions @azure/arm-authorization sends: role and deny assignments, PIM schedule instances. */
export const AUTHORIZATION_API = '2022-04-01';
export const PIM_API = '2020-10-01';
/** The api-versions @azure/arm-monitor sends: diagnostic settings, activity log alerts, the activity log. */
export const DIAGNOSTIC_SETTINGS_API = '2021-05-01-preview';
export const ACTIVITY_LOG_ALERTS_API = '2023-01-01-preview';
export const ACTIVITY_LOG_API = '2015-04-01';
/** The api-versions @azure/arm-monitor sends for action groups and log search alert rules. */
export const ACTION_GROUPS_API = '2024-10-01-preview';
export const SCHEDULED_QUERY_RULES_API = '2025-01-01-preview';

const compute = (name: string): Operation => ({ service: 'Microsoft.Compute', name });
const insights = (name: string): Operation => ({ service: 'Microsoft.Insights', name });
const authorization = (name: string): Operation => ({ service: 'Microsoft.Authorization', name });
const graph = (name: string): Operation => ({ service: 'Microsoft.Graph', name });

/** getByIds takes at most 1000 ids per request (documented). */
export const GET_BY_IDS_BATCH = 1000;
/** What a member listing selects: enough to name the member, tell its kind and whether it can sign in. */
const MEMBER_SELECT = 'id,displayName,userPrincipalName,mail,userType,accountEnabled,appId,servicePrincipalType';

/** Reads shared by every subscription of a scan, each made once. */
export class ScanReads {
  /** Role definitions by GUID: built-in ids are the same everywhere, custom ids are unique. */
  readonly roles = new Map<string, Promise<RoleDefinition>>();
  /** Action groups by lower-case id; null: it does not exist. */
  readonly actionGroups = new Map<string, Promise<ActionGroupResource | null>>();
  /** PIM role management policy assignments by lower-case scope (a management group's serve all its subscriptions). */
  readonly activationPolicies = new Map<string, Promise<RoleManagementPolicyAssignment[]>>();
  /** Transitive members of groups by lower-case group id; null: the directory holds no such group. */
  readonly members = new Map<string, Promise<GraphObject[] | null>>();
  /** Microsoft Graph reads refused to the scan's identity (403), by operation: the permission is tenant-wide, so it is not asked again. */
  readonly graphRefusals = new Map<string, unknown>();

  /** Log Analytics workspaces by lower-case id; null: it does not exist. */
  readonly workspaces = new Map<string, Promise<ArmWorkspace | null>>();
  /** Microsoft Sentinel analytics rules by lower-case workspace id; null: the workspace does not exist. */
  readonly sentinelRules = new Map<string, Promise<SentinelRule[] | null>>();
  /** Export destinations other than workspaces (storage accounts, event hub namespaces) by lower-case id: exists or not. */
  readonly destinations = new Map<string, Promise<boolean>>();
  /** Log search alert rules by lower-case subscription id. */
  readonly queryRules = new Map<string, Promise<ScheduledQueryRuleResource[]>>();

  clear(): void {
    this.roles.clear();
    this.activationPolicies.clear();
    this.actionGroups.clear();
    this.workspaces.clear();
    this.sentinelRules.clear();
    this.destinations.clear();
    this.queryRules.clear();
    this.members.clear();
    this.graphRefusals.clear();
  }
}

/** What a Log Analytics workspace GET returns that the scanner reads (Workspaces_Get). */
export interface ArmWorkspace {
  id?: string;
  name?: string;
  properties?: { retentionInDays?: number; provisioningState?: string };
}

/** A Microsoft Sentinel analytics rule as AlertRules_List returns it (kind-specific properties). */
export interface SentinelRule {
  id?: string;
  name?: string;
  kind?: string;
  properties?: { displayName?: string; enabled?: boolean; query?: string };
}

/** API versions of the resource types read with a plain ARM GET (no SDK covers them). */
export const WORKSPACE_API = '2022-10-01';
export const SENTINEL_API = '2024-09-01';
/** Storage Accounts - Get Properties; Namespaces - Get (Event Hubs). */
export const STORAGE_API = '2023-05-01';
export const EVENTHUB_API = '2024-01-01';

const notFound = (err: unknown) => !isInterruption(err) && gapFrom(err, 'logging', null, classifyAzureError).code === 'not_found';

/** A read whose failure is cached would fail every later subscription too: failed reads are forgotten. */
function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let p = cache.get(key);
  if (!p) {
    p = read();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

export interface AzureScopeIO {
  readonly subscriptionId: string;
  readonly rt: ScopeRuntime;
  readonly gaps: Gap[];
  /** Runs one part of the collection; a failure becomes a gap and `undefined`. */
  part<T>(part: Part, fn: () => Promise<T>): Promise<T | undefined>;
  listSnapshots(): Promise<AzSnapshot[]>;
  listDisks(): Promise<Disk[]>;
  listDiskAccesses(): Promise<DiskAccess[]>;
  listImages(): Promise<Image[]>;
  listGalleries(): Promise<Gallery[]>;
  /** One gallery with the groups it is directly shared with (`$expand=SharingProfile/Groups`). */
  getGallerySharing(resourceGroup: string, gallery: string): Promise<Gallery>;
  listGalleryImages(resourceGroup: string, gallery: string): Promise<GalleryImage[]>;
  listGalleryImageVersions(resourceGroup: string, gallery: string, image: string): Promise<GalleryImageVersion[]>;
  listRestorePointCollections(): Promise<RestorePointCollection[]>;
  /** One restore point collection with its restore points (`$expand=restorePoints`). */
  getRestorePoints(resourceGroup: string, collection: string): Promise<RestorePointCollection>;
  listDiskRestorePoints(resourceGroup: string, collection: string, restorePoint: string): Promise<DiskRestorePoint[]>;
  listDiagnosticSettings(): Promise<DiagnosticSettingsResource[]>;
  listActivityLogAlerts(): Promise<ActivityLogAlertResource[]>;
  /** The activity log of the subscription between two times, filtered as the API allows (one resource provider). */
  listActivityLogs(from: Date, to: Date, resourceProvider: string): Promise<EventData[]>;
  /** An action group anywhere in the tenant, once per scan; null when it does not exist. */
  getActionGroup(key: string, ref: { subscriptionId: string; resourceGroup: string; name: string }): Promise<ActionGroupResource | null>;
  /** A Log Analytics workspace anywhere in the tenant, once per scan; null when it does not exist. */
  getWorkspace(workspaceId: string): Promise<ArmWorkspace | null>;
  /** The Microsoft Sentinel analytics rules of a workspace, once per scan; null when the workspace does not exist. */
  listSentinelRules(workspaceId: string): Promise<SentinelRule[] | null>;
  /** Does a storage account or an event hub namespace (an export destination) exist? Once per scan per resource. */
  destinationExists(resourceId: string): Promise<boolean>;
  /** The log search alert rules of a subscription (the workspace's, often a central one), once per scan. */
  listScheduledQueryRules(subscriptionId: string): Promise<ScheduledQueryRuleResource[]>;
  /** Role assignments at, above (management groups, root) and below the subscription. */
  listRoleAssignments(): Promise<RoleAssignment[]>;
  listDenyAssignments(): Promise<DenyAssignment[]>;
  /** PIM: role eligibility schedule instances at the subscription without a filter: at, above and below it. */
  listEligibilityInstances(): Promise<RoleEligibilityScheduleInstance[]>;
  /** PIM: the role management policy assignments at a scope (ARM id), with their effective rules; once per scan. */
  listActivationPolicies(scope: string): Promise<RoleManagementPolicyAssignment[]>;
  /** A role definition by its id as an assignment spells it, once per scan. */
  getRoleDefinition(roleDefinitionId: string): Promise<RoleDefinition>;
  /** Is Microsoft Graph read at all (directoryLookup on, an endpoint)? */
  readonly directoryEnabled: boolean;
  /** Has Microsoft Graph refused every directory read of this scan so far (a 403 on each kind tried)? */
  directoryRefused(): boolean;
  /** Directory objects by id (Microsoft Graph getByIds, batches of 1000), one read per subscription; ids the directory does not know are left out. */
  getDirectoryObjects(ids: readonly string[]): Promise<Map<string, GraphObject>>;
  /**
   * A group's transitive members (Microsoft Graph, paged by @odata.nextLink through the bounded pager), once per scan;
   * null when the directory holds no such group (a role assignment can outlive the group it names).
   */
  listTransitiveMembers(groupId: string): Promise<GraphObject[] | null>;
}

export function scopeIO(clients: AzureClients, shared: ScanReads, subscriptionId: string, rt: ScopeRuntime, gaps: Gap[]): AzureScopeIO {
  const c = () => clients.forSubscription(subscriptionId);
  // the AutoRest authorization client's nextLink (its module is loaded once the page was read through it)
  const authzToken = <T>(page: T[]) => clients.loadedSdk().authorizationToken(page);
  const g = clients.graph();
  // the listings read most, read without the SDK clients (arm.ts); null: through them (tests compare the two)
  const arm = clients.arm();
  const sub = `/subscriptions/${encodeURIComponent(subscriptionId)}`;
  const rgPath = (rg: string, type: string, name: string) =>
    `${sub}/resourceGroups/${encodeURIComponent(rg)}/providers/Microsoft.Compute/${type}/${encodeURIComponent(name)}`;
  /** One Graph request as one engine call; after a refusal, later reads fail with it without asking. */
  const graphCall = async <T>(op: Operation, method: 'GET' | 'POST', target: string, body?: unknown): Promise<T> => {
    if (!g) throw new Error('Microsoft Graph is not configured');
    if (shared.graphRefusals.has(op.name)) throw shared.graphRefusals.get(op.name);
    try {
      return await rt.call(op, (signal) => g.request<T>(method, target, body, signal));
    } catch (err) {
      if (!isInterruption(err) && gapFrom(err, 'principals', null, classifyAzureError).code === 'access_denied')
        shared.graphRefusals.set(op.name, err);
      throw err;
    }
  };
  const readByIds = async (ids: string[]): Promise<Map<string, GraphObject>> => {
    const found = new Map<string, GraphObject>();
    for (let i = 0; i < ids.length; i += GET_BY_IDS_BATCH) {
      const batch = ids.slice(i, i + GET_BY_IDS_BATCH);
      const page = await graphCall<GraphPage>(graph('GetDirectoryObjectsByIds'), 'POST', '/v1.0/directoryObjects/getByIds', {
        ids: batch,
        types: ['user', 'group', 'servicePrincipal'],
      });
      for (const o of page.value ?? []) if (typeof o?.id === 'string') found.set(o.id.toLowerCase(), o);
    }
    return found;
  };
  return {
    subscriptionId,
    rt,
    gaps,
    part: (part, fn) => attempt(gaps, part, null, classifyAzureError, fn),
    listSnapshots: () =>
      arm
        ? listPlain(rt, arm, compute('ListSnapshots'), `${sub}/providers/Microsoft.Compute/snapshots`, DISK_API, snapshotOf)
        : listAll(
            rt,
            compute('ListSnapshots'),
            async (signal) => (await c()).compute.snapshots.list({ abortSignal: signal }),
            modularToken,
          ),
    listDisks: () =>
      arm
        ? listPlain(rt, arm, compute('ListDisks'), `${sub}/providers/Microsoft.Compute/disks`, DISK_API, diskOf)
        : listAll(rt, compute('ListDisks'), async (signal) => (await c()).compute.disks.list({ abortSignal: signal }), modularToken),
    listDiskAccesses: () =>
      arm
        ? listPlain(rt, arm, compute('ListDiskAccesses'), `${sub}/providers/Microsoft.Compute/diskAccesses`, DISK_API, diskAccessOf)
        : listAll(
            rt,
            compute('ListDiskAccesses'),
            async (signal) => (await c()).compute.diskAccesses.list({ abortSignal: signal }),
            modularToken,
          ),
    listImages: () =>
      arm
        ? listPlain(rt, arm, compute('ListImages'), `${sub}/providers/Microsoft.Compute/images`, COMPUTE_API, imageOf)
        : listAll(rt, compute('ListImages'), async (signal) => (await c()).compute.images.list({ abortSignal: signal }), modularToken),
    listGalleries: () =>
      arm
        ? listPlain(rt, arm, compute('ListGalleries'), `${sub}/providers/Microsoft.Compute/galleries`, GALLERY_API, galleryOf)
        : listAll(
            rt,
            compute('ListGalleries'),
            async (signal) => (await c()).compute.galleries.list({ abortSignal: signal }),
            modularToken,
          ),
    getGallerySharing: (rg, gallery) =>
      rt.call(compute('GetGallery'), async (signal) =>
        arm
          ? galleryOf(
              (await arm.get(`${rgPath(rg, 'galleries', gallery)}?$expand=SharingProfile/Groups`, GALLERY_API, signal, 'get')) as Record<
                string,
                unknown
              >,
            )
          : (await c()).compute.galleries.get(rg, gallery, { expand: 'SharingProfile/Groups', abortSignal: signal }),
      ),
    listGalleryImages: (rg, gallery) =>
      arm
        ? listPlain(rt, arm, compute('ListGalleryImages'), `${rgPath(rg, 'galleries', gallery)}/images`, GALLERY_API, galleryImageOf)
        : listAll(
            rt,
            compute('ListGalleryImages'),
            async (signal) => (await c()).compute.galleryImages.listByGallery(rg, gallery, { abortSignal: signal }),
            modularToken,
          ),
    listGalleryImageVersions: (rg, gallery, image) =>
      arm
        ? listPlain(
            rt,
            arm,
            compute('ListGalleryImageVersions'),
            `${rgPath(rg, 'galleries', gallery)}/images/${encodeURIComponent(image)}/versions`,
            GALLERY_API,
            galleryImageVersionOf,
          )
        : listAll(
            rt,
            compute('ListGalleryImageVersions'),
            async (signal) => (await c()).compute.galleryImageVersions.listByGalleryImage(rg, gallery, image, { abortSignal: signal }),
            modularToken,
          ),
    listRestorePointCollections: () =>
      arm
        ? listPlain(
            rt,
            arm,
            compute('ListRestorePointCollections'),
            `${sub}/providers/Microsoft.Compute/restorePointCollections`,
            COMPUTE_API,
            restorePointCollectionOf,
          )
        : listAll(
            rt,
            compute('ListRestorePointCollections'),
            async (signal) => (await c()).compute.restorePointCollections.listAll({ abortSignal: signal }),
            modularToken,
          ),
    getRestorePoints: (rg, collection) =>
      rt.call(compute('GetRestorePointCollection'), async (signal) =>
        arm
          ? restorePointCollectionOf(
              (await arm.get(
                `${rgPath(rg, 'restorePointCollections', collection)}?$expand=restorePoints`,
                COMPUTE_API,
                signal,
                'get',
              )) as Record<string, unknown>,
            )
          : (await c()).compute.restorePointCollections.get(rg, collection, { expand: 'restorePoints', abortSignal: signal }),
      ),
    listDiskRestorePoints: (rg, collection, restorePoint) =>
      arm
        ? listPlain(
            rt,
            arm,
            compute('ListDiskRestorePoints'),
            `${rgPath(rg, 'restorePointCollections', collection)}/restorePoints/${encodeURIComponent(restorePoint)}/diskRestorePoints`,
            DISK_API,
            diskRestorePointOf,
          )
        : listAll(
            rt,
            compute('ListDiskRestorePoints'),
            async (signal) =>
              (await c()).compute.diskRestorePoint.listByRestorePoint(rg, collection, restorePoint, { abortSignal: signal }),
            modularToken,
          ),
    listDiagnosticSettings: () =>
      arm
        ? listPlain(
            rt,
            arm,
            insights('ListDiagnosticSettings'),
            `${sub}/providers/Microsoft.Insights/diagnosticSettings`,
            DIAGNOSTIC_SETTINGS_API,
            diagnosticSettingOf,
          )
        : listAll(
            rt,
            insights('ListDiagnosticSettings'),
            async (signal) => (await c()).monitor.diagnosticSettings.list(`subscriptions/${subscriptionId}`, { abortSignal: signal }),
            modularToken,
          ),
    listActivityLogAlerts: () =>
      arm
        ? listPlain(
            rt,
            arm,
            insights('ListActivityLogAlerts'),
            `${sub}/providers/Microsoft.Insights/activityLogAlerts`,
            ACTIVITY_LOG_ALERTS_API,
            activityLogAlertOf,
          )
        : listAll(
            rt,
            insights('ListActivityLogAlerts'),
            async (signal) => (await c()).monitor.activityLogAlerts.listBySubscriptionId({ abortSignal: signal }),
            modularToken,
          ),
    listActivityLogs: (from, to, resourceProvider) => {
      const filter = `eventTimestamp ge '${from.toISOString()}' and eventTimestamp le '${to.toISOString()}' and resourceProvider eq '${resourceProvider}'`;
      return arm
        ? listPlain(
            rt,
            arm,
            insights('ListActivityLogs'),
            `${sub}/providers/Microsoft.Insights/eventtypes/management/values?$filter=${encodeURIComponent(filter)}`,
            ACTIVITY_LOG_API,
            eventOf,
          )
        : listAll(
            rt,
            insights('ListActivityLogs'),
            async (signal) => (await c()).monitor.activityLogs.list(filter, { abortSignal: signal }),
            modularToken,
          );
    },
    getActionGroup: (key, ref) =>
      once(shared.actionGroups, key, () =>
        rt
          .call(insights('GetActionGroup'), async (signal) =>
            arm
              ? actionGroupOf(
                  (await arm.get(
                    // spelled as the generated client spells it (`resourcegroups`)
                    `/subscriptions/${encodeURIComponent(ref.subscriptionId)}/resourcegroups/${encodeURIComponent(ref.resourceGroup)}/providers/Microsoft.Insights/actionGroups/${encodeURIComponent(ref.name)}`,
                    ACTION_GROUPS_API,
                    signal,
                    'get',
                  )) as Record<string, unknown>,
                )
              : (await clients.monitorIn(ref.subscriptionId)).actionGroups.get(ref.resourceGroup, ref.name, { abortSignal: signal }),
          )
          .catch((err: unknown) => {
            // A group that does not exist is an answer (it notifies nobody), kept like any other.
            if (!isInterruption(err) && gapFrom(err, 'alerting', null, classifyAzureError).code === 'not_found') return null;
            throw err;
          }),
      ),
    getWorkspace: (workspaceId) =>
      once(shared.workspaces, workspaceId.toLowerCase(), () =>
        rt
          .call({ service: 'Microsoft.OperationalInsights', name: 'GetWorkspace' }, (signal) =>
            clients.armGet(subscriptionOfId(workspaceId), workspaceId, WORKSPACE_API, signal),
          )
          .then((body) => body as ArmWorkspace)
          .catch((err: unknown) => {
            if (notFound(err)) return null;
            throw err;
          }),
      ),
    destinationExists: (resourceId) =>
      once(shared.destinations, resourceId.toLowerCase(), () => {
        const storage = /\/providers\/microsoft\.storage\/storageaccounts\//i.test(resourceId);
        const op = storage
          ? { service: 'Microsoft.Storage', name: 'GetStorageAccountProperties' }
          : { service: 'Microsoft.EventHub', name: 'GetNamespace' };
        return rt
          .call(op, (signal) => clients.armGet(subscriptionOfId(resourceId), resourceId, storage ? STORAGE_API : EVENTHUB_API, signal))
          .then(() => true)
          .catch((err: unknown) => {
            if (notFound(err)) return false;
            throw err;
          });
      }),
    listSentinelRules: (workspaceId) =>
      once(shared.sentinelRules, workspaceId.toLowerCase(), async () => {
        const op = { service: 'Microsoft.SecurityInsights', name: 'ListAlertRules' };
        const listing = { operation: `${op.service}:${op.name}`, region: null, ...(rt.maxPages ? { maxPages: rt.maxPages } : {}) };
        try {
          return await readPages<SentinelRule>(listing, async (token) => {
            const body = (await rt.call(op, (signal) =>
              clients.armGet(
                subscriptionOfId(workspaceId),
                token ?? `${workspaceId}/providers/Microsoft.SecurityInsights/alertRules`,
                SENTINEL_API,
                signal,
              ),
            )) as { value?: SentinelRule[]; nextLink?: string } | null;
            return { items: body?.value ?? [], next: body?.nextLink };
          });
        } catch (err) {
          if (notFound(err)) return null;
          throw err;
        }
      }),
    listScheduledQueryRules: (sub) =>
      once(shared.queryRules, sub.toLowerCase(), () =>
        arm
          ? listPlain(
              rt,
              arm,
              insights('ListScheduledQueryRules'),
              `/subscriptions/${encodeURIComponent(sub)}/providers/Microsoft.Insights/scheduledQueryRules`,
              SCHEDULED_QUERY_RULES_API,
              scheduledQueryRuleOf,
            )
          : listAll(
              rt,
              insights('ListScheduledQueryRules'),
              async (signal) => (await clients.monitorIn(sub)).scheduledQueryRules.listBySubscription({ abortSignal: signal }),
              modularToken,
            ),
      ),
    // At the subscription without a filter: assignments at, above (management groups, root) and below it.
    listRoleAssignments: () =>
      arm
        ? listPlain(
            rt,
            arm,
            authorization('ListRoleAssignments'),
            `${sub}/providers/Microsoft.Authorization/roleAssignments`,
            AUTHORIZATION_API,
            roleAssignmentOf,
            'classic',
          )
        : listAll(
            rt,
            authorization('ListRoleAssignments'),
            async (signal) => (await c()).authz.roleAssignments.listForSubscription({ abortSignal: signal }),
            authzToken,
          ),
    listDenyAssignments: () =>
      arm
        ? listPlain(
            rt,
            arm,
            authorization('ListDenyAssignments'),
            `${sub}/providers/Microsoft.Authorization/denyAssignments`,
            AUTHORIZATION_API,
            denyAssignmentOf,
            'classic',
          )
        : listAll(
            rt,
            authorization('ListDenyAssignments'),
            async (signal) => (await c()).authz.denyAssignments.list({ abortSignal: signal }),
            authzToken,
          ),
    // Without a filter: at, above (management groups, root) and below the subscription (pim.ts eligibilitiesOf).
    listEligibilityInstances: () =>
      arm
        ? listPlain(
            rt,
            arm,
            authorization('ListRoleEligibilityScheduleInstances'),
            `${sub}/providers/Microsoft.Authorization/roleEligibilityScheduleInstances`,
            PIM_API,
            eligibilityInstanceOf,
            'classic',
          )
        : listAll(
            rt,
            authorization('ListRoleEligibilityScheduleInstances'),
            async (signal) =>
              (await c()).authz.roleEligibilityScheduleInstances.listForScope(`subscriptions/${subscriptionId}`, { abortSignal: signal }),
            authzToken,
          ),
    listActivationPolicies: (scope) =>
      once(shared.activationPolicies, scope.toLowerCase(), () =>
        arm
          ? listPlain(
              rt,
              arm,
              authorization('ListRoleManagementPolicyAssignments'),
              // the scope as the client writes it: one leading slash, not encoded
              `/${scope.replace(/^\/+/, '')}/providers/Microsoft.Authorization/roleManagementPolicyAssignments`,
              PIM_API,
              policyAssignmentOf,
              'classic',
            )
          : listAll(
              rt,
              authorization('ListRoleManagementPolicyAssignments'),
              // The scope without its leading slash (the client adds one).
              async (signal) =>
                (await c()).authz.roleManagementPolicyAssignments.listForScope(scope.replace(/^\/+/, ''), { abortSignal: signal }),
              authzToken,
            ),
      ),
    directoryEnabled: g !== null,
    directoryRefused: () => shared.graphRefusals.size > 0,
    // Every subscription asks for its own principals: a cache shared across subscriptions would make the number of
    // requests depend on which subscription got there first (a scan's calls would differ from run to run).
    getDirectoryObjects: (ids) => readByIds([...new Set(ids.map((id) => id.toLowerCase()))].sort()),
    listTransitiveMembers: (groupId) =>
      once(shared.members, groupId.toLowerCase(), () => {
        const op = graph('ListGroupTransitiveMembers');
        const listing = { operation: `${op.service}:${op.name}`, region: null, ...(rt.maxPages ? { maxPages: rt.maxPages } : {}) };
        const first = `/v1.0/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=${MEMBER_SELECT}&$top=999`;
        return readPages<GraphObject>(listing, async (token) => {
          const page = await graphCall<GraphPage>(op, 'GET', token ?? first);
          return { items: page.value ?? [], next: page['@odata.nextLink'] };
        }).catch((err: unknown) => {
          if (notFound(err)) return null;
          throw err;
        });
      }),
    getRoleDefinition: (roleDefinitionId) =>
      once(shared.roles, (roleDefinitionId.split('/').pop() ?? roleDefinitionId).toLowerCase(), () =>
        // getById takes the id without its leading slash (the client adds one, and does not encode it).
        rt.call(authorization('GetRoleDefinition'), async (signal) =>
          arm
            ? roleDefinitionOf(
                (await arm.get(`/${roleDefinitionId.replace(/^\/+/, '')}`, AUTHORIZATION_API, signal, 'classic')) as Record<
                  string,
                  unknown
                >,
              )
            : (await c()).authz.roleDefinitions.getById(roleDefinitionId.replace(/^\/+/, ''), { abortSignal: signal }),
        ),
      ),
  };
}
