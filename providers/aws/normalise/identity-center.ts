/**
 * IAM Identity Center → the model. Pure.
 *
 * When a permission set is assigned to an account, Identity Center creates a role there named
 * `AWSReservedSSO_<permission set name>_<unique suffix>` under the path `/aws-reserved/sso.amazonaws.com/` (newer
 * roles add the region: `/aws-reserved/sso.amazonaws.com/<region>/`); the people who can assume it are the users and
 * the groups' members assigned that permission set in that account. Identity Center groups hold users only (no
 * nesting), so a group's members are its listed memberships.
 *
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListAccountAssignments.html
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_DescribeUser.html
 */
import type { Identity, Member, Principal, Tri } from '../../../src/core/model/result.ts';

const RESERVED_PATH = /^\/aws-reserved\/sso\.amazonaws\.com\/([a-z0-9-]+\/)?$/;
const RESERVED_NAME = /^AWSReservedSSO_(.+)_([0-9a-fA-F]+)$/;

/**
 * The permission set name behind an Identity Center role, from its ARN (`arn:aws:iam::ACCOUNT:role/PATH/NAME`), or
 * null when the role is not one Identity Center made. The name may itself hold underscores: the suffix is the last
 * `_`-separated part.
 */
export function permissionSetNameOf(roleArn: string): string | null {
  const m = /^arn:[a-z-]+:iam::\d{12}:role(\/.*\/|\/)([^/]+)$/.exec(roleArn);
  if (!m) return null;
  const [, path, name] = m as unknown as [string, string, string];
  if (!RESERVED_PATH.test(path)) return null;
  return RESERVED_NAME.exec(name)?.[1] ?? null;
}

/** What DescribeUser returned, in the fields the model keeps. */
export interface StoreUser {
  UserId?: string | undefined;
  UserName?: string | undefined;
  DisplayName?: string | undefined;
  UserStatus?: string | undefined;
}

/** What DescribeGroup returned. */
export interface StoreGroup {
  GroupId?: string | undefined;
  DisplayName?: string | undefined;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function userIdentity(u: StoreUser): Identity {
  const enabled: Tri = u.UserStatus === 'ENABLED' ? 'yes' : u.UserStatus === 'DISABLED' ? 'no' : 'unknown';
  return { source: 'identity-center', kind: 'member', displayName: str(u.DisplayName), login: str(u.UserName), enabled, appId: null };
}

export function groupIdentity(g: StoreGroup): Identity {
  return { source: 'identity-center', kind: 'group', displayName: str(g.DisplayName), login: null, enabled: 'unknown', appId: null };
}

export function userMember(id: string, u: StoreUser): Member {
  const identity = userIdentity(u);
  return { id, type: 'user', name: identity.displayName ?? identity.login ?? id, identity };
}

export function groupMember(id: string, g: StoreGroup): Member {
  const identity = groupIdentity(g);
  return { id, type: 'group', name: identity.displayName ?? id, identity };
}

/** Members de-duplicated by id, sorted by name, then id (deterministic output). */
export function sortMembers(members: readonly Member[]): Member[] {
  const byId = new Map<string, Member>();
  for (const m of members) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * An Identity Center role whose people were read (in place): its trust in the account's own Identity Center SAML
 * provider (`AWSSSO_…_DO_NOT_DELETE`, which Identity Center creates and manages with the role) is not an external
 * path — who can use it is the assignment list the role's members hold — and its trust step says so. Grants that
 * also pass another trust keep their external flag.
 *
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html
 */
export function settleIdentityCenterTrust(p: Principal, permissionSet: string, accountId: string): void {
  const own = new RegExp(`^arn:[a-z-]+:iam::${accountId}:saml-provider/AWSSSO_[0-9a-fA-F]+_DO_NOT_DELETE$`);
  for (const g of p.grants) {
    const trusts = g.path.filter((s) => s.kind === 'trust');
    if (trusts.length === 0 || !trusts.every((s) => own.test(s.id))) continue;
    g.external = false;
    for (const s of trusts) s.label = `trusted by IAM Identity Center (${s.id}): the people assigned permission set ${permissionSet}`;
  }
}
