/**
 * Organization mode discovery through the lab: accounts, OU filters at any depth, suspended accounts, roles that
 * cannot be assumed, external ids, denied regions, and a caller that cannot list the organisation.
 */
import { describe, expect, it } from 'vitest';
import type { EstateInput } from '../../lab/estate.ts';
import { allFindings } from '../../src/core/model/order.ts';
import { assertValidResult } from '../support/lab.ts';
import { scanAws } from './support.ts';

const trail = {
  name: 'org',
  homeRegion: 'us-east-1',
  multiRegion: true,
  organization: true,
  logFileValidation: true,
  kmsKeyId: 'k',
  s3Bucket: 'org-logs-111111111111',
};

function estate(extra: { callerAccountId?: string; delegatedAdministrators?: string[] } = {}): EstateInput {
  return {
    estateVersion: 1,
    aws: {
      organization: {
        id: 'o-testorg001',
        managementAccountId: '111111111111',
        rootId: 'r-test',
        ous: [
          { id: 'ou-test-parentxx', name: 'Parent', parent: 'r-test' },
          { id: 'ou-test-childxxx', name: 'Child', parent: 'ou-test-parentxx' },
          { id: 'ou-test-otherxxx', name: 'Other', parent: 'r-test' },
        ],
        delegatedAdministrators: extra.delegatedAdministrators ?? [],
      },
      ...(extra.callerAccountId ? { callerAccountId: extra.callerAccountId } : {}),
      accounts: [
        { id: '111111111111', name: 'mgmt', regions: ['us-east-1'], trails: [trail] },
        { id: '222222222222', name: 'deep', parent: 'ou-test-childxxx', regions: ['us-east-1', 'eu-west-1'] },
        { id: '333333333333', name: 'gone', parent: 'ou-test-otherxxx', status: 'SUSPENDED', regions: ['us-east-1'] },
        { id: '444444444444', name: 'locked', parent: 'ou-test-otherxxx', regions: ['us-east-1'], scanRole: { assumable: false } },
        { id: '555555555555', name: 'guarded', parent: 'ou-test-parentxx', regions: ['us-east-1'], scanRole: { externalId: 'ext-1234' } },
      ],
    },
  } as EstateInput;
}

const summary = (s: {
  scope: { id: string; state: string };
  coverage: { status: string; gaps: Array<{ code: string; operation: string | null }> };
}) => `${s.scope.id} ${s.scope.state} ${s.coverage.status} ${s.coverage.gaps.map((g) => `${g.code}@${g.operation ?? '-'}`).join(',')}`;

describe('organization discovery', () => {
  it('turns suspended accounts and unassumable roles into coverage gaps; the rest is scanned', async () => {
    const { result, scope } = await scanAws(estate());
    assertValidResult(result);
    expect(result.discovery[0]).toMatchObject({ root: 'o-testorg001', status: 'complete', scopesFound: 5, scopesSelected: 5 });
    expect(result.scopes.map(summary)).toEqual([
      '111111111111 active complete ',
      '222222222222 active complete ',
      '333333333333 suspended failed suspended@-',
      '444444444444 active failed access_denied@sts:AssumeRole',
      '555555555555 active failed access_denied@sts:AssumeRole',
    ]);
    expect(scope('444444444444').coverage.gaps[0]?.message).toMatch(
      /role arn:aws:iam::444444444444:role\/SnapauditReadOnly could not be assumed: AccessDenied/,
    );
    expect(scope('333333333333').coverage.gaps[0]?.message).toBe('account 333333333333 is suspended: it cannot be scanned');
    const unreadable = allFindings(result)
      .filter((f) => f.checkId === 'coverage.scope-unreadable')
      .map((f) => f.scopeId);
    expect(unreadable).toEqual(['333333333333', '444444444444', '555555555555']);
    expect(result.scan.complete).toBe(false);
  });

  it('presents the configured external id', async () => {
    const { scope } = await scanAws(estate(), { aws: { externalId: 'ext-1234', accounts: { include: ['555555555555'] } } });
    expect(summary(scope('555555555555'))).toBe('555555555555 active complete ');
  });

  it('selects accounts under an OU at any depth, and by id include / exclude', async () => {
    const byOu = await scanAws(estate(), { aws: { accounts: { ous: ['ou-test-parentxx'] } } });
    expect(byOu.result.scopes.map((s) => s.scope.id)).toEqual(['222222222222', '555555555555']);
    expect(byOu.result.discovery[0]).toMatchObject({ scopesFound: 5, scopesSelected: 2 });
    expect(byOu.scope('222222222222').scope.parents.map((p) => `${p.kind}:${p.name ?? p.id}`)).toEqual([
      'organization:o-testorg001',
      'root:Root',
      'ou:Parent',
      'ou:Child',
    ]);
    const byId = await scanAws(estate(), { aws: { accounts: { include: ['111111111111', '222222222222'], exclude: ['222222222222'] } } });
    expect(byId.result.scopes.map((s) => s.scope.id)).toEqual(['111111111111']);
    // Only the selected accounts are touched: no AssumeRole for the others. The accounts and their OUs come from one
    // listing per container, whatever the selection.
    expect(byId.lab.log.counts('aws')['sts:AssumeRole']).toBeUndefined();
    expect(byId.lab.log.counts('aws')['organizations:ListParents']).toBeUndefined();
  });

  it('records a denied region as a gap of that region only; members inherit the org trail', async () => {
    const { result, scope } = await scanAws(estate(), {
      aws: { accounts: { include: ['222222222222'] } },
      faults: [{ provider: 'aws', scope: '222222222222', region: 'eu-west-1', kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    assertValidResult(result);
    const deep = scope('222222222222');
    expect(deep.coverage.status).toBe('partial');
    expect(deep.coverage.regions.filter((r) => deep.scope.regions.includes(r.region))).toEqual([
      { region: 'eu-west-1', status: 'failed' },
      { region: 'us-east-1', status: 'scanned' },
    ]);
    expect(new Set(deep.coverage.gaps.map((g) => `${g.code}/${g.region}`))).toEqual(new Set(['access_denied/eu-west-1']));
    expect(deep.logging.regions.find((r) => r.region === 'us-east-1')).toMatchObject({ recorded: 'yes', central: 'yes' });
    // The multi-region organisation trail, seen from us-east-1, still covers the region whose reads were denied.
    expect(deep.logging.regions.find((r) => r.region === 'eu-west-1')?.recorded).toBe('yes');
    expect(deep.snapshots.filter((x) => x.region === 'eu-west-1')).toEqual([]);
  });

  it('reports regions that are not enabled, and those the config leaves out', async () => {
    const { scope } = await scanAws(estate(), { aws: { accounts: { include: ['222222222222'] }, regions: { exclude: ['eu-*'] } } });
    const s = scope('222222222222').scope;
    expect(s.regions).toEqual(['us-east-1']);
    expect(s.regionsExcluded).toEqual(['eu-west-1']);
    expect(s.regionsNotEnabled).toContain('ap-south-2');
  });

  it('scans an account whose regions cannot be listed in its home region, with the gap', async () => {
    const { scope } = await scanAws(estate(), {
      aws: { accounts: { include: ['222222222222'] } },
      faults: [
        { provider: 'aws', scope: '222222222222', operation: 'ec2:DescribeRegions', kind: 'access_denied', rate: 1, after: 0, ms: 0 },
      ],
    });
    const s = scope('222222222222');
    expect(s.scope.regions).toEqual(['us-east-1']);
    expect(s.coverage.gaps).toEqual([
      expect.objectContaining({ code: 'access_denied', part: 'regions', operation: 'ec2:DescribeRegions', region: 'us-east-1' }),
    ]);
    expect(s.snapshots).toEqual([]);
    expect(s.coverage.status).toBe('partial');
  });

  it('a delegated administrator lists the organisation and assumes the role in the management account too', async () => {
    const { result, lab } = await scanAws(estate({ callerAccountId: '222222222222', delegatedAdministrators: ['222222222222'] }), {
      aws: { accounts: { include: ['111111111111', '222222222222'] } },
    });
    expect(result.scopes.map(summary)).toEqual(['111111111111 active complete ', '222222222222 active complete ']);
    expect(result.scopes.find((s) => s.scope.id === '111111111111')?.scope.management).toBe(true);
    expect(lab.log.entries.filter((e) => e.operation === 'AssumeRole').map((e) => e.scope)).toEqual(['222222222222']);
  });

  it('a caller that cannot list the organisation scans its own account and says why', async () => {
    const { result } = await scanAws(estate({ callerAccountId: '222222222222' }));
    expect(result.discovery[0]).toMatchObject({ status: 'partial', root: null, scopesSelected: 1 });
    expect(result.discovery[0]?.gaps[0]).toMatchObject({ code: 'access_denied', part: 'discovery', operation: 'organizations:ListRoots' });
    expect(result.discovery[0]?.gaps[0]?.message).toMatch(/organisation could not be listed, scanning only 222222222222/);
    expect(result.scopes.map((s) => s.scope.id)).toEqual(['222222222222']);
    expect(allFindings(result).some((f) => f.checkId === 'coverage.scope-unreadable' && f.scopeId === 'aws')).toBe(false);
  });

  it('an account outside any organisation in organization mode is scanned alone', async () => {
    const { result } = await scanAws({
      estateVersion: 1,
      aws: { accounts: [{ id: '777777777777', name: 'solo', regions: ['us-east-1'] }] },
    });
    expect(result.discovery[0]?.gaps[0]?.message).toMatch(/AWSOrganizationsNotInUseException/);
    expect(result.scopes.map((s) => s.scope.id)).toEqual(['777777777777']);
  });
});
