/**
 * Who can snapshot (per account): IAM GetAccountAuthorizationDetails, every page merged, plus the organisation's
 * account list and the SCPs from the root down to the account, handed to the policy evaluator as one
 * `AccountAuthorizationInput`. The evaluator itself is pure and lives in ./policy (see evaluator.ts).
 */
import type { GetAccountAuthorizationDetailsResponse } from '@aws-sdk/client-iam';
import type { Principal } from '../../../src/core/model/result.ts';
import type { AccountEvaluation } from '../evaluator.ts';
import type { OrgTree, ScpCache } from '../organization.ts';
import type { AccountAuthorizationInput, ChainSnapshot } from '../policy/index.ts';
import { type AccountIO, allPages } from '../scope-io.ts';

export type AuthorizationDetails = Pick<
  GetAccountAuthorizationDetailsResponse,
  'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'
>;

export type { AccountAuthorizationInput } from '../policy/index.ts';

/** Merges GetAccountAuthorizationDetails pages into one response. */
export function mergeDetails(pages: readonly AuthorizationDetails[]): AuthorizationDetails {
  return {
    UserDetailList: pages.flatMap((p) => p.UserDetailList ?? []),
    GroupDetailList: pages.flatMap((p) => p.GroupDetailList ?? []),
    RoleDetailList: pages.flatMap((p) => p.RoleDetailList ?? []),
    Policies: pages.flatMap((p) => p.Policies ?? []),
  };
}

type ManagedPolicyDetail = NonNullable<AuthorizationDetails['Policies']>[number];

/**
 * A managed policy with only its default version: the one in effect for every principal it is attached to
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html), and the only one the
 * evaluator reads (by IsDefaultVersion, else DefaultVersionId: both kept). The others — up to four more of a customer
 * managed policy, the whole history of an AWS managed one, each with its document
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ManagedPolicyDetail.html) — are dropped as each page
 * arrives, so an account's authorization details are held without them.
 */
export function inEffect(p: ManagedPolicyDetail): ManagedPolicyDetail {
  const versions = p.PolicyVersionList;
  if (!versions || versions.length <= 1) return p;
  return { ...p, PolicyVersionList: versions.filter((v) => v.IsDefaultVersion || v.VersionId === p.DefaultVersionId) };
}

/** Every page of GetAccountAuthorizationDetails (Marker / IsTruncated), merged, each managed policy with its version in effect. */
export async function fetchAuthorizationDetails(io: AccountIO, homeRegion: string): Promise<AuthorizationDetails> {
  const pages = await allPages<AuthorizationDetails>(io.listing('iam:GetAccountAuthorizationDetails', null), async (marker) => {
    const out = await io.api.getAccountAuthorizationDetails(homeRegion, { MaxItems: 1000, Marker: marker });
    const page: AuthorizationDetails = {
      UserDetailList: out.UserDetailList,
      GroupDetailList: out.GroupDetailList,
      RoleDetailList: out.RoleDetailList,
      Policies: out.Policies?.map(inEffect),
    };
    return { items: [page], next: out.IsTruncated ? out.Marker : undefined };
  });
  return mergeDetails(pages);
}

export interface PrincipalOptions {
  homeRegion: string;
  partition: string;
  /** The organisation's accounts; null in single-account mode or when they could not be listed. */
  orgAccounts: ReadonlySet<string> | null;
  /** The organisation tree and its SCP cache; null outside an organisation. */
  org: { tree: OrgTree; scps: ScpCache } | null;
  /** The account's direct parent in the organisation (null: unknown or single-account). */
  parentId: string | null;
  management: boolean;
  evaluate: (input: AccountAuthorizationInput) => AccountEvaluation;
  /** Role-chain limits (config `permissions.maxChainDepth`, `permissions.maxChainEvaluations`). */
  chains: { maxChainDepth: number; maxChainEvaluations: number };
}

/**
 * Who can act on the snapshot family in the account: its authorization details and SCPs through the evaluator; and
 * what the cross-account role-chain step keeps of the account (`chains`, absent when its IAM could not be read).
 */
export async function collectPrincipals(
  io: AccountIO,
  o: PrincipalOptions,
): Promise<{ principals: Principal[]; chains?: ChainSnapshot | undefined }> {
  const details = await io.part('principals', null, () => fetchAuthorizationDetails(io, o.homeRegion));
  if (!details) return { principals: [] };
  let serviceControlPolicies: Array<Array<{ id: string; name: string; document: string }>> | null = null;
  const org = o.org;
  const parentId = o.parentId;
  if (org?.tree.scpEnabled && parentId) {
    serviceControlPolicies = (await io.part('principals', null, () => org.scps.forAccount(org.tree, io.scope.id, parentId))) ?? null;
  }
  const evaluation = o.evaluate({
    accountId: io.scope.id,
    details,
    organizationAccountIds: o.orgAccounts,
    serviceControlPolicies,
    isManagementAccount: o.management,
    now: io.rt.now,
    partition: o.partition,
    maxChainDepth: o.chains.maxChainDepth,
    maxChainEvaluations: o.chains.maxChainEvaluations,
  });
  // What the evaluator could not read (a missing managed policy, an unparsable document) may hide a grant: a gap.
  for (const message of evaluation.warnings) {
    io.gaps.push({
      code: message.includes('not in the authorization details')
        ? 'not_found'
        : message.startsWith('role chain search stopped')
          ? 'limit_reached'
          : 'invalid_response',
      part: 'principals',
      operation: 'iam:GetAccountAuthorizationDetails',
      region: null,
      message,
    });
  }
  return { principals: evaluation.principals, ...(evaluation.chains ? { chains: evaluation.chains } : {}) };
}
