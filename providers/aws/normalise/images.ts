/**
 * AMIs as read → the model (pure). Launch permissions decide who may launch (copy) an AMI
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html): `Group=all` makes it public, a
 * `UserId` shares it with an account, an `OrganizationArn` / `OrganizationalUnitArn` with an organisation or OU.
 * DescribeImageAttribute launchPermission is the setting itself (the authority); the `ExecutableUsers=all` listing
 * and the image's `Public` flag are hints, used only where the attribute was not read, and a disagreement is a
 * conflict note (the same rule as for EBS snapshots).
 */
import type { Image, LaunchPermission } from '@aws-sdk/client-ec2';
import { resolveOwner } from '../../../src/core/model/owner.ts';
import { decideFact, type SourcedReading } from '../../../src/core/model/provenance.ts';
import type { Fact, Snapshot, Tri } from '../../../src/core/model/result.ts';
import type { CreationRecord } from './creators.ts';
import { classifyKey, type KeyAliases } from './keys.ts';
import {
  automationDecision,
  keyAndCreatorFacts,
  publicNote,
  sharedWithEntries,
  type SnapshotOptions,
  sharesNote,
  tagsOf,
} from './snapshots.ts';

export const IMAGE_ATTRIBUTE = 'ec2:DescribeImageAttribute launchPermission';
export const IMAGE_PUBLIC_LISTING = 'ec2:DescribeImages ExecutableUsers=all';
const IMAGE_FIELD = 'ec2:DescribeImages BlockDeviceMappings Ebs.Encrypted/KmsKeyId';

/** What was read about one AMI besides its DescribeImages entry. */
export interface ImageReads {
  /** Was it in the `ExecutableUsers=all` listing? null: the listing was not read. */
  listedPublic: boolean | null;
  /** launchPermission as received; null: not read. */
  permissions: LaunchPermission[] | null;
  creation: CreationRecord | null;
  aliases: KeyAliases | null;
  sharingSkipped?: boolean;
}

/** A launchPermission list quoted as received. */
export function quoteLaunchPermissions(perms: readonly LaunchPermission[]): string {
  const one = (p: LaunchPermission) =>
    p.Group
      ? `Group=${p.Group}`
      : p.UserId
        ? `UserId=${p.UserId}`
        : p.OrganizationArn
          ? `OrganizationArn=${p.OrganizationArn}`
          : p.OrganizationalUnitArn
            ? `OrganizationalUnitArn=${p.OrganizationalUnitArn}`
            : 'entry without Group, UserId or organisation';
  return perms.length ? perms.map(one).join(', ') : 'empty';
}

export function imagePublicDecision(image: Pick<Image, 'Public'>, r: Pick<ImageReads, 'listedPublic' | 'permissions'>) {
  const authority: SourcedReading<Tri> | null = r.permissions
    ? {
        source: IMAGE_ATTRIBUTE,
        value: quoteLaunchPermissions(r.permissions),
        verdict: r.permissions.some((p) => p.Group === 'all') ? 'yes' : 'no',
      }
    : null;
  const hints: SourcedReading<Tri>[] = [
    ...(r.listedPublic === null
      ? []
      : [
          {
            source: IMAGE_PUBLIC_LISTING,
            value: r.listedPublic ? 'listed' : 'not listed',
            verdict: (r.listedPublic ? 'yes' : 'no') as Tri,
          },
        ]),
    ...(image.Public === undefined
      ? []
      : [{ source: 'ec2:DescribeImages Public', value: `Public=${image.Public}`, verdict: (image.Public ? 'yes' : 'no') as Tri }]),
  ];
  return decideFact('public', authority, hints, 'unknown');
}

/** The AMI's encryption: every EBS mapping encrypted → its (first) key; any unencrypted mapping → unencrypted. */
function imageEncryption(image: Image, accountId: string, aliases: KeyAliases | null) {
  const ebs = (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs ? [m.Ebs] : []));
  if (ebs.length === 0) return classifyKey(undefined, undefined, accountId, aliases, IMAGE_FIELD);
  const plain = ebs.find((e) => e.Encrypted !== true);
  if (plain) return classifyKey(plain.Encrypted, plain.KmsKeyId, accountId, aliases, IMAGE_FIELD);
  const first = ebs[0];
  return classifyKey(true, first?.KmsKeyId, accountId, aliases, IMAGE_FIELD);
}

/** The EBS snapshots an AMI is made of (its block device mappings), sorted. */
export function imageSnapshotIds(image: Pick<Image, 'BlockDeviceMappings'>): string[] {
  return [...new Set((image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : [])))].sort();
}

export function normaliseImage(image: Image, region: string, accountId: string, r: ImageReads, o: SnapshotOptions): Snapshot {
  const tags = tagsOf(image.Tags);
  const id = image.ImageId ?? 'unknown';
  const pub = imagePublicDecision(image, r);
  const key = imageEncryption(image, accountId, r.aliases);
  const automation = automationDecision(tags, r.creation);
  const perms = r.permissions;
  const accounts = perms ? perms.map((p) => p.UserId).filter((u): u is string => !!u) : null;
  const orgShares = perms ? perms.flatMap((p) => p.OrganizationArn ?? p.OrganizationalUnitArn ?? []) : [];
  const backedBy = imageSnapshotIds(image);
  const facts: Fact[] = [
    ...pub.facts,
    ...(perms
      ? [{ fact: 'shared-with' as const, source: IMAGE_ATTRIBUTE, value: quoteLaunchPermissions(perms), authoritative: true }]
      : []),
    ...keyAndCreatorFacts(key, r.creation),
    ...automation.facts,
  ];
  const notes = [
    ...publicNote(pub),
    ...orgShares.map((arn) => `launch permission for ${arn}`),
    ...sharesNote(accounts === null, r.sharingSkipped === true, o.cfg.shareLookup.enabled),
  ];
  const sourceInstance = image.SourceInstanceId ?? null;
  return {
    kind: 'image',
    id,
    name: image.Name ?? tags.Name ?? null,
    resourceId: `arn:${o.partition}:ec2:${region}::image/${id}`,
    region,
    createdAt: image.CreationDate ? new Date(image.CreationDate).toISOString() : null,
    sizeGiB: null,
    state: image.State ?? null,
    description:
      [image.Description, image.DeprecationTime ? `deprecated from ${image.DeprecationTime}` : ''].filter(Boolean).join('; ') || null,
    tags,
    encryption: key.encryption,
    sharing: {
      public: pub.verdict,
      sharedWith: [
        ...sharedWithEntries(accounts ?? [], accountId, o.orgAccounts),
        ...orgShares.map((arn) => ({
          id: arn,
          kind: arn.includes(':ou/') ? 'organizational-unit' : 'organization',
          inOrganization: 'unknown' as const,
        })),
      ],
      sharesKnown: accounts !== null,
      notes,
    },
    owner: resolveOwner({ tags, ownerTagKeys: o.policy.ownerTagKeys, creatorFromAudit: r.creation?.identity ?? null }),
    creator: r.creation ? { identity: r.creation.identity, source: 'audit-event', at: r.creation.at } : null,
    source: sourceInstance ? { kind: 'instance', id: sourceInstance, tags: {} } : { kind: 'unknown', id: null, tags: {} },
    automation: automation.verdict ? { by: automation.verdict, basis: automation.decidedBy?.value ?? null } : { by: null, basis: null },
    facts,
    conflicts: [...pub.conflicts, ...automation.conflicts],
    ...(backedBy.length ? { backedBy } : {}),
  };
}
