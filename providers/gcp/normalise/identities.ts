/**
 * Cloud Identity memberships and IAM service accounts → the model's members and identity facts. Pure.
 *
 * A membership names its member by `preferredMemberKey.id` (an email) and says what it is by `type` (USER,
 * SERVICE_ACCOUNT, GROUP, SHARED_DRIVE, CBCM_BROWSER, OTHER); members are given in IAM's member syntax
 * (`user:…`, `serviceAccount:…`, `group:…`) so a report or a deny rule compares them with the principals of a policy.
 *
 * https://cloud.google.com/identity/docs/reference/rest/v1/groups.memberships
 * https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts (disabled, displayName)
 */
import type { Identity, Member, PrincipalType } from '../../../src/core/model/result.ts';

/** A membership as groups.memberships.list returns it (only the fields the scanner reads). */
export interface RawMembership {
  name?: string | null;
  preferredMemberKey?: { id?: string | null; namespace?: string | null } | null;
  type?: string | null;
}

/** A service account as projects.serviceAccounts.list returns it (only the fields the scanner reads). */
export interface RawServiceAccount {
  name?: string | null;
  email?: string | null;
  displayName?: string | null;
  disabled?: boolean | null;
}

export interface GroupLookup {
  name?: string | null;
}

/** A member of a group, keyed by its lower-case email: what it is, and its IAM member spelling. */
export interface GroupMember {
  /** Lower-case email. */
  email: string;
  kind: 'user' | 'service-account' | 'group' | 'other';
  /** `user:…`, `serviceAccount:…`, `group:…`; for other kinds, the email itself. */
  member: string;
}

const serviceAccountDomain = /\.gserviceaccount\.com$/;

/** The member a membership names, or null when it names none (no email). */
export function memberOfMembership(m: RawMembership): GroupMember | null {
  const id = m.preferredMemberKey?.id;
  if (typeof id !== 'string' || id === '' || m.preferredMemberKey?.namespace) return null;
  const email = id.toLowerCase();
  const type = (m.type ?? '').toUpperCase();
  // The type is documented as always set; when it is not, a service account is still told by its domain.
  const kind: GroupMember['kind'] =
    type === 'USER'
      ? 'user'
      : type === 'SERVICE_ACCOUNT' || (type === '' && serviceAccountDomain.test(email))
        ? 'service-account'
        : type === 'GROUP'
          ? 'group'
          : 'other';
  const prefix = { user: 'user:', 'service-account': 'serviceAccount:', group: 'group:', other: '' }[kind];
  return { email, kind, member: `${prefix}${email}` };
}

const memberType: Record<GroupMember['kind'], PrincipalType> = {
  user: 'user',
  'service-account': 'service-account',
  group: 'group',
  other: 'unknown',
};

/** A service account's identity facts: its display name, its email, whether it is disabled. */
export function serviceAccountIdentity(sa: RawServiceAccount): Identity | null {
  if (typeof sa.email !== 'string' || sa.email === '') return null;
  return {
    source: 'iam',
    kind: 'service-account',
    displayName: typeof sa.displayName === 'string' && sa.displayName !== '' ? sa.displayName : null,
    login: sa.email,
    // `disabled` is left out of the answer for an enabled account.
    enabled: sa.disabled === true ? 'no' : 'yes',
    appId: null,
  };
}

/** The model's members, sorted by name then id; service accounts carry what their listing said of them. */
export function membersOf(list: Iterable<GroupMember>, accounts: ReadonlyMap<string, Identity>): Member[] {
  return [...list]
    .map((g): Member => {
      const identity = g.kind === 'service-account' ? accounts.get(g.email) : undefined;
      return {
        id: g.member,
        type: memberType[g.kind],
        name: identity?.displayName ?? g.email,
        ...(identity ? { identity } : {}),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The project a user-managed service account belongs to (`NAME@PROJECT.iam.gserviceaccount.com`), else null. */
export function serviceAccountProject(email: string): string | null {
  return /^[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(email.toLowerCase())?.[1] ?? null;
}
