/**
 * The GCP part of the lab: one loopback HTTP endpoint serving every Google API the scanner reads (Compute under
 * `/compute/v1`, Resource Manager and Monitoring under `/v3`, Logging and IAM deny policies under `/v2`, IAM roles
 * under `/v1`). Requests must carry the lab's static bearer token.
 */
import type { LabModuleFactory } from '../module.ts';
import type { LabRequest, RequestIdentity } from '../core.ts';
import { matchRoute, PageSizeError } from './routes/index.ts';
import { requiredPermission } from './visibility.ts';
import { GcpLabState } from './state.ts';
import { errorInfo, gcpError, LAB_GCP_TOKEN, permissionDenied } from './wire.ts';

export { LAB_GCP_TOKEN };

export const gcpLab: LabModuleFactory = {
  tls: false,
  create(estate) {
    if (!estate.gcp) throw new Error('the estate has no gcp section');
    const state = new GcpLabState(estate.gcp);
    let computeThrottles = 0;
    const identify = (req: LabRequest): RequestIdentity => {
      const hit = matchRoute(req);
      if (!hit) return { service: 'gcp', operation: `${req.method} ${req.url.pathname}`, scope: null, region: null };
      const raw = hit.route.scope(hit.m, req);
      // Projects may be named by number: the log and fault rules use the project id.
      const scope = raw === null ? null : (state.project(raw)?.id ?? raw);
      return { service: hit.route.service, operation: hit.route.operation, scope, region: 'global' };
    };
    return {
      provider: 'gcp',
      tls: false,
      credentials: { accessToken: LAB_GCP_TOKEN },
      identify,
      handle(req) {
        if (req.headers.authorization !== `Bearer ${LAB_GCP_TOKEN}`) {
          return gcpError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token.', {
            details: [errorInfo('ACCESS_TOKEN_TYPE_UNSUPPORTED', 'googleapis.com')],
          });
        }
        const hit = matchRoute(req);
        if (!hit) return gcpError(404, `The lab does not serve ${req.method} ${req.url.pathname}`);
        const need = requiredPermission(identify(req));
        if (need && !state.can(need.permission, need.resource)) return permissionDenied(need.permission, need.resource);
        try {
          return hit.route.handle({ req, state, m: hit.m });
        } catch (err) {
          if (!(err instanceof PageSizeError)) throw err;
          return gcpError(400, err.message, {
            ...(hit.route.service === 'compute' ? { errors: [{ message: err.message, domain: 'global', reason: 'invalid' }] } : {}),
          });
        }
      },
      fault(kind, req, id, rule) {
        switch (kind) {
          case 'throttle': {
            // Compute Engine's rate limits answer 403 with reason rateLimitExceeded / userRateLimitExceeded (the two
            // alternate); a throttle that names a delay is the 429 RESOURCE_EXHAUSTED with RetryInfo and Retry-After
            // other APIs send; otherwise 429 without Retry-After, as Google's 429s usually come.
            if (id.service === 'compute' && rule.retryAfterSeconds === undefined) {
              const reason = computeThrottles++ % 2 === 0 ? 'rateLimitExceeded' : 'userRateLimitExceeded';
              const message =
                reason === 'rateLimitExceeded'
                  ? "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'compute.googleapis.com'."
                  : 'User Rate Limit Exceeded';
              // Only the legacy errors[] carries the reason (the leanest form Compute answers with).
              return gcpError(403, message, { errors: [{ message, domain: 'usageLimits', reason }] });
            }
            const details = [
              errorInfo('RATE_LIMIT_EXCEEDED', 'googleapis.com', {
                service: `${id.service}.googleapis.com`,
                quota_limit: 'ReadRequestsPerMinutePerProject',
              }),
              ...(rule.retryAfterSeconds !== undefined
                ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${rule.retryAfterSeconds}s` }]
                : []),
            ];
            return gcpError(429, `Quota exceeded for quota metric 'Read requests' of service '${id.service}.googleapis.com'.`, {
              details,
              ...(rule.retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(rule.retryAfterSeconds) } } : {}),
            });
          }
          case 'server_error':
            return gcpError(503, rule.message ?? 'The service is currently unavailable.');
          case 'access_denied':
            return rule.message
              ? gcpError(403, rule.message)
              : permissionDenied(`${id.service}.${id.operation}`, id.scope ?? req.url.pathname);
          case 'expired_credentials':
            return gcpError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
          case 'malformed':
            return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: '{"items": [' };
        }
      },
    };
  },
};
