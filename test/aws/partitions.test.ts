/**
 * Partitions, through the lab: a scan covers only the caller's partition (from GetCallerIdentity's ARN). Regions of
 * another partition that an endpoint lists are reported as such and never called with the caller's credentials.
 */
import { describe, expect, it } from 'vitest';
import type { EstateInput } from '../../lab/estate.ts';
import { scanAws } from './support.ts';

function estate(partition: string, regions: string[]): EstateInput {
  return {
    estateVersion: 1,
    aws: {
      partition,
      accounts: [
        {
          id: '111111111111',
          name: 'one',
          regions,
          snapshots: regions.map((region, i) => ({
            id: `snap-0f00000000000000${i}`,
            region,
            startTime: '2026-11-01T00:00:00.000Z',
          })),
        },
      ],
    },
  };
}

describe('partitions', () => {
  it('a commercial caller reports cn-* and us-gov-* regions an endpoint lists, and never calls them', async () => {
    const { result, lab } = await scanAws(estate('aws', ['us-east-1', 'cn-north-1', 'us-gov-west-1', 'eu-west-1']), {
      aws: { mode: 'account' },
    });
    const scope = result.scopes[0]?.scope;
    expect(scope?.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(scope?.regionsOtherPartition).toEqual(['cn-north-1', 'us-gov-west-1']);
    expect(result.scopes[0]?.coverage.regions.filter((r) => r.status === 'other_partition').map((r) => r.region)).toEqual([
      'cn-north-1',
      'us-gov-west-1',
    ]);
    expect(result.scopes[0]?.snapshots.map((s) => s.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(lab.log.entries.filter((e) => e.region?.startsWith('cn-') || e.region?.startsWith('us-gov-'))).toEqual([]);
    expect(result.scan.complete).toBe(true);
  });

  it('an AWS China caller scans its own partition and reports the commercial regions instead', async () => {
    const { result, lab } = await scanAws(estate('aws-cn', ['cn-north-1', 'cn-northwest-1', 'us-east-1']), {
      aws: { mode: 'account', homeRegion: 'cn-north-1' },
    });
    const scope = result.scopes[0]?.scope;
    expect(scope?.regions).toEqual(['cn-north-1', 'cn-northwest-1']);
    expect(scope?.regionsOtherPartition).toEqual(['us-east-1']);
    expect(result.scopes[0]?.snapshots.map((s) => s.resourceId).sort()).toEqual([
      'arn:aws-cn:ec2:cn-north-1::snapshot/snap-0f000000000000000',
      'arn:aws-cn:ec2:cn-northwest-1::snapshot/snap-0f000000000000001',
    ]);
    expect(lab.log.entries.filter((e) => e.region === 'us-east-1')).toEqual([]);
  });
});
