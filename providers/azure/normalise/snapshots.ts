/**
 * Snapshots → the provider-neutral model: exposure, encryption, source, owner, and the creator and exports the
 * activity log names (activity.ts). Pure functions, tested against the official examples and the lab.
 */
import type { Disk, DiskAccess, Snapshot as AzSnapshot } from '@azure/arm-compute';
import type { Snapshot, Tri } from '../../../src/core/model/result.ts';
import { armId } from '../ids.ts';
import { backupVaultOf, type Creator, creatorFacts, type ExportEvent } from './activity.ts';
import { SNAPSHOT_WRITE } from './alerts.ts';

/** Owner resolution with the scan's owner tag keys (tag → creator from the activity log → systemData → source tag). */
export type ResolveOwner = (i: {
  tags: Record<string, string>;
  creatorFromAudit: string | null;
  creatorFromSystemData: string | null;
  sourceTags: Record<string, string>;
}) => Snapshot['owner'];

export interface SnapshotContext {
  ownerTagKeys: readonly string[];
  creator: Creator | null;
  /** SAS exports of this snapshot seen in the activity log. */
  exports: readonly ExportEvent[];
  /** Disks of the subscription by lower-case id (for the source disk's tags). */
  disks: ReadonlyMap<string, Disk>;
  diskAccesses: DiskAccessFacts;
  resolveOwner: ResolveOwner;
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

/** Encryption of a snapshot or a managed disk (the same DiskRP fields). */
export function encryptionOf(s: Pick<AzSnapshot, 'encryption' | 'encryptionSettingsCollection'>): Snapshot['encryption'] {
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

/** The export settings a snapshot, a managed disk and a disk restore point share (Compute DiskRP). */
export interface ExportSettings {
  networkAccessPolicy?: string;
  publicNetworkAccess?: string;
  dataAccessAuthMode?: string;
  diskAccessId?: string;
  diskState?: string;
}

/** How a resource can be exported through a private endpoint (networkAccessPolicy AllowPrivate). */
function privateExport(s: ExportSettings, access: DiskAccessFacts): string {
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
export function sharingOf(
  s: ExportSettings,
  access: DiskAccessFacts,
  downloadAction = 'Microsoft.Compute/snapshots/download/action',
): Snapshot['sharing'] {
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
      `networkAccessPolicy AllowAll with dataAccessAuthMode AzureActiveDirectory: an export URL works only for a Microsoft Entra identity holding ${downloadAction}, not anonymously`,
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
    ...creatorFacts(
      ctx.creator ? { creator: ctx.creator, operation: SNAPSHOT_WRITE } : null,
      systemCreator ? { identity: systemCreator, listing: 'Microsoft.Compute:ListSnapshots' } : null,
    ),
  };
}
