/**
 * AWS Organizations (JSON 1.1) operations the scanner reads: the account list, the OU tree and SCPs — per container
 * (ListAccountsForParent, ListOrganizationalUnitsForParent) and per policy (ListPolicies, ListTargetsForPolicy), or per
 * account / target (ListAccounts, ListParents, ListPoliciesForTarget).
 */
import type { AwsHandler, AwsRequestContext } from '../handlers.ts';
import type { AwsEstate } from '../estate.ts';
import { awsError, jsonResponse, tokenPage } from '../wire.ts';
import { FULL_AWS_ACCESS } from '../state.ts';

type Org = NonNullable<AwsEstate['organization']>;
const JOINED = Date.parse('2024-03-01T00:00:00Z') / 1000;

function guard(ctx: AwsRequestContext, listing: boolean): { org: Org } | { error: ReturnType<typeof awsError> } {
  const org = ctx.state.estate.organization;
  if (!org)
    return { error: awsError('json', 400, 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.') };
  const caller = ctx.account.id;
  if (listing && caller !== org.managementAccountId && !org.delegatedAdministrators.includes(caller)) {
    return {
      error: awsError('json', 400, 'AccessDeniedException', "You don't have permissions to access this resource."),
    };
  }
  return { org };
}

function paged<T>(
  ctx: AwsRequestContext,
  items: readonly T[],
  salt: string,
  max = 20,
): { error: ReturnType<typeof awsError> } | { items: T[]; next: string | undefined } {
  const body = ctx.json as { NextToken?: string; MaxResults?: number };
  const size = body.MaxResults ?? max;
  if (!Number.isInteger(size) || size < 1 || size > max)
    return { error: awsError('json', 400, 'InvalidInputException', 'You provided a value that does not match the required pattern.') };
  const p = tokenPage(items, body.NextToken, salt, ctx.pageSize(size), () =>
    awsError('json', 400, 'InvalidInputException', 'The provided token is not valid.'),
  );
  if ('error' in p) return { error: p.error };
  return { items: p.items, next: p.next };
}

const accountArn = (org: Org, id: string) => `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${id}`;

/** Whether `id` is the organisation's root or one of its OUs (what a `ParentId` must name). */
const isParent = (org: Org, id: string) => id === org.rootId || org.ous.some((o) => o.id === id);
const parentNotFound = () =>
  awsError('json', 400, 'ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");

/** An account as ListAccounts and ListAccountsForParent answer it (the Account shape of the API reference). */
function accountOf(org: Org, a: { id: string; email: string; name: string; status: string }) {
  return {
    Id: a.id,
    Arn: accountArn(org, a.id),
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: a.id === org.managementAccountId ? 'CREATED' : 'INVITED',
    JoinedTimestamp: JOINED,
  };
}
const ouArn = (org: Org, id: string) => `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${id}`;
const policyArn = (org: Org, id: string) =>
  id === FULL_AWS_ACCESS.id
    ? 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess'
    : `arn:aws:organizations::${org.managementAccountId}:policy/${org.id}/service_control_policy/${id}`;

function policySummary(org: Org, p: { id: string; name: string; description?: string; awsManaged: boolean }) {
  return {
    Id: p.id,
    Arn: policyArn(org, p.id),
    Name: p.name,
    Description: p.description ?? '',
    Type: 'SERVICE_CONTROL_POLICY',
    AwsManaged: p.awsManaged,
  };
}

export const organizationsHandlers: Record<string, AwsHandler> = {
  DescribeOrganization(ctx) {
    const g = guard(ctx, false);
    if ('error' in g) return g.error;
    const org = g.org;
    const mgmt = ctx.state.accounts.get(org.managementAccountId);
    return jsonResponse({
      Organization: {
        Id: org.id,
        Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`,
        FeatureSet: 'ALL',
        MasterAccountArn: accountArn(org, org.managementAccountId),
        MasterAccountId: org.managementAccountId,
        MasterAccountEmail: mgmt?.email ?? 'aws@example.com',
        AvailablePolicyTypes: org.scpEnabled ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] : [],
      },
    });
  },

  ListRoots(ctx) {
    const g = guard(ctx, true);
    if ('error' in g) return g.error;
    const org = g.org;
    return jsonResponse({
      Roots: [
        {
          Id: org.rootId,
          Arn: `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`,
          Name: 'Root',
          PolicyTypes: org.scpEnabled ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] : [],
        },
      ],
    });
  },

  ListAccounts(ctx) {
    const g = guard(ctx, true);
    if ('error' in g) return g.error;
    const org = g.org;
    const all = [...ctx.state.accounts.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const p = paged(ctx, all, `la-${org.id}`);
    if ('error' in p) return p.error;
    return jsonResponse({
      Accounts: p.items.map((a) => accountOf(org, a)),
      NextToken: p.next,
    });
  },

  ListAccountsForParent(ctx) {
    const g = guard(ctx, true);
    if ('error' in g) return g.error;
    const org = g.org;
    const parentId = (ctx.json as { ParentId?: string }).ParentId ?? '';
    if (!isParent(org, parentId)) return parentNotFound();
    const inside = [...ctx.state.accounts.values()]
      .filter((a) => (a.parent ?? org.rootId) === parentId)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const p = paged(ctx, inside, `lap-${parentId}`);
    if ('error' in p) return p.error;
    return jsonResponse({
      Accounts: p.items.map((a) => accountOf(org, a)),
      NextToken: p.next,
    });
  },

  ListPolicies(ctx) {
    const g = guard(ctx, true);
    if ('error' in g) return g.error;
    const org = g.org;
    if ((ctx.json as { Filter?: string }).Filter !== 'SERVICE_CONTROL_POLICY' || !org.scpEnabled) return jsonResponse({ Policies: [] });
    const all = [{ ...FULL_AWS_ACCESS, awsManaged: true }, ...org.scps.map((x) => ({ ...x, awsManaged: false }))];
    const p = paged(ctx, all, `lp-${org.id}`);
    if ('error' in p) return p.error;
    return jsonResponse({ Policies: p.items.map((x) => policySummary(org, x)), NextToken: p.next });
  },

  ListTargetsForPolicy(ctx) {
    const g = guard(ctx, true);
    if ('error' in g) return g.error;
    const org = g.org;
    const id = (ctx.json as { PolicyId?: string }).PolicyId ?? '';
    if (id !== FULL_AWS_ACCESS.id && !org.scps.some((x) => x.id === id))
      return awsError('json', 400, 'PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
    const targets = [org.rootId, ...org.ous.map((o) => o.id), ...[...ctx.state.accounts.keys()]]
      .filter((t) => ctx.state.policiesFor(t).some((x) => x.id === id))
      .sort();
    const p = paged(ctx, targets, `tp-${id}`);
    if ('error' in p) return p.error;
    const type = (t: string) => (t === org.rootId ? 'ROOT' : t.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT');
    return jsonResponse({
      Targets: p.items.map((t) => ({
        TargetId: t,
        Arn: `arn:aws:organizations::${org.managementAccountId}:${type(t).toLowerCase()}/${org.id}/${t}`,
        Name: t,
        Type: type(t),
      })),
      NextToken: p.next,
    });
  },

  ListOrganizationalUnitsForParent(ctx) {
    const g = guard(ctx, true);
    if ('error' in g) return g.error;
    const org = g.org;
    const parentId = (ctx.json as { ParentId?: string }).ParentId ?? '';
    if (!isParent(org, parentId)) return parentNotFound();
    const children = org.ous.filter((o) => o.parent === parentId).sort((a, b) => (a.id < b.id ? -1 : 1));
    const p = paged(ctx, children, `ou-${parentId}`);
    if ('error' in p) return p.error;
    return jsonResponse({
      OrganizationalUnits: p.items.map((o) => ({ Id: o.id, Arn: ouArn(org, o.id), Name: o.name })),
      NextToken: p.next,
    });
  },

  ListParents(ctx) {
    const g = guard(ctx, true);
    if ('error' in g) return g.error;
    const org = g.org;
    const childId = (ctx.json as { ChildId?: string }).ChildId ?? '';
    const parent = ctx.state.parentOf(childId);
    if (parent === null)
      return awsError(
        'json',
        400,
        'ChildNotFoundException',
        "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
      );
    return jsonResponse({ Parents: [{ Id: parent, Type: parent === org.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] });
  },

  ListPoliciesForTarget(ctx) {
    const g = guard(ctx, true);
    if ('error' in g) return g.error;
    const org = g.org;
    const body = ctx.json as { TargetId?: string; Filter?: string };
    if (body.Filter !== 'SERVICE_CONTROL_POLICY') {
      return jsonResponse({ Policies: [] });
    }
    const target = body.TargetId ?? '';
    if (!ctx.state.isTarget(target))
      return awsError(
        'json',
        400,
        'TargetNotFoundException',
        "We can't find a root, OU, account, or email address with the TargetId that you specified.",
      );
    const p = paged(ctx, ctx.state.policiesFor(target), `pt-${target}`);
    if ('error' in p) return p.error;
    return jsonResponse({ Policies: p.items.map((x) => policySummary(org, x)), NextToken: p.next });
  },

  DescribePolicy(ctx) {
    const g = guard(ctx, true);
    if ('error' in g) return g.error;
    const org = g.org;
    const id = (ctx.json as { PolicyId?: string }).PolicyId ?? '';
    const p =
      id === FULL_AWS_ACCESS.id
        ? { ...FULL_AWS_ACCESS, awsManaged: true }
        : org.scps.map((x) => ({ ...x, awsManaged: false })).find((x) => x.id === id);
    if (!p) return awsError('json', 400, 'PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
    return jsonResponse({
      Policy: {
        PolicySummary: policySummary(org, p),
        Content: typeof p.document === 'string' ? p.document : JSON.stringify(p.document),
      },
    });
  },
};
