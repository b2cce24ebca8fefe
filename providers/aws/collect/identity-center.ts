/**
 * The people behind IAM Identity Center roles (#17). An `AWSReservedSSO_<permission set>_<suffix>` role that can
 * snapshot gets, as its members, the users and groups assigned that permission set in the account, each group
 * expanded to its users, each user with its display name, user name and status.
 *
 * Identity Center lives in one region of the management (or delegated-administrator) account: its instance is
 * listed once per scan with the scanner's own credentials (`providers.aws.identityCenterRegion`, default the home
 * region), and each permission set, user, group and group's membership is read once per scan whichever accounts
 * name it. Per account: the permission sets provisioned to it, and the assignments of those its reserved roles
 * stand for. Every listing is bounded (providers/paging.ts).
 *
 * Each read is optional: refused or failed, it is one gap for the account naming what to grant, and its reserved
 * roles keep no members (absent: not read).
 *
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListInstances.html
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListPermissionSetsProvisionedToAccount.html
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListAccountAssignments.html
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_ListGroupMemberships.html
 */
import type { Member, Principal } from '../../../src/core/model/result.ts';
import { CallFailedError } from '../../../src/core/calls.ts';
import { cached } from '../../cached.ts';
import { gapFrom, isInterruption } from '../../gaps.ts';
import { classifyAwsError } from '../errors.ts';
import { groupMember, permissionSetNameOf, settleIdentityCenterTrust, sortMembers, userMember } from '../normalise/identity-center.ts';
import { type AccountIO, type AwsApi, allPages } from '../scope-io.ts';

/** What to grant (or set) when Identity Center cannot be read. */
export const IDENTITY_CENTER_HINT =
  'grant the scanning identity in the account that holds IAM Identity Center (the management or delegated-administrator account) sso:ListInstances, sso:ListPermissionSetsProvisionedToAccount, sso:DescribePermissionSet, sso:ListAccountAssignments, identitystore:DescribeUser, identitystore:DescribeGroup and identitystore:ListGroupMemberships; set providers.aws.identityCenterRegion to the region Identity Center is enabled in (default: homeRegion); or set providers.aws.directoryLookup to false';

/** Page size of every Identity Center listing (each operation's documented maximum). */
const PAGE = 100;

interface Instance {
  arn: string;
  storeId: string;
}

/** Why an account's reserved roles stay without people when nothing failed: Identity Center is not in the region. */
class NoInstanceError extends Error {
  constructor(region: string) {
    super(`no IAM Identity Center instance in ${region}`);
    this.name = 'NoInstanceError';
  }
}

/** Scan-wide reads, each made once however many accounts need it (memoised promises). */
export interface IdentityCenterCache {
  instance?: Promise<Instance>;
  permissionSetNames: Map<string, Promise<string | null>>;
  users: Map<string, Promise<Member>>;
  groups: Map<string, Promise<Member[]>>;
}

export function identityCenterCache(): IdentityCenterCache {
  return { permissionSetNames: new Map(), users: new Map(), groups: new Map() };
}

export interface IdentityCenterOptions {
  cache: IdentityCenterCache;
  /** The region Identity Center is enabled in. */
  region: string;
  /** The account whose credentials read it (the scanner's own: the management or delegated-administrator account). */
  callerAccountId: string | null;
}

async function readInstance(api: AwsApi, io: AccountIO, region: string): Promise<Instance> {
  const instances = await allPages(io.listing('sso:ListInstances', region), async (token) => {
    const out = await api.listInstances(region, { MaxResults: PAGE, NextToken: token });
    return { items: out.Instances, next: out.NextToken };
  });
  const usable = instances
    .filter((i) => i.InstanceArn && i.IdentityStoreId && (i.Status ?? 'ACTIVE') === 'ACTIVE')
    .sort((a, b) => ((a.InstanceArn ?? '') < (b.InstanceArn ?? '') ? -1 : 1));
  const first = usable[0];
  if (!first?.InstanceArn || !first.IdentityStoreId) throw new NoInstanceError(region);
  return { arn: first.InstanceArn, storeId: first.IdentityStoreId };
}

/** Permission set name → ARN, for the permission sets provisioned to the account. */
async function provisioned(api: AwsApi, io: AccountIO, o: IdentityCenterOptions, instance: Instance): Promise<Map<string, string>> {
  const arns = await allPages<string>(io.listing('sso:ListPermissionSetsProvisionedToAccount', o.region), async (token) => {
    const out = await api.listPermissionSetsProvisionedToAccount(o.region, {
      InstanceArn: instance.arn,
      AccountId: io.scope.id,
      MaxResults: PAGE,
      NextToken: token,
    });
    return { items: out.PermissionSets, next: out.NextToken };
  });
  const byName = new Map<string, string>();
  for (const arn of [...new Set(arns)].sort()) {
    const name = await cached(o.cache.permissionSetNames, arn, async () => {
      const out = await api.describePermissionSet(o.region, { InstanceArn: instance.arn, PermissionSetArn: arn });
      return out.PermissionSet?.Name ?? null;
    });
    if (name && !byName.has(name)) byName.set(name, arn);
  }
  return byName;
}

function user(api: AwsApi, o: IdentityCenterOptions, instance: Instance, id: string): Promise<Member> {
  return cached(o.cache.users, id, async () => {
    const u = await api.describeUser(o.region, { IdentityStoreId: instance.storeId, UserId: id });
    return userMember(id, u);
  });
}

/** A group (itself, then its users): Identity Center groups hold users only. */
function group(api: AwsApi, io: AccountIO, o: IdentityCenterOptions, instance: Instance, id: string): Promise<Member[]> {
  return cached(o.cache.groups, id, async () => {
    const g = await api.describeGroup(o.region, { IdentityStoreId: instance.storeId, GroupId: id });
    const memberships = await allPages(io.listing('identitystore:ListGroupMemberships', o.region), async (token) => {
      const out = await api.listGroupMemberships(o.region, {
        IdentityStoreId: instance.storeId,
        GroupId: id,
        MaxResults: PAGE,
        NextToken: token,
      });
      return { items: out.GroupMemberships, next: out.NextToken };
    });
    const userIds = [...new Set(memberships.map((m) => m.MemberId?.UserId).filter((x): x is string => typeof x === 'string'))].sort();
    const users = await Promise.all(userIds.map((u) => user(api, o, instance, u)));
    return [groupMember(id, g), ...users];
  });
}

/** The users and groups (expanded) assigned a permission set in the account. */
async function assigned(
  api: AwsApi,
  io: AccountIO,
  o: IdentityCenterOptions,
  instance: Instance,
  permissionSetArn: string,
): Promise<Member[]> {
  const assignments = await allPages(io.listing('sso:ListAccountAssignments', o.region, permissionSetArn), async (token) => {
    const out = await api.listAccountAssignments(o.region, {
      InstanceArn: instance.arn,
      AccountId: io.scope.id,
      PermissionSetArn: permissionSetArn,
      MaxResults: PAGE,
      NextToken: token,
    });
    return { items: out.AccountAssignments, next: out.NextToken };
  });
  const lists = await Promise.all(
    assignments.map((a) => {
      if (!a.PrincipalId) return Promise.resolve([]);
      if (a.PrincipalType === 'USER') return user(api, o, instance, a.PrincipalId).then((m) => [m]);
      if (a.PrincipalType === 'GROUP') return group(api, io, o, instance, a.PrincipalId);
      return Promise.resolve([]);
    }),
  );
  return sortMembers(lists.flat());
}

/**
 * Members onto the account's Identity Center roles that hold a capability (in place). A read that fails is one gap
 * naming the roles left without people and what to grant.
 */
export async function nameIdentityCenterRoles(io: AccountIO, principals: Principal[], o: IdentityCenterOptions): Promise<void> {
  const roles = principals
    .filter((p) => p.type === 'role' && p.capabilities.length > 0)
    .map((p) => ({ p, permissionSet: permissionSetNameOf(p.id) }))
    .filter((r): r is { p: Principal; permissionSet: string } => r.permissionSet !== null);
  if (roles.length === 0) return;
  const api = o.callerAccountId ? io.as(o.callerAccountId) : io.api;
  try {
    if (!api) throw new Error('no credentials in the account that holds IAM Identity Center');
    o.cache.instance ??= readInstance(api, io, o.region);
    const instance = await o.cache.instance;
    const byName = await provisioned(api, io, o, instance);
    const missing: string[] = [];
    for (const r of roles) {
      const arn = byName.get(r.permissionSet);
      if (!arn) {
        missing.push(r.p.name);
        continue;
      }
      r.p.members = await assigned(api, io, o, instance, arn);
    }
    // Only once every role's people are known: a later failure leaves all of them as evaluated.
    for (const r of roles) if (r.p.members) settleIdentityCenterTrust(r.p, r.permissionSet, io.scope.id);
    if (missing.length > 0)
      io.gaps.push({
        code: 'not_found',
        part: 'principals',
        operation: 'sso:ListPermissionSetsProvisionedToAccount',
        region: o.region,
        message: `people behind ${missing.join(', ')} not read: IAM Identity Center provisions no permission set of that name to ${io.scope.id}`,
      });
  } catch (err) {
    if (isInterruption(err)) throw err;
    for (const r of roles) delete r.p.members;
    const which = roles.map((r) => r.p.name).join(', ');
    if (err instanceof NoInstanceError) {
      io.gaps.push({
        code: 'not_found',
        part: 'principals',
        operation: 'sso:ListInstances',
        region: o.region,
        message: `people behind ${which} not read: ${err.message}; ${IDENTITY_CENTER_HINT}`,
      });
      return;
    }
    const gap = gapFrom(err, 'principals', o.region, classifyAwsError);
    const denied = err instanceof CallFailedError && err.info.code === 'access_denied';
    io.gaps.push({
      ...gap,
      message: `people behind ${which} not read: ${gap.message}${denied || !api ? `; ${IDENTITY_CENTER_HINT}` : ''}`,
    });
  }
}
