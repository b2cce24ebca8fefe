/**
 * IAM authorization details as the scanner holds them: every managed policy with only its version in effect. The
 * default version is the one in effect for every principal the policy is attached to
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html); GetAccountAuthorizationDetails
 * returns every version with its document (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ManagedPolicyDetail.html),
 * and the others are dropped as each page arrives — who can snapshot is what the default version grants.
 */
import type { GetAccountAuthorizationDetailsResponse } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { type AccountAuthorizationInput, collectPrincipals } from '../../providers/aws/collect/principals.ts';
import { evaluateAccount } from '../../providers/aws/evaluator.ts';
import { DEFAULT_CHAIN_DEPTH, DEFAULT_CHAIN_EVALUATIONS } from '../../providers/aws/policy/index.ts';
import type { AccountIO } from '../../providers/aws/scope-io.ts';
import { attempt } from '../../providers/gaps.ts';
import { classifyAwsError } from '../../providers/aws/errors.ts';
import type { Gap } from '../../src/core/model/result.ts';

const ACCOUNT = '111111111111';
const POLICY = `arn:aws:iam::${ACCOUNT}:policy/snapshots`;
const allow = (action: string) =>
  encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] }));

/** One page of details: a user with the managed policy attached, in the versions given. */
function page(
  versions: Array<{ id: string; action: string; isDefault: boolean }>,
  defaultId: string,
): GetAccountAuthorizationDetailsResponse {
  return {
    UserDetailList: [
      {
        UserName: 'ops',
        Arn: `arn:aws:iam::${ACCOUNT}:user/ops`,
        AttachedManagedPolicies: [{ PolicyArn: POLICY, PolicyName: 'snapshots' }],
      },
    ],
    Policies: [
      {
        PolicyName: 'snapshots',
        Arn: POLICY,
        DefaultVersionId: defaultId,
        PolicyVersionList: versions.map((v) => ({ VersionId: v.id, IsDefaultVersion: v.isDefault, Document: allow(v.action) })),
      },
    ],
    IsTruncated: false,
  } as GetAccountAuthorizationDetailsResponse;
}

async function collect(details: GetAccountAuthorizationDetailsResponse) {
  const gaps: Gap[] = [];
  const seen: AccountAuthorizationInput[] = [];
  const part: AccountIO['part'] = (p, region, fn) => attempt(gaps, p, region, classifyAwsError, fn);
  const listing: AccountIO['listing'] = (operation, region) => ({ operation, region });
  const io = {
    scope: { id: ACCOUNT },
    rt: { now: new Date('2026-12-01T00:00:00Z') },
    gaps,
    api: { getAccountAuthorizationDetails: async () => details },
    part,
    listing,
  } as unknown as AccountIO;
  const out = await collectPrincipals(io, {
    homeRegion: 'us-east-1',
    partition: 'aws',
    orgAccounts: null,
    org: null,
    parentId: null,
    management: false,
    evaluate: (input) => {
      seen.push(input);
      return evaluateAccount(input);
    },
    chains: { maxChainDepth: DEFAULT_CHAIN_DEPTH, maxChainEvaluations: DEFAULT_CHAIN_EVALUATIONS },
  });
  const capabilities = out.principals.find((p) => p.name === 'ops')?.capabilities ?? [];
  return { capabilities, versions: seen[0]?.details.Policies?.[0]?.PolicyVersionList?.map((v) => v.VersionId), gaps };
}

describe('managed policy versions', () => {
  it('counts what the default version grants, not what an older version granted', async () => {
    const r = await collect(
      page(
        [
          { id: 'v3', action: 's3:GetObject', isDefault: true },
          { id: 'v2', action: 'ec2:CreateSnapshot', isDefault: false },
          { id: 'v1', action: 'ec2:*', isDefault: false },
        ],
        'v3',
      ),
    );
    expect(r.gaps).toEqual([]);
    expect(r.capabilities).toEqual([]);
    expect(r.versions).toEqual(['v3']);
  });

  it('counts the default version wherever it sits in the list, and by DefaultVersionId when no version is marked', async () => {
    const marked = await collect(
      page(
        [
          { id: 'v1', action: 's3:GetObject', isDefault: false },
          { id: 'v2', action: 'ec2:CreateSnapshot', isDefault: true },
        ],
        'v2',
      ),
    );
    expect(marked.capabilities).toEqual(['create']);
    expect(marked.versions).toEqual(['v2']);
    const unmarked = await collect(
      page(
        [
          { id: 'v1', action: 's3:GetObject', isDefault: false },
          { id: 'v2', action: 'ec2:CreateSnapshot', isDefault: false },
        ],
        'v2',
      ),
    );
    expect(unmarked.capabilities).toEqual(['create']);
    expect(unmarked.versions).toEqual(['v2']);
  });
});
