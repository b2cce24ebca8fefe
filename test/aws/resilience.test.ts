/**
 * An AWS-compatible endpoint that lacks an API, credentials that expire mid-scan, throttled history lookups: each
 * becomes a gap for that part (or is recovered), never a crash of the scan.
 */
import { describe, expect, it } from 'vitest';
import type { EstateInput } from '../../lab/estate.ts';
import { allFindings } from '../../src/core/model/order.ts';
import { assertValidResult } from '../support/lab.ts';
import { scanAws } from './support.ts';

const MEMBER = '222222222222';

function estate(unsupported: string[] = [], notImplemented: string[] = []): EstateInput {
  return {
    estateVersion: 1,
    aws: {
      organization: { id: 'o-resilient01', managementAccountId: '111111111111' },
      unsupportedOperations: unsupported,
      notImplementedOperations: notImplemented,
      accounts: [
        { id: '111111111111', name: 'mgmt', regions: ['us-east-1'] },
        {
          id: MEMBER,
          name: 'member',
          regions: ['us-east-1', 'eu-west-1'],
          trails: [{ name: 'main', homeRegion: 'us-east-1', multiRegion: true, logFileValidation: true, kmsKeyId: 'k' }],
          eventRules: [{ name: 'snap', region: 'us-east-1', pattern: { source: ['aws.ec2'], detail: { eventName: ['CreateSnapshot'] } } }],
          iam: {
            users: [
              {
                name: 'u',
                inlinePolicies: [{ name: 'p', document: { Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] } }],
              },
            ],
          },
          snapshots: [
            { id: 'snap-0000000000000b001', region: 'us-east-1', startTime: '2026-11-01T00:00:00Z', volumeId: 'vol-0000000000000b001' },
          ],
          volumes: [{ id: 'vol-0000000000000b001', region: 'us-east-1', tags: { team: 'storage' } }],
          cloudTrailEvents: [
            {
              name: 'CreateSnapshot',
              region: 'us-east-1',
              time: '2026-11-01T00:00:00Z',
              userArn: `arn:aws:iam::${MEMBER}:user/u`,
              snapshotIds: ['snap-0000000000000b001'],
            },
          ],
        },
      ],
    },
  } as EstateInput;
}

describe('APIs the endpoint does not implement', () => {
  it('EventBridge ListRules missing (UnknownOperationException): alerting gaps, alerted unknown, the rest complete', async () => {
    const { result, scope } = await scanAws(estate(['events:ListRules']), { aws: { accounts: { include: [MEMBER] } } });
    assertValidResult(result);
    const s = scope(MEMBER);
    expect(s.coverage.gaps.map((g) => `${g.code}/${g.part}/${g.operation}/${g.region}`).sort()).toEqual([
      'not_implemented/alerting/events:ListRules/eu-west-1',
      'not_implemented/alerting/events:ListRules/us-east-1',
    ]);
    expect(s.logging.regions.map((r) => `${r.region}:${r.recorded}/${r.alerted}`)).toEqual([
      'eu-west-1:yes/unknown',
      'us-east-1:yes/unknown',
    ]);
    expect(s.snapshots).toHaveLength(1);
    expect(s.coverage.status).toBe('partial');
    expect(result.stats.errors).toBe(2);
  });

  it('IAM GetAccountAuthorizationDetails missing (InvalidAction): a principals gap, no crash', async () => {
    const { scope } = await scanAws(estate(['iam:GetAccountAuthorizationDetails']), { aws: { accounts: { include: [MEMBER] } } });
    expect(scope(MEMBER).coverage.gaps).toEqual([
      expect.objectContaining({
        code: 'not_implemented',
        part: 'principals',
        operation: 'iam:GetAccountAuthorizationDetails',
        region: null,
      }),
    ]);
  });

  it('CloudTrail LookupEvents missing: creators and activity gaps; the owner falls back to the source volume', async () => {
    const { scope } = await scanAws(estate(['cloudtrail:LookupEvents']), {
      aws: { accounts: { include: [MEMBER] } },
      config: { policy: { ownerTagKeys: ['team'] } },
    });
    const s = scope(MEMBER);
    expect(new Set(s.coverage.gaps.map((g) => `${g.code}/${g.part}`))).toEqual(
      new Set(['not_implemented/creators', 'not_implemented/activity']),
    );
    expect(s.activity).toEqual([]);
    expect(s.snapshots[0]).toMatchObject({ creator: null, owner: { value: 'storage', source: 'source-tag' } });
  });
});

describe('APIs answered HTTP 501 (LocalStack-style "not yet implemented")', () => {
  it('snapshot block public access missing: a guards gap per region, not retried', async () => {
    const { result, scope } = await scanAws(estate([], ['ec2:GetSnapshotBlockPublicAccessState']), {
      aws: { accounts: { include: [MEMBER] } },
    });
    const s = scope(MEMBER);
    expect(s.coverage.gaps.map((g) => `${g.code}/${g.part}/${g.region}`).sort()).toEqual([
      'not_implemented/guards/eu-west-1',
      'not_implemented/guards/us-east-1',
    ]);
    expect(s.guards.filter((g) => g.kind === 'snapshot-block-public-access')).toEqual([]);
    expect(result.stats.retries).toBe(0);
    expect(allFindings(result).filter((f) => f.checkId === 'snapshots.block-public-access-off' && f.messageId === 'notBlocking')).toEqual(
      [],
    );
  });
});

describe('credentials that expire mid-scan', () => {
  it('re-assumes the role once on ExpiredToken and retries the call', async () => {
    const { result, scope, lab } = await scanAws(estate(), {
      aws: { accounts: { include: [MEMBER] } },
      faults: [
        {
          provider: 'aws',
          scope: MEMBER,
          operation: 'ec2:DescribeSnapshots',
          kind: 'expired_credentials',
          rate: 1,
          times: 1,
          after: 0,
          ms: 0,
        },
      ],
    });
    const s = scope(MEMBER);
    expect(s.coverage.status).toBe('complete');
    expect(s.snapshots.map((x) => x.id)).toEqual(['snap-0000000000000b001']);
    const assumes = lab.log.entries.filter((e) => e.operation === 'AssumeRole');
    expect(assumes).toHaveLength(2);
    // The retried call used the new session: its access key selects the member account again.
    const refused = lab.log.entries.find((e) => e.operation === 'DescribeSnapshots' && e.status === 400);
    const snaps = lab.log.entries.filter((e) => e.operation === 'DescribeSnapshots' && e.region === refused?.region);
    expect(snaps.map((e) => e.status).slice(0, 2)).toEqual([400, 200]);
    expect(snaps.filter((e) => e.status !== 200)).toHaveLength(1);
    expect(result.stats.operations['aws:sts:AssumeRole']).toBe(2);
  });

  it('gives up after one re-assume: a second ExpiredToken is a credentials gap', async () => {
    const { scope, lab } = await scanAws(estate(), {
      aws: { accounts: { include: [MEMBER] } },
      faults: [
        {
          provider: 'aws',
          scope: MEMBER,
          operation: 'ec2:GetSnapshotBlockPublicAccessState',
          region: 'eu-west-1',
          kind: 'expired_credentials',
          rate: 1,
          after: 0,
          ms: 0,
        },
      ],
    });
    expect(scope(MEMBER).coverage.gaps).toEqual([
      expect.objectContaining({
        code: 'credentials',
        part: 'guards',
        region: 'eu-west-1',
        operation: 'ec2:GetSnapshotBlockPublicAccessState',
      }),
    ]);
    expect(lab.log.entries.filter((e) => e.operation === 'AssumeRole')).toHaveLength(2);
  });
  it('renews a session that is about to expire while every call slot waits for it, without stalling', async () => {
    // STS sessions last what AssumeRole's DurationSeconds asks for, 3600 s by default (AWS STS API reference,
    // AssumeRole): an organisation scan that runs longer renews them mid-scan, and the SDK asks for the renewed
    // credentials inside a call that already holds a slot. Sessions of 60 s here are inside the renewal margin from
    // the start, and one call slot for the whole provider means the renewal's waiter holds the only slot.
    const short = { ...estate(), aws: { ...estate().aws, sessionDurationSeconds: 60 } } as EstateInput;
    const { result, scope } = await scanAws(short, {
      aws: { accounts: { include: [MEMBER] } },
      config: { scan: { concurrency: { scopes: 1, callsPerScope: 1, callsPerProvider: 1 }, callTimeoutMs: 1500 } },
    });
    const s = scope(MEMBER);
    expect(s.coverage.gaps).toEqual([]);
    expect(s.coverage.status).toBe('complete');
    expect(s.snapshots.map((x) => x.id)).toEqual(['snap-0000000000000b001']);
    // The sessions were renewed (more than discovery's one AssumeRole), and no call waited out its deadline: a stalled
    // attempt is abandoned at the deadline and retried, so it would show as a retry.
    expect(result.stats.operations['aws:sts:AssumeRole']).toBeGreaterThan(1);
    expect(result.stats.retries).toBe(0);
    expect(result.stats.errors).toBe(0);
  });
});

describe('throttling', () => {
  it('retries throttled history lookups and loses nothing', async () => {
    const { result, scope } = await scanAws(estate(), {
      aws: { accounts: { include: [MEMBER] } },
      faults: [{ provider: 'aws', operation: 'cloudtrail:LookupEvents', kind: 'throttle', rate: 1, times: 3, after: 0, ms: 0 }],
    });
    expect(result.stats.throttles).toBe(3);
    expect(scope(MEMBER).coverage.status).toBe('complete');
    expect(scope(MEMBER).snapshots[0]?.creator?.identity).toBe(`arn:aws:iam::${MEMBER}:user/u`);
  });
});
