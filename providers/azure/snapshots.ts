/**
 * Snapshots → the provider-neutral model: creators from the activity log, exposure, encryption, source and owner.
 * Pure functions, tested against the official examples and the lab.
 */
import type { EventData } from '@azure/arm-monitor';
import type { Disk, DiskAccess, Snapshot as AzSnapshot } from '@azure/arm-compute';
import type { Snapshot, Tri } from '../../src/core/model/result.ts';
import { SNAPSHOT_WRITE } from './alerts.ts';
import { armId } from './ids.ts';

export interface Creator {
  identity: string;
  at: string | null;
  /**
   * The Azure resource whose managed identity acted, from the event's `xms_mirid` claim (a managed identity's token
   * names the resource it belongs to); null for users and applications.
   */
  actingResource: string | null;
}

/** A SAS export of a snapshot (beginGetAccess) seen in the activity log. */
export interface ExportEvent {
  identity: string;
  at: string | null;
}

export interface ActivityFacts {
  creators: Map<string, Creator>;
  /** Successful beginGetAccess calls by lower-case snapshot id, oldest first. */
  exports: Map<string, ExportEvent[]>;
}

export const SNAPSHOT_EXPORT = 'Microsoft.Compute/snapshots/beginGetAccess/action';

const HOUR = 3_600_000;

function claim(e: EventData, name: string): string | null {
  const v = e.claims?.[name];
  return typeof v === 'string' && v ? v : null;
}

/** Events of one operation that did not fail, by lower-case resource id. */
function byResource(events: readonly EventData[], operation: string): Map<string, EventData[]> {
  const out = new Map<string, EventData[]>();
  for (const e of events) {
    if ((e.operationName?.value ?? '').toLowerCase() !== operation.toLowerCase()) continue;
    // resourceId, or the authorization scope when an event leaves it out (the official example does).
    const resource = e.resourceId ?? e.authorization?.scope;
    if ((e.status?.value ?? '').toLowerCase() === 'failed' || !resource || !e.caller) continue;
    const key = armId(resource).toLowerCase();
    out.set(key, [...(out.get(key) ?? []), e]);
  }
  return out;
}

const time = (e: EventData) => e.eventTimestamp?.getTime() ?? Number.NaN;

/**
 * What one activity-log listing says about each snapshot: its creator — the `Microsoft.Compute/snapshots/write`
 * event closest to its creation time (within an hour: later writes are updates, e.g. tag changes), or the earliest
 * one when the creation time is unknown — and its SAS exports (beginGetAccess). Failed operations do not count.
 */
export function activityFacts(events: readonly EventData[], snapshots: readonly AzSnapshot[]): ActivityFacts {
  const writes = byResource(events, SNAPSHOT_WRITE);
  const exportsBy = byResource(events, SNAPSHOT_EXPORT);
  const creators = new Map<string, Creator>();
  const exports = new Map<string, ExportEvent[]>();
  for (const s of snapshots) {
    if (!s.id) continue;
    const key = armId(s.id).toLowerCase();
    const list = writes.get(key) ?? [];
    const created = s.timeCreated?.getTime();
    let best: EventData | undefined;
    if (created !== undefined && !Number.isNaN(created)) {
      best = [...list]
        .filter((e) => Math.abs(time(e) - created) <= HOUR)
        .sort((a, b) => Math.abs(time(a) - created) - Math.abs(time(b) - created) || time(a) - time(b))[0];
    } else {
      best = [...list].sort((a, b) => time(a) - time(b))[0];
    }
    if (best?.caller) {
      creators.set(key, {
        identity: best.caller,
        at: best.eventTimestamp?.toISOString() ?? null,
        actingResource: claim(best, 'xms_mirid'),
      });
    }
    const ex = [...(exportsBy.get(key) ?? [])].sort((a, b) => time(a) - time(b));
    if (ex.length)
      exports.set(
        key,
        ex.map((e) => ({ identity: e.caller ?? '?', at: e.eventTimestamp?.toISOString() ?? null })),
      );
  }
  return { creators, exports };
}

/** The creators alone (kept for callers that only need them). */
export function creatorsFromEvents(events: readonly EventData[], snapshots: readonly AzSnapshot[]): Map<string, Creator> {
  return activityFacts(events, snapshots).creators;
}

/**
 * Azure Backup, recognised by the identity that acted: a Backup vault (Azure Disk Backup) or Recovery Services vault
 * creates snapshots with its own managed identity, whose token names the vault (`xms_mirid`). A resource-group name
 * such as AzureBackupRG_* is not evidence: anyone can create one.
 */
export function backupVaultOf(creator: Creator | null): string | null {
  const r = creator?.actingResource;
  return r && /\/providers\/(Microsoft\.DataProtection\/backupVaults|Microsoft\.RecoveryServices\/vaults)\/[^/]+$/i.test(r) ? r : null;
}

export interface SnapshotContext {
  ownerTagKeys: readonly string[];
  creator: Creator | null;
  /** SAS exports of this snapshot seen in the activity log. */
  exports: readonly ExportEvent[];
  /** Disks of the subscription by lower-case id (for the source disk's tags). */
  disks: ReadonlyMap<string, Disk>;
  diskAccesses: DiskAccessFacts;
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

/** What the subscription's disk accesses (private-link endpoints for disk export) were read as. */
export interface DiskAccessFacts {
  /** Disk accesses of the subscription by lower-case id; null when they were not read. */
  byId: ReadonlyMap<string, DiskAccess> | null;
}

/** How a snapshot can be exported through a private endpoint (networkAccessPolicy AllowPrivate). */
function privateExport(s: AzSnapshot, access: DiskAccessFacts): string {
  const id = s.diskAccessId ? armId(s.diskAccessId) : null;
  if (!id) return 'networkAccessPolicy AllowPrivate without a disk access: it cannot be exported from any network';
  const da = access.byId?.get(id.toLowerCase());
  if (!da) {
    return access.byId
      ? `networkAccessPolicy AllowPrivate: export only through private endpoints of disk access ${id} (not in this subscription, not read)`
      : `networkAccessPolicy AllowPrivate: export only through private endpoints of disk access ${id} (not read)`;
  }
  const approved = (da.privateEndpointConnections ?? [])
    .filter((c) => c.privateLinkServiceConnectionState?.status === 'Approved')
    .map((c) => c.privateEndpoint?.id ?? c.id ?? c.name ?? '?');
  return approved.length
    ? `networkAccessPolicy AllowPrivate: export only through private endpoint(s) ${approved.join(', ')} of disk access ${id}`
    : `networkAccessPolicy AllowPrivate: disk access ${id} has no approved private endpoint, so no network can export it`;
}

/**
 * Exposure, from what the snapshot reports
 * (https://learn.microsoft.com/en-us/azure/virtual-machines/disks-enable-private-links-for-import-export-portal and
 * the PublicNetworkAccess / DataAccessAuthMode definitions of the Compute disk API): a SAS export URL
 * (beginGetAccess) can be used from any network only when networkAccessPolicy is AllowAll and publicNetworkAccess is
 * not Disabled ("you cannot access the underlying data of the disk publicly on the internet even when
 * NetworkAccessPolicy is set to AllowAll"); even then dataAccessAuthMode AzureActiveDirectory makes the URL useless
 * without a Microsoft Entra sign-in holding the download data action — not anonymous, so not public
 * (https://learn.microsoft.com/en-us/azure/virtual-machines/windows/download-vhd#secure-downloads-and-uploads-with-microsoft-entra-id).
 * An absent dataAccessAuthMode is the default, None.
 */
function sharingOf(s: AzSnapshot, access: DiskAccessFacts): Snapshot['sharing'] {
  const notes: string[] = [];
  let pub: Tri;
  const nap = s.networkAccessPolicy;
  const pna = s.publicNetworkAccess;
  const auth = s.dataAccessAuthMode;
  if (nap === undefined) {
    pub = 'unknown';
    notes.push('networkAccessPolicy not reported: whether it can be exported from any network is unknown');
  } else if (nap === 'DenyAll') {
    pub = 'no';
    notes.push('networkAccessPolicy DenyAll: it cannot be exported');
  } else if (nap === 'AllowPrivate') {
    pub = 'no';
    notes.push(privateExport(s, access));
  } else if (nap !== 'AllowAll') {
    pub = 'unknown';
    notes.push(`networkAccessPolicy ${nap} is not a documented value`);
  } else if (pna === 'Disabled') {
    pub = 'no';
    notes.push('networkAccessPolicy AllowAll but publicNetworkAccess Disabled: its export URL cannot be used from the internet');
  } else if (auth === 'AzureActiveDirectory') {
    pub = 'no';
    notes.push(
      'networkAccessPolicy AllowAll with dataAccessAuthMode AzureActiveDirectory: an export URL works only for a Microsoft Entra identity holding Microsoft.Compute/snapshots/download/action, not anonymously',
    );
  } else {
    pub = 'yes';
    notes.push(
      `networkAccessPolicy AllowAll, publicNetworkAccess ${pna ?? 'not reported (Enabled by default)'}, dataAccessAuthMode ${auth ?? 'not reported (None by default)'}: anyone holding its SAS export URL (beginGetAccess) can download it from any network`,
    );
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
  const vault = backupVaultOf(ctx.creator);
  const sharing = sharingOf(s, ctx.diskAccesses);
  for (const e of ctx.exports) sharing.notes.push(`exported with a SAS URL (beginGetAccess) by ${e.identity}${e.at ? ` at ${e.at}` : ''}`);
  return {
    kind: 'disk-snapshot',
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
    sharing,
    owner: ctx.resolveOwner({
      tags,
      creatorFromAudit: ctx.creator?.identity ?? null,
      creatorFromSystemData: systemCreator,
      sourceTags,
    }),
    creator,
    source: { kind: source.kind, id: source.id, tags: sourceTags },
    // A fact, not a verdict: the checks judge approval against the baseline (the vault id may be named there too).
    automation: vault ? { by: 'azure-backup', basis: vault } : { by: null, basis: null },
    facts: [],
    conflicts: [],
  };
}
