/** Resource Manager v3: organisations, folders, projects and their allow policies. */
import type { GcpProject } from '../estate.ts';
import { badToken, level, levelScope, paged, policyJson, requestedVersion, type Route, type RouteContext, scope1 } from './context.ts';
import { enumValue, gcpError, json, permissionDenied, stateEnum } from '../wire.ts';

function projectJson(ctx: RouteContext, p: GcpProject) {
  return {
    name: `projects/${p.number}`,
    parent: p.parent,
    projectId: p.id,
    state: enumValue(ctx.req, 'ACTIVE', stateEnum),
    displayName: p.name ?? p.id,
    labels: p.labels,
    etag: 'W/"lab"',
  };
}

export const resourceManagerRoutes: Route[] = [
  {
    method: 'GET',
    re: /^\/v3\/organizations:search$/,
    service: 'cloudresourcemanager',
    operation: 'organizations.search',
    scope: () => null,
    handle(ctx) {
      const o = ctx.state.estate.organization;
      const visible = o && ctx.state.can('resourcemanager.organizations.get', `organizations/${o.id}`);
      return json({
        organizations: visible
          ? [
              {
                name: `organizations/${o.id}`,
                displayName: o.domain,
                directoryCustomerId: o.directoryCustomerId,
                state: enumValue(ctx.req, 'ACTIVE', stateEnum),
              },
            ]
          : [],
      });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/organizations\/(\d+)$/,
    service: 'cloudresourcemanager',
    operation: 'organizations.get',
    scope: (m) => `organizations/${m[1]}`,
    handle(ctx) {
      const o = ctx.state.estate.organization;
      if (!o || o.id !== ctx.m[1]) return permissionDenied('resourcemanager.organizations.get', `organizations/${ctx.m[1]}`);
      return json({
        name: `organizations/${o.id}`,
        displayName: o.domain,
        directoryCustomerId: o.directoryCustomerId,
        state: enumValue(ctx.req, 'ACTIVE', stateEnum),
      });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/folders$/,
    service: 'cloudresourcemanager',
    operation: 'folders.list',
    scope: (_m, req) => req.url.searchParams.get('parent'),
    handle(ctx) {
      const parent = ctx.req.url.searchParams.get('parent') ?? '';
      const items = ctx.state.estate.folders.filter((f) => f.parent === parent).sort((a, b) => (a.id < b.id ? -1 : 1));
      const p = paged(ctx, items, `folders-${parent}`);
      if (!p) return badToken();
      return json({
        folders: p.items.map((f) => ({
          name: `folders/${f.id}`,
          parent: f.parent,
          displayName: f.name,
          state: enumValue(ctx.req, 'ACTIVE', stateEnum),
        })),
        nextPageToken: p.next,
      });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/folders\/(\d+)$/,
    service: 'cloudresourcemanager',
    operation: 'folders.get',
    scope: (m) => `folders/${m[1]}`,
    handle(ctx) {
      const f = ctx.state.folders.get(ctx.m[1] ?? '');
      if (!f) return permissionDenied('resourcemanager.folders.get', `folders/${ctx.m[1]}`);
      return json({ name: `folders/${f.id}`, parent: f.parent, displayName: f.name, state: enumValue(ctx.req, 'ACTIVE', stateEnum) });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/projects:search$/,
    service: 'cloudresourcemanager',
    operation: 'projects.search',
    scope: () => null,
    handle(ctx) {
      const q = (ctx.req.url.searchParams.get('query') ?? '').trim();
      let parent: string | null = null;
      const m1 = /^parent:((?:folders|organizations)\/\d+)$/.exec(q);
      const m2 = /^parent\.type:(folder|organization) parent\.id:(\d+)$/.exec(q);
      if (m1) parent = m1[1] as string;
      else if (m2) parent = `${m2[1]}s/${m2[2]}`;
      else if (q !== '') return gcpError(400, `Unsupported query in the lab: ${q}`);
      // A search answers with what the caller may see (resourcemanager.projects.get), never a 403.
      const items = ctx.state.estate.projects
        .filter((p) => (parent === null || p.parent === parent) && ctx.state.can('resourcemanager.projects.get', `projects/${p.id}`))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const p = paged(ctx, items, `search-${q}`);
      if (!p) return badToken();
      return json({ projects: p.items.map((x) => projectJson(ctx, x)), nextPageToken: p.next });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/projects$/,
    service: 'cloudresourcemanager',
    operation: 'projects.list',
    scope: (_m, req) => req.url.searchParams.get('parent'),
    handle(ctx) {
      const parent = ctx.req.url.searchParams.get('parent') ?? '';
      const items = ctx.state.estate.projects
        .filter((p) => p.parent === parent && ctx.state.can('resourcemanager.projects.get', `projects/${p.id}`))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      const p = paged(ctx, items, `projects-${parent}`);
      if (!p) return badToken();
      return json({ projects: p.items.map((x) => projectJson(ctx, x)), nextPageToken: p.next });
    },
  },
  {
    method: 'GET',
    re: /^\/v3\/projects\/([a-z0-9-]+)$/,
    service: 'cloudresourcemanager',
    operation: 'projects.get',
    scope: scope1,
    handle(ctx) {
      const p = ctx.state.project(ctx.m[1] ?? '');
      if (!p) return permissionDenied('resourcemanager.projects.get', `projects/${ctx.m[1]}`);
      return json(projectJson(ctx, p));
    },
  },
  {
    method: 'POST',
    re: /^\/v3\/(organizations|folders|projects)\/([a-z0-9-]+):getIamPolicy$/,
    service: 'cloudresourcemanager',
    operation: 'getIamPolicy',
    scope: levelScope,
    handle(ctx) {
      const lvl = level(ctx.state, ctx.m[1] as string, ctx.m[2] as string);
      if (!lvl) return permissionDenied(`resourcemanager.${ctx.m[1]}.getIamPolicy`, `${ctx.m[1]}/${ctx.m[2]}`);
      return policyJson(lvl.iam, requestedVersion(ctx.req));
    },
  },
];
