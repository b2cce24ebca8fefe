/** EC2 (query protocol, XML) operations the scanner reads. */
import type { LabResponse } from '../../core.ts';
import type { AwsHandler } from '../handlers.ts';
import { awsError, ec2Filters, ec2Response, listParam, tokenPage } from '../wire.ts';
import { type AwsAccount, awsDefaultRegions, type AwsImage, type AwsSnapshot } from '../estate.ts';
import { snapshotKeyArn } from './kms.ts';

function snapshotItem(s: AwsSnapshot, account: AwsAccount, partition: string) {
  return {
    snapshotId: s.id,
    volumeId: s.volumeId,
    status: s.state,
    startTime: s.startTime,
    progress: s.state === 'completed' ? '100%' : '50%',
    ownerId: account.id,
    volumeSize: s.sizeGiB,
    description: s.description,
    encrypted: s.encrypted,
    kmsKeyId: snapshotKeyArn(partition, account, s),
    storageTier: 'standard',
    tagSet: Object.entries(s.tags).map(([key, value]) => ({ key, value })),
  };
}

function imageItem(i: AwsImage, account: AwsAccount, partition: string) {
  return {
    imageId: i.id,
    imageLocation: `${account.id}/${i.name}`,
    imageState: i.state,
    imageOwnerId: account.id,
    creationDate: i.creationDate,
    isPublic: i.public,
    architecture: 'x86_64',
    imageType: 'machine',
    name: i.name,
    description: i.description,
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    blockDeviceMapping: i.snapshotIds.map((snapshotId, n) => ({
      deviceName: n === 0 ? '/dev/xvda' : `/dev/sd${String.fromCharCode(98 + n)}`,
      ebs: {
        snapshotId,
        volumeSize: 8,
        deleteOnTermination: true,
        volumeType: 'gp3',
        encrypted: i.encrypted,
        kmsKeyId: i.encrypted ? snapshotKeyArn(partition, account, i) : undefined,
      },
    })),
    tagSet: Object.entries(i.tags).map(([key, value]) => ({ key, value })),
    deprecationTime: i.deprecationTime,
    sourceInstanceId: i.sourceInstanceId,
  };
}

/**
 * EC2 paging, as the real API does it: items sorted by id, MaxResults 5–1000 (not together with explicit ids),
 * opaque NextTokens bound to the listing, and pages possibly shorter than asked (the estate's pageLimits).
 */
function ec2Page<T extends { id: string }>(
  params: URLSearchParams,
  items: readonly T[],
  byIds: boolean,
  idsParameter: string,
  salt: string,
  pageSize: (asked: number) => number,
): { items: T[]; nextToken: string | null } | LabResponse {
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
  const max = params.get('MaxResults');
  if (max !== null && byIds) {
    return awsError(
      'ec2',
      400,
      'InvalidParameterCombination',
      `The parameter ${idsParameter} cannot be used with the parameter MaxResults`,
    );
  }
  const size = max === null ? 1000 : Number(max);
  if (max !== null && (size < 5 || size > 1000)) {
    return awsError(
      'ec2',
      400,
      'InvalidParameterValue',
      'Value for parameter MaxResults is invalid. Expecting a value between 5 and 1000.',
    );
  }
  const p = tokenPage(sorted, params.get('NextToken'), salt, pageSize(size), () =>
    awsError('ec2', 400, 'InvalidParameterValue', 'The NextToken is invalid.'),
  );
  if ('error' in p) return p.error;
  return { items: p.items, nextToken: p.next ?? null };
}

export const ec2Handlers: Record<string, AwsHandler> = {
  DescribeRegions({ params, state, account }) {
    const enabled = new Set(state.enabledRegions(account));
    const defaults = new Set<string>(awsDefaultRegions);
    const all = params.get('AllRegions') === 'true';
    const names = listParam(params, 'RegionName');
    const regions = state
      .allRegions()
      .filter((r) => (all || enabled.has(r)) && (names.length === 0 || names.includes(r)))
      .map((r) => ({
        regionName: r,
        regionEndpoint: `ec2.${r}.amazonaws.com`,
        optInStatus: !enabled.has(r) ? 'not-opted-in' : defaults.has(r) ? 'opt-in-not-required' : 'opted-in',
      }));
    return ec2Response('DescribeRegions', { regionInfo: regions });
  },

  DescribeSnapshots({ params, account, region, pageSize, state }) {
    const owners = listParam(params, 'Owner');
    const restorableBy = listParam(params, 'RestorableBy');
    const ids = listParam(params, 'SnapshotId');
    const filters = ec2Filters(params);
    if (owners.some((o) => o !== 'self' && o !== account.id)) {
      return ec2Response('DescribeSnapshots', { snapshotSet: [] });
    }
    let items = account.snapshots.filter((s) => s.region === region);
    if (ids.length > 0) {
      const missing = ids.filter((id) => !items.some((s) => s.id === id));
      if (missing.length > 0) return awsError('ec2', 400, 'InvalidSnapshot.NotFound', `The snapshot '${missing[0]}' does not exist.`);
      items = items.filter((s) => ids.includes(s.id));
    }
    if (restorableBy.includes('all') && !state.estate.publicListingIgnoresFilter) items = items.filter((s) => s.public);
    for (const [name, values] of filters) {
      if (name === 'encrypted') items = items.filter((s) => values.includes(String(s.encrypted)));
      else if (name === 'status') items = items.filter((s) => values.includes(s.state));
      else if (name === 'volume-id') items = items.filter((s) => values.includes(s.volumeId));
    }
    const p = ec2Page(params, items, ids.length > 0, 'SnapshotIds', `ds-${account.id}-${region}`, pageSize);
    if ('status' in p) return p;
    return ec2Response('DescribeSnapshots', {
      snapshotSet: p.items.map((s) => snapshotItem(s, account, state.estate.partition)),
      nextToken: p.nextToken,
    });
  },

  DescribeSnapshotAttribute({ params, account, region }) {
    const id = params.get('SnapshotId');
    const attribute = params.get('Attribute');
    const snap = account.snapshots.find((s) => s.id === id && s.region === region);
    if (!snap) return awsError('ec2', 400, 'InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
    if (attribute !== 'createVolumePermission') {
      return ec2Response('DescribeSnapshotAttribute', { snapshotId: snap.id, productCodes: [] });
    }
    return ec2Response('DescribeSnapshotAttribute', {
      snapshotId: snap.id,
      createVolumePermission: [...(snap.public ? [{ group: 'all' }] : []), ...snap.sharedWith.map((userId) => ({ userId }))],
    });
  },

  DescribeVolumes({ params, account, region, pageSize }) {
    const ids = listParam(params, 'VolumeId');
    const filters = ec2Filters(params);
    let items = account.volumes.filter((v) => v.region === region);
    if (ids.length > 0) {
      const missing = ids.filter((id) => !items.some((v) => v.id === id));
      if (missing.length > 0) return awsError('ec2', 400, 'InvalidVolume.NotFound', `The volume '${missing[0]}' does not exist.`);
      items = items.filter((v) => ids.includes(v.id));
    }
    for (const [name, values] of filters) {
      if (name === 'volume-id') items = items.filter((v) => values.includes(v.id));
      else if (name === 'status') items = items.filter((v) => values.includes(v.state));
      else if (name.startsWith('tag:')) items = items.filter((v) => values.includes(v.tags[name.slice(4)] ?? '\u0000'));
    }
    const p = ec2Page(params, items, ids.length > 0, 'VolumeIds', `dv-${account.id}-${region}`, pageSize);
    if ('status' in p) return p;
    return ec2Response('DescribeVolumes', {
      volumeSet: p.items.map((v) => ({
        volumeId: v.id,
        size: v.sizeGiB,
        snapshotId: '',
        availabilityZone: `${region}a`,
        status: v.state,
        createTime: '2024-03-01T00:00:00.000Z',
        attachmentSet: [],
        tagSet: Object.entries(v.tags).map(([key, value]) => ({ key, value })),
        volumeType: 'gp3',
        encrypted: v.encrypted,
      })),
      nextToken: p.nextToken,
    });
  },

  DescribeImages({ params, account, region, pageSize, state }) {
    const owners = listParam(params, 'Owner');
    const executableBy = listParam(params, 'ExecutableBy');
    const ids = listParam(params, 'ImageId');
    if (owners.some((o) => o !== 'self' && o !== account.id)) return ec2Response('DescribeImages', { imagesSet: [] });
    let items = account.images.filter((i) => i.region === region);
    if (ids.length > 0) items = items.filter((i) => ids.includes(i.id));
    if (executableBy.includes('all')) items = items.filter((i) => i.public);
    const p = ec2Page(params, items, ids.length > 0, 'ImageIds', `di-${account.id}-${region}-${executableBy.join(',')}`, pageSize);
    if ('status' in p) return p;
    return ec2Response('DescribeImages', {
      imagesSet: p.items.map((i) => imageItem(i, account, state.estate.partition)),
      nextToken: p.nextToken,
    });
  },

  DescribeImageAttribute({ params, account, region }) {
    const id = params.get('ImageId');
    const image = account.images.find((i) => i.id === id && i.region === region);
    if (!image) return awsError('ec2', 400, 'InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
    if (params.get('Attribute') !== 'launchPermission') return ec2Response('DescribeImageAttribute', { imageId: image.id });
    return ec2Response('DescribeImageAttribute', {
      imageId: image.id,
      launchPermission: [
        ...(image.public ? [{ group: 'all' }] : []),
        ...image.sharedWith.map((userId) => ({ userId })),
        ...image.sharedWithOrganizations.map((arn) => (arn.includes(':ou/') ? { organizationalUnitArn: arn } : { organizationArn: arn })),
      ],
    });
  },

  GetImageBlockPublicAccessState({ account, region }) {
    return ec2Response('GetImageBlockPublicAccessState', {
      imageBlockPublicAccessState: account.imageBlockPublicAccess[region] ?? 'unblocked',
      managedBy: 'account',
    });
  },

  GetSnapshotBlockPublicAccessState({ account, region }) {
    return ec2Response('GetSnapshotBlockPublicAccessState', {
      state: account.blockPublicAccess[region] ?? 'unblocked',
      managedBy: 'account',
    });
  },
};
