/**
 * IAM (query protocol) GetAccountAuthorizationDetails: users, groups, roles and managed policies of the calling
 * account, one combined stream paged with MaxItems / Marker, policy documents URL-encoded exactly as IAM sends them.
 */
import type { AwsHandler } from '../handlers.ts';
import type { AwsAccount, AwsManagedPolicy } from '../estate.ts';
import type { AwsLabState } from '../state.ts';
import { iamId } from '../state.ts';
import { awsError, listParam, queryResponse, tokenPage, type XmlNode } from '../wire.ts';

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const CREATED = '2024-03-01T00:00:00Z';

/** IAM URL-encodes policy documents (RFC 3986). */
export function encodePolicy(doc: string | Record<string, unknown>): string {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

interface ResolvedPolicy {
  arn: string;
  policy: AwsManagedPolicy;
  awsManaged: boolean;
}

/** A managed policy reference (ARN, or a customer-managed policy's name) → the policy. */
function resolve(state: AwsLabState, account: AwsAccount, ref: string): ResolvedPolicy | null {
  const aws = /^arn:aws:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(ref);
  if (aws) {
    const p = state.awsManagedPolicies.get(aws[1] as string);
    return p ? { arn: `arn:aws:iam::aws:policy${p.path}${p.name}`, policy: p, awsManaged: true } : null;
  }
  const own = /^arn:aws:iam::(\d{12}):policy\/(?:.*\/)?([^/]+)$/.exec(ref);
  const name = own ? (own[2] as string) : ref;
  const p = account.iam.policies.find((x) => x.name === name);
  return p ? { arn: `arn:aws:iam::${account.id}:policy${p.path}${p.name}`, policy: p, awsManaged: false } : null;
}

function attached(state: AwsLabState, account: AwsAccount, refs: readonly string[]) {
  return refs.flatMap((r) => {
    const p = resolve(state, account, r);
    return p ? [{ PolicyName: p.policy.name, PolicyArn: p.arn }] : [];
  });
}

function boundary(state: AwsLabState, account: AwsAccount, ref: string | undefined) {
  if (!ref) return null;
  const p = resolve(state, account, ref);
  return p ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: p.arn } : null;
}

const inline = (list: ReadonlyArray<{ name: string; document: string | Record<string, unknown> }>) =>
  list.map((p) => ({ PolicyName: p.name, PolicyDocument: encodePolicy(p.document) }));
const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

type Entry = { list: 'UserDetailList' | 'GroupDetailList' | 'RoleDetailList' | 'Policies'; item: XmlNode };

function entries(state: AwsLabState, account: AwsAccount, filters: readonly string[]): Entry[] {
  const want = (f: string) => filters.length === 0 || filters.includes(f);
  const iam = account.iam;
  const out: Entry[] = [];
  if (want('User'))
    for (const u of iam.users)
      out.push({
        list: 'UserDetailList',
        item: {
          Path: u.path,
          UserName: u.name,
          UserId: iamId('AIDA', `${account.id}/user/${u.name}`),
          Arn: `arn:${state.partition}:iam::${account.id}:user${u.path}${u.name}`,
          CreateDate: CREATED,
          UserPolicyList: inline(u.inlinePolicies),
          GroupList: u.groups,
          AttachedManagedPolicies: attached(state, account, u.managedPolicies),
          PermissionsBoundary: boundary(state, account, u.boundary),
          Tags: tagList(u.tags),
        },
      });
  if (want('Group'))
    for (const g of iam.groups)
      out.push({
        list: 'GroupDetailList',
        item: {
          Path: g.path,
          GroupName: g.name,
          GroupId: iamId('AGPA', `${account.id}/group/${g.name}`),
          Arn: `arn:${state.partition}:iam::${account.id}:group${g.path}${g.name}`,
          CreateDate: CREATED,
          GroupPolicyList: inline(g.inlinePolicies),
          AttachedManagedPolicies: attached(state, account, g.managedPolicies),
        },
      });
  if (want('Role'))
    for (const r of iam.roles)
      out.push({
        list: 'RoleDetailList',
        item: {
          Path: r.path,
          RoleName: r.name,
          RoleId: iamId('AROA', `${account.id}/role/${r.name}`),
          Arn: `arn:${state.partition}:iam::${account.id}:role${r.path}${r.name}`,
          CreateDate: CREATED,
          AssumeRolePolicyDocument: encodePolicy(r.trust),
          InstanceProfileList: [],
          RolePolicyList: inline(r.inlinePolicies),
          AttachedManagedPolicies: attached(state, account, r.managedPolicies),
          PermissionsBoundary: boundary(state, account, r.boundary),
          Tags: tagList(r.tags),
          RoleLastUsed: {},
        },
      });
  // Customer-managed policies of the account, and the AWS managed policies something in it uses.
  const usage = new Map<string, { p: ResolvedPolicy; attachments: number; boundaries: number }>();
  const note = (ref: string, kind: 'attachments' | 'boundaries') => {
    const p = resolve(state, account, ref);
    if (!p) return;
    const u = usage.get(p.arn) ?? { p, attachments: 0, boundaries: 0 };
    u[kind]++;
    usage.set(p.arn, u);
  };
  for (const p of iam.policies) {
    const r = resolve(state, account, p.name);
    if (r) usage.set(r.arn, { p: r, attachments: 0, boundaries: 0 });
  }
  for (const x of [...iam.users, ...iam.groups, ...iam.roles]) for (const ref of x.managedPolicies) note(ref, 'attachments');
  for (const x of [...iam.users, ...iam.roles]) if (x.boundary) note(x.boundary, 'boundaries');
  const local = want('LocalManagedPolicy');
  const awsManaged = want('AWSManagedPolicy');
  for (const { p, attachments, boundaries } of [...usage.values()].sort((a, b) => (a.p.arn < b.p.arn ? -1 : 1))) {
    if (p.awsManaged ? !awsManaged : !local) continue;
    out.push({
      list: 'Policies',
      item: {
        PolicyName: p.policy.name,
        PolicyId: iamId('ANPA', p.arn),
        Arn: p.arn,
        Path: p.policy.path,
        DefaultVersionId: p.policy.versionId ?? 'v1',
        AttachmentCount: attachments,
        PermissionsBoundaryUsageCount: boundaries,
        IsAttachable: true,
        Description: p.policy.description ?? null,
        CreateDate: CREATED,
        UpdateDate: p.policy.updateDate ?? CREATED,
        PolicyVersionList: [
          {
            Document: encodePolicy(p.policy.document),
            VersionId: p.policy.versionId ?? 'v1',
            IsDefaultVersion: true,
            CreateDate: p.policy.updateDate ?? CREATED,
          },
        ],
      },
    });
  }
  return out;
}

export const iamHandlers: Record<string, AwsHandler> = {
  GetAccountAuthorizationDetails({ params, state, account, pageSize }) {
    const filters = listParam(params, 'Filter');
    const bad = filters.find((f) => !['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'].includes(f));
    if (bad)
      return awsError(
        'query',
        400,
        'ValidationError',
        `1 validation error detected: Value '${bad}' at 'filter' failed to satisfy constraint`,
      );
    const max = Number(params.get('MaxItems') ?? '100');
    if (!Number.isInteger(max) || max < 1 || max > 1000)
      return awsError('query', 400, 'ValidationError', 'MaxItems must be between 1 and 1000');
    const salt = `gaad-${account.id}`;
    const p = tokenPage(entries(state, account, filters), params.get('Marker'), salt, pageSize(max), () =>
      awsError('query', 400, 'ValidationError', 'Invalid Marker'),
    );
    if ('error' in p) return p.error;
    const lists: Record<Entry['list'], XmlNode[]> = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    for (const e of p.items) lists[e.list].push(e.item);
    return queryResponse('GetAccountAuthorizationDetails', NS, {
      ...lists,
      IsTruncated: p.next !== undefined,
      Marker: p.next ?? null,
    });
  },
};
