/**
 * Cloud Identity Groups v1 (groups.lookup, groups.memberships.list) and IAM v1 service accounts (projects.serviceAccounts
 * .list), as the scanner reads them. Groups come from `gcp.directory`; a caller the directory does not let read
 * groups (`readable: false`, no Groups Reader admin role) and a group that does not exist get the same 403 the real
 * API sends ("Permission denied for resource … (or it may not exist)"). Page sizes are checked against the documented
 * limits: memberships 1000 (BASIC view) / 500 (FULL view), service accounts 100.
 *
 * https://cloud.google.com/identity/docs/reference/rest/v1/groups/lookup
 * https://cloud.google.com/identity/docs/reference/rest/v1/groups.memberships/list
 * https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/list
 */
import { createHash } from 'node:crypto';
import type { GcpDirectoryGroup } from '../estate.ts';
import type { GcpLabState } from '../state.ts';
import { gcpError, json } from '../wire.ts';
import { badToken, paged, type Route, type RouteContext } from './context.ts';

/** A group's resource name: an opaque id, the same for the same email. */
export function groupName(email: string): string {
  return `groups/0${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 14)}`;
}

function denied(resource: string) {
  const description = `Error(2028): Permission denied for resource ${resource} (or it may not exist).`;
  return gcpError(403, description, {
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ResourceInfo',
        resourceType: 'cloudidentity.googleapis.com/Group',
        resourceName: resource,
        owner: 'domain:cloudidentity.googleapis.com',
        description,
      },
    ],
  });
}

function readableGroup(state: GcpLabState, find: (g: GcpDirectoryGroup) => boolean): GcpDirectoryGroup | undefined {
  const dir = state.estate.directory;
  if (!dir.readable) return undefined;
  return dir.groups.find(find);
}

const typeOf = (member: string) =>
  member.startsWith('user:')
    ? 'USER'
    : member.startsWith('serviceAccount:')
      ? 'SERVICE_ACCOUNT'
      : member.startsWith('group:')
        ? 'GROUP'
        : 'OTHER';

function membershipsJson(ctx: RouteContext, group: GcpDirectoryGroup) {
  const view = ctx.req.url.searchParams.get('view') ?? 'BASIC';
  const asked = Number(ctx.req.url.searchParams.get('pageSize') ?? 0);
  const limit = view === 'FULL' ? 500 : 1000;
  if (asked > limit)
    return gcpError(400, `Invalid value for field 'pageSize': ${asked}. Must not be greater than ${limit} for ${view} view.`);
  const name = groupName(group.email);
  const p = paged(ctx, group.members, `memberships-${name}`);
  if (!p) return badToken();
  return json({
    memberships: p.items.map((member) => {
      const email = member.slice(member.indexOf(':') + 1);
      return {
        name: `${name}/memberships/${createHash('sha256').update(email).digest('hex').slice(0, 12)}`,
        preferredMemberKey: { id: email },
        roles: [{ name: 'MEMBER' }],
        type: typeOf(member),
        ...(view === 'FULL' ? { createTime: '2026-01-01T00:00:00Z', updateTime: '2026-01-01T00:00:00Z', deliverySetting: 'ALL_MAIL' } : {}),
      };
    }),
    ...(p.next ? { nextPageToken: p.next } : {}),
  });
}

export const cloudIdentityRoutes: Route[] = [
  {
    method: 'GET',
    re: /^\/v1\/groups:lookup$/,
    service: 'cloudidentity',
    operation: 'groups.lookup',
    scope: () => null,
    handle(ctx) {
      const email = (ctx.req.url.searchParams.get('groupKey.id') ?? '').toLowerCase();
      if (!email) return gcpError(400, 'Request contains an invalid argument.');
      const group = readableGroup(ctx.state, (g) => g.email.toLowerCase() === email);
      if (!group) return denied(`groups/${email}`);
      return json({ name: groupName(group.email) });
    },
  },
  {
    method: 'GET',
    re: /^\/v1\/(groups\/[\w-]+)\/memberships$/,
    service: 'cloudidentity',
    operation: 'groups.memberships.list',
    scope: () => null,
    handle(ctx) {
      const name = ctx.m[1] ?? '';
      const group = readableGroup(ctx.state, (g) => groupName(g.email) === name);
      if (!group) return denied(name);
      return membershipsJson(ctx, group);
    },
  },
  {
    method: 'GET',
    re: /^\/v1\/projects\/([a-z0-9-]+)\/serviceAccounts$/,
    service: 'iam',
    operation: 'serviceAccounts.list',
    scope: (m) => m[1] ?? null,
    handle(ctx) {
      const project = ctx.state.project(ctx.m[1] ?? '');
      if (!project) return gcpError(404, `Project ${ctx.m[1]} not found.`);
      const asked = Number(ctx.req.url.searchParams.get('pageSize') ?? 0);
      if (asked > 100) return gcpError(400, `Invalid value for field 'pageSize': ${asked}. Must be less than or equal to 100`);
      const p = paged(ctx, project.serviceAccounts, `service-accounts-${project.id}`);
      if (!p) return badToken();
      return json({
        accounts: p.items.map((sa) => {
          const email = `${sa.id}@${project.id}.iam.gserviceaccount.com`;
          return {
            name: `projects/${project.id}/serviceAccounts/${email}`,
            projectId: project.id,
            uniqueId: createHash('sha256').update(email).digest('hex').replace(/\D/g, '').slice(0, 21).padEnd(21, '1'),
            email,
            ...(sa.displayName ? { displayName: sa.displayName } : {}),
            ...(sa.description ? { description: sa.description } : {}),
            etag: 'MDEwMjE5MjA=',
            oauth2ClientId: '1',
            // Left out of the answer for an enabled account, as the API does.
            ...(sa.disabled ? { disabled: true } : {}),
          };
        }),
        ...(p.next ? { nextPageToken: p.next } : {}),
      });
    },
  },
];
