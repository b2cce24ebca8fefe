/**
 * The people behind IAM Identity Center roles (#17): an AWSReservedSSO_<permission set>_<suffix> role that can snapshot
 * is resolved, through the real sso-admin and identitystore clients on the lab's wire, to the users and the groups'
 * members assigned that permission set in the account; Identity Center is read once per scan; a refusal is one gap
 * per affected account naming the permissions and the region setting.
 */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/core/model/result.ts';
import { scanAws } from './support.ts';

const PROD = '222222222222';
const ssoRole = (principals: readonly Principal[]) => principals.find((p) => p.id.includes('/AWSReservedSSO_SnapshotAdmin_'));

describe('IAM Identity Center roles name their people', { timeout: 120_000 }, () => {
  it('resolves the demo permission set to a user and a group expanded to its members', async () => {
    const { scope, lab } = await scanAws('demo');
    const role = ssoRole(scope(PROD).principals);
    expect(role?.id).toMatch(
      /^arn:aws:iam::222222222222:role\/aws-reserved\/sso\.amazonaws\.com\/us-east-1\/AWSReservedSSO_SnapshotAdmin_[0-9a-f]{16}$/,
    );
    expect(role?.capabilities).toEqual(expect.arrayContaining(['create', 'copy']));
    expect(role?.members?.map((m) => [m.type, m.name, m.identity?.login ?? null, m.identity?.enabled])).toEqual([
      ['user', 'Old Contractor', 'old.contractor@example.com', 'no'],
      ['group', 'Platform Engineers', null, 'unknown'],
      ['user', 'Priya Raman', 'priya.raman@example.com', 'yes'],
      ['user', 'Tomas Berg', 'tomas.berg@example.com', 'yes'],
    ]);
    expect(role?.members?.every((m) => m.identity?.source === 'identity-center')).toBe(true);
    // The role itself is not a directory identity: it keeps its IAM name (the baseline approves it by that name).
    expect(role?.identity).toBeUndefined();
    expect(scope(PROD).coverage.gaps.filter((g) => g.part === 'principals')).toEqual([]);
    // Its trust in the account's own Identity Center SAML provider is not an external path once its people are known.
    expect(role?.grants.every((g) => !g.external)).toBe(true);
    expect(role?.grants[0]?.path.find((s) => s.kind === 'trust')?.label).toMatch(
      /^trusted by IAM Identity Center \(arn:aws:iam::222222222222:saml-provider\/AWSSSO_[0-9a-f]+_DO_NOT_DELETE\): the people assigned permission set SnapshotAdmin$/,
    );

    // Read once per scan, in the management account and Identity Center's region; every read a Describe/List.
    const sso = lab.log.entries.filter((e) => e.service === 'sso' || e.service === 'identitystore');
    const count = (op: string) => sso.filter((e) => e.operation === op).length;
    expect(count('ListInstances')).toBe(1);
    expect(count('DescribeUser')).toBe(3);
    expect(count('DescribeGroup')).toBe(1);
    expect(count('ListGroupMemberships')).toBe(1);
    expect(count('ListAccountAssignments')).toBe(1);
    expect(new Set(sso.map((e) => `${e.scope} ${e.region}`))).toEqual(new Set(['111111111111 us-east-1']));
    expect(sso.every((e) => /^(Describe|List)/.test(e.operation))).toBe(true);
  });

  it('a refused Identity Center is one gap per affected account naming the permissions, and the role keeps no members', async () => {
    const { scope } = await scanAws('demo', {
      faults: [{ provider: 'aws', operation: 'sso:ListInstances', kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    const role = ssoRole(scope(PROD).principals);
    expect(role?.members).toBeUndefined();
    // Unread, its federation trust stays what the evaluator made it: an external path.
    expect(role?.grants.every((g) => g.external)).toBe(true);
    const gaps = scope(PROD).coverage.gaps.filter((g) => g.part === 'principals');
    expect(gaps).toEqual([
      expect.objectContaining({
        code: 'access_denied',
        operation: 'sso:ListInstances',
        region: 'us-east-1',
        message: expect.stringMatching(
          /AWSReservedSSO_SnapshotAdmin_.*sso:ListAccountAssignments.*identitystore:ListGroupMemberships.*identityCenterRegion/,
        ),
      }),
    ]);
    // Accounts without Identity Center roles are not touched.
    expect(scope('111111111111').coverage.gaps.filter((g) => g.part === 'principals')).toEqual([]);
  });

  it('Identity Center in another region than the one configured: a gap saying so and how to point at it', async () => {
    const { scope } = await scanAws('demo', { aws: { identityCenterRegion: 'eu-west-1' } });
    expect(ssoRole(scope(PROD).principals)?.members).toBeUndefined();
    expect(scope(PROD).coverage.gaps.filter((g) => g.part === 'principals')).toEqual([
      expect.objectContaining({
        code: 'not_found',
        message: expect.stringMatching(/no IAM Identity Center instance in eu-west-1.*identityCenterRegion/),
      }),
    ]);
  });

  it('directoryLookup false reads nothing from Identity Center', async () => {
    const { scope, lab } = await scanAws('demo', { aws: { directoryLookup: false } });
    expect(ssoRole(scope(PROD).principals)?.members).toBeUndefined();
    expect(lab.log.entries.filter((e) => e.service === 'sso' || e.service === 'identitystore')).toEqual([]);
  });
});
