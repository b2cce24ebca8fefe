/** Creator and owner resolution from CloudTrail history, as pure functions over LookupEvents results. */
import { describe, expect, it } from 'vitest';
import { copiedFrom, creationOf, emptyIndex, indexEvents } from '../../providers/aws/normalise/creators.ts';
import { normaliseSnapshot, type SnapshotOptions } from '../../providers/aws/normalise/snapshots.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import { AwsConfig } from '../../src/core/config/schema.ts';

function event(name: string, record: Record<string, unknown>) {
  return {
    EventName: name,
    EventTime: new Date('2026-11-01T00:00:00Z'),
    CloudTrailEvent: JSON.stringify({ eventName: name, eventTime: '2026-11-01T00:00:00Z', ...record }),
  };
}
const user = (arn: string) => ({ userIdentity: { type: 'IAMUser', arn } });

describe('indexing snapshot creation events', () => {
  const index = indexEvents(emptyIndex(), [
    event('CreateSnapshot', { ...user('arn:aws:iam::1:user/a'), responseElements: { snapshotId: 'snap-a' } }),
    event('CreateSnapshots', {
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::1:assumed-role/ops/jane',
        sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::1:role/ops' } },
      },
      responseElements: { snapshotSet: { items: [{ snapshotId: 'snap-b1' }, { snapshotId: 'snap-b2' }] } },
    }),
    event('CopySnapshot', {
      ...user('arn:aws:iam::1:user/c'),
      requestParameters: { sourceSnapshotId: 'snap-a' },
      responseElements: { snapshotId: 'snap-c' },
    }),
    event('CreateImage', { ...user('arn:aws:iam::1:user/d'), responseElements: { imageId: 'ami-0d' } }),
    event('CreateSnapshot', {
      userIdentity: { type: 'AWSService', invokedBy: 'backup.amazonaws.com' },
      responseElements: { snapshotId: 'snap-e' },
    }),
    event('CreateSnapshot', { ...user('arn:aws:iam::1:user/f'), errorCode: 'Client.UnauthorizedOperation', responseElements: null }),
    { EventName: 'CreateSnapshot', CloudTrailEvent: '{not json' },
  ]);

  it.each([
    ['snap-a', 'arn:aws:iam::1:user/a', 'CreateSnapshot'],
    ['snap-b1', 'arn:aws:sts::1:assumed-role/ops/jane', 'CreateSnapshots'],
    ['snap-b2', 'arn:aws:sts::1:assumed-role/ops/jane', 'CreateSnapshots'],
    ['snap-c', 'arn:aws:iam::1:user/c', 'CopySnapshot'],
    ['snap-e', 'backup.amazonaws.com', 'CreateSnapshot'],
  ])('%s was made by %s (%s)', (id, identity, eventName) => {
    expect(creationOf(index, id, undefined)).toMatchObject({ identity, eventName, at: '2026-11-01T00:00:00.000Z' });
  });

  it('links a CreateImage snapshot to its AMI through the description', () => {
    expect(creationOf(index, 'snap-x', 'Created by CreateImage(i-0abc) for ami-0d')?.identity).toBe('arn:aws:iam::1:user/d');
  });

  it('skips failed calls and unreadable records', () => {
    expect(index.bySnapshot.size).toBe(5);
  });

  it('remembers where a copy came from', () => {
    expect(creationOf(index, 'snap-c', undefined)?.sourceSnapshotId).toBe('snap-a');
    expect(copiedFrom('[Copied snap-0123abcd from eu-west-1]')).toBe('snap-0123abcd');
  });
});

describe('owner resolution order: tag → audit event → source volume tag → unknown', () => {
  const config = parseConfig({ version: 1 });
  const o: SnapshotOptions = {
    cfg: AwsConfig.parse({}),
    policy: config.policy,
    orgAccounts: new Set(['111111111111', '222222222222']),
    partition: 'aws',
    now: new Date('2026-11-26T00:00:00Z'),
  };
  const creation = { identity: 'arn:aws:iam::1:user/a', at: null, eventName: 'CreateSnapshot', sourceSnapshotId: null, automation: null };
  const snap = (tags: Record<string, string>) => ({
    SnapshotId: 'snap-1',
    VolumeId: 'vol-1',
    Encrypted: false,
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  });
  const base = {
    listedPublic: false,
    permissions: [{ UserId: '222222222222' }, { UserId: '999999999999' }],
    aliases: null,
  };

  it.each([
    ['an owner tag wins', { owner: 'team-a' }, creation, { team: 'x' }, { value: 'team-a', source: 'tag' }],
    ['then the creator', {}, creation, { team: 'x' }, { value: 'arn:aws:iam::1:user/a', source: 'audit-event' }],
    ['then the source volume tag', {}, null, { team: 'vol-team' }, { value: 'vol-team', source: 'source-tag' }],
    ['else unknown', {}, null, {}, { value: null, source: 'unknown' }],
  ])('%s', (_name, tags, c, sourceTags, owner) => {
    const s = normaliseSnapshot(snap(tags), 'us-east-1', '111111111111', { ...base, creation: c, sourceTags }, o);
    expect(s.owner).toMatchObject(owner);
    expect(s.creator).toEqual(c ? { identity: c.identity, source: 'audit-event', at: null } : null);
  });

  it('marks shares inside and outside the organisation', () => {
    const s = normaliseSnapshot(snap({}), 'us-east-1', '111111111111', { ...base, creation: null, sourceTags: undefined }, o);
    expect(s.sharing.sharedWith).toEqual([
      { id: '222222222222', kind: 'account', inOrganization: 'yes' },
      { id: '999999999999', kind: 'account', inOrganization: 'no' },
    ]);
  });

  it('records the automation the creating identity belongs to, as a fact (the baseline judges it)', () => {
    const s = normaliseSnapshot(
      snap({}),
      'us-east-1',
      '111111111111',
      {
        ...base,
        creation: {
          ...creation,
          identity: 'backup.amazonaws.com',
          automation: { by: 'aws-backup', basis: 'userIdentity.invokedBy backup.amazonaws.com' },
        },
        sourceTags: undefined,
      },
      o,
    );
    expect(s.automation).toEqual({ by: 'aws-backup', basis: 'userIdentity.invokedBy backup.amazonaws.com' });
  });
});
