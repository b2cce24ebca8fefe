/** Shared error → gap classification; adapters add their providers' own codes on top. */
import type { GapCode } from '../src/core/model/result.ts';
import { ScanAbortedError, type ErrorInfo } from '../src/core/calls.ts';

/** What went wrong on the way to the server, named for an operator: each with its gap code and whether to retry. */
export type NetworkFailure = 'dns' | 'refused' | 'tls' | 'reset' | 'timeout' | 'unreachable' | 'send';

const failureByCode: Record<string, NetworkFailure> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  UNABLE_TO_GET_ISSUER_CERT: 'tls',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
  CERT_HAS_EXPIRED: 'tls',
  CERT_NOT_YET_VALID: 'tls',
  CERT_UNTRUSTED: 'tls',
  CERT_REVOKED: 'tls',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
  EPROTO: 'tls',
  REQUEST_SEND_ERROR: 'send',
};

/** The same failures as they appear in messages of libraries that keep only the text (gax, MSAL). */
const failureByText: Array<[RegExp, NetworkFailure]> = [
  [/getaddrinfo|ENOTFOUND|EAI_AGAIN/, 'dns'],
  [/ECONNREFUSED|connection refused/i, 'refused'],
  [/self[- ]signed certificate|unable to verify|certificate has expired|altnames|ERR_TLS|SSL routines|wrong version number/i, 'tls'],
  [/ECONNRESET|EPIPE|socket hang up|other side closed/i, 'reset'],
  [/ETIMEDOUT|timed out|timeout/i, 'timeout'],
  [/EHOSTUNREACH|ENETUNREACH/, 'unreachable'],
];

const failureInfo: Record<NetworkFailure, { code: GapCode; retryable: boolean; label: string }> = {
  dns: { code: 'unavailable', retryable: true, label: 'network error (DNS: the host name does not resolve)' },
  refused: { code: 'unavailable', retryable: true, label: 'network error (connection refused: nothing listens at that address)' },
  tls: { code: 'unavailable', retryable: false, label: 'network error (TLS: the certificate is not trusted or the handshake failed)' },
  reset: { code: 'unavailable', retryable: true, label: 'network error (connection reset)' },
  timeout: { code: 'timeout', retryable: true, label: 'network error (timed out)' },
  unreachable: { code: 'unavailable', retryable: true, label: 'network error (host or network unreachable)' },
  send: { code: 'unavailable', retryable: true, label: 'network error (the request could not be sent)' },
};

/** The errors an error carries: itself, its causes, and the members of an AggregateError, depth-first. */
function chain(err: unknown, depth = 0): unknown[] {
  if (err === null || err === undefined || depth > 6) return [];
  const e = err as { cause?: unknown; errors?: unknown };
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => chain(x, depth + 1)) : [];
  return [err, ...chain(e.cause, depth + 1), ...nested];
}

/**
 * The network failure behind an error, if it is one: by the first system error code found on it or its causes,
 * else by its text. Codes that name a specific failure win over a generic "could not send".
 */
export function networkFailure(err: unknown): NetworkFailure | null {
  const errors = chain(err);
  let generic: NetworkFailure | null = null;
  for (const x of errors) {
    const code = (x as { code?: unknown } | null)?.code;
    const kind = typeof code === 'string' ? failureByCode[code] : undefined;
    if (kind === 'send') generic = 'send';
    else if (kind) return kind;
  }
  for (const x of errors) {
    const text = x instanceof Error ? x.message : typeof x === 'string' ? x : '';
    for (const [re, kind] of failureByText) if (re.test(text)) return kind;
  }
  return generic;
}

/** One Retry-After parser for every provider and the ticket sinks. */
export { parseRetryAfter } from '../src/core/retry.ts';

/**
 * A credential chain that cannot produce credentials (nothing configured, a key file missing or garbled, a token
 * exchange refused): not retried, and a `credentials` gap on whatever needed it.
 */
export class CredentialsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CredentialsError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Classification by HTTP status, when the provider code did not decide. */
export function classifyStatus(status: number | null, message: string, retryAfterMs: number | null = null): ErrorInfo {
  const base = { status, message, retryAfterMs };
  if (status === 429) return { ...base, code: 'throttled', retryable: true, throttle: true };
  if (status === 401 || status === 403) return { ...base, code: 'access_denied', retryable: false, throttle: false };
  if (status === 404) return { ...base, code: 'not_found', retryable: false, throttle: false };
  if (status === 501) return { ...base, code: 'not_implemented', retryable: false, throttle: false };
  if (status === 408 || status === 504) return { ...base, code: 'timeout', retryable: true, throttle: false };
  if (status !== null && status >= 500) return { ...base, code: 'unavailable', retryable: true, throttle: false };
  if (status !== null && status >= 400) return { ...base, code: 'error', retryable: false, throttle: false };
  return { ...base, code: 'error', retryable: false, throttle: false };
}

/** Network-level failures and aborts, shared by every SDK. Returns null when the error is not one of these. */
export function classifyTransport(err: unknown): ErrorInfo | null {
  const message = errorMessage(err);
  if (err instanceof ScanAbortedError)
    return { code: 'interrupted', retryable: false, throttle: false, retryAfterMs: null, status: null, message };
  if (err instanceof CredentialsError)
    return { code: 'credentials', retryable: false, throttle: false, retryAfterMs: null, status: null, message };
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; statusCode?: number; response?: unknown } | null;
  if (e?.name === 'AbortError')
    return { code: 'interrupted', retryable: false, throttle: false, retryAfterMs: null, status: null, message };
  // The network failure first: the AWS SDK renames ECONNRESET and EPIPE (a reset connection) to TimeoutError, and
  // the Google clients report a failed request as a gRPC status of their own. Only errors without a server answer.
  const answered = e?.$metadata?.httpStatusCode !== undefined || e?.statusCode !== undefined || e?.response !== undefined;
  const network = answered ? null : networkFailure(err);
  if (network) {
    const f = failureInfo[network];
    return { code: f.code, retryable: f.retryable, throttle: false, retryAfterMs: null, status: null, message: `${f.label}: ${message}` };
  }
  if (e?.name === 'TimeoutError') return { code: 'timeout', retryable: true, throttle: false, retryAfterMs: null, status: null, message };
  if (err instanceof SyntaxError) {
    return { code: 'invalid_response', retryable: true, throttle: false, retryAfterMs: null, status: null, message };
  }
  return null;
}
