/**
 * Foundation path end to end: real AWS SDK clients → the lab over loopback → the engine → checks → the result.
 */
import { describe, expect, it } from 'vitest';
import type { EstateInput } from '../../lab/estate.ts';
import { renderJson } from '../../reports/json.ts';
import { allFindings } from '../../src/core/model/order.ts';
import { assertValidResult, readOnlyOperation, scanEstate } from '../support/lab.ts';

const ACCT = '123456789012';
const regions = ['ap-southeast-2', 'eu-central-1', 'eu-west-1', 'us-east-1'];

function estate(trails: unknown[], extra: Record<string, unknown> = {}): EstateInput {
  return {
    estateVersion: 1,
    aws: {
      accounts: [
        {
          id: ACCT,
          name: 'workload',
          regions,
          trails,
          snapshots: [
            {
              id: 'snap-00000000000000a01',
              region: 'us-east-1',
              startTime: '2026-11-01T00:00:00Z',
              encrypted: true,
              kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
              tags: { owner: 'dba' },
            },
            { id: 'snap-00000000000000a02', region: 'eu-west-1', startTime: '2026-11-02T00:00:00Z', public: true },
            { id: 'snap-00000000000000a03', region: 'eu-central-1', startTime: '2026-11-03T00:00:00Z', sharedWith: ['999999999999'] },
          ],
          ...extra,
        },
      ],
    },
  } as EstateInput;
}

const mixedTrails = [
  { name: 'stopped-org-wide', homeRegion: 'us-east-1', multiRegion: true, logging: false, logFileValidation: true },
  { name: 'ireland-only', homeRegion: 'eu-west-1', multiRegion: false, logFileValidation: true, kmsKeyId: 'k' },
  { name: 'reads-only', homeRegion: 'us-east-1', multiRegion: true, eventSelectors: [{ ReadWriteType: 'ReadOnly' }] },
  {
    name: 'no-ec2',
    homeRegion: 'ap-southeast-2',
    eventSelectors: [{ ReadWriteType: 'All', ExcludeManagementEventSources: ['ec2.amazonaws.com'] }],
  },
  {
    name: 'advanced-readonly',
    homeRegion: 'eu-central-1',
    advancedEventSelectors: [
      {
        Name: 'mgmt reads',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Management'] },
          { Field: 'readOnly', Equals: ['true'] },
        ],
      },
    ],
  },
];

describe('AWS scan through the lab', () => {
  it('gives the right per-region coverage for mixed logging states', async () => {
    const { result } = await scanEstate(estate(mixedTrails), { providers: ['aws'] });
    assertValidResult(result);
    const scope = result.scopes[0]!;
    const recorded = Object.fromEntries(scope.logging.regions.map((r) => [r.region, r.recorded]));
    expect(recorded).toEqual({ 'ap-southeast-2': 'no', 'eu-central-1': 'no', 'eu-west-1': 'yes', 'us-east-1': 'no' });
    const reasons = Object.fromEntries(scope.logging.regions.map((r) => [r.region, r.reasons.join(' | ')]));
    expect(reasons['us-east-1']).toMatch(/stopped-org-wide is not logging/);
    expect(reasons['us-east-1']).toMatch(/read-only events only/);
    expect(reasons['ap-southeast-2']).toMatch(/excludes the ec2.amazonaws.com event source/);
    expect(reasons['eu-central-1']).toMatch(/read-only management events only/);
    const uncovered = allFindings(result)
      .filter((f) => f.checkId === 'logging.all-regions-covered')
      .map((f) => f.region)
      .sort();
    expect(uncovered).toEqual(['ap-southeast-2', 'eu-central-1', 'us-east-1']);
    expect(allFindings(result).some((f) => f.checkId === 'logging.snapshot-events-recorded')).toBe(false);
  });

  it('reports an account with no trail at all as unrecorded, once per scope', async () => {
    const { result } = await scanEstate(estate([]), { providers: ['aws'] });
    expect(result.scopes[0]!.logging.regions.every((r) => r.recorded === 'no')).toBe(true);
    const judgingTrails = [
      'logging.snapshot-events-recorded',
      'logging.all-regions-covered',
      'logging.centralized-and-protected',
      'logging.retention',
    ];
    const f = allFindings(result).filter((x) => judgingTrails.includes(x.checkId));
    expect(f.map((x) => x.checkId)).toEqual(['logging.snapshot-events-recorded']);
  });

  it('classifies snapshots: public, shared (membership unknown in single-account mode), encrypted, owners', async () => {
    const { result } = await scanEstate(estate(mixedTrails), { providers: ['aws'] });
    const snaps = Object.fromEntries(result.scopes[0]!.snapshots.map((s) => [s.id, s]));
    expect(snaps['snap-00000000000000a01']).toMatchObject({
      encryption: { status: 'customer-key' },
      owner: { value: 'dba', source: 'tag' },
      sharing: { public: 'no' },
    });
    expect(snaps['snap-00000000000000a02']).toMatchObject({
      encryption: { status: 'unencrypted' },
      owner: { source: 'unknown' },
      sharing: { public: 'yes' },
    });
    expect(snaps['snap-00000000000000a03']?.sharing.sharedWith).toEqual([
      { id: '999999999999', kind: 'account', inOrganization: 'unknown' },
    ]);
    expect(
      allFindings(result)
        .filter((f) => f.checkId === 'snapshots.public')
        .map((f) => f.resource?.id),
    ).toEqual(['arn:aws:ec2:eu-west-1::snapshot/snap-00000000000000a02']);
  });

  it('records a denied region as a coverage gap while the other regions complete', async () => {
    const { result } = await scanEstate(estate(mixedTrails), {
      providers: ['aws'],
      faults: [{ provider: 'aws', scope: ACCT, region: 'eu-central-1', kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    assertValidResult(result);
    const scope = result.scopes[0]!;
    expect(scope.coverage.status).toBe('partial');
    const status = Object.fromEntries(scope.coverage.regions.filter((r) => regions.includes(r.region)).map((r) => [r.region, r.status]));
    expect(status).toEqual({ 'ap-southeast-2': 'scanned', 'eu-central-1': 'failed', 'eu-west-1': 'scanned', 'us-east-1': 'scanned' });
    expect(scope.coverage.gaps.every((g) => g.region === 'eu-central-1' && g.code === 'access_denied')).toBe(true);
    expect(scope.snapshots.map((s) => s.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(result.scan.complete).toBe(false);
    expect(allFindings(result).filter((f) => f.checkId === 'coverage.scope-unreadable')).toHaveLength(1);
  });

  it('retries throttled calls, counts them, and loses nothing', async () => {
    const clean = await scanEstate(estate(mixedTrails), { providers: ['aws'] });
    const { result } = await scanEstate(estate(mixedTrails), {
      providers: ['aws'],
      faults: [{ provider: 'aws', operation: 'ec2:DescribeSnapshots', kind: 'throttle', rate: 1, times: 3, after: 0, ms: 0 }],
    });
    expect(result.stats.throttles).toBe(3);
    expect(result.stats.retries).toBe(3);
    expect(result.scan.complete).toBe(true);
    expect(result.scopes[0]!.snapshots).toEqual(clean.result.scopes[0]!.snapshots);
    expect(result.stats.apiCalls).toBe(clean.result.stats.apiCalls + 3);
  });

  it('produces byte-identical JSON for two scans of the same estate with the same clock', async () => {
    const a = await scanEstate(estate(mixedTrails), { providers: ['aws'] });
    const b = await scanEstate(estate(mixedTrails), { providers: ['aws'] });
    expect(renderJson(b.result)).toBe(renderJson(a.result));
  });

  it('calls only read operations', async () => {
    const { lab } = await scanEstate(estate(mixedTrails), { providers: ['aws'] });
    const ops = [...new Set(lab.log.entries.map((e) => e.operation))].sort();
    expect(ops.length).toBeGreaterThan(5);
    expect(ops.filter((o) => !readOnlyOperation.test(o))).toEqual([]);
  });
});
