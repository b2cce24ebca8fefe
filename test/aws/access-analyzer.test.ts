/**
 * Sharing through IAM Access Analyzer (issue #19), through the real SDK client over the lab's REST-JSON wire: where an
 * active analyzer covers a region, its findings replace the per-snapshot attribute reads for what it analysed and
 * reports no finding on; the attribute is still read (and decides) for what it reports shared, what it has not
 * analysed yet, and wherever no analyzer is found. The request log proves which calls were made.
 */
import { describe, expect, it } from 'vitest';
import type { EstateInput } from '../../lab/estate.ts';
import { ORGANIZATION_ZONE_NOTE } from '../../providers/aws/normalise/analyzer.ts';
import { scanAws } from './support.ts';

const MGMT = '111111111111';
const MEMBER = '222222222222';
const OUTSIDE = '999999999999';

const snap = (n: number, region: string, extra: Record<string, unknown> = {}) => ({
  id: `snap-0${String(n).padStart(16, '0')}`,
  region,
  startTime: '2026-10-01T00:00:00Z',
  ...extra,
});
const id = (n: number) => `snap-0${String(n).padStart(16, '0')}`;

type Analyzer = Record<string, unknown>;

function estate(o: { mgmt?: Analyzer[]; member?: Analyzer[] } = {}): EstateInput {
  return {
    estateVersion: 1,
    aws: {
      organization: { id: 'o-exampleorg1', managementAccountId: MGMT },
      accounts: [
        { id: MGMT, name: 'management', regions: ['eu-west-1', 'us-east-1'], accessAnalyzers: o.mgmt ?? [] },
        {
          id: MEMBER,
          name: 'member',
          regions: ['eu-west-1', 'us-east-1'],
          accessAnalyzers: o.member ?? [],
          snapshots: [
            snap(1, 'eu-west-1'),
            snap(2, 'eu-west-1', { sharedWith: [OUTSIDE] }),
            snap(3, 'eu-west-1', { sharedWith: [MGMT] }),
            snap(4, 'eu-west-1', { public: true }),
            snap(5, 'us-east-1'),
          ],
          dbSnapshots: [
            { id: 'db-quiet', instance: 'db', region: 'eu-west-1', createTime: '2026-10-01T00:00:00Z' },
            { id: 'db-vendor', instance: 'db', region: 'eu-west-1', createTime: '2026-10-01T00:00:00Z', sharedWith: [OUTSIDE] },
          ],
        },
      ],
    },
  } as EstateInput;
}

const lookups = { shareLookup: { enabled: true, concurrency: 4 } };
const orgAnalyzer = { name: 'OrgAnalyzer', region: 'eu-west-1', type: 'ORGANIZATION' };

describe('AWS sharing through IAM Access Analyzer', () => {
  it('reads the organisation analyzer once per region in the account the scanner runs as, and attributes only where it reports a share', async () => {
    const { lab, scope, result } = await scanAws(estate({ mgmt: [orgAnalyzer] }), { aws: lookups });
    const aa = lab.log.entries.filter((e) => e.service === 'access-analyzer');
    // In the management account, once per region for the whole scan: ListAnalyzers where the member has snapshots,
    // and one ListFindings page where it found the analyzer. us-east-1 has none, and one snapshot: not worth a look
    // for the member's own analyzer.
    expect(aa.map((e) => `${e.scope}/${e.region}/${e.operation}`).sort()).toEqual([
      `${MGMT}/eu-west-1/ListAnalyzers`,
      `${MGMT}/eu-west-1/ListFindings`,
      `${MGMT}/us-east-1/ListAnalyzers`,
    ]);
    const attributeReads = lab.log.entries
      .filter((e) => e.operation === 'DescribeSnapshotAttribute')
      .map((e) => `${e.region}`)
      .sort();
    // eu-west-1: only the two snapshots with findings (shared outside, public); us-east-1 (no analyzer): its one snapshot.
    expect(attributeReads).toEqual(['eu-west-1', 'eu-west-1', 'us-east-1']);
    expect(lab.log.counts('aws')['rds:DescribeDBSnapshotAttributes']).toBe(1);

    const member = scope(MEMBER);
    const by = (x: string) => member.snapshots.find((s) => s.id === x);
    // Analysed, no finding: not public, not shared outside the organisation; shares inside it are not known.
    expect(by(id(1))?.sharing).toEqual({ public: 'no', sharedWith: [], sharesKnown: false, notes: [ORGANIZATION_ZONE_NOTE] });
    expect(by(id(1))?.facts.filter((f) => f.fact === 'public' || f.fact === 'shared-with')).toEqual([
      { fact: 'public', source: 'access-analyzer:ListFindings organisation analyzer', value: 'no finding', authoritative: true },
      { fact: 'shared-with', source: 'access-analyzer:ListFindings organisation analyzer', value: 'no finding', authoritative: true },
    ]);
    // The in-organisation share is what an organisation analyzer cannot see (documented).
    expect(by(id(3))?.sharing).toMatchObject({ sharedWith: [], sharesKnown: false });
    // Reported shared: the attribute confirms and decides, the finding is the hint beside it.
    expect(by(id(2))?.sharing).toMatchObject({
      sharedWith: [{ id: OUTSIDE, kind: 'account', inOrganization: 'no' }],
      sharesKnown: true,
    });
    expect(
      by(id(2))
        ?.facts.filter((f) => f.fact === 'shared-with')
        .map((f) => [f.source, f.value, f.authoritative]),
    ).toEqual([
      ['ec2:DescribeSnapshotAttribute createVolumePermission', `UserId=${OUTSIDE}`, true],
      ['access-analyzer:ListFindings organisation analyzer', `ACTIVE principal AWS=${OUTSIDE}`, false],
    ]);
    expect(by(id(4))?.sharing.public).toBe('yes');
    expect(by(id(5))?.facts.find((f) => f.fact === 'public')?.source).toBe('ec2:DescribeSnapshotAttribute createVolumePermission');
    expect(member.snapshots.find((s) => s.id === 'db-quiet')?.sharing).toMatchObject({ public: 'no', sharesKnown: false });
    expect(member.snapshots.find((s) => s.id === 'db-vendor')?.sharing.sharedWith).toEqual([
      { id: OUTSIDE, kind: 'account', inOrganization: 'no' },
    ]);
    // The checks see what they saw before: the external shares and the public snapshot.
    const found = member.findings.map((f) => `${f.checkId} ${f.resource}`).sort();
    expect(found.filter((f) => f.startsWith('snapshots.shared-outside-org')).length).toBe(2);
    expect(found.filter((f) => f.startsWith('snapshots.public')).length).toBe(1);
    expect(result.scan.complete).toBe(true);
    expect(member.coverage.gaps).toEqual([]);
  });

  it("uses an account's own analyzer (zone: the account): every share is a finding, so shares are known", async () => {
    const { lab, scope } = await scanAws(estate({ member: [{ name: 'Own', region: 'eu-west-1' }] }), { aws: lookups });
    const aa = lab.log.entries.filter((e) => e.service === 'access-analyzer').map((e) => `${e.scope}/${e.region}/${e.operation}`);
    // No organisation analyzer (looked for in the management account), then the member's richest region: it has one
    // (its other region holds too few items to be worth a look).
    expect(aa.sort()).toEqual([
      `${MGMT}/eu-west-1/ListAnalyzers`,
      `${MGMT}/us-east-1/ListAnalyzers`,
      `${MEMBER}/eu-west-1/ListAnalyzers`,
      `${MEMBER}/eu-west-1/ListFindings`,
    ]);
    // Findings on 2 (outside), 3 (the management account: outside an account's zone) and 4 (public): three attribute reads there.
    expect(lab.log.entries.filter((e) => e.operation === 'DescribeSnapshotAttribute' && e.region === 'eu-west-1').length).toBe(3);
    const quiet = scope(MEMBER).snapshots.find((s) => s.id === id(1));
    expect(quiet?.sharing).toEqual({ public: 'no', sharedWith: [], sharesKnown: true, notes: [] });
    expect(quiet?.facts.find((f) => f.fact === 'shared-with')?.source).toBe('access-analyzer:ListFindings account analyzer');
  });

  it('without an analyzer, looks once in the region that could repay it, and keeps the attribute reads', async () => {
    const { lab, scope } = await scanAws(estate(), { aws: lookups });
    const aa = lab.log.entries.filter((e) => e.service === 'access-analyzer').map((e) => `${e.scope}/${e.region}/${e.operation}`);
    // The organisation's analyzer per region where the member has items (caller's account), and the member's own
    // in eu-west-1 only (us-east-1 holds one snapshot: looking would cost more than it could save).
    expect(aa.sort()).toEqual([`${MGMT}/eu-west-1/ListAnalyzers`, `${MGMT}/us-east-1/ListAnalyzers`, `${MEMBER}/eu-west-1/ListAnalyzers`]);
    expect(lab.log.counts('aws')['ec2:DescribeSnapshotAttribute']).toBe(5);
    expect(scope(MEMBER).snapshots.find((s) => s.id === id(3))?.sharing.sharedWith).toEqual([
      { id: MGMT, kind: 'account', inOrganization: 'yes' },
    ]);
  });

  it('counts ARCHIVED findings as shares, ignores RESOLVED ones, and reads what the analyzer has not analysed yet', async () => {
    const analyzer = {
      ...orgAnalyzer,
      lastResourceAnalyzedAt: '2026-11-01T00:00:00Z',
      archived: [id(2)],
      formerShares: [{ resource: id(1), account: '888888888888', status: 'RESOLVED' }],
    };
    const e = estate({ mgmt: [analyzer] }) as { aws: { accounts: Array<{ snapshots?: unknown[] }> } };
    // Made after the analyzer's last analysis, and shared outside: no finding yet.
    e.aws.accounts[1]?.snapshots?.push(snap(6, 'eu-west-1', { startTime: '2026-11-20T00:00:00Z', sharedWith: [OUTSIDE] }));
    const { lab, scope } = await scanAws(e as EstateInput, { aws: lookups });
    const reads = lab.log.entries.filter((x) => x.operation === 'DescribeSnapshotAttribute' && x.region === 'eu-west-1').length;
    // 2 (archived finding), 4 (public), 6 (not analysed yet); not 1 (its only finding is RESOLVED).
    expect(reads).toBe(3);
    const by = (x: string) => scope(MEMBER).snapshots.find((s) => s.id === x);
    expect(by(id(2))?.facts.find((f) => f.fact === 'shared-with' && !f.authoritative)?.value).toBe(`ARCHIVED principal AWS=${OUTSIDE}`);
    expect(by(id(1))?.sharing.sharedWith).toEqual([]);
    expect(by(id(6))?.sharing.sharedWith).toEqual([{ id: OUTSIDE, kind: 'account', inOrganization: 'no' }]);
  });

  it('reports a conflict when a finding names a share the attribute no longer has: the attribute decides', async () => {
    const analyzer = { ...orgAnalyzer, formerShares: [{ resource: id(1), account: '888888888888', status: 'ACTIVE' }] };
    const { scope } = await scanAws(estate({ mgmt: [analyzer] }), { aws: lookups });
    const quiet = scope(MEMBER).snapshots.find((s) => s.id === id(1));
    expect(quiet?.sharing).toMatchObject({ sharedWith: [], sharesKnown: true });
    expect(quiet?.conflicts).toEqual([
      {
        fact: 'shared-with',
        kept: { source: 'ec2:DescribeSnapshotAttribute createVolumePermission', value: 'no UserId' },
        overruled: { source: 'access-analyzer:ListFindings organisation analyzer', value: 'ACTIVE principal AWS=888888888888' },
        note: 'shared-with: access-analyzer:ListFindings organisation analyzer returned ACTIVE principal AWS=888888888888, but ec2:DescribeSnapshotAttribute createVolumePermission returned no UserId; ec2:DescribeSnapshotAttribute createVolumePermission decides',
      },
    ]);
  });

  it('falls back to the attribute reads, with no gap, when the analyzer cannot be read; never calls it when turned off', async () => {
    const denied = await scanAws(estate({ mgmt: [orgAnalyzer] }), {
      aws: lookups,
      faults: [{ provider: 'aws', operation: 'access-analyzer:*', kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    expect(denied.lab.log.counts('aws')['ec2:DescribeSnapshotAttribute']).toBe(5);
    expect(denied.scope(MEMBER).coverage.gaps).toEqual([]);
    expect(denied.result.scan.complete).toBe(true);

    const off = await scanAws(estate({ mgmt: [orgAnalyzer] }), {
      aws: { shareLookup: { enabled: true, concurrency: 4, accessAnalyzer: false } },
    });
    expect(off.lab.log.entries.filter((e) => e.service === 'access-analyzer')).toEqual([]);
    expect(off.lab.log.counts('aws')['ec2:DescribeSnapshotAttribute']).toBe(5);
  });
});
