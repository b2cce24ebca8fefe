/**
 * Role chains (providers/aws/policy/role-chains.ts) in the shared case format: `fixtures/chains-*.json`, each case
 * citing the AWS documentation of the rule it encodes. Accounts are written compactly (users, roles with their trust
 * and inline policies, SCP levels) and turned into GetAccountAuthorizationDetails shapes here.
 */
import { describe, expect, it } from 'vitest';
import type { AccountAuthorizationInput } from '../../providers/aws/policy/account-principals.ts';
import { evaluateAccount } from '../../providers/aws/evaluator.ts';
import { type ChainSnapshot, crossAccountChains, withCrossAccountGrants } from '../../providers/aws/policy/cross-account.ts';
import { analyzeAccountsWithChains, analyzeWithChains } from '../../providers/aws/policy/role-chains.ts';
import { Principal } from '../../src/core/model/result.ts';
import { describeCases } from '../support/cases.ts';

interface CompactAccount {
  id: string;
  users: Array<{ name: string; policies: object[]; boundary?: object[] }>;
  roles: Array<{ name: string; trust: object[]; policies: object[] }>;
  scps?: object[][];
}
type Expect = Record<string, Record<string, { via: string[]; conditional: boolean } | null>>;

const doc = (Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

function inputOf(a: CompactAccount, org: Set<string>, maxChainDepth?: number): AccountAuthorizationInput {
  const policies: NonNullable<AccountAuthorizationInput['details']['Policies']> = [];
  const UserDetailList = a.users.map((u) => {
    const boundary = u.boundary ? `arn:aws:iam::${a.id}:policy/boundary-${u.name}` : undefined;
    if (boundary)
      policies.push({
        Arn: boundary,
        PolicyName: `boundary-${u.name}`,
        DefaultVersionId: 'v1',
        PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc(u.boundary!) }],
      });
    return {
      UserName: u.name,
      Arn: `arn:aws:iam::${a.id}:user/${u.name}`,
      UserPolicyList: u.policies.length ? [{ PolicyName: `${u.name}-inline`, PolicyDocument: doc(u.policies) }] : [],
      ...(boundary
        ? { PermissionsBoundary: { PermissionsBoundaryArn: boundary, PermissionsBoundaryType: 'PermissionsBoundaryPolicy' as const } }
        : {}),
    };
  });
  const RoleDetailList = a.roles.map((r) => ({
    RoleName: r.name,
    Path: '/',
    Arn: `arn:aws:iam::${a.id}:role/${r.name}`,
    AssumeRolePolicyDocument: doc(r.trust),
    RolePolicyList: r.policies.length ? [{ PolicyName: `${r.name}-inline`, PolicyDocument: doc(r.policies) }] : [],
  }));
  return {
    accountId: a.id,
    details: { UserDetailList, RoleDetailList, GroupDetailList: [], Policies: policies },
    organizationAccountIds: org,
    serviceControlPolicies: a.scps ? a.scps.map((level, i) => [{ id: `scp-${i}`, name: `scp-${i}`, document: doc(level) }]) : null,
    isManagementAccount: false,
    ...(maxChainDepth !== undefined ? { maxChainDepth } : {}),
  };
}

type Analyse = (inputs: AccountAuthorizationInput[], org: Set<string>, maxDepth: number) => Map<string, { principals: Principal[] }>;

/** Every account in one analysis (what analyzeAccountsWithChains does with a whole organisation). */
const whole: Analyse = (inputs, _org, maxDepth) =>
  inputs.length === 1 ? new Map([[inputs[0]!.accountId, analyzeWithChains(inputs[0]!)]]) : analyzeAccountsWithChains(inputs, { maxDepth });

/**
 * What a scan does: each account evaluated alone (its own chains), its compact chain snapshot kept (through JSON, as
 * a spool would), then the cross-account step over every snapshot adds what crosses accounts.
 */
const asScan: Analyse = (inputs, org, maxDepth) => {
  const alone = inputs.map((i) => evaluateAccount(i));
  const snapshots = alone.flatMap((a) => (a.chains ? [JSON.parse(JSON.stringify(a.chains)) as ChainSnapshot] : []));
  const cross = crossAccountChains(snapshots, org, { maxDepth });
  expect(cross.warnings).toEqual([]);
  return new Map(
    inputs.map((i, k) => [
      i.accountId,
      { principals: withCrossAccountGrants(alone[k]!.principals, cross.gained(i.accountId, alone[k]!.principals)) },
    ]),
  );
};

function runCases(analyse: Analyse) {
  describeCases<{ accounts: CompactAccount[]; maxChainDepth?: number }, Expect>(
    new URL('./fixtures/', import.meta.url),
    /^chains-/,
    ({ input, expect: want }) => {
      const org = new Set(input.accounts.map((a) => a.id));
      const inputs = input.accounts.map((a) => inputOf(a, org, input.maxChainDepth));
      const results = analyse(inputs, org, input.maxChainDepth ?? 2);
      for (const [account, principals] of Object.entries(want)) {
        const listed = results.get(account)!.principals;
        for (const p of listed) Principal.parse(p);
        for (const [arn, expected] of Object.entries(principals)) {
          const grant = listed.find((p) => p.id === arn)?.grants.find((g) => g.action === 'ec2:CreateSnapshot');
          if (expected === null) {
            expect(grant, `${arn} should not hold ec2:CreateSnapshot in ${account}`).toBeUndefined();
            continue;
          }
          expect(grant, `${arn} should hold ec2:CreateSnapshot in ${account}`).toBeDefined();
          const via = grant!.path.filter((s) => s.kind === 'assume-role').map((s) => s.id);
          expect(via).toEqual(expected.via);
          expect(grant!.conditional).toBe(expected.conditional);
          expect(grant!.hops ?? 0).toBe(expected.via.length);
          expect(grant!.reach ?? 'direct').toBe(expected.via.length ? 'indirect' : 'direct');
          expect(grant!.path[0]).toMatchObject({ kind: 'principal', id: arn });
        }
      }
    },
  );
}

describe('every account in one analysis', () => runCases(whole));
describe('as a scan: each account alone, then the cross-account step', () => runCases(asScan));

it('a chained grant names the trust and identity statements that allow each hop', () => {
  const org = new Set(['111111111111']);
  const input = inputOf(
    {
      id: '111111111111',
      users: [{ name: 'alice', policies: [{ Sid: 'Hop', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }],
      roles: [
        {
          name: 'snap',
          trust: [{ Sid: 'Account', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }],
          policies: [{ Sid: 'Snap', Effect: 'Allow', Action: 'ec2:CreateSnapshot', Resource: '*' }],
        },
      ],
    },
    org,
  );
  const alice = analyzeWithChains(input).principals.find((p) => p.name === 'alice')!;
  const g = alice.grants.find((x) => x.action === 'ec2:CreateSnapshot')!;
  expect(g.path.map((s) => `${s.kind}:${s.label}`)).toEqual([
    'principal:alice',
    'assume-role:assumes role snap (trust statement Account; policy alice-inline (inline) statement Hop)',
    'policy:policy snap-inline (inline)',
    'statement:statement Snap',
    'action-pattern:ec2:CreateSnapshot',
  ]);
});

it('stops at the evaluation budget with a warning, keeping the nearest chains it found', () => {
  const org = new Set(['111111111111']);
  const hopAll = [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }];
  const trustAccount = [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }];
  const input = inputOf(
    {
      id: '111111111111',
      users: [{ name: 'alice', policies: hopAll }],
      roles: [
        { name: 'snap', trust: trustAccount, policies: [{ Effect: 'Allow', Action: 'ec2:CreateSnapshot', Resource: '*' }] },
        { name: 'jump', trust: trustAccount, policies: hopAll },
      ],
    },
    org,
  );
  const full = analyzeWithChains(input);
  expect(full.warnings).toEqual([]);
  // alice → snap, jump → snap, then alice → jump (level 2): three evaluations
  const limited = analyzeWithChains({ ...input, maxChainEvaluations: 2 });
  expect(limited.warnings).toEqual([
    'role chain search stopped after 2 sts:AssumeRole evaluations (permissions.maxChainEvaluations): chains found so far are reported, longer or later ones may be missing',
  ]);
  const grant = (r: typeof full, name: string) =>
    r.principals.find((p) => p.name === name)?.grants.find((g) => g.action === 'ec2:CreateSnapshot');
  expect(grant(limited, 'alice')?.hops).toBe(1);
  expect(grant(limited, 'jump')?.hops).toBe(1);
});

it('a role trusted from outside the organisation that reaches a capability only through a chain is an external path', () => {
  const org = new Set(['111111111111']);
  const input = inputOf(
    {
      id: '111111111111',
      users: [],
      roles: [
        {
          name: 'vendor',
          trust: [{ Sid: 'Vendor', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }],
          policies: [{ Sid: 'Hop', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
        },
        {
          name: 'snap',
          trust: [
            { Sid: 'Vendor', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/vendor' }, Action: 'sts:AssumeRole' },
          ],
          policies: [{ Sid: 'Snap', Effect: 'Allow', Action: 'ec2:CreateSnapshot', Resource: '*' }],
        },
      ],
    },
    org,
  );
  const vendor = analyzeWithChains(input).principals.find((p) => p.name === 'vendor')!;
  const g = vendor.grants.find((x) => x.action === 'ec2:CreateSnapshot')!;
  expect(g).toMatchObject({ external: true, reach: 'indirect', hops: 1 });
  // who is behind account 999999999999 is not known: the trust is named, nobody is guessed
  expect(g.path.map((s) => `${s.kind}:${s.label}`).slice(0, 3)).toEqual([
    'principal:vendor',
    'trust:trusted by arn:aws:iam::999999999999:root (account outside the organization)',
    'assume-role:assumes role snap (trust statement Vendor; policy vendor-inline (inline) statement Hop)',
  ]);
  // a role trusted only inside the organisation stays internal
  const snapOnly = analyzeWithChains(input).principals.find((p) => p.name === 'snap')!;
  expect(snapOnly.grants.every((x) => !x.external)).toBe(true);
});
