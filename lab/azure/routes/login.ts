/**
 * A minimal Microsoft Entra ID: the OpenID configuration and the OAuth 2.0 client-credentials grant, so a real
 * `ClientSecretCredential` signs in to the lab. Its errors are OAuth 2.0 error bodies, not ARM's.
 */
import type { FaultRule, LabResponse } from '../../core.ts';
import { LAB_CLIENT_ID, LAB_CLIENT_SECRET, LAB_SIGNIN_TENANT } from '../state.ts';
import { armJson, type Route } from '../wire.ts';
import type { RouteContext } from './context.ts';

export function loginRoutes(c: RouteContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i,
      service: 'login',
      operation: 'GetOpenIdConfiguration',
      anonymous: true,
      handle(_req, m) {
        const base = `${c.baseUrl}/${m[1] ?? ''}`;
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
        if (tenant !== c.state.tenantId.toLowerCase() && tenant !== LAB_SIGNIN_TENANT) {
          return fail(90002, 'invalid_request', `AADSTS90002: Tenant '${m[1]}' not found.`);
        }
        if (form.get('grant_type') !== 'client_credentials') return fail(70003, 'unsupported_grant_type', 'AADSTS70003');
        if (form.get('client_id') !== LAB_CLIENT_ID) {
          return fail(700016, 'unauthorized_client', `AADSTS700016: Application '${form.get('client_id')}' was not found.`);
        }
        if (form.get('client_secret') !== LAB_CLIENT_SECRET) {
          return fail(7000215, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
        }
        return armJson({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: c.state.issueToken() });
      },
    },
  ];
}

/** A fault at the token endpoint, shaped as Microsoft Entra ID answers (`{error, error_description, error_codes}`). */
export function signInFault(
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
