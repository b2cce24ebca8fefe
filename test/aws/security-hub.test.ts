/**
 * AWS Security Hub's controls for snapshot exposure (issue #25), through the real SDK client over the lab's REST-JSON
 * wire: where the account is subscribed in a region, the catalogued controls (EC2.1, EC2.182, RDS.1, RDS.4) are
 * judged from the standards that run there; an account that is not subscribed has them off, with no gap; a refused
 * read leaves them unknown, with a gap. They are detective controls beside the alert routes: a region's `alerted`
 * never comes from them. The request log proves which calls were made and that they are reads.
 */
import { describe, expect, it } from 'vitest';
import type { EstateInput } from '../../lab/estate.ts';
import { scanAws } from './support.ts';

const ACCOUNT = '111111111111';
const FSBP = 'aws-foundational-security-best-practices/v/1.0.0';
const NIST = 'nist-800-53/v/5.0.0';

function estate(securityHub: unknown[], regions = ['eu-west-1', 'us-east-1']): EstateInput {
  return {
    estateVersion: 1,
    aws: { accounts: [{ id: ACCOUNT, name: 'solo', regions, securityHub }] },
  } as EstateInput;
}

const hub = (region: string, standards: unknown[]) => ({ region, standards });
const controlsOf = (scan: Awaited<ReturnType<typeof scanAws>>, region: string) =>
  (scan.scope(ACCOUNT).logging.detectors ?? []).filter((d) => d.region === region);

describe('AWS Security Hub controls for snapshot exposure', () => {
  it('names the standard a control is enabled in, and reads four calls per subscribed region, one where it is not', async () => {
    const scan = await scanAws(
      estate([
        hub('eu-west-1', [
          { path: FSBP, controls: { 'EC2.1': 'ENABLED', 'RDS.1': 'ENABLED', 'RDS.4': { disabled: 'handled elsewhere' } } },
          { path: NIST, controls: { 'EC2.1': 'ENABLED', 'RDS.1': { disabled: 'duplicate' } } },
        ]),
      ]),
      { aws: { mode: 'account' } },
    );
    const eu = controlsOf(scan, 'eu-west-1');
    expect(eu.find((d) => d.control === 'EC2.1')).toMatchObject({
      id: 'security-hub:EC2.1@eu-west-1',
      kind: 'security-hub-control',
      detects: 'public-snapshot',
      enabled: 'yes',
      via: ['AWS Foundational Security Best Practices v1.0.0', 'NIST SP 800-53 Rev. 5 v5.0.0'],
      source: 'securityhub:BatchGetStandardsControlAssociations',
      activeFindings: 0,
    });
    expect(eu.find((d) => d.control === 'RDS.1')).toMatchObject({
      enabled: 'yes',
      via: ['AWS Foundational Security Best Practices v1.0.0'],
    });
    expect(eu.find((d) => d.control === 'RDS.4')).toMatchObject({
      enabled: 'no',
      reasons: ['RDS.4 is disabled in AWS Foundational Security Best Practices v1.0.0 (reason given: handled elsewhere)'],
    });
    expect(eu.find((d) => d.control === 'EC2.182')).toMatchObject({
      enabled: 'no',
      reasons: ['EC2.182 is not part of any standard enabled in eu-west-1'],
    });
    const us = controlsOf(scan, 'us-east-1');
    expect(us.map((d) => [d.control, d.enabled, d.source, d.reasons]).sort()).toEqual(
      ['EC2.1', 'EC2.182', 'RDS.1', 'RDS.4'].map((c) => [c, 'no', 'securityhub:DescribeHub', ['Security Hub is not enabled in us-east-1']]),
    );
    // Not subscribed is an answer, not a blind spot.
    expect(scan.scope(ACCOUNT).coverage.gaps.filter((g) => g.operation?.startsWith('securityhub'))).toEqual([]);
    const calls = scan.lab.log.entries.filter((e) => e.service === 'securityhub').map((e) => `${e.region}/${e.operation}/${e.status}`);
    expect(calls.sort()).toEqual([
      'eu-west-1/BatchGetStandardsControlAssociations/200',
      'eu-west-1/DescribeHub/200',
      'eu-west-1/GetEnabledStandards/200',
      'eu-west-1/GetFindings/200',
      'us-east-1/DescribeHub/401',
    ]);
  });

  it('never makes a region alerted: a detective control finds a state, it does not fire on snapshot creation', async () => {
    const scan = await scanAws(estate([hub('eu-west-1', [{ path: FSBP, controls: { 'EC2.1': 'ENABLED' } }])]), {
      aws: { mode: 'account' },
    });
    const row = scan.scope(ACCOUNT).logging.regions.find((r) => r.region === 'eu-west-1');
    expect(controlsOf(scan, 'eu-west-1').find((d) => d.control === 'EC2.1')?.enabled).toBe('yes');
    expect(row?.alerted).toBe('none');
    expect(row?.alertIds).toEqual([]);
    expect(row?.operations?.every((o) => o.alerted === 'none')).toBe(true);
  });

  it('counts only the standards that run (READY, INCOMPLETE)', async () => {
    const standards = [
      { path: 'pci-dss/v/3.2.1', status: 'PENDING', controls: { 'EC2.1': 'ENABLED' } },
      { path: FSBP, status: 'FAILED', controls: { 'EC2.1': 'ENABLED' } },
      { path: NIST, status: 'INCOMPLETE', controls: { 'RDS.1': 'ENABLED' } },
    ];
    const scan = await scanAws(estate([hub('us-east-1', standards)], ['us-east-1']), {
      aws: { mode: 'account' },
    });
    const eu = controlsOf(scan, 'us-east-1');
    expect(eu.find((d) => d.control === 'EC2.1')?.enabled).toBe('no');
    expect(eu.find((d) => d.control === 'RDS.1')).toMatchObject({ enabled: 'yes', via: ['NIST SP 800-53 Rev. 5 v5.0.0'] });
  });

  it('pages GetEnabledStandards by NextToken where the service returns fewer than asked', async () => {
    const paged = estate(
      [
        hub('us-east-1', [
          { path: 'pci-dss/v/3.2.1', status: 'PENDING' },
          { path: FSBP, controls: { 'EC2.1': 'ENABLED' } },
        ]),
      ],
      ['us-east-1'],
    );
    const scan = await scanAws({ ...paged, aws: { ...paged.aws, pageLimits: { 'securityhub:GetEnabledStandards': 1 } } } as EstateInput, {
      aws: { mode: 'account' },
    });
    expect(scan.lab.log.entries.filter((e) => e.operation === 'GetEnabledStandards')).toHaveLength(2);
    expect(controlsOf(scan, 'us-east-1').find((d) => d.control === 'EC2.1')?.enabled).toBe('yes');
  });

  it('keeps a refused read apart from "off": unknown, with a gap naming the operation', async () => {
    const scan = await scanAws(estate([hub('us-east-1', [{ path: FSBP, controls: { 'EC2.1': 'ENABLED' } }])], ['us-east-1']), {
      aws: { mode: 'account' },
      faults: [{ provider: 'aws', operation: 'securityhub:GetEnabledStandards', kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    const ec21 = controlsOf(scan, 'us-east-1').find((d) => d.control === 'EC2.1');
    expect(ec21).toMatchObject({ enabled: 'unknown', source: 'securityhub:GetEnabledStandards' });
    const gaps = scan.scope(ACCOUNT).coverage.gaps.filter((g) => g.operation === 'securityhub:GetEnabledStandards');
    expect(gaps).toMatchObject([{ code: 'access_denied', part: 'alerting', region: 'us-east-1' }]);
  });

  it('is unknown where DescribeHub itself is refused', async () => {
    const scan = await scanAws(estate([], ['us-east-1']), {
      aws: { mode: 'account' },
      faults: [{ provider: 'aws', operation: 'securityhub:DescribeHub', kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    expect(controlsOf(scan, 'us-east-1').every((d) => d.enabled === 'unknown' && d.source === 'securityhub:DescribeHub')).toBe(true);
    expect(scan.scope(ACCOUNT).coverage.gaps.filter((g) => g.operation === 'securityhub:DescribeHub')).toHaveLength(1);
  });

  it('reads nothing from Security Hub when no selected check needs alerting', async () => {
    const scan = await scanAws(estate([hub('us-east-1', [{ path: FSBP, controls: { 'EC2.1': 'ENABLED' } }])], ['us-east-1']), {
      aws: { mode: 'account' },
      config: { scan: { checks: { include: ['snapshots.public'], exclude: [] } } } as never,
    });
    expect(scan.lab.log.entries.filter((e) => e.service === 'securityhub')).toEqual([]);
    expect(scan.scope(ACCOUNT).logging.detectors).toBeUndefined();
  });

  it("counts the enabled controls' ACTIVE FAILED findings and keeps them as corroborating evidence; a stale one is a conflict the attribute decides", async () => {
    const db = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      instance: 'db1',
      region: 'us-east-1',
      createTime: '2026-10-01T00:00:00Z',
      encrypted: true,
      ...extra,
    });
    const arn = (id: string) => `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:${id}`;
    const input = estate(
      [
        {
          region: 'us-east-1',
          standards: [{ path: FSBP, controls: { 'EC2.1': 'ENABLED', 'RDS.1': 'ENABLED' } }],
          staleFindings: [{ control: 'RDS.1', resource: arn('db-private') }],
        },
      ],
      ['us-east-1'],
    );
    const account = (input.aws as { accounts: Array<Record<string, unknown>> }).accounts[0] as Record<string, unknown>;
    account.dbSnapshots = [db('db-public', { public: true }), db('db-private')];
    account.snapshots = [{ id: 'snap-0000000000000000a', region: 'us-east-1', startTime: '2026-10-01T00:00:00Z' }];
    const scan = await scanAws(input, { aws: { mode: 'account', shareLookup: { enabled: true, concurrency: 2 } } });
    const controls = controlsOf(scan, 'us-east-1');
    expect(controls.find((d) => d.control === 'RDS.1')?.activeFindings).toBe(2);
    expect(controls.find((d) => d.control === 'EC2.1')?.activeFindings).toBe(0);
    const snaps = scan.scope(ACCOUNT).snapshots;
    const pub = snaps.find((x) => x.id === 'db-public');
    expect(pub?.sharing.public).toBe('yes');
    expect(pub?.facts).toContainEqual({ fact: 'public', source: 'securityhub:GetFindings RDS.1', value: 'FAILED', authoritative: false });
    expect(pub?.conflicts).toEqual([]);
    const priv = snaps.find((x) => x.id === 'db-private');
    expect(priv?.sharing.public).toBe('no');
    expect(priv?.conflicts).toHaveLength(1);
    expect(priv?.conflicts[0]).toMatchObject({ fact: 'public', overruled: { source: 'securityhub:GetFindings RDS.1', value: 'FAILED' } });
    // The findings are read with the documented filters, once for the region.
    const get = scan.lab.log.entries.filter((e) => e.operation === 'GetFindings');
    expect(get).toHaveLength(1);
  });

  it("says so where EC2.1 reports a public EBS snapshot the scanner's own reads did not find (they decide)", async () => {
    const input = estate(
      [
        {
          region: 'us-east-1',
          standards: [{ path: FSBP, controls: { 'EC2.1': 'ENABLED' } }],
          staleFindings: [{ control: 'EC2.1', resource: `AWS::::Account:${ACCOUNT}`, resourceType: 'AwsAccount' }],
        },
      ],
      ['us-east-1'],
    );
    const account = (input.aws as { accounts: Array<Record<string, unknown>> }).accounts[0] as Record<string, unknown>;
    account.snapshots = [{ id: 'snap-0000000000000000b', region: 'us-east-1', startTime: '2026-10-01T00:00:00Z' }];
    const scan = await scanAws(input, { aws: { mode: 'account', shareLookup: { enabled: true, concurrency: 2 } } });
    const ec21 = controlsOf(scan, 'us-east-1').find((d) => d.control === 'EC2.1');
    expect(ec21).toMatchObject({ enabled: 'yes', activeFindings: 1 });
    expect(ec21?.reasons).toEqual([
      "Security Hub's EC2.1 reports a publicly restorable EBS snapshot in us-east-1; the scanner's own reads found none there, and decide",
    ]);
    expect(scan.scope(ACCOUNT).snapshots.find((x) => x.id === 'snap-0000000000000000b')?.sharing.public).toBe('no');
  });
});
