/**
 * The Azure part of the lab, served over HTTPS (the Azure SDK refuses bearer tokens over plain HTTP). It speaks
 * ARM (JSON, `{value, nextLink}` pages with absolute nextLinks, `{error: {code, message}}` errors, 429 with
 * Retry-After) for exactly the reads the scanner makes — one route file per service in routes/ — and a minimal
 * Microsoft Entra ID token endpoint (routes/login.ts) so a real `ClientSecretCredential` signs in to it.
 * Every ARM request must carry a bearer token that endpoint issued and a published api-version; reads are
 * authorised against the caller's own role assignments and throttled by ARM's read buckets.
 */
import type { FaultRule, LabRequest, LabResponse, ProviderLabContext, RequestIdentity } from '../core.ts';
import type { LabModuleFactory } from '../module.ts';
import { CallerAccess } from './access.ts';
import apiVersionData from './data/api-versions.json' with { type: 'json' };
import { authorizationRoutes, scopeOfArmPath } from './routes/authorization.ts';
import { computeRoutes } from './routes/compute.ts';
import { denied, RouteContext } from './routes/context.ts';
import { graphDenied, graphError, graphRoutes } from './routes/graph.ts';
import { insightsRoutes } from './routes/insights.ts';
import { workspaceRoutes } from './routes/workspaces.ts';
import { destinationRoutes } from './routes/destinations.ts';
import { loginRoutes, signInFault } from './routes/login.ts';
import { tenantRoutes } from './routes/tenant.ts';
import { AzureLabState, LAB_CLIENT_ID, LAB_CLIENT_SECRET, LAB_SIGNIN_TENANT, normScope } from './state.ts';
import { ReadBuckets } from './throttle.ts';
import { armError, type Route } from './wire.ts';

const versions = apiVersionData.operations as Record<string, { versions: string[] }>;

function bearer(req: LabRequest): string | null {
  const auth = String(req.headers.authorization ?? '');
  return /^Bearer (.+)$/i.exec(auth)?.[1] ?? null;
}

export const azureLab: LabModuleFactory = {
  tls: true,
  create(estate, ctx: ProviderLabContext) {
    if (!estate.azure) throw new Error('the estate has no azure section');
    const state = new AzureLabState(estate.azure);
    const access = new CallerAccess(state, estate.azure);
    const buckets = new ReadBuckets(estate.azure.readLimits);
    const c = new RouteContext(state, access, ctx);
    const routes: Route[] = [
      ...loginRoutes(c),
      ...tenantRoutes(c),
      ...computeRoutes(c),
      ...insightsRoutes(c),
      ...workspaceRoutes(c),
      ...destinationRoutes(c),
      ...authorizationRoutes(c),
      ...graphRoutes(c),
    ];

    /**
     * ARM's gate before any read: a token the lab issued, a published api-version, and a token from the read bucket
     * (per subscription for subscription-scoped reads, per tenant otherwise); every answer says how many reads remain.
     */
    const admit = (req: LabRequest, route: Route): { refused: LabResponse } | { headers: Record<string, string> } => {
      const token = bearer(req);
      if (!token)
        return { refused: armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.") };
      if (!state.validToken(token)) return { refused: armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.') };
      const version = req.url.searchParams.get('api-version');
      if (!version) {
        return {
          refused: armError(
            400,
            'MissingApiVersionParameter',
            'The api-version query parameter (?api-version=) is required for all requests.',
          ),
        };
      }
      const published = versions[`${route.service}:${route.operation}`]?.versions;
      if (published && !published.includes(version)) {
        return {
          refused: armError(
            400,
            'InvalidApiVersionParameter',
            `The api-version '${version}' is invalid. The supported versions are '${published.join(',')}'.`,
          ),
        };
      }
      const sub = /^\/subscriptions\/([^/]+)/i.exec(req.url.pathname)?.[1]?.toLowerCase();
      const kind = sub ? 'subscription' : 'tenant';
      const bucket = buckets.take(sub ? `subscription:${sub}` : 'tenant');
      if (!bucket.allowed) {
        return {
          refused: armError(
            429,
            sub ? 'SubscriptionRequestsThrottled' : 'TenantRequestsThrottled',
            `Number of 'read' requests for ${kind} '${sub ?? state.tenantId}' actor '${access.principalId}' exceeded. Please try again after '${bucket.retryAfterSeconds}' seconds after the additional tokens are available. Refer to https://aka.ms/arm-throttling`,
            { 'retry-after': String(bucket.retryAfterSeconds), [`x-ms-ratelimit-remaining-${kind}-reads`]: '0' },
          ),
        };
      }
      return { headers: { [`x-ms-ratelimit-remaining-${kind}-reads`]: String(bucket.remaining) } };
    };

    /** 403 when the estate names its caller and the caller may not perform the route's read at its scope. */
    const authorise = (route: Route, m: RegExpExecArray): LabResponse | null => {
      if (!access.modelled || !route.auth) return null;
      const { action } = route.auth;
      const scope = route.auth.scope(m);
      const sub = state.subscriptionOf(scope);
      if (sub && !state.subscriptions.has(sub)) return null;
      const mg = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)$/i.exec(scope)?.[1];
      if (mg && !state.managementGroups.has(mg.toLowerCase())) return null;
      return access.can(action, scope) ? null : denied(action, scope, access.principalId);
    };

    // each request is matched once (identify, then handle, ask for the same request)
    const matched = new WeakMap<LabRequest, { route: Route; m: RegExpExecArray } | null>();
    const match = (req: LabRequest): { route: Route; m: RegExpExecArray } | null => {
      const known = matched.get(req);
      if (known !== undefined) return known;
      let hit: { route: Route; m: RegExpExecArray } | null = null;
      for (const route of routes) {
        if (route.method !== req.method) continue;
        const m = route.pattern.exec(req.url.pathname);
        if (m) {
          hit = { route, m };
          break;
        }
      }
      matched.set(req, hit);
      return hit;
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
        if (hit.route.anonymous) return hit.route.handle(req, hit.m);
        if (hit.route.graph) {
          const token = bearer(req);
          if (!token) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
          if (!state.validToken(token))
            return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
          return hit.route.handle(req, hit.m);
        }
        const gate = admit(req, hit.route);
        if ('refused' in gate) return gate.refused;
        const answer = authorise(hit.route, hit.m) ?? hit.route.handle(req, hit.m);
        return { ...answer, headers: { ...answer.headers, ...gate.headers } };
      },
      fault(kind, req, id, rule: FaultRule) {
        // The sign-in endpoints are Microsoft Entra ID, not ARM: their errors are OAuth 2.0 error bodies.
        if (id.service === 'login') return signInFault(kind, rule);
        if (id.service === 'Microsoft.Graph' && kind === 'access_denied') return graphDenied();
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
