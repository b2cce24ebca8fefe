/**
 * IAM Identity Center (JSON 1.1) reads the scanner makes: sso-admin (signing name `sso`, X-Amz-Target
 * `SWBExternalService.*`) and identitystore (`AWSIdentityStore.*`). The instance answers in its own account and
 * region only: elsewhere ListInstances lists nothing, and the other reads are refused as the service refuses a caller
 * outside the instance's account.
 *
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListInstances.html
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListPermissionSetsProvisionedToAccount.html
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_DescribePermissionSet.html
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListAccountAssignments.html
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_DescribeUser.html
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_DescribeGroup.html
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_ListGroupMemberships.html
 */
import type { LabResponse } from '../../core.ts';
import type { AwsIdentityCenter } from '../estate.ts';
import type { AwsHandler, AwsRequestContext } from '../handlers.ts';
import { instanceArn, permissionSetArn, provisionedTo } from '../identity-center.ts';
import { awsError, jsonResponse, tokenPage } from '../wire.ts';

const CREATED = Date.parse('2024-03-01T00:00:00Z') / 1000;
/** Every listing here accepts MaxResults 1-100. */
const MAX = 100;

const validation = (message: string) => awsError('json', 400, 'ValidationException', message);
const notFound = (what: string) => awsError('json', 400, 'ResourceNotFoundException', `${what} not found`);

/** The estate's instance when the caller may read it here; else the service's answer. */
function instanceOf(ctx: AwsRequestContext): { ic: AwsIdentityCenter } | { error: LabResponse } {
  const ic = ctx.state.estate.identityCenter;
  const owner = ic?.account ?? ctx.state.estate.organization?.managementAccountId ?? ctx.state.callerAccountId;
  if (!ic || ctx.account.id !== owner)
    return { error: awsError('json', 400, 'AccessDeniedException', 'User is not authorized to perform this action on the instance') };
  if (ctx.region !== ic.region) return { error: notFound('Instance') };
  return { ic };
}

function paged<T>(
  ctx: AwsRequestContext,
  items: readonly T[],
  salt: string,
): { items: T[]; next: string | undefined } | { error: LabResponse } {
  const body = ctx.json as { NextToken?: string; MaxResults?: number };
  const size = body.MaxResults ?? MAX;
  if (!Number.isInteger(size) || size < 1 || size > MAX) return { error: validation('MaxResults must be between 1 and 100') };
  return tokenPage(items, body.NextToken, salt, ctx.pageSize(size), () => validation('The provided token is not valid.'));
}

/** The instance named by the request's InstanceArn (sso-admin) or IdentityStoreId (identitystore). */
function checked(ctx: AwsRequestContext, key: 'InstanceArn' | 'IdentityStoreId'): { ic: AwsIdentityCenter } | { error: LabResponse } {
  const g = instanceOf(ctx);
  if ('error' in g) return g;
  const want = key === 'InstanceArn' ? instanceArn(ctx.state.partition, g.ic) : g.ic.identityStoreId;
  const got = ctx.json[key];
  if (typeof got !== 'string') return { error: validation(`${key} is required`) };
  if (got !== want) return { error: notFound(key === 'InstanceArn' ? 'Instance' : 'IdentityStore') };
  return g;
}

export const ssoAdminHandlers: Record<string, AwsHandler> = {
  ListInstances(ctx) {
    const g = instanceOf(ctx);
    const list =
      'error' in g
        ? []
        : [
            {
              InstanceArn: instanceArn(ctx.state.partition, g.ic),
              IdentityStoreId: g.ic.identityStoreId,
              OwnerAccountId: ctx.account.id,
              Status: 'ACTIVE',
              CreatedDate: CREATED,
            },
          ];
    const p = paged(ctx, list, `sso-instances-${ctx.account.id}-${ctx.region}`);
    if ('error' in p) return p.error;
    return jsonResponse({ Instances: p.items, ...(p.next ? { NextToken: p.next } : {}) });
  },

  ListPermissionSetsProvisionedToAccount(ctx) {
    const g = checked(ctx, 'InstanceArn');
    if ('error' in g) return g.error;
    const account = ctx.json.AccountId;
    if (typeof account !== 'string' || !/^\d{12}$/.test(account)) return validation('AccountId must be 12 digits');
    const arns = provisionedTo(g.ic, account).map((ps) => permissionSetArn(ctx.state.partition, g.ic, ps.id));
    const p = paged(ctx, arns, `sso-provisioned-${account}`);
    if ('error' in p) return p.error;
    return jsonResponse({ PermissionSets: p.items, ...(p.next ? { NextToken: p.next } : {}) });
  },

  DescribePermissionSet(ctx) {
    const g = checked(ctx, 'InstanceArn');
    if ('error' in g) return g.error;
    const ps = g.ic.permissionSets.find((x) => permissionSetArn(ctx.state.partition, g.ic, x.id) === ctx.json.PermissionSetArn);
    if (!ps) return notFound('PermissionSet');
    return jsonResponse({
      PermissionSet: {
        Name: ps.name,
        PermissionSetArn: permissionSetArn(ctx.state.partition, g.ic, ps.id),
        ...(ps.description ? { Description: ps.description } : {}),
        CreatedDate: CREATED,
        SessionDuration: 'PT1H',
      },
    });
  },

  ListAccountAssignments(ctx) {
    const g = checked(ctx, 'InstanceArn');
    if ('error' in g) return g.error;
    const ic = g.ic;
    const ps = ic.permissionSets.find((x) => permissionSetArn(ctx.state.partition, ic, x.id) === ctx.json.PermissionSetArn);
    if (!ps) return notFound('PermissionSet');
    const account = String(ctx.json.AccountId ?? '');
    const assignments = ic.assignments
      .filter((a) => a.account === account && a.permissionSet === ps.name)
      .map((a) => ({
        AccountId: account,
        PermissionSetArn: permissionSetArn(ctx.state.partition, ic, ps.id),
        PrincipalType: a.principalType,
        PrincipalId:
          a.principalType === 'USER'
            ? (ic.users.find((u) => u.userName === a.principal)?.id ?? a.principal)
            : (ic.groups.find((x) => x.displayName === a.principal)?.id ?? a.principal),
      }));
    const p = paged(ctx, assignments, `sso-assignments-${account}-${ps.id}`);
    if ('error' in p) return p.error;
    return jsonResponse({ AccountAssignments: p.items, ...(p.next ? { NextToken: p.next } : {}) });
  },
};

export const identityStoreHandlers: Record<string, AwsHandler> = {
  DescribeUser(ctx) {
    const g = checked(ctx, 'IdentityStoreId');
    if ('error' in g) return g.error;
    const u = g.ic.users.find((x) => x.id === ctx.json.UserId);
    if (!u) return notFound('User');
    return jsonResponse({
      IdentityStoreId: g.ic.identityStoreId,
      UserId: u.id,
      UserName: u.userName,
      ...(u.displayName ? { DisplayName: u.displayName } : {}),
      UserStatus: u.status,
    });
  },

  DescribeGroup(ctx) {
    const g = checked(ctx, 'IdentityStoreId');
    if ('error' in g) return g.error;
    const group = g.ic.groups.find((x) => x.id === ctx.json.GroupId);
    if (!group) return notFound('Group');
    return jsonResponse({ IdentityStoreId: g.ic.identityStoreId, GroupId: group.id, DisplayName: group.displayName });
  },

  ListGroupMemberships(ctx) {
    const g = checked(ctx, 'IdentityStoreId');
    if ('error' in g) return g.error;
    const ic = g.ic;
    const group = ic.groups.find((x) => x.id === ctx.json.GroupId);
    if (!group) return notFound('Group');
    const memberships = group.members.flatMap((name) => {
      const u = ic.users.find((x) => x.userName === name);
      return u
        ? [
            {
              IdentityStoreId: ic.identityStoreId,
              MembershipId: `${group.id.slice(0, 24)}${u.id.slice(24)}`,
              GroupId: group.id,
              MemberId: { UserId: u.id },
            },
          ]
        : [];
    });
    const p = paged(ctx, memberships, `ids-memberships-${group.id}`);
    if ('error' in p) return p.error;
    return jsonResponse({ GroupMemberships: p.items, ...(p.next ? { NextToken: p.next } : {}) });
  },
};
