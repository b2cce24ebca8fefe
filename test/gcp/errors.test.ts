/** Google error shapes → gap codes, retryability and the requested wait. */
import { describe, expect, it } from 'vitest';
import { classifyGcpError } from '../../providers/gcp/errors.ts';

const status = (code: number, name: string, message: string, details: unknown[] = [], errors?: unknown[]) =>
  JSON.stringify({ error: { code, status: name, message, details, ...(errors ? { errors } : {}) } });

describe('classifyGcpError', () => {
  it.each([
    [
      'GoogleError with RetryInfo (REST clients)',
      Object.assign(new Error('Quota exceeded'), {
        code: 8,
        httpStatusCode: 429,
        reason: 'RATE_LIMIT_EXCEEDED',
        statusDetails: [{ retryDelay: { seconds: '4', nanos: 500_000_000 } }],
      }),
      { code: 'throttled', retryable: true, throttle: true, retryAfterMs: 4500, status: 429 },
    ],
    [
      'GaxiosError with Retry-After (fallback clients, auth request)',
      Object.assign(new Error(status(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded')), {
        status: 429,
        response: { status: 429, headers: { 'retry-after': '3' } },
      }),
      { code: 'throttled', retryable: true, retryAfterMs: 3000 },
    ],
    [
      'SERVICE_DISABLED in the body',
      Object.assign(
        new Error(
          status(403, 'PERMISSION_DENIED', 'Compute Engine API has not been used', [
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED' },
          ]),
        ),
        {
          status: 403,
          response: { status: 403, headers: {} },
        },
      ),
      { code: 'not_enabled', retryable: false },
    ],
    [
      'legacy accessNotConfigured reason',
      Object.assign(new Error('x'), {
        response: { status: 403, data: JSON.parse(status(403, 'PERMISSION_DENIED', 'disabled', [], [{ reason: 'accessNotConfigured' }])) },
      }),
      { code: 'not_enabled' },
    ],
    [
      'PERMISSION_DENIED',
      Object.assign(new Error('denied'), { code: 7, httpStatusCode: 403, reason: 'IAM_PERMISSION_DENIED' }),
      { code: 'access_denied', retryable: false },
    ],
    ['UNAUTHENTICATED', Object.assign(new Error('bad token'), { code: 16 }), { code: 'credentials', retryable: false, status: 401 }],
    ['UNAVAILABLE', Object.assign(new Error('unavailable'), { code: 14, httpStatusCode: 503 }), { code: 'unavailable', retryable: true }],
    ['NOT_FOUND', Object.assign(new Error('nope'), { code: 5 }), { code: 'not_found', retryable: false }],
    // Compute Engine API rate limits: 403 with reason rateLimitExceeded / userRateLimitExceeded
    // (https://cloud.google.com/compute/api-quota). google-gax keeps the body only in the error's cause.
    [
      'Compute 403 rateLimitExceeded through the REST client (reason only in the cause)',
      Object.assign(new Error('Quota exceeded'), {
        code: 7,
        httpStatusCode: 403,
        cause: new Error(status(403, 'PERMISSION_DENIED', 'Quota exceeded', [], [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }])),
      }),
      { code: 'throttled', retryable: true, throttle: true, retryAfterMs: null },
    ],
    [
      'Compute 403 userRateLimitExceeded through the auth client (GaxiosError)',
      Object.assign(new Error('x'), {
        status: 403,
        response: {
          status: 403,
          headers: {},
          data: JSON.parse(status(403, 'PERMISSION_DENIED', 'User Rate Limit Exceeded', [], [{ reason: 'userRateLimitExceeded' }])),
        },
      }),
      { code: 'throttled', retryable: true, throttle: true },
    ],
    [
      '429 without Retry-After (what Google usually sends): throttled, the engine picks the delay',
      Object.assign(new Error(status(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded')), {
        status: 429,
        response: { status: 429, headers: {} },
      }),
      { code: 'throttled', retryable: true, throttle: true, retryAfterMs: null },
    ],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), { code: 'unavailable', retryable: true }],
  ])('%s', (_name, err, expected) => {
    expect(classifyGcpError(err)).toMatchObject(expected);
  });

  it('keeps the service message', () => {
    const e = Object.assign(new Error(status(403, 'PERMISSION_DENIED', "Permission 'x' denied")), { status: 403 });
    expect(classifyGcpError(e).message).toBe("PERMISSION_DENIED: Permission 'x' denied");
  });
});
