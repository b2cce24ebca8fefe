/**
 * The Azure part of the lab, served over HTTPS (the Azure SDK refuses bearer tokens over plain HTTP). It speaks
 * ARM (JSON, `{value, nextLink}` pages with absolute nextLinks, `{error: {code, message}}` errors, 429 with
 * Retry-After) for exactly the reads the scanner makes, and a minimal Microsoft Entra ID token endpoint (OpenID
 * configuration + OAuth2 client-credentials grant) so a real `ClientSecretCredential` signs in to it.
 * Every ARM request must carry a bearer token that endpoint issued, and an api-version.
 */
import type { FaultRule, LabRequest, LabResponse, ProviderLabContext, RequestIdentity } from '../core.ts';
import type { LabModuleFactory } from '../module.ts';
import type { AzureActivityEvent, AzureSubscription } from './estate.ts';
import {
  actionGroupBody,
  activityEventBody,
  activityLogAlertBody,
  denyAssignmentBody,
  descendantBody,
  diagnosticSettingBody,
  diskAccessBody,
  diskBody,
  managementGroupBody,
  roleAssignmentBody,
  roleDefinitionBody,
  snapshotBody,
  snapshotId,
  subscriptionBody,
} from './resources.ts';
import {
  AzureLabState,
  LAB_CLIENT_ID,
  LAB_CLIENT_SECRET,
  LAB_PRINCIPAL_ID,
  LAB_SIGNIN_TENANT,
  MG_PREFIX,
  mgScope,
  normScope,
} from './state.ts';
import { armError, armJson, armPage } from './wire.ts';
import apiVersionData from './data/api-versions.json' with { type: 'json' };
import { CallerAccess } from './access.ts';
import { parseActivityFilter, parseDenyFilter, parseRoleAssignmentFilter } from './filters.ts';
import { ReadBuckets } from './throttle.ts';

type Handler = (req: LabRequest, m: RegExpExecArray) => LabResponse;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  service: string;
  operation: string;
  /** Which capture group names the scope (subscription or management group) for the request log and faults. */
  scope?: (m: RegExpExecArray) => string | null;
  /** Token endpoints are called before there is a token. */
  anonymous?: boolean;
  /** The ARM scope the request's read is authorised at (see readActions). */
  authScope?: (m: RegExpExecArray) => string;
  handle: Handler;
}

/** The permission each read needs, checked at the route's authScope when the estate names its caller. */
const readActions: Record<string, string> = {
  ListManagementGroupDescendants: 'Microsoft.Management/managementGroups/descendants/read',
  ListSnapshots: 'Microsoft.Compute/snapshots/read',
  ListDisks: 'Microsoft.Compute/disks/read',
  ListDiskAccesses: 'Microsoft.Compute/diskAccesses/read',
  ListDiagnosticSettings: 'Microsoft.Insights/diagnosticSettings/read',
  ListActivityLogAlerts: 'Microsoft.Insights/activityLogAlerts/read',
  GetActionGroup: 'Microsoft.Insights/actionGroups/read',
  ListActivityLogs: 'Microsoft.Insights/eventtypes/values/read',
  ListRoleAssignments: 'Microsoft.Authorization/roleAssignments/read',
  ListDenyAssignments: 'Microsoft.Authorization/denyAssignments/read',
};

const versions = apiVersionData.operations as Record<string, { versions: string[] }>;

const DAY = 86_400_000;

function scopeOfArmPath(scope: string): string | null {
  const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  if (sub) return sub;
  const mg = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)/i.exec(scope)?.[1];
  return mg ?? null;
}

function bearer(req: LabRequest): string | null {
  const auth = String(req.headers.authorization ?? '');
  return /^Bearer (.+)$/i.exec(auth)?.[1] ?? null;
}

function denied(action: string, scope: string, principal: string = LAB_PRINCIPAL_ID): LabResponse {
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${principal}' with object id '${principal}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

/** A fault at the token endpoint, shaped as Microsoft Entra ID answers (`{error, error_description, error_codes}`). */
function signInFault(
  kind: 'throttle' | 'server_error' | 'access_denied' | 'expired_credentials' | 'malformed',
  rule: FaultRule,
): LabResponse {
  const oauth = (status: number, error: string, code: number, description: string, headers: Record<string, string> = {}) =>
    armJson(
      {
        error,
        error_description: `AADSTS${code}: ${description}\r\nTrace ID: 00000000-0000-0000-0000-000000000000\r\nTimestamp: 2026-01-01 00:00:00Z`,
        error_codes: [code],
        timestamp: '2026-01-01 00:00:00Z',
      },
      status,
      headers,
    );
  switch (kind) {
    case 'throttle':
      return oauth(429, 'temporarily_unavailable', 90055, 'Too many requests. Please try again later.', {
        'retry-after': String(rule.retryAfterSeconds ?? 1),
      });
    case 'server_error':
      return oauth(500, 'server_error', 50000, rule.message ?? 'There was an error issuing a token or an issue with our sign-in service.');
    case 'access_denied':
      return oauth(400, 'unauthorized_client', 700016, rule.message ?? 'Application was not found in the directory.');
    case 'expired_credentials':
      return oauth(401, 'invalid_client', 7000222, 'The provided client secret keys are expired.');
    case 'malformed':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"token_type": "Bearer", "access_' };
  }
}

export const azureLab: LabModuleFactory = {
  tls: true,
  create(estate, ctx: ProviderLabContext) {
    if (!estate.azure) throw new Error('the estate has no azure section');
    const state = new AzureLabState(estate.azure);
    const size = estate.azure.pageSize;
    const access = new CallerAccess(state, estate.azure);
    const buckets = new ReadBuckets(estate.azure.readLimits);

    const subscription = (id: string): { sub: AzureSubscription } | { error: LabResponse } => {
      const sub = state.subscriptions.get(id.toLowerCase());
      if (!sub) return { error: armError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`) };
      if (!sub.visible) return { error: denied('Microsoft.Resources/subscriptions/read', `/subscriptions/${id}`, access.principalId) };
      return { sub };
    };
    const withSub = (id: string | undefined, fn: (sub: AzureSubscription) => LabResponse): LabResponse => {
      const r = subscription(id ?? '');
      return 'error' in r ? r.error : fn(r.sub);
    };
    /** A paged `{value, nextLink}` listing of one subscription's resources at `/subscriptions/{id}/providers/...`. */
    const subscriptionList = (
      path: string,
      service: string,
      operation: string,
      items: (sub: AzureSubscription) => unknown[],
      tokenSalt: string,
    ): Route => ({
      method: 'GET',
      pattern: new RegExp(`^/subscriptions/([^/]+)/providers/${path.replace(/[.]/g, '\\.')}$`, 'i'),
      service,
      operation,
      scope: (m) => m[1] ?? null,
      authScope: (m) => `/subscriptions/${m[1]}`,
      handle: (req, m) => withSub(m[1], (sub) => armPage(req, ctx.baseUrl, items(sub), size, tokenSalt)),
    });
    const eventResource = (e: AzureActivityEvent, sub: AzureSubscription): string => {
      if (e.resourceId) return e.resourceId;
      const snap = sub.snapshots.find((s) => s.name === e.snapshot && (!e.resourceGroup || s.resourceGroup === e.resourceGroup));
      return snapshotId(sub.id, e.resourceGroup ?? snap?.resourceGroup ?? 'unknown', e.snapshot ?? 'unknown');
    };
    /** Assignments (role or deny) that apply to a scope: at or above it, and (without atScope()) below it too. */
    const applying = <T extends { scope: string }>(items: readonly T[], scope: string, atScopeOnly: boolean): T[] =>
      items.filter((a) => state.atOrAbove(a.scope, scope) || (!atScopeOnly && state.atOrAbove(scope, a.scope)));
    const scopeReadable = (scope: string): LabResponse | null => {
      const sub = state.subscriptionOf(scope);
      if (sub) {
        const r = subscription(sub);
        if ('error' in r) return r.error;
      }
      const mg = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)$/i.exec(scope)?.[1];
      if (mg && !state.managementGroups.has(mg.toLowerCase())) {
        return armError(404, 'ManagementGroupNotFound', `'${MG_PREFIX}${mg}' not found`);
      }
      return null;
    };

    const routes: Route[] = [
      {
        method: 'GET',
        pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i,
        service: 'login',
        operation: 'GetOpenIdConfiguration',
        anonymous: true,
        handle(_req, m) {
          const t = m[1] ?? '';
          const base = `${ctx.baseUrl}/${t}`;
          return armJson({
            token_endpoint: `${base}/oauth2/v2.0/token`,
            token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
            jwks_uri: `${base}/discovery/v2.0/keys`,
            response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
            subject_types_supported: ['pairwise'],
            id_token_signing_alg_values_supported: ['RS256'],
            issuer: `${base}/v2.0`,
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            tenant_region_scope: 'EU',
          });
        },
      },
      {
        method: 'POST',
        pattern: /^\/([^/]+)\/oauth2\/v2\.0\/token$/i,
        service: 'login',
        operation: 'GetToken',
        anonymous: true,
        handle(req, m) {
          const form = new URLSearchParams(req.body);
          const fail = (code: number, error: string, description: string) =>
            armJson({ error, error_description: description, error_codes: [code], timestamp: '2026-01-01 00:00:00Z' }, 401);
          const tenant = (m[1] ?? '').toLowerCase();
          if (tenant !== state.tenantId.toLowerCase() && tenant !== LAB_SIGNIN_TENANT) {
            return fail(90002, 'invalid_request', `AADSTS90002: Tenant '${m[1]}' not found.`);
          }
          if (form.get('grant_type') !== 'client_credentials') return fail(70003, 'unsupported_grant_type', 'AADSTS70003');
          if (form.get('client_id') !== LAB_CLIENT_ID) {
            return fail(700016, 'unauthorized_client', `AADSTS700016: Application '${form.get('client_id')}' was not found.`);
          }
          if (form.get('client_secret') !== LAB_CLIENT_SECRET) {
            return fail(7000215, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
          }
          return armJson({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: state.issueToken() });
        },
      },
      {
        method: 'GET',
        pattern: /^\/subscriptions$/i,
        service: 'Microsoft.Resources',
        operation: 'ListSubscriptions',
        handle: (req) =>
          armPage(
            req,
            ctx.baseUrl,
            estate
              .azure!.subscriptions.filter((s) => s.visible && access.listsSubscription(s.id))
              .map((s) => subscriptionBody(s, state.tenantId)),
            size,
            'subscriptions',
          ),
      },
      {
        method: 'GET',
        pattern: /^\/providers\/Microsoft\.Management\/managementGroups$/i,
        service: 'Microsoft.Management',
        operation: 'ListManagementGroups',
        handle: (req) =>
          armPage(
            req,
            ctx.baseUrl,
            [...state.managementGroups.values()]
              .filter((g) => access.can('Microsoft.Management/managementGroups/read', mgScope(g.id)))
              .map((g) => managementGroupBody(g.id, g.name, state.tenantId)),
            size,
            'managementGroups',
          ),
      },
      {
        method: 'GET',
        pattern: /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\/descendants$/i,
        service: 'Microsoft.Management',
        operation: 'ListManagementGroupDescendants',
        scope: (m) => m[1] ?? null,
        authScope: (m) => mgScope(m[1] ?? ''),
        handle(req, m) {
          const root = (m[1] ?? '').toLowerCase();
          if (!state.managementGroups.has(root)) return armError(404, 'NotFound', `'${MG_PREFIX}${m[1]}' not found`);
          const under = (mg: string) => state.mgChain(mg).some((x) => x.toLowerCase() === root);
          const items = [
            ...estate
              .azure!.managementGroups.filter((g) => g.id.toLowerCase() !== root && under(g.id))
              .map((g) => descendantBody('mg', g.id, g.name, state.parentOfMg(g.id) ?? state.tenantId)),
            ...estate
              .azure!.subscriptions.filter((s) => under(state.parentOfSubscription(s)))
              .map((s) => descendantBody('subscription', s.id, s.name, state.parentOfSubscription(s))),
          ];
          return armPage(req, ctx.baseUrl, items, size, `descendants-${root}`);
        },
      },
      subscriptionList(
        'Microsoft.Compute/snapshots',
        'Microsoft.Compute',
        'ListSnapshots',
        (sub) => sub.snapshots.map((x) => snapshotBody(x, sub.id)),
        'snapshots',
      ),
      subscriptionList(
        'Microsoft.Compute/disks',
        'Microsoft.Compute',
        'ListDisks',
        (sub) => sub.disks.map((d) => diskBody(d, sub.id)),
        'disks',
      ),
      subscriptionList(
        'Microsoft.Compute/diskAccesses',
        'Microsoft.Compute',
        'ListDiskAccesses',
        (sub) => sub.diskAccesses.map((d) => diskAccessBody(d, sub.id)),
        'diskAccesses',
      ),
      {
        method: 'GET',
        pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Insights\/diagnosticSettings$/i,
        service: 'Microsoft.Insights',
        operation: 'ListDiagnosticSettings',
        scope: (m) => m[1] ?? null,
        authScope: (m) => `/subscriptions/${m[1]}`,
        // Not paged by ARM: one `{value}` body.
        handle: (_req, m) =>
          withSub(m[1], (sub) => armJson({ value: sub.diagnosticSettings.map((d) => diagnosticSettingBody(d, sub.id)) })),
      },
      subscriptionList(
        'Microsoft.Insights/activityLogAlerts',
        'Microsoft.Insights',
        'ListActivityLogAlerts',
        (sub) => sub.activityLogAlerts.map((a) => activityLogAlertBody(a, sub.id)),
        'alerts',
      ),
      {
        method: 'GET',
        pattern: /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Insights\/actionGroups\/([^/]+)$/i,
        service: 'Microsoft.Insights',
        operation: 'GetActionGroup',
        scope: (m) => m[1] ?? null,
        authScope: (m) => `/subscriptions/${m[1]}/resourceGroups/${m[2]}`,
        handle: (_req, m) =>
          withSub(m[1], (sub) => {
            const g = sub.actionGroups.find(
              (x) => x.resourceGroup.toLowerCase() === (m[2] ?? '').toLowerCase() && x.name.toLowerCase() === (m[3] ?? '').toLowerCase(),
            );
            if (!g) {
              return armError(
                404,
                'ResourceNotFound',
                `The Resource 'microsoft.insights/actiongroups/${m[3]}' under resource group '${m[2]}' was not found.`,
              );
            }
            return armJson(actionGroupBody(g, sub.id));
          }),
      },
      {
        method: 'GET',
        pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Insights\/eventtypes\/management\/values$/i,
        service: 'Microsoft.Insights',
        operation: 'ListActivityLogs',
        scope: (m) => m[1] ?? null,
        authScope: (m) => `/subscriptions/${m[1]}`,
        handle: (req, m) =>
          withSub(m[1], (sub) => {
            const raw = req.url.searchParams.get('$filter') ?? '';
            const f = parseActivityFilter(raw);
            if (!f) {
              return armError(
                400,
                'BadRequest',
                `The $filter '${raw}' is not supported. It requires eventTimestamp ge '<start>' [and eventTimestamp le '<end>'] and at most one of: resourceGroupName eq, resourceUri eq, resourceProvider eq, correlationId eq. No other syntax is allowed.`,
              );
            }
            const from = Date.parse(f.from);
            const to = f.to ? Date.parse(f.to) : Number.POSITIVE_INFINITY;
            if (Number.isNaN(from) || Number.isNaN(to) || to < from) return armError(400, 'BadRequest', 'Invalid eventTimestamp range.');
            if (Number.isFinite(to) && to - from > 91 * DAY) {
              return armError(400, 'BadRequest', 'The time range cannot exceed 90 days: activity log events are kept for 90 days.');
            }
            const events = sub.activityLog
              .map((e) => ({ e, resourceId: eventResource(e, sub) }))
              .filter(({ e, resourceId }) => {
                const t = Date.parse(e.eventTimestamp);
                if (t < from || t > to) return false;
                const v = (f.value ?? '').toLowerCase();
                const id = resourceId.toLowerCase();
                if (f.field === 'resourceProvider') return id.includes(`/providers/${v}/`);
                if (f.field === 'resourceGroupName') return id.includes(`/resourcegroups/${v}/`);
                if (f.field === 'resourceUri') return id === v;
                // Correlation ids are derived from the resource and time (resources.ts): the lab keeps none to match.
                if (f.field === 'correlationId') return false;
                return true;
              })
              .sort((a, b) => Date.parse(b.e.eventTimestamp) - Date.parse(a.e.eventTimestamp))
              .map(({ e, resourceId }) => activityEventBody(e, sub.id, state.tenantId, resourceId));
            return armPage(req, ctx.baseUrl, events, size, 'events');
          }),
      },
      {
        method: 'GET',
        pattern: /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments$/i,
        service: 'Microsoft.Authorization',
        operation: 'ListRoleAssignments',
        scope: (m) => scopeOfArmPath(m[1] ?? ''),
        authScope: (m) => m[1] || '/',
        handle(req, m) {
          const scope = m[1] || '/';
          const bad = scopeReadable(scope);
          if (bad) return bad;
          const raw = req.url.searchParams.get('$filter');
          const filter = parseRoleAssignmentFilter(raw);
          if (!filter)
            return armError(
              400,
              'BadRequest',
              `The $filter '${raw}' is not supported: use atScope(), principalId eq {id} or assignedTo('{id}').`,
            );
          const principal = filter.principalId;
          const items = applying(estate.azure!.roleAssignments, scope, filter.atScope)
            .filter((a) => !principal || a.principalId.toLowerCase() === principal)
            .map((a) => roleAssignmentBody(a, state));
          return armPage(req, ctx.baseUrl, items, size, 'roleAssignments');
        },
      },
      {
        method: 'GET',
        pattern: /^(.*)\/providers\/Microsoft\.Authorization\/denyAssignments$/i,
        service: 'Microsoft.Authorization',
        operation: 'ListDenyAssignments',
        scope: (m) => scopeOfArmPath(m[1] ?? ''),
        authScope: (m) => m[1] || '/',
        handle(req, m) {
          const scope = m[1] || '/';
          const bad = scopeReadable(scope);
          if (bad) return bad;
          const raw = req.url.searchParams.get('$filter');
          const filter = parseDenyFilter(raw);
          if (!filter) {
            return armError(
              400,
              'BadRequest',
              `The $filter '${raw}' is not supported: use atScope(), denyAssignmentName eq '{name}', principalId eq '{id}' or gdprExportPrincipalId eq '{id}'.`,
            );
          }
          const items = applying(estate.azure!.denyAssignments, scope, filter.atScope)
            .filter((d) => !filter.name || d.name.toLowerCase() === filter.name.toLowerCase())
            .filter(
              (d) =>
                !filter.principalId ||
                d.principals.some((p) => p.id.toLowerCase() === filter.principalId) ||
                d.excludePrincipals.some((p) => p.id.toLowerCase() === filter.principalId),
            )
            .map((d) => denyAssignmentBody(d));
          return armPage(req, ctx.baseUrl, items, size, 'denyAssignments');
        },
      },
      {
        method: 'GET',
        pattern: /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions$/i,
        service: 'Microsoft.Authorization',
        operation: 'ListRoleDefinitions',
        scope: (m) => scopeOfArmPath(m[1] ?? ''),
        handle(req, m) {
          const scope = m[1] || '/';
          const bad = scopeReadable(scope);
          if (bad) return bad;
          const filter = req.url.searchParams.get('$filter') ?? '';
          const roleName = /roleName\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
          const type = /type\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
          const sub = state.subscriptionOf(scope);
          const items = state.roles
            .filter((r) => !state.isCustom(r) || r.assignableScopes.some((s) => state.atOrAbove(s, scope) || state.atOrAbove(scope, s)))
            .filter((r) => !roleName || r.name.toLowerCase() === roleName)
            .filter((r) => !type || (state.isCustom(r) ? 'customrole' : 'builtinrole') === type)
            .map((r) =>
              roleDefinitionBody(
                r,
                `${sub ? `/subscriptions/${sub}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${r.id}`,
                state.isCustom(r),
              ),
            );
          return armPage(req, ctx.baseUrl, items, size, 'roleDefinitions');
        },
      },
      {
        method: 'GET',
        pattern: /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i,
        service: 'Microsoft.Authorization',
        operation: 'GetRoleDefinition',
        scope: (m) => scopeOfArmPath(m[1] ?? ''),
        handle(req, m) {
          const scope = m[1] || '/';
          const bad = scopeReadable(scope);
          if (bad) return bad;
          const role = state.role(m[2] ?? '');
          if (!role || (m[2] ?? '').toLowerCase() !== role.id.toLowerCase()) {
            return armError(404, 'RoleDefinitionDoesNotExist', 'The specified role definition with ID ' + `'${m[2]}' does not exist.`);
          }
          return armJson(roleDefinitionBody(role, req.url.pathname, state.isCustom(role)));
        },
      },
    ];

    /** 403 when the estate names its caller and the caller may not perform the route's read at its scope. */
    const authorise = (route: Route, m: RegExpExecArray): LabResponse | null => {
      const action = readActions[route.operation];
      const scope = route.authScope?.(m);
      if (!access.modelled || !action || !scope) return null;
      const sub = state.subscriptionOf(scope);
      if (sub && !state.subscriptions.has(sub)) return null;
      const mg = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)$/i.exec(scope)?.[1];
      if (mg && !state.managementGroups.has(mg.toLowerCase())) return null;
      return access.can(action, scope) ? null : denied(action, scope, access.principalId);
    };

    const match = (req: LabRequest): { route: Route; m: RegExpExecArray } | null => {
      for (const route of routes) {
        if (route.method !== req.method) continue;
        const m = route.pattern.exec(req.url.pathname);
        if (m) return { route, m };
      }
      return null;
    };

    return {
      provider: 'azure',
      tls: true,
      credentials: { tenantId: LAB_SIGNIN_TENANT, clientId: LAB_CLIENT_ID, clientSecret: LAB_CLIENT_SECRET },
      identify(req): RequestIdentity {
        const hit = match(req);
        if (!hit) {
          return {
            service: 'azure',
            operation: `${req.method} ${req.url.pathname}`,
            scope: scopeOfArmPath(req.url.pathname),
            region: null,
          };
        }
        return { service: hit.route.service, operation: hit.route.operation, scope: hit.route.scope?.(hit.m) ?? null, region: null };
      },
      handle(req) {
        if (req.url.pathname.includes('//')) {
          return armError(400, 'InvalidRequestUri', `The request URI '${req.url.pathname}' is not valid: it has an empty segment.`);
        }
        const hit = match(req);
        if (!hit) {
          if (req.method !== 'GET') return armError(405, 'MethodNotAllowed', `The lab only serves reads; ${req.method} is not allowed.`);
          return armError(404, 'InvalidResourceType', `The lab does not serve '${req.url.pathname}'.`);
        }
        if (!hit.route.anonymous) {
          const token = bearer(req);
          if (!token) return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
          if (!state.validToken(token)) return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
          const version = req.url.searchParams.get('api-version');
          if (!version) {
            return armError(
              400,
              'MissingApiVersionParameter',
              'The api-version query parameter (?api-version=) is required for all requests.',
            );
          }
          const published = versions[`${hit.route.service}:${hit.route.operation}`]?.versions;
          if (published && !published.includes(version)) {
            return armError(
              400,
              'InvalidApiVersionParameter',
              `The api-version '${version}' is invalid. The supported versions are '${published.join(',')}'.`,
            );
          }
          // ARM's read buckets: per subscription for subscription-scoped reads, per tenant otherwise.
          const sub = /^\/subscriptions\/([^/]+)/i.exec(req.url.pathname)?.[1]?.toLowerCase();
          const kind = sub ? 'subscription' : 'tenant';
          const bucket = buckets.take(sub ? `subscription:${sub}` : 'tenant');
          if (!bucket.allowed) {
            return armError(
              429,
              sub ? 'SubscriptionRequestsThrottled' : 'TenantRequestsThrottled',
              `Number of 'read' requests for ${kind} '${sub ?? state.tenantId}' actor '${access.principalId}' exceeded. Please try again after '${bucket.retryAfterSeconds}' seconds after the additional tokens are available. Refer to https://aka.ms/arm-throttling`,
              { 'retry-after': String(bucket.retryAfterSeconds), [`x-ms-ratelimit-remaining-${kind}-reads`]: '0' },
            );
          }
          const denial = authorise(hit.route, hit.m);
          const answer = denial ?? hit.route.handle(req, hit.m);
          return { ...answer, headers: { ...answer.headers, [`x-ms-ratelimit-remaining-${kind}-reads`]: String(bucket.remaining) } };
        }
        return hit.route.handle(req, hit.m);
      },
      fault(kind, req, id, rule: FaultRule) {
        // The sign-in endpoints are Microsoft Entra ID, not ARM: their errors are OAuth 2.0 error bodies.
        if (id.service === 'login') return signInFault(kind, rule);
        switch (kind) {
          case 'throttle':
            return armError(
              429,
              id.scope && /^[0-9a-f-]{36}$/i.test(id.scope) ? 'SubscriptionRequestsThrottled' : 'TooManyRequests',
              'Number of read requests exceeded the limit. Please retry after a while.',
              { 'retry-after': String(rule.retryAfterSeconds ?? 1) },
            );
          case 'server_error':
            return armError(500, 'InternalServerError', rule.message ?? 'Encountered an internal server error.');
          case 'access_denied':
            return rule.message
              ? armError(403, 'AuthorizationFailed', rule.message)
              : denied(`${id.service}/${id.operation}`, normScope(req.url.pathname.split('/providers/')[0] || '/'), access.principalId);
          case 'expired_credentials':
            return armError(401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.');
          case 'malformed':
            return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"value": [{"id": ' };
        }
      },
    };
  },
};
