/**
 * Google API errors → gap codes, retryability and the server's requested wait. Three shapes arrive here: GoogleError
 * from the newer REST clients (gRPC code + httpStatusCode + ErrorInfo + statusDetails with RetryInfo), GaxiosError
 * from the older fallback clients and from the auth client's request() (HTTP status, response headers, the
 * google.rpc.Status JSON body or its text in the message), and transport failures.
 */
import type { ErrorInfo } from '../../src/core/calls.ts';
import { classifyStatus, classifyTransport, errorMessage, parseRetryAfter } from '../errors.ts';

/** gRPC status code → HTTP status, for errors that only carry the gRPC code. */
const grpcToHttp: Record<number, number> = {
  1: 499,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  15: 500,
  16: 401,
};

interface StatusBody {
  code?: number;
  message?: string;
  status?: string;
  errors?: Array<{ reason?: string; message?: string }>;
  details?: Array<{ '@type'?: string; reason?: string; retryDelay?: string | { seconds?: unknown; nanos?: number } }>;
}

interface GoogleLikeError {
  code?: number | string;
  status?: number | string;
  httpStatusCode?: number;
  reason?: string;
  message?: string;
  statusDetails?: Array<{ reason?: string; retryDelay?: { seconds?: unknown; nanos?: number } }>;
  response?: { status?: number; headers?: unknown; data?: unknown };
}

function parseBody(e: GoogleLikeError): StatusBody | null {
  // The REST clients (google-gax) keep the server's JSON body only in the `cause` they wrap: its legacy errors[]
  // (Compute's rateLimitExceeded) is nowhere else.
  const cause = (e as { cause?: { message?: unknown; response?: { data?: unknown } } }).cause;
  const candidates: unknown[] = [e.response?.data, e.message, cause?.response?.data, cause?.message];
  for (const c of candidates) {
    let v: unknown = c;
    if (typeof v === 'string') {
      const t = v.trim();
      if (!t.startsWith('{')) continue;
      try {
        v = JSON.parse(t);
      } catch {
        continue;
      }
    }
    if (v && typeof v === 'object' && 'error' in v && typeof (v as { error: unknown }).error === 'object') {
      return (v as { error: StatusBody }).error;
    }
  }
  return null;
}

function header(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null }).get(name);
  const v = (headers as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : null;
}

function durationMs(d: string | { seconds?: unknown; nanos?: number } | undefined): number | null {
  if (d === undefined) return null;
  if (typeof d === 'string') {
    const m = /^(\d+(?:\.\d+)?)s$/.exec(d);
    return m ? Math.round(Number(m[1]) * 1000) : null;
  }
  const seconds = Number(typeof d.seconds === 'object' && d.seconds !== null ? String(d.seconds) : (d.seconds ?? 0));
  return Number.isFinite(seconds) ? seconds * 1000 + Math.round((d.nanos ?? 0) / 1e6) : null;
}

/** Reasons (legacy `errors[].reason` or ErrorInfo) that mean "slow down", whatever the HTTP status says. */
const rateLimitReasons = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED']);

export function classifyGcpError(err: unknown): ErrorInfo {
  const transport = classifyTransport(err);
  if (transport) return transport;
  const e = (err ?? {}) as GoogleLikeError;
  const body = parseBody(e);
  const grpc = typeof e.code === 'number' && e.code < 100 ? e.code : null;
  const status =
    e.httpStatusCode ??
    e.response?.status ??
    (typeof e.status === 'number' ? e.status : null) ??
    (typeof e.code === 'number' && e.code >= 100 ? e.code : null) ??
    (body?.code && body.code >= 100 ? body.code : null) ??
    (grpc !== null ? (grpcToHttp[grpc] ?? null) : null);
  const reasons = new Set<string>([
    ...(e.reason ? [e.reason] : []),
    ...(e.statusDetails ?? []).map((d) => d.reason ?? '').filter(Boolean),
    ...(body?.details ?? []).map((d) => d.reason ?? '').filter(Boolean),
    ...(body?.errors ?? []).map((d) => d.reason ?? '').filter(Boolean),
  ]);
  const retryAfterMs =
    [...(e.statusDetails ?? []), ...(body?.details ?? [])].map((d) => durationMs(d.retryDelay)).find((x) => x !== null) ??
    parseRetryAfter(header(e.response?.headers, 'retry-after'));
  const statusName = body?.status ?? (typeof e.status === 'string' ? e.status : null);
  const message = `${statusName ?? status ?? 'error'}: ${body?.message ?? errorMessage(err)}`;
  const base = { status, retryAfterMs, message };
  if (reasons.has('SERVICE_DISABLED') || reasons.has('accessNotConfigured')) {
    return { ...base, code: 'not_enabled', retryable: false, throttle: false };
  }
  // Compute Engine signals its API rate limits as 403 with reason rateLimitExceeded / userRateLimitExceeded
  // (https://cloud.google.com/compute/api-quota): throttling to back off from, not a denial.
  if ([...rateLimitReasons].some((r) => reasons.has(r))) return { ...base, code: 'throttled', retryable: true, throttle: true };
  if (status === 429 || grpc === 8 || statusName === 'RESOURCE_EXHAUSTED')
    return { ...base, code: 'throttled', retryable: true, throttle: true };
  if (status === 401 || grpc === 16 || statusName === 'UNAUTHENTICATED')
    return { ...base, code: 'credentials', retryable: false, throttle: false };
  // A body that does not parse. The gRPC-fallback clients report it with a status of their own (UNAVAILABLE) that
  // no server sent, so only a status the server sent (an HTTP status on the response) rules it out.
  const serverStatus = e.response?.status ?? (typeof e.status === 'number' ? e.status : null);
  if (
    /Unexpected (end|token)|not valid JSON|JSON at position|Cannot (read|convert)/i.test(errorMessage(err)) &&
    body === null &&
    (serverStatus === null || serverStatus < 300)
  ) {
    return { ...base, code: 'invalid_response', retryable: true, throttle: false };
  }
  return classifyStatus(status, message, retryAfterMs);
}
