/**
 * Who can snapshot (per account): IAM GetAccountAuthorizationDetails, every page merged, plus the organisation's
 * account list and the SCPs from the root down to the account, handed to the policy evaluator as one
 * `AccountAuthorizationInput`. The evaluator itself is pure and lives in ./policy (see evaluator.ts).
 */
import { GetAccountAuthorizationDetailsCommand, type GetAccountAuthorizationDetailsResponse } from '@aws-sdk/client-iam';
import { type AccountIO, allPages } from './account-io.ts';

export type AuthorizationDetails = Pick<
  GetAccountAuthorizationDetailsResponse,
  'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'
>;

export type { AccountAuthorizationInput } from './policy/index.ts';

/** Merges GetAccountAuthorizationDetails pages into one response. */
export function mergeDetails(pages: readonly AuthorizationDetails[]): AuthorizationDetails {
  return {
    UserDetailList: pages.flatMap((p) => p.UserDetailList ?? []),
    GroupDetailList: pages.flatMap((p) => p.GroupDetailList ?? []),
    RoleDetailList: pages.flatMap((p) => p.RoleDetailList ?? []),
    Policies: pages.flatMap((p) => p.Policies ?? []),
  };
}

/** Every page of GetAccountAuthorizationDetails (Marker / IsTruncated), merged. */
export async function fetchAuthorizationDetails(io: AccountIO, homeRegion: string): Promise<AuthorizationDetails> {
  const pages = await allPages<AuthorizationDetails>(io.listing('iam:GetAccountAuthorizationDetails', null), async (marker) => {
    const out = await io.send('iam', homeRegion, 'GetAccountAuthorizationDetails', (c, abortSignal) =>
      c.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000, Marker: marker }), { abortSignal }),
    );
    return { items: [out], next: out.IsTruncated ? out.Marker : undefined };
  });
  return mergeDetails(pages);
}
