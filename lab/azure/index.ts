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
  activityEventBody,
  activityLogAlertBody,
  denyAssignmentBody,
  descendantBody,
  diagnosticSettingBody,
  diskBody,
  managementGroupBody,
  roleAssignmentBody,
  roleDefinitionBody,
  snapshotBody,
  snapshotId,
  subscriptionBody,
} from './resources.ts';
import { AzureLabState, LAB_CLIENT_ID, LAB_CLIENT_SECRET, LAB_PRINCIPAL_ID, LAB_SIGNIN_TENANT, MG_PREFIX, normScope } from './state.ts';
import { armError, armJson, armPage } from './wire.ts';

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
  handle: Handler;
}

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

function denied(action: string, scope: string): LabResponse {
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${LAB_PRINCIPAL_ID}' with object id '${LAB_PRINCIPAL_ID}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

/** `$filter` of the activity log: `eventTimestamp ge '…' and eventTimestamp le '…' [and resourceProvider eq '…' …]`. */
function parseActivityFilter(filter: string) {
  const get = (re: RegExp) => re.exec(filter)?.[1] ?? null;
  return {
    from: get(/eventTimestamp\s+ge\s+'([^']+)'/i),
    to: get(/eventTimestamp\s+le\s+'([^']+)'/i),
    resourceProvider: get(/resourceProvider\s+eq\s+'([^']+)'/i),
    resourceGroupName: get(/resourceGroupName\s+eq\s+'([^']+)'/i),
    resourceUri: get(/resourceUri\s+eq\s+'([^']+)'/i),
  };
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
      return oauth(500, 'server_error', 50000, 'There was an error issuing a token or an issue with our sign-in service.');
    case 'access_denied':
      return oauth(400, 'unauthorized_client', 700016, 'Application was not found in the directory.');
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

    const subscription = (id: string): { sub: AzureSubscription } | { error: LabResponse } => {
      const sub = state.subscriptions.get(id.toLowerCase());
      if (!sub) return { error: armError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`) };
      if (!sub.visible) return { error: denied('Microsoft.Resources/subscriptions/read', `/subscriptions/${id}`) };
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
            estate.azure!.subscriptions.filter((s) => s.visible).map((s) => subscriptionBody(s, state.tenantId)),
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
            [...state.managementGroups.values()].map((g) => managementGroupBody(g.id, g.name, state.tenantId)),
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
      {
        method: 'GET',
        pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Insights\/diagnosticSettings$/i,
        service: 'Microsoft.Insights',
        operation: 'ListDiagnosticSettings',
        scope: (m) => m[1] ?? null,
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
        pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Insights\/eventtypes\/management\/values$/i,
        service: 'Microsoft.Insights',
        operation: 'ListActivityLogs',
        scope: (m) => m[1] ?? null,
        handle: (req, m) =>
          withSub(m[1], (sub) => {
            const f = parseActivityFilter(req.url.searchParams.get('$filter') ?? '');
            if (!f.from) return armError(400, 'BadRequest', 'The $filter must give a start time: eventTimestamp ge ...');
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
                if (f.resourceProvider && !resourceId.toLowerCase().includes(`/providers/${f.resourceProvider.toLowerCase()}/`))
                  return false;
                if (f.resourceGroupName && !resourceId.toLowerCase().includes(`/resourcegroups/${f.resourceGroupName.toLowerCase()}/`))
                  return false;
                if (f.resourceUri && resourceId.toLowerCase() !== f.resourceUri.toLowerCase()) return false;
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
        handle(req, m) {
          const scope = m[1] || '/';
          const bad = scopeReadable(scope);
          if (bad) return bad;
          const filter = req.url.searchParams.get('$filter') ?? '';
          const principal = /principalId\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
          const items = applying(estate.azure!.roleAssignments, scope, /atScope\(\)/i.test(filter))
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
        handle(req, m) {
          const scope = m[1] || '/';
          const bad = scopeReadable(scope);
          if (bad) return bad;
          const atScope = /atScope\(\)/i.test(req.url.searchParams.get('$filter') ?? '');
          const items = applying(estate.azure!.denyAssignments, scope, atScope).map((d) => denyAssignmentBody(d));
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
          if (!req.url.searchParams.get('api-version')) {
            return armError(
              400,
              'MissingApiVersionParameter',
              'The api-version query parameter (?api-version=) is required for all requests.',
            );
          }
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
            return armError(500, 'InternalServerError', 'Encountered an internal server error.');
          case 'access_denied':
            return denied(`${id.service}/${id.operation}`, normScope(req.url.pathname.split('/providers/')[0] || '/'));
          case 'expired_credentials':
            return armError(401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.');
          case 'malformed':
            return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"value": [{"id": ' };
        }
      },
    };
  },
};
