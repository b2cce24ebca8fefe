/** Shared error → gap classification; adapters add their providers' own codes on top. */
import type { GapCode } from '../src/core/model/result.ts';
import { ScanAbortedError, type ErrorInfo } from '../src/core/calls.ts';

const networkCodes: Record<string, GapCode> = {
  ECONNRESET: 'unavailable',
  ECONNREFUSED: 'unavailable',
  EPIPE: 'unavailable',
  ENOTFOUND: 'unavailable',
  EAI_AGAIN: 'unavailable',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_SOCKET: 'unavailable',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  REQUEST_SEND_ERROR: 'unavailable',
};

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined || value === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
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
  const e = err as { name?: string; code?: string; cause?: { code?: string } } | null;
  if (e?.name === 'AbortError')
    return { code: 'interrupted', retryable: false, throttle: false, retryAfterMs: null, status: null, message };
  // The network code first: the AWS SDK renames ECONNRESET and EPIPE (a reset connection) to TimeoutError.
  const code = e?.code ?? e?.cause?.code;
  if (code && code in networkCodes) {
    return { code: networkCodes[code] ?? 'unavailable', retryable: true, throttle: false, retryAfterMs: null, status: null, message };
  }
  if (e?.name === 'TimeoutError') return { code: 'timeout', retryable: true, throttle: false, retryAfterMs: null, status: null, message };
  if (err instanceof SyntaxError) {
    return { code: 'invalid_response', retryable: true, throttle: false, retryAfterMs: null, status: null, message };
  }
  return null;
}
