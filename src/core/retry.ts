/**
 * The one retry policy, for cloud API calls (the engine's call runner) and ticket systems (src/tickets/retry.ts)
 * alike:
 *
 * - a failure the classifier calls retryable is retried up to `maxAttempts` attempts in all;
 * - the wait is exponential backoff with full jitter (`random × min(maxDelayMs, baseDelayMs × 2^(attempt-1))`),
 *   and never shorter than the server's Retry-After when it sent one;
 * - a Retry-After longer than `maxRetryAfterMs` (default 5 minutes) is not waited for: the call fails at once as
 *   throttled, and the rest of the scan or sync goes on — a server asking for a day must not hold a scan (and the
 *   state store's writer lease) for a day;
 * - every wait is clamped to what a timer can hold (setTimeout treats anything above 2^31-1 ms as 1 ms).
 */

/** The longest delay setTimeout honours; above it Node fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Default ceiling on a server-requested wait. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 5 * 60_000;

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After honoured; beyond it the call fails as throttled. Default 5 minutes. */
  maxRetryAfterMs?: number;
}

/** What the policy needs to know about one failed attempt. */
export interface RetryableFailure {
  retryable: boolean;
  /** Server-requested wait (Retry-After, RetryInfo, a rate-limit reset), when it said. */
  retryAfterMs: number | null;
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'not_retryable' | 'attempts_exhausted' | 'retry_after_too_long' };

/** A delay a timer can hold: finite, not negative, at most MAX_TIMER_MS. */
export function clampDelay(ms: number): number {
  if (!Number.isFinite(ms)) return ms > 0 ? MAX_TIMER_MS : 0;
  return Math.min(MAX_TIMER_MS, Math.max(0, Math.round(ms)));
}

/** Backoff with full jitter for the attempt that just failed (1-based). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 52));
  return clampDelay(Math.floor(random() * ceiling));
}

/** Whether, and after how long, to try again after attempt `attempt` failed. */
export function retryDecision(attempt: number, failure: RetryableFailure, policy: RetryPolicy, random: () => number): RetryDecision {
  if (!failure.retryable) return { retry: false, reason: 'not_retryable' };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts_exhausted' };
  const ceiling = policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const asked = failure.retryAfterMs;
  if (asked !== null && !(asked <= ceiling)) return { retry: false, reason: 'retry_after_too_long' };
  return { retry: true, delayMs: clampDelay(Math.max(asked ?? 0, backoffDelay(attempt, policy, random))) };
}

/** Words for a Retry-After that was not waited for, for gap and log messages. */
export function retryAfterRefusal(retryAfterMs: number | null, policy: RetryPolicy): string {
  const ceiling = policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const asked = retryAfterMs === null || !Number.isFinite(retryAfterMs) ? 'an unbounded time' : `${Math.round(retryAfterMs / 1000)} s`;
  return `the server asked to wait ${asked} before retrying, more than the ${Math.round(ceiling / 1000)} s ceiling (retry.maxRetryAfterMs); not retried`;
}

/**
 * Retry-After as seconds or an HTTP date, in milliseconds from `now`; null when absent or unreadable. A value too
 * large to be a time (e.g. 1e400 seconds) is Infinity, which the policy refuses like any wait above its ceiling.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (/^[+-]?\d/.test(text) || /^[+-]?(inf|nan)/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
