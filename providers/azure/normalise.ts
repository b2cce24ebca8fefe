/**
 * Azure SDK models → the provider-neutral model. Pure functions, tested against every official example payload in
 * ../shared/fixtures/azure (read through the real SDK clients) and against the lab.
 */
import type { ActivityLogAlertResource, AlertRuleLeafCondition, DiagnosticSettingsResource, EventData } from '@azure/arm-monitor';
import type { DenyAssignment, RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import type { Disk, Snapshot as AzSnapshot } from '@azure/arm-compute';
import type { AlertRoute, Destination, LoggingSource, Snapshot, Tri } from '../../src/core/model/result.ts';
import { operationMatches, type RbacAssignment, type RbacDeny, type RbacPermission, type RbacRole } from './rbac.ts';

export const SNAPSHOT_WRITE = 'Microsoft.Compute/snapshots/write';

/** ARM ids sometimes come without the leading slash (the diagnostic-settings example does). */
export function armId(id: string): string {
  return `/${id.replace(/^\/+/, '')}`;
}

export function subscriptionOf(id: string | undefined | null): string | null {
  return id ? (/^\/?subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase() ?? null) : null;
}

export function resourceGroupOf(id: string): string | null {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Activity log export (subscription diagnostic settings)

const exportsAdministrative = (l: { category?: string; categoryGroup?: string; enabled: boolean }) =>
  l.enabled &&
  ((l.category ?? '').toLowerCase() === 'administrative' || ['alllogs', 'audit'].includes((l.categoryGroup ?? '').toLowerCase()));

export interface ExportOptions {
  subscriptionId: string;
  /** Log Analytics workspace ids that count as the central store (case-insensitive). */
  centralWorkspaces: readonly string[];
}

/** One subscription diagnostic setting → an `activity-log-export` logging source. */
export function activityLogExport(d: DiagnosticSettingsResource, o: ExportOptions): LoggingSource {
  const sub = o.subscriptionId.toLowerCase();
  const name = d.name ?? 'unnamed';
  const id = d.id ? armId(d.id) : `/subscriptions/${o.subscriptionId}/providers/microsoft.insights/diagnosticSettings/${name}`;
  const logs = d.logs ?? [];
  const qualifying = logs.filter(exportsAdministrative);
  const records: Tri = qualifying.length > 0 ? 'yes' : 'no';
  const reasons: string[] = [];
  if (records === 'no') {
    const enabled = logs.filter((l) => l.enabled).map((l) => l.category ?? `group ${l.categoryGroup}`);
    reasons.push(
      `diagnostic setting ${name} exports ${enabled.length ? `only ${enabled.join(', ')}` : 'no log category'}, not the Administrative category (snapshot creation is an Administrative event)`,
    );
  }
  const days = qualifying
    .map((l) => (l.retentionPolicy?.enabled ? l.retentionPolicy.days : null))
    .filter((x): x is number => typeof x === 'number');
  // Retention 0 means "keep forever"; an unset policy means the storage account's own lifecycle decides (unknown).
  const storageRetention = days.length === 0 || days.includes(0) ? null : Math.max(...days);
  const destinations: Destination[] = [];
  if (d.workspaceId) {
    destinations.push({
      kind: 'log-analytics',
      id: armId(d.workspaceId),
      scopeId: subscriptionOf(d.workspaceId),
      retentionDays: null,
      locked: 'unknown',
    });
  }
  if (d.storageAccountId) {
    destinations.push({
      kind: 'storage-account',
      id: armId(d.storageAccountId),
      scopeId: subscriptionOf(d.storageAccountId),
      retentionDays: storageRetention,
      locked: 'unknown',
    });
  }
  if (d.eventHubAuthorizationRuleId) {
    const rule = armId(d.eventHubAuthorizationRuleId);
    destinations.push({
      kind: 'event-hub',
      id: d.eventHubName ? `${rule.replace(/\/authorizationrules\/[^/]+$/i, '')}/eventhubs/${d.eventHubName}` : rule,
      scopeId: subscriptionOf(rule),
      retentionDays: null,
      locked: 'unknown',
    });
  }
  if (d.marketplacePartnerId) {
    destinations.push({
      kind: 'other',
      id: armId(d.marketplacePartnerId),
      scopeId: subscriptionOf(d.marketplacePartnerId),
      retentionDays: null,
      locked: 'unknown',
    });
  }
  if (destinations.length === 0) reasons.push(`diagnostic setting ${name} has no destination`);
  const central = new Set(o.centralWorkspaces.map((w) => armId(w).toLowerCase()));
  const isCentral = (x: Destination) =>
    (x.scopeId !== null && x.scopeId !== sub) || (x.kind === 'log-analytics' && central.has(x.id.toLowerCase()));
  const centralTri: Tri = destinations.some(isCentral) ? 'yes' : 'no';
  if (records === 'yes' && centralTri === 'no' && destinations.length > 0) {
    reasons.push(`diagnostic setting ${name} exports only to resources inside the subscription it records`);
  }
  const known = destinations.map((x) => x.retentionDays).filter((x): x is number => x !== null);
  return {
    id,
    kind: 'activity-log-export',
    name,
    home: 'global',
    ownerScopeId: null,
    inherited: false,
    enabled: destinations.length > 0 ? 'yes' : 'no',
    regions: ['*'],
    recordsSnapshotCreation: records,
    central: centralTri,
    // Immutability of the storage container / purge rights on the workspace are not read.
    integrity: 'unknown',
    encrypted: 'yes',
    retentionDays: known.length ? Math.max(...known) : null,
    destinations,
    reasons,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Activity log alerts

/** What a snapshot-creation event looks like to an activity log alert condition. */
const snapshotEvent: Record<string, readonly string[]> = {
  category: ['Administrative'],
  operationname: [SNAPSHOT_WRITE],
  resourcetype: ['Microsoft.Compute/snapshots'],
  resourceprovider: ['Microsoft.Compute'],
  status: ['Started', 'Accepted', 'Succeeded'],
  level: ['Informational'],
};
/** Fields that single out snapshot operations. */
const targeting = new Set(['operationname', 'resourcetype']);

type LeafVerdict = 'targeted' | 'match' | 'narrow' | 'no';

function leafVerdict(leaf: AlertRuleLeafCondition): { verdict: LeafVerdict; reason: string } {
  const field = (leaf.field ?? '').toLowerCase();
  const values = leaf.equals !== undefined ? [leaf.equals] : (leaf.containsAny ?? []);
  const label = `${leaf.field} ${leaf.equals !== undefined ? `= ${leaf.equals}` : `in [${values.join(', ')}]`}`;
  const event = snapshotEvent[field];
  if (!event) return { verdict: 'narrow', reason: `condition ${label} fires only for some snapshot operations` };
  const hit = values.some((v) => event.some((e) => operationMatches(v, e)));
  if (!hit) return { verdict: 'no', reason: `condition ${label} excludes snapshot creation` };
  return { verdict: targeting.has(field) ? 'targeted' : 'match', reason: `condition ${label} includes snapshot creation` };
}

export function alertConditionMatch(allOf: readonly (AlertRuleLeafCondition & { anyOf?: AlertRuleLeafCondition[] })[]): {
  match: AlertRoute['match'];
  reasons: string[];
} {
  const verdicts = allOf.map((c) => {
    if (c.anyOf?.length) {
      const leaves = c.anyOf.map(leafVerdict);
      for (const v of ['targeted', 'match', 'narrow', 'no'] as const) {
        const hit = leaves.find((l) => l.verdict === v);
        if (hit) return hit;
      }
    }
    return leafVerdict(c);
  });
  const blocking = verdicts.filter((v) => v.verdict === 'no' || v.verdict === 'narrow');
  if (blocking.length > 0) return { match: 'none', reasons: blocking.map((b) => b.reason) };
  if (verdicts.some((v) => v.verdict === 'targeted')) return { match: 'exact', reasons: [] };
  return { match: 'broad', reasons: ['fires on a whole category of operations, not on snapshot creation specifically'] };
}

/** One activity log alert rule → an alert route for the subscription (region `global`). */
export function activityLogAlertRoute(
  a: ActivityLogAlertResource,
  subscriptionId: string,
  ancestors: readonly string[] | null,
): AlertRoute {
  const sub = `/subscriptions/${subscriptionId.toLowerCase()}`;
  const scopes = (a.scopes ?? []).map(armId);
  const covers = scopes.length === 0 || scopes.some((s) => s.toLowerCase() === sub || (ancestors?.includes(s.toLowerCase()) ?? false));
  const cond = alertConditionMatch(a.condition?.allOf ?? []);
  let reasons = [...cond.reasons];
  let match = cond.match;
  if (!covers) {
    const inside = scopes.filter((s) => s.toLowerCase().startsWith(`${sub}/`));
    const where = inside.map((s) => {
      const rg = resourceGroupOf(s);
      return rg && /\/resourceGroups\/[^/]+$/i.test(s) ? `resource group ${rg}` : s;
    });
    reasons = [
      inside.length ? `scoped to ${where.join(', ')} only, not the whole subscription` : 'scoped outside this subscription',
      ...(match === 'none' ? reasons : []),
    ];
    match = 'none';
  }
  if (a.enabled === false) reasons.push('the alert rule is disabled');
  if ((a.actions?.actionGroups ?? []).length === 0) reasons.push('no action group: nobody is notified');
  return {
    id: armId(a.id ?? `${sub}/providers/microsoft.insights/activityLogAlerts/${a.name ?? 'unnamed'}`),
    kind: 'activity-log-alert',
    name: a.name ?? 'unnamed',
    region: 'global',
    enabled: a.enabled !== false,
    match,
    reasons,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Snapshots

export interface Creator {
  identity: string;
  at: string | null;
}

const HOUR = 3_600_000;

/**
 * The creator of each snapshot from one activity-log listing: the `Microsoft.Compute/snapshots/write` event on the
 * snapshot closest to its creation time (within an hour: later writes are updates, e.g. tag changes), or the
 * earliest one when the creation time is unknown. Failed operations do not count.
 */
export function creatorsFromEvents(events: readonly EventData[], snapshots: readonly AzSnapshot[]): Map<string, Creator> {
  const byResource = new Map<string, EventData[]>();
  for (const e of events) {
    if ((e.operationName?.value ?? '').toLowerCase() !== SNAPSHOT_WRITE.toLowerCase()) continue;
    // resourceId, or the authorization scope when an event leaves it out (the official example does).
    const resource = e.resourceId ?? e.authorization?.scope;
    if ((e.status?.value ?? '').toLowerCase() === 'failed' || !resource || !e.caller) continue;
    const key = armId(resource).toLowerCase();
    byResource.set(key, [...(byResource.get(key) ?? []), e]);
  }
  const out = new Map<string, Creator>();
  for (const s of snapshots) {
    if (!s.id) continue;
    const key = armId(s.id).toLowerCase();
    const list = byResource.get(key) ?? [];
    const time = (e: EventData) => e.eventTimestamp?.getTime() ?? Number.NaN;
    const created = s.timeCreated?.getTime();
    let best: EventData | undefined;
    if (created !== undefined && !Number.isNaN(created)) {
      best = [...list]
        .filter((e) => Math.abs(time(e) - created) <= HOUR)
        .sort((a, b) => Math.abs(time(a) - created) - Math.abs(time(b) - created) || time(a) - time(b))[0];
    } else {
      best = [...list].sort((a, b) => time(a) - time(b))[0];
    }
    if (best?.caller) out.set(key, { identity: best.caller, at: best.eventTimestamp?.toISOString() ?? null });
  }
  return out;
}

export interface SnapshotContext {
  ownerTagKeys: readonly string[];
  creator: Creator | null;
  /** Disks of the subscription by lower-case id (for the source disk's tags). */
  disks: ReadonlyMap<string, Disk>;
  approvedAutomation: (markers: readonly string[]) => Snapshot['automation'];
  resolveOwner: (i: {
    tags: Record<string, string>;
    creatorFromAudit: string | null;
    creatorFromSystemData: string | null;
    sourceTags: Record<string, string>;
  }) => Snapshot['owner'];
}

function sourceOf(s: AzSnapshot): { kind: Snapshot['source']['kind']; id: string | null } {
  const c = s.creationData;
  if (!c) return { kind: 'unknown', id: null };
  const option = (c.createOption ?? '').toLowerCase();
  if (c.sourceResourceId) {
    const id = armId(c.sourceResourceId);
    if (/\/providers\/Microsoft\.Compute\/disks\//i.test(id)) return { kind: 'disk', id };
    if (/\/providers\/Microsoft\.Compute\/(snapshots|restorePointCollections)\//i.test(id)) return { kind: 'snapshot', id };
    if (/\/providers\/Microsoft\.Compute\/(images|galleries)\//i.test(id)) return { kind: 'image', id };
    return { kind: 'unknown', id };
  }
  if (option.startsWith('import') || option === 'upload') return { kind: 'import', id: c.sourceUri ?? c.storageAccountId ?? null };
  if (c.imageReference?.id || c.galleryImageReference?.id)
    return { kind: 'image', id: c.imageReference?.id ?? c.galleryImageReference?.id ?? null };
  return { kind: 'unknown', id: null };
}

function encryptionOf(s: AzSnapshot): Snapshot['encryption'] {
  const type = (s.encryption?.type ?? '').toLowerCase();
  if (type.includes('customerkey')) return { status: 'customer-key', keyId: s.encryption?.diskEncryptionSetId ?? null };
  const ade = s.encryptionSettingsCollection;
  if (ade?.enabled) {
    const kek = ade.encryptionSettings?.find((e) => e.keyEncryptionKey?.keyUrl)?.keyEncryptionKey?.keyUrl;
    const vault = ade.encryptionSettings?.find((e) => e.diskEncryptionKey?.sourceVault?.id)?.diskEncryptionKey?.sourceVault?.id;
    return { status: 'customer-key', keyId: kek ?? vault ?? null };
  }
  // Managed disks and snapshots are always encrypted at rest; without a customer key it is the platform's.
  return { status: 'provider-key', keyId: null };
}

/**
 * Network exposure: a snapshot whose networkAccessPolicy is AllowAll with public network access enabled can be
 * exported (beginGetAccess → SAS URL) and downloaded from any network by anyone holding the URL: treated as public.
 */
function sharingOf(s: AzSnapshot): Snapshot['sharing'] {
  const notes: string[] = [];
  let pub: Tri;
  const nap = s.networkAccessPolicy;
  const pna = s.publicNetworkAccess;
  if (nap === undefined) {
    pub = 'unknown';
    notes.push('networkAccessPolicy not reported');
  } else if (nap === 'AllowAll' && pna !== 'Disabled') {
    pub = 'yes';
    notes.push(
      'networkAccessPolicy AllowAll with public network access enabled: a SAS export URL (beginGetAccess) can be downloaded from any network',
    );
  } else {
    pub = 'no';
    if (nap === 'AllowPrivate') notes.push(`export only through private endpoints of disk access ${s.diskAccessId ?? '(unknown)'}`);
  }
  if (/^ActiveSAS/i.test(s.diskState ?? '')) notes.push(`a SAS export URL is active now (diskState ${s.diskState})`);
  return { public: pub, sharedWith: [], sharesKnown: true, notes };
}

export function normaliseSnapshot(s: AzSnapshot, ctx: SnapshotContext): Snapshot {
  const id = armId(s.id ?? `unknown/${s.name ?? 'snapshot'}`);
  const tags = { ...(s.tags ?? {}) };
  const source = sourceOf(s);
  const sourceDisk = source.kind === 'disk' && source.id ? ctx.disks.get(source.id.toLowerCase()) : undefined;
  const sourceTags = { ...(sourceDisk?.tags ?? {}) };
  const systemCreator = s.systemData?.createdBy ?? null;
  const creator: Snapshot['creator'] = ctx.creator
    ? { identity: ctx.creator.identity, source: 'audit-event', at: ctx.creator.at }
    : systemCreator
      ? { identity: systemCreator, source: 'system-data', at: s.systemData?.createdAt?.toISOString() ?? null }
      : null;
  const rg = resourceGroupOf(id) ?? '';
  const markers = [
    // Azure VM backup keeps its instant-restore data in resource groups named AzureBackupRG_<geo>_<n>.
    ...(/^AzureBackupRG_/i.test(rg) ? ['azure-backup'] : []),
    ...(creator ? [creator.identity] : []),
  ];
  return {
    id,
    name: s.name ?? null,
    resourceId: id,
    region: s.location ?? 'unknown',
    createdAt: s.timeCreated ? s.timeCreated.toISOString() : null,
    sizeGiB: s.diskSizeGB ?? null,
    state: s.diskState ?? s.provisioningState ?? null,
    description: null,
    tags,
    encryption: encryptionOf(s),
    sharing: sharingOf(s),
    owner: ctx.resolveOwner({
      tags,
      creatorFromAudit: ctx.creator?.identity ?? null,
      creatorFromSystemData: systemCreator,
      sourceTags,
    }),
    creator,
    source: { kind: source.kind, id: source.id, tags: sourceTags },
    automation: ctx.approvedAutomation(markers),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// RBAC

const permission = (p: {
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}): RbacPermission => ({
  actions: p.actions ?? [],
  notActions: p.notActions ?? [],
  dataActions: p.dataActions ?? [],
  notDataActions: p.notDataActions ?? [],
});

/** A role definition (built-in or custom, tenant-level or subscription-qualified id) → the matcher's role. */
export function toRole(d: RoleDefinition, requestedId: string): RbacRole {
  return {
    id: (d.name ?? requestedId.split('/').pop() ?? requestedId).toLowerCase(),
    resourceId: d.id ?? requestedId,
    name: d.roleName ?? d.name ?? requestedId,
    custom: (d.roleType ?? '').toLowerCase() === 'customrole',
    permissions: (d.permissions ?? []).map(permission),
  };
}

export function toAssignment(a: RoleAssignment): RbacAssignment {
  return {
    id: a.id ?? a.name ?? '',
    scope: a.scope ?? '/',
    principalId: a.principalId ?? '',
    principalType: a.principalType ?? 'Unknown',
    roleId: ((a.roleDefinitionId ?? '').split('/').pop() ?? '').toLowerCase(),
    roleDefinitionId: a.roleDefinitionId ?? '',
    condition: a.condition ? a.condition : null,
  };
}

export function toDeny(d: DenyAssignment): RbacDeny {
  return {
    id: d.id ?? d.name ?? '',
    name: d.denyAssignmentName ?? d.name ?? '',
    scope: d.scope ?? '/',
    permissions: (d.permissions ?? []).map(permission),
    principals: (d.principals ?? []).map((p) => ({ id: p.id ?? '', type: p.type ?? '' })),
    excludePrincipals: (d.excludePrincipals ?? []).map((p) => ({ id: p.id ?? '', type: p.type ?? '' })),
    doNotApplyToChildScopes: d.doNotApplyToChildScopes === true,
  };
}
