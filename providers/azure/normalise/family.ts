/**
 * The rest of the snapshot family → the provider-neutral model: managed images, gallery image versions (with their
 * gallery's sharing), VM restore points and their disk restore points, and managed disks with a live SAS export.
 * Pure functions; the activity log names creators and exports (activity.ts) as it does for snapshots.
 */
import type { Disk, DiskRestorePoint, Gallery, GalleryImageVersion, Image, RestorePoint, RestorePointCollection } from '@azure/arm-compute';
import type { ArtifactKind, Fact, Snapshot, Tri } from '../../../src/core/model/result.ts';
import { armId, subscriptionOf } from '../ids.ts';
import { backupVaultOf, type Creator, creatorFacts, type ExportEvent, FAMILY_OPERATIONS } from './activity.ts';
import { type DiskAccessFacts, encryptionOf, type ResolveOwner, sharingOf } from './snapshots.ts';

/** What the family's normalisers share: the activity log's answers, the disks and disk accesses read, the organisation. */
export interface FamilyContext {
  /** Creators by lower-case resource id (empty when creators were not looked up). */
  creators: ReadonlyMap<string, Creator>;
  /** SAS exports by lower-case resource id (empty when not looked up). */
  exports: ReadonlyMap<string, readonly ExportEvent[]>;
  disks: ReadonlyMap<string, Disk>;
  diskAccesses: DiskAccessFacts;
  /** The subscriptions the scan found (lower case) and the home tenant: who is inside the organisation. */
  organisation: { subscriptions: ReadonlySet<string>; tenantId: string | null };
  resolveOwner: ResolveOwner;
}

interface Common {
  kind: ArtifactKind;
  id: string;
  name: string;
  region: string;
  createdAt: Date | undefined;
  sizeGiB: number | null;
  state: string | null;
  tags: Record<string, string> | undefined;
  systemData: { createdBy?: string; createdAt?: Date } | undefined;
  encryption: Snapshot['encryption'];
  sharing: Snapshot['sharing'];
  source: { kind: Snapshot['source']['kind']; id: string | null };
  facts?: Fact[];
  /** The creator to use instead of the activity log's write event (a disk export: who started it). */
  creator?: Creator | null;
  /** The operation whose activity-log event names the creator, and the read that returned `systemData`. */
  reads: { operation: string; listing: string };
}

function artifact(c: Common, ctx: FamilyContext): Snapshot {
  const key = c.id.toLowerCase();
  const audit = c.creator !== undefined ? c.creator : (ctx.creators.get(key) ?? null);
  const systemCreator = c.systemData?.createdBy ?? null;
  const creator: Snapshot['creator'] = audit
    ? { identity: audit.identity, source: 'audit-event', at: audit.at }
    : systemCreator
      ? { identity: systemCreator, source: 'system-data', at: c.systemData?.createdAt?.toISOString() ?? null }
      : null;
  const tags = { ...(c.tags ?? {}) };
  const sourceTags = c.source.kind === 'disk' && c.source.id ? { ...(ctx.disks.get(c.source.id.toLowerCase())?.tags ?? {}) } : {};
  const sharing = c.sharing;
  for (const e of ctx.exports.get(key) ?? []) {
    sharing.notes.push(`exported with a SAS URL (beginGetAccess) by ${e.identity}${e.at ? ` at ${e.at}` : ''}`);
  }
  const vault = backupVaultOf(audit);
  return {
    kind: c.kind,
    id: c.id,
    name: c.name,
    resourceId: c.id,
    region: c.region,
    createdAt: c.createdAt && !Number.isNaN(c.createdAt.getTime()) ? c.createdAt.toISOString() : null,
    sizeGiB: c.sizeGiB,
    state: c.state,
    description: null,
    tags,
    encryption: c.encryption,
    sharing,
    owner: ctx.resolveOwner({ tags, creatorFromAudit: audit?.identity ?? null, creatorFromSystemData: systemCreator, sourceTags }),
    creator,
    source: { ...c.source, tags: sourceTags },
    automation: vault ? { by: 'azure-backup', basis: vault } : { by: null, basis: null },
    ...withCreator(c, audit, systemCreator),
  };
}

function withCreator(c: Common, audit: Creator | null, systemCreator: string | null): Pick<Snapshot, 'facts' | 'conflicts'> {
  const read = creatorFacts(
    audit ? { creator: audit, operation: c.reads.operation } : null,
    systemCreator ? { identity: systemCreator, listing: c.reads.listing } : null,
  );
  return { facts: [...(c.facts ?? []), ...read.facts], conflicts: read.conflicts };
}

/** What an ARM id names, as a source kind. */
export function sourceKindOf(id: string | undefined | null): { kind: Snapshot['source']['kind']; id: string | null } {
  if (!id) return { kind: 'unknown', id: null };
  const x = armId(id);
  if (/\/providers\/Microsoft\.Compute\/disks\//i.test(x)) return { kind: 'disk', id: x };
  if (/\/providers\/Microsoft\.Compute\/(snapshots|restorePointCollections)\//i.test(x)) return { kind: 'snapshot', id: x };
  if (/\/providers\/Microsoft\.Compute\/(images|galleries)\//i.test(x)) return { kind: 'image', id: x };
  if (/\/providers\/Microsoft\.Compute\/virtualMachines\//i.test(x)) return { kind: 'instance', id: x };
  return { kind: 'unknown', id: x };
}

const withKey = (keyId: string | undefined | null): Snapshot['encryption'] =>
  keyId ? { status: 'customer-key', keyId } : { status: 'provider-key', keyId: null };

/**
 * A managed image. It has no sharing setting of its own: only Azure RBAC on the image (or copying it into a gallery)
 * lets anyone else use it (https://learn.microsoft.com/en-us/azure/virtual-machines/capture-image-resource).
 */
export function normaliseImage(i: Image, ctx: FamilyContext): Snapshot {
  const id = armId(i.id ?? `unknown/${i.name ?? 'image'}`);
  const os = i.storageProfile?.osDisk;
  const source = i.sourceVirtualMachine?.id
    ? sourceKindOf(i.sourceVirtualMachine.id)
    : os?.managedDisk?.id
      ? sourceKindOf(os.managedDisk.id)
      : os?.snapshot?.id
        ? sourceKindOf(os.snapshot.id)
        : os?.blobUri
          ? { kind: 'import' as const, id: os.blobUri }
          : { kind: 'unknown' as const, id: null };
  return artifact(
    {
      kind: 'image',
      id,
      name: i.name ?? id,
      region: i.location ?? 'unknown',
      createdAt: i.systemData?.createdAt,
      sizeGiB: os?.diskSizeGB ?? null,
      state: i.provisioningState ?? null,
      tags: i.tags,
      systemData: i.systemData,
      encryption: withKey(os?.diskEncryptionSet?.id),
      sharing: {
        public: 'no',
        sharedWith: [],
        sharesKnown: true,
        notes: ['a managed image has no sharing setting: only Azure RBAC on it lets others use it'],
      },
      source,
      reads: { operation: FAMILY_OPERATIONS.imageWrite, listing: 'Microsoft.Compute:ListImages' },
    },
    ctx,
  );
}

/** What a gallery's sharing profile was read as: the gallery listing, and its groups when they were read. */
export interface GallerySharing {
  gallery: Gallery;
  /** The groups read with `$expand=SharingProfile/Groups`; null when not read (not needed, or the read failed). */
  groups: NonNullable<NonNullable<Gallery['sharingProfile']>['groups']> | null;
  /** Why the groups are not known, when they are not. */
  groupsGap: string | null;
}

const PERMISSIONS_SOURCE = 'Microsoft.Compute galleries list sharingProfile.permissions';
const GROUPS_SOURCE = 'Microsoft.Compute galleries get $expand=SharingProfile/Groups sharingProfile.groups';

/**
 * Exposure from the gallery's sharing profile, which applies to every version in it
 * (https://learn.microsoft.com/en-us/azure/virtual-machines/share-gallery): `Private` — RBAC only; `Groups` —
 * direct-shared with the subscriptions and tenants listed; `Community` — public: "anyone with an Azure
 * subscription" can use its images (https://learn.microsoft.com/en-us/azure/virtual-machines/share-gallery-community).
 * A subscription the scan found, or the home tenant, is inside the organisation; another tenant is outside; a
 * subscription the scan did not find is unknown.
 */
export function gallerySharing(g: GallerySharing, org: FamilyContext['organisation']): { sharing: Snapshot['sharing']; facts: Fact[] } {
  const name = g.gallery.name ?? 'gallery';
  const permissions = g.gallery.sharingProfile?.permissions;
  const fact = (fact: Fact['fact'], source: string, value: string): Fact => ({ fact, source, value, authoritative: true });
  if (permissions === undefined || permissions.toLowerCase() === 'private') {
    return {
      sharing: {
        public: 'no',
        sharedWith: [],
        sharesKnown: true,
        notes: [`gallery ${name} is private (sharingProfile.permissions ${permissions ?? 'not reported: Private by default'})`],
      },
      facts: [fact('public', PERMISSIONS_SOURCE, permissions ?? 'absent')],
    };
  }
  if (permissions.toLowerCase() === 'community') {
    const info = g.gallery.sharingProfile?.communityGalleryInfo;
    const names = info?.publicNames?.length ? ` as ${info.publicNames.join(', ')}` : '';
    return {
      sharing: {
        public: 'yes',
        sharedWith: [],
        sharesKnown: true,
        notes: [`gallery ${name} is a community gallery${names}: anyone with an Azure subscription can create VMs from its image versions`],
      },
      facts: [fact('public', PERMISSIONS_SOURCE, permissions)],
    };
  }
  if (permissions.toLowerCase() !== 'groups') {
    return {
      sharing: {
        public: 'unknown',
        sharedWith: [],
        sharesKnown: false,
        notes: [`gallery ${name}: sharingProfile.permissions ${permissions} is not a documented value`],
      },
      facts: [fact('public', PERMISSIONS_SOURCE, permissions)],
    };
  }
  if (g.groups === null) {
    return {
      sharing: {
        public: 'no',
        sharedWith: [],
        sharesKnown: false,
        notes: [
          `gallery ${name} is directly shared (sharingProfile.permissions Groups); with whom was not read${g.groupsGap ? ` (${g.groupsGap})` : ''}`,
        ],
      },
      facts: [fact('public', PERMISSIONS_SOURCE, permissions)],
    };
  }
  const sharedWith: Snapshot['sharing']['sharedWith'] = [];
  for (const group of g.groups) {
    const tenant = (group.type ?? '').toLowerCase() === 'aadtenants';
    for (const id of group.ids ?? []) {
      const inOrganization: Tri = tenant
        ? org.tenantId
          ? id.toLowerCase() === org.tenantId.toLowerCase()
            ? 'yes'
            : 'no'
          : 'unknown'
        : org.subscriptions.has(id.toLowerCase())
          ? 'yes'
          : 'unknown';
      sharedWith.push({ id, kind: tenant ? 'tenant' : 'subscription', inOrganization });
    }
  }
  sharedWith.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    sharing: {
      public: 'no',
      sharedWith,
      sharesKnown: true,
      notes: [`gallery ${name} is directly shared with ${sharedWith.map((x) => `${x.kind} ${x.id}`).join(', ') || 'nobody'}`],
    },
    facts: [
      fact('public', PERMISSIONS_SOURCE, permissions),
      fact('shared-with', GROUPS_SOURCE, sharedWith.map((x) => x.id).join(',') || 'none'),
    ],
  };
}

/** A gallery image version, exposed as its gallery is shared. */
export function normaliseGalleryVersion(v: GalleryImageVersion, imageName: string, g: GallerySharing, ctx: FamilyContext): Snapshot {
  const id = armId(v.id ?? `unknown/${v.name ?? 'version'}`);
  const { sharing, facts } = gallerySharing(g, ctx.organisation);
  const keys = (v.publishingProfile?.targetRegions ?? [])
    .map((r) => r.encryption?.osDiskImage?.diskEncryptionSetId)
    .filter((k): k is string => !!k);
  const regions = (v.publishingProfile?.targetRegions ?? []).map((r) => r.name).filter((r) => r && r !== v.location);
  if (regions.length) sharing.notes.push(`replicated to ${regions.join(', ')} as well`);
  return artifact(
    {
      kind: 'gallery-image-version',
      id,
      name: `${g.gallery.name ?? 'gallery'}/${imageName}/${v.name ?? ''}`,
      region: v.location ?? 'unknown',
      createdAt: v.publishingProfile?.publishedDate,
      sizeGiB: v.storageProfile?.osDiskImage?.sizeInGB ?? null,
      state: v.provisioningState ?? null,
      tags: v.tags,
      systemData: v.systemData,
      encryption: withKey(keys[0]),
      sharing,
      source: sourceKindOf(v.storageProfile?.source?.id ?? v.storageProfile?.source?.virtualMachineId),
      facts,
      reads: { operation: FAMILY_OPERATIONS.galleryVersionWrite, listing: 'Microsoft.Compute:ListGalleryImageVersions' },
    },
    ctx,
  );
}

/**
 * A VM restore point: a copy of every disk of a VM, each a disk restore point (listed as their own kind: their data
 * leaves through beginGetAccess on each, or retrieveSasUris on the restore point).
 */
export function normaliseRestorePoint(rp: RestorePoint, c: RestorePointCollection, ctx: FamilyContext): Snapshot {
  const id = armId(rp.id ?? `${c.id ?? 'unknown'}/restorePoints/${rp.name ?? ''}`);
  const storage = rp.sourceMetadata?.storageProfile;
  const disks = [storage?.osDisk, ...(storage?.dataDisks ?? [])].filter((d) => d !== undefined);
  const keys = disks.map((d) => d?.diskRestorePoint?.encryption?.diskEncryptionSet?.id).filter((k): k is string => !!k);
  return artifact(
    {
      kind: 'restore-point',
      id,
      name: `${c.name ?? 'collection'}/${rp.name ?? ''}`,
      region: c.location ?? rp.sourceMetadata?.location ?? 'unknown',
      createdAt: rp.timeCreated,
      sizeGiB: null,
      state: rp.provisioningState ?? null,
      tags: c.tags,
      systemData: rp.systemData,
      encryption: withKey(keys[0]),
      sharing: {
        public: 'no',
        sharedWith: [],
        sharesKnown: true,
        notes: [`a restore point of ${disks.length} disk(s): each disk restore point is exported on its own (beginGetAccess)`],
      },
      source: sourceKindOf(c.source?.id),
      reads: { operation: FAMILY_OPERATIONS.restorePointWrite, listing: 'Microsoft.Compute:GetRestorePointCollection' },
    },
    ctx,
  );
}

/** A disk restore point: exposure from its own network settings, like a snapshot's. */
export function normaliseDiskRestorePoint(d: DiskRestorePoint, c: RestorePointCollection, rp: RestorePoint, ctx: FamilyContext): Snapshot {
  const id = armId(d.id ?? `unknown/${d.name ?? 'disk-restore-point'}`);
  const rpName = rp.name ?? '';
  // Made with its restore point: whoever made that made it.
  const creator = rp.id ? (ctx.creators.get(armId(rp.id).toLowerCase()) ?? null) : null;
  return artifact(
    {
      kind: 'disk-restore-point',
      id,
      name: `${c.name ?? 'collection'}/${rpName}/${d.name ?? ''}`,
      region: d.sourceResourceLocation ?? c.location ?? 'unknown',
      createdAt: d.timeCreated,
      sizeGiB: null,
      state: d.replicationState ?? null,
      tags: c.tags,
      systemData: d.systemData,
      encryption: encryptionOf({ encryption: d.encryption }),
      sharing: sharingOf(
        {
          ...(d.networkAccessPolicy ? { networkAccessPolicy: d.networkAccessPolicy } : {}),
          ...(d.publicNetworkAccess ? { publicNetworkAccess: d.publicNetworkAccess } : {}),
          ...(d.diskAccessId ? { diskAccessId: d.diskAccessId } : {}),
        },
        ctx.diskAccesses,
      ),
      source: sourceKindOf(d.sourceResourceId),
      creator,
      reads: { operation: FAMILY_OPERATIONS.restorePointWrite, listing: 'Microsoft.Compute:ListDiskRestorePoints' },
    },
    ctx,
  );
}

/** Is a SAS export URL of this disk live now (diskState ActiveSAS / ActiveSASFrozen)? */
export function liveExport(d: Pick<Disk, 'diskState'>): boolean {
  return /^ActiveSAS/i.test(d.diskState ?? '');
}

/**
 * A managed disk with a live SAS export: an export happening now. Whoever started it (the latest beginGetAccess in
 * the activity log) is its creator; its exposure is the disk's own network settings.
 */
export function normaliseDiskExport(d: Disk, ctx: FamilyContext): Snapshot {
  const id = armId(d.id ?? `unknown/${d.name ?? 'disk'}`);
  const exports = ctx.exports.get(id.toLowerCase()) ?? [];
  const last = exports[exports.length - 1];
  return artifact(
    {
      kind: 'disk-export',
      id,
      name: d.name ?? id,
      region: d.location ?? 'unknown',
      createdAt: last?.at ? new Date(last.at) : undefined,
      sizeGiB: d.diskSizeGB ?? null,
      state: d.diskState ?? null,
      tags: d.tags,
      systemData: undefined,
      encryption: encryptionOf(d),
      sharing: sharingOf(d, ctx.diskAccesses, 'Microsoft.Compute/disks/download/action'),
      source: { kind: 'disk', id },
      creator: last ? { identity: last.identity, at: last.at, actingResource: null } : null,
      reads: { operation: FAMILY_OPERATIONS.diskExport, listing: 'Microsoft.Compute:ListDisks' },
    },
    ctx,
  );
}

/** Is this id in the subscription (lower case)? */
export function inSubscription(id: string | undefined, subscriptionId: string): boolean {
  return !!id && subscriptionOf(id) === subscriptionId.toLowerCase();
}
