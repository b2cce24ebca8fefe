/** IAM v2 deny policies (listed without rules, read with them) and IAM v1 roles. */
import type { GcpDenyPolicy, GcpProject } from '../estate.ts';
import type { GcpLabState } from '../state.ts';
import { badToken, level, paged, policyJson, requestedVersion, type Route } from './context.ts';
import { decodeFully, gcpError, json, notFound, permissionDenied } from '../wire.ts';

function denyJson(attachment: string, d: GcpDenyPolicy, withRules: boolean) {
  return {
    name: `policies/${encodeURIComponent(attachment)}/denypolicies/${d.id}`,
    uid: `uid-${d.id}`,
    kind: 'DenyPolicy',
    displayName: d.displayName ?? d.id,
    etag: 'lab',
    ...(withRules
      ? {
          rules: d.rules.map((r) => ({
            description: r.description ?? '',
            denyRule: {
              deniedPrincipals: r.deniedPrincipals,
              exceptionPrincipals: r.exceptionPrincipals,
              deniedPermissions: r.deniedPermissions,
              exceptionPermissions: r.exceptionPermissions,
              ...(r.denialCondition
                ? { denialCondition: { expression: r.denialCondition.expression, title: r.denialCondition.title ?? '' } }
                : {}),
            },
          })),
        }
      : {}),
  };
}

/** `cloudresourcemanager.googleapis.com/projects/p` → the level it names (projects by id or number). */
function attachmentLevel(state: GcpLabState, attachment: string) {
  const m = /^cloudresourcemanager\.googleapis\.com\/(organizations|folders|projects)\/([^/]+)$/.exec(attachment);
  if (!m) return { level: undefined, canonical: attachment };
  const lvl = level(state, m[1] as string, m[2] as string);
  const canonical = m[1] === 'projects' && lvl ? `cloudresourcemanager.googleapis.com/projects/${(lvl as GcpProject).number}` : attachment;
  return { level: lvl, canonical };
}

function attachmentScope(attachment: string): string | null {
  const m = /^cloudresourcemanager\.googleapis\.com\/(organizations|folders|projects)\/([^/]+)$/.exec(attachment);
  if (!m) return null;
  return m[1] === 'projects' ? (m[2] ?? null) : `${m[1]}/${m[2]}`;
}

/** The project a service account belongs to: the path's, or (for `-`) the one its email names. */
function serviceAccountProject(pathProject: string, email: string): string | null {
  if (pathProject !== '-') return pathProject;
  return /@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(email)?.[1] ?? null;
}

export const iamRoutes: Route[] = [
  {
    method: 'GET',
    re: /^\/v2\/policies\/([^/]+)\/denypolicies$/,
    service: 'iam',
    operation: 'policies.list',
    scope: (m) => attachmentScope(decodeFully(m[1] ?? '')),
    handle(ctx) {
      const attachment = decodeFully(ctx.m[1] ?? '');
      const { level: lvl, canonical } = attachmentLevel(ctx.state, attachment);
      if (!lvl) return permissionDenied('iam.denypolicies.list', attachment);
      const p = paged(ctx, lvl.denyPolicies, `deny-${canonical}`);
      if (!p) return badToken();
      // Like the real API, the listing carries policy metadata only: rules come from policies.get.
      return json({ policies: p.items.map((d) => denyJson(canonical, d, false)), nextPageToken: p.next });
    },
  },
  {
    method: 'GET',
    re: /^\/v2\/policies\/([^/]+)\/denypolicies\/([\w-]+)$/,
    service: 'iam',
    operation: 'policies.get',
    scope: (m) => attachmentScope(decodeFully(m[1] ?? '')),
    handle(ctx) {
      const attachment = decodeFully(ctx.m[1] ?? '');
      const { level: lvl, canonical } = attachmentLevel(ctx.state, attachment);
      const d = lvl?.denyPolicies.find((x) => x.id === ctx.m[2]);
      if (!lvl || !d) return notFound(`Policy ${ctx.m[2]}`);
      return json(denyJson(canonical, d, true));
    },
  },
  // ---------------------------------------------------------------- IAM v1 service accounts
  {
    // projects.serviceAccounts.getIamPolicy: who may act as the service account. `-` stands for any project.
    method: 'POST',
    re: /^\/v1\/projects\/([a-z0-9-]+)\/serviceAccounts\/([^/:]+):getIamPolicy$/,
    service: 'iam',
    operation: 'serviceAccounts.getIamPolicy',
    scope: (m) => serviceAccountProject(m[1] ?? '', decodeFully(m[2] ?? '')),
    handle(ctx) {
      const email = decodeFully(ctx.m[2] ?? '');
      const project = serviceAccountProject(ctx.m[1] ?? '', email);
      const sa = project
        ? ctx.state.project(project)?.serviceAccounts.find((x) => `${x.id}@${project}.iam.gserviceaccount.com` === email)
        : undefined;
      if (!sa) return notFound(`Service account projects/${ctx.m[1]}/serviceAccounts/${email}`);
      return policyJson(sa.iam, requestedVersion(ctx.req));
    },
  },
  // ---------------------------------------------------------------- IAM v1 roles
  {
    method: 'GET',
    re: /^\/v1\/((?:roles\/[\w.]+)|(?:(?:projects|organizations)\/[a-z0-9-]+\/roles\/[\w.]+))$/,
    service: 'iam',
    operation: 'roles.get',
    scope: (m) =>
      m[1]?.startsWith('projects/')
        ? (m[1].split('/')[1] ?? null)
        : m[1]?.startsWith('organizations/')
          ? m[1].split('/').slice(0, 2).join('/')
          : null,
    handle(ctx) {
      const unknown = [...ctx.req.url.searchParams.keys()].find((k) => !k.startsWith('$') && k !== 'alt' && k !== 'prettyPrint');
      if (unknown) return gcpError(400, `Invalid JSON payload received. Unknown name "${unknown}": Cannot bind query parameter.`);
      const r = ctx.state.roles.get(ctx.m[1] ?? '');
      if (!r) return notFound(`Role ${ctx.m[1]}`);
      return json({
        name: r.name,
        title: r.title,
        description: '',
        includedPermissions: r.includedPermissions,
        stage: 'GA',
        etag: 'BwXlab',
        ...(r.deleted ? { deleted: true } : {}),
      });
    },
  },
];
