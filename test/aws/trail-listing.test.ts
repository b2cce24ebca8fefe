/**
 * Trails are read once per account, not once per region (issue 19), proven from the lab's request log:
 * ListTrails names every trail of the account with its home region
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTrails.html); DescribeTrails in the home
 * region returns the trails homed there and every shadow trail, and a trail of another region only by its ARN
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html).
 */
import { describe, expect, it } from 'vitest';
import type { EstateInput } from '../../lab/estate.ts';
import { scanAws } from './support.ts';

const REGIONS = ['ap-south-1', 'eu-west-1', 'us-east-1'];

const estate: EstateInput = {
  estateVersion: 1,
  aws: {
    accounts: [
      {
        id: '111111111111',
        name: 'one',
        regions: REGIONS,
        trails: [
          { name: 'everywhere-stopped', homeRegion: 'us-east-1', multiRegion: true, logging: false },
          { name: 'ireland', homeRegion: 'eu-west-1' },
        ],
      },
    ],
  },
};

const recorded = (r: Awaited<ReturnType<typeof scanAws>>) =>
  Object.fromEntries((r.result.scopes[0]?.logging.regions ?? []).map((x) => [x.region, x.recorded]));

describe('trails per account, not per region', () => {
  it('lists the trails once and describes them in the home region: the same coverage as one read per region', async () => {
    const scan = await scanAws(estate, { aws: { mode: 'account' } });
    const calls = scan.lab.log.entries.filter((e) => e.service === 'cloudtrail' && /Trails$/.test(e.operation));
    expect(calls.map((e) => `${e.operation} ${e.region}`).sort()).toEqual([
      'DescribeTrails us-east-1',
      'DescribeTrails us-east-1',
      'ListTrails us-east-1',
    ]);
    // The single-region trail of eu-west-1 was found and described (by its ARN) from the home region.
    expect(recorded(scan)).toEqual({ 'ap-south-1': 'no', 'eu-west-1': 'yes', 'us-east-1': 'no' });
    expect(scan.result.scopes[0]?.logging.sources.map((s) => s.name).sort()).toEqual(['everywhere-stopped', 'ireland']);
  });

  it('when ListTrails cannot be read, only the home region is known (its DescribeTrails shows what is homed or shadowed there)', async () => {
    const scan = await scanAws(estate, {
      aws: { mode: 'account' },
      faults: [{ provider: 'aws', operation: 'cloudtrail:ListTrails', kind: 'access_denied', after: 0, rate: 1, ms: 0 }],
    });
    expect(recorded(scan)).toEqual({ 'ap-south-1': 'unknown', 'eu-west-1': 'unknown', 'us-east-1': 'no' });
    expect(scan.result.scopes[0]?.coverage.gaps.map((g) => `${g.code} ${g.operation}`)).toContain('access_denied cloudtrail:ListTrails');
  });
});
