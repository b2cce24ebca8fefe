/**
 * The rest of the snapshot family into the model, as pure functions: images and machine images (global), instant
 * snapshots (zonal and regional). Exposure from each item's own IAM policy (sharing.ts), encryption from its key
 * field (Google-managed, CMEK, CSEK), the source it was made from, owner from labels / creator / source disk.
 */
import type { ArtifactKind, Fact, Snapshot } from '../../../src/core/model/result.ts';
import type { Membership } from '../members.ts';
import { type Creator, creatorFacts, ownership, toIso } from './common.ts';
import { type AuditLogEntry, resourcePath } from './snapshots.ts';
import { iamFacts, iamSharing, type RawBinding } from './sharing.ts';

interface RawKey {
  kmsKeyName?: string | null;
  sha256?: string | null;
  rawKey?: string | null;
  rsaEncryptedKey?: string | null;
}

interface RawCommon {
  id?: string | number | null;
  name?: string | null;
  description?: string | null;
  status?: string | null;
  creationTimestamp?: string | null;
  labels?: Record<string, string> | null;
  selfLink?: string | null;
}

export interface RawImage extends RawCommon {
  diskSizeGb?: string | number | null;
  family?: string | null;
  sourceDisk?: string | null;
  sourceSnapshot?: string | null;
  sourceImage?: string | null;
  rawDisk?: { source?: string | null } | null;
  imageEncryptionKey?: RawKey | null;
}

export interface RawMachineImage extends RawCommon {
  totalStorageBytes?: string | number | null;
  sourceInstance?: string | null;
  machineImageEncryptionKey?: RawKey | null;
}

export interface RawInstantSnapshot extends RawCommon {
  diskSizeGb?: string | number | null;
  sourceDisk?: string | null;
  /** Zonal instant snapshots: the zone's URL… */
  zone?: string | null;
  /** …regional ones: the region's URL. */
  region?: string | null;
}

export type FamilyKind = Extract<ArtifactKind, 'image' | 'machine-image' | 'instant-snapshot'>;

export type RawFamilyItem =
  | { kind: 'image'; raw: RawImage }
  | { kind: 'machine-image'; raw: RawMachineImage }
  | { kind: 'instant-snapshot'; raw: RawInstantSnapshot };

export interface FamilyInputs {
  projectId: string;
  item: RawFamilyItem;
  /** The item's IAM bindings; null when not looked up or the lookup failed. */
  iam: RawBinding[] | null;
  iamNote: string | null;
  creator: Creator | null;
  /** Labels of the source disk, when it still exists and disks were listed. */
  diskLabels: Record<string, string> | null;
  membership: Membership;
  ownerTagKeys: readonly string[];
}

const GiB = 1024 ** 3;

/** `https://…/zones/europe-west1-b` → `europe-west1-b`; images and machine images are global. */
export function familyLocation(item: RawFamilyItem): string {
  if (item.kind !== 'instant-snapshot') return 'global';
  const at = item.raw.zone ?? item.raw.region;
  return at ? (at.split('/').pop() ?? 'global') : 'global';
}

/** The list and getIamPolicy operations an item was read with (the source its facts name). */
export function familyOperations(item: RawFamilyItem): { listing: string; policy: string } {
  if (item.kind === 'image') return { listing: 'compute:images.list', policy: 'compute:images.getIamPolicy' };
  if (item.kind === 'machine-image') return { listing: 'compute:machineImages.list', policy: 'compute:machineImages.getIamPolicy' };
  return item.raw.region
    ? { listing: 'compute:instantSnapshots.aggregatedList', policy: 'compute:regionInstantSnapshots.getIamPolicy' }
    : { listing: 'compute:instantSnapshots.aggregatedList', policy: 'compute:instantSnapshots.getIamPolicy' };
}

const num = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? null : Number(v));

/** Encryption from the key field; instant snapshots carry none (they share their source disk's key). */
function encryptionOf(item: RawFamilyItem): { encryption: Snapshot['encryption']; fact: Fact } {
  if (item.kind === 'instant-snapshot') {
    return {
      encryption: { status: 'unknown', keyId: null },
      fact: { fact: 'encryption', source: `${familyOperations(item).listing}`, value: 'absent', authoritative: false },
    };
  }
  const field = item.kind === 'image' ? 'imageEncryptionKey' : 'machineImageEncryptionKey';
  const key = item.kind === 'image' ? item.raw.imageEncryptionKey : item.raw.machineImageEncryptionKey;
  const encryption: Snapshot['encryption'] = key?.kmsKeyName
    ? { status: 'customer-key', keyId: key.kmsKeyName }
    : key && (key.sha256 || key.rawKey || key.rsaEncryptedKey)
      ? { status: 'customer-key', keyId: `customer-supplied key${key.sha256 ? ` (sha256 ${key.sha256})` : ''}` }
      : { status: 'provider-key', keyId: null };
  const value = key?.kmsKeyName ? `kmsKeyName ${key.kmsKeyName}` : key?.sha256 ? `sha256 ${key.sha256}` : 'absent';
  return { encryption, fact: { fact: 'encryption', source: `${familyOperations(item).listing} ${field}`, value, authoritative: true } };
}

function sourceOf(item: RawFamilyItem, diskLabels: Record<string, string> | null): Snapshot['source'] {
  if (item.kind === 'machine-image')
    return item.raw.sourceInstance
      ? { kind: 'instance', id: resourcePath(item.raw.sourceInstance), tags: {} }
      : { kind: 'unknown', id: null, tags: {} };
  if (item.raw.sourceDisk) return { kind: 'disk', id: resourcePath(item.raw.sourceDisk), tags: diskLabels ?? {} };
  if (item.kind === 'image') {
    const r = item.raw;
    if (r.sourceSnapshot) return { kind: 'snapshot', id: resourcePath(r.sourceSnapshot), tags: {} };
    if (r.sourceImage) return { kind: 'image', id: resourcePath(r.sourceImage), tags: {} };
    if (r.rawDisk?.source) return { kind: 'import', id: r.rawDisk.source, tags: {} };
  }
  return { kind: 'unknown', id: null, tags: {} };
}

function sizeOf(item: RawFamilyItem): number | null {
  if (item.kind === 'machine-image') {
    const bytes = num(item.raw.totalStorageBytes);
    return bytes === null ? null : Math.round((bytes / GiB) * 100) / 100;
  }
  return num(item.raw.diskSizeGb);
}

export function normaliseFamilyItem(i: FamilyInputs): Snapshot {
  const { item } = i;
  const r = item.raw;
  const name = r.name ?? String(r.id ?? 'unknown');
  const location = familyLocation(item);
  const labels = { ...(r.labels ?? {}) };
  const sharing = iamSharing(i.iam, i.iamNote, i.membership);
  const { encryption, fact } = encryptionOf(item);
  const source = sourceOf(item, i.diskLabels);
  const ops = familyOperations(item);
  const facts: Fact[] = [...iamFacts(`${ops.policy} bindings`, i.iam, sharing.public), fact];
  facts.push(...creatorFacts(i.creator));
  return {
    kind: item.kind,
    id: name,
    name,
    resourceId: r.selfLink ?? `https://www.googleapis.com/compute/v1/projects/${i.projectId}/${location}/${name}`,
    region: location,
    createdAt: toIso(r.creationTimestamp),
    sizeGiB: sizeOf(item),
    state: r.status ?? null,
    description: r.description || null,
    tags: labels,
    encryption,
    sharing,
    ...ownership(labels, i.ownerTagKeys, i.creator, source.kind === 'disk' ? i.diskLabels : null),
    source,
    automation: { by: null, basis: null },
    facts,
    conflicts: [],
  };
}

/** `projects/p/global/images/x`, `projects/p/zones/z/instantSnapshots/x`… → `global/images/x`, `zones/z/instantSnapshots/x`. */
const familyResource = /^projects\/[^/]+\/((?:global\/(?:images|machineImages))|(?:(?:zones|regions)\/[^/]+\/instantSnapshots))\/([^/]+)$/;

/**
 * The identities that created images, machine images and instant snapshots, by their path under the project
 * (`global/images/NAME`, `zones/Z/instantSnapshots/NAME`…), from Admin Activity entries of the inserting calls (the
 * resource name names what was made). Failed calls are ignored; the earliest first.
 */
export function familyCreatorsFromEntries(entries: readonly AuditLogEntry[]): Map<string, Creator[]> {
  const out = new Map<string, Creator[]>();
  for (const e of entries) {
    const p = e.protoPayload;
    if (!p || !/\.compute\.(images|machineImages|instantSnapshots|regionInstantSnapshots)\.insert$/.test(p.methodName ?? '')) continue;
    const who = p.authenticationInfo?.principalEmail;
    const m = familyResource.exec(resourcePath(p.resourceName ?? ''));
    if (!who || !m || !e.timestamp || (p.status?.code ?? 0) !== 0) continue;
    const key = `${m[1]}/${m[2]}`;
    const list = out.get(key) ?? [];
    const at = new Date(e.timestamp).toISOString();
    if (!list.some((c) => c.identity === who && c.at === at)) list.push({ identity: who, at });
    out.set(key, list);
  }
  for (const list of out.values()) list.sort((a, b) => (a.at < b.at ? -1 : 1));
  return out;
}
