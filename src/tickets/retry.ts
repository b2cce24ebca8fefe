/**
 * Retries for ticket systems, by the one retry policy the cloud calls use too (src/core/retry.ts): HTTP 429 and 5xx
 * (and network resets) are retried with exponential backoff and full jitter, waiting at least as long as the
 * server's Retry-After asks (GitHub's rate-limit reset too) up to `maxRetryAfterMs` (default 5 minutes) — a longer
 * wait is not taken: the operation fails as throttled and the sync goes on with the next one. Everything else fails
 * at once. Errors from every client library are reduced to one shape so the sinks share this policy.
 */
import { sleep as defaultSleep } from '../core/clock.ts';
import { parseRetryAfter, type RetryPolicy, retryAfterRefusal, retryDecision } from '../core/retry.ts';

export { parseRetryAfter };
export type { RetryPolicy } from '../core/retry.ts';

export class HttpError extends Error {
  readonly status: number;
  readonly retryAfterMs: number | null;
  constructor(message: string, status: number, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface Failure {
  status: number | null;
  retryable: boolean;
  retryAfterMs: number | null;
  message: string;
}

function header(headers: unknown, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const v = (headers as Record<string, unknown>)[name.toLowerCase()];
  return v === undefined || v === null ? null : String(v);
}

const retryableStatus = (status: number) => status === 429 || (status >= 500 && status <= 599);

/** Reduces an error from fetch, jira.js or Octokit to what the retry policy needs. */
export function classify(err: unknown): Failure {
  const e = err as {
    status?: unknown;
    retryAfterMs?: unknown;
    response?: { headers?: unknown };
    headers?: unknown;
    message?: string;
    transient?: boolean;
    name?: string;
  };
  // The whole first line: the caller redacts secrets and only then cuts it to length (see credentials.ts redact).
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0]! : String(err);
  if (err instanceof HttpError) {
    return { status: err.status, retryable: retryableStatus(err.status), retryAfterMs: err.retryAfterMs, message };
  }
  if (typeof e?.status === 'number' && e.status > 0) {
    const status = e.status;
    const headers = e.response?.headers ?? e.headers;
    let retryAfterMs = typeof e.retryAfterMs === 'number' ? e.retryAfterMs : parseRetryAfter(header(headers, 'retry-after'));
    // GitHub's primary rate limit: 403 with x-ratelimit-remaining 0 and a reset time
    const remaining = header(headers, 'x-ratelimit-remaining');
    const reset = header(headers, 'x-ratelimit-reset');
    const githubLimited = status === 403 && (remaining === '0' || retryAfterMs !== null);
    if (githubLimited && retryAfterMs === null && reset) retryAfterMs = Math.max(0, Number(reset) * 1000 - Date.now());
    return { status, retryable: retryableStatus(status) || githubLimited, retryAfterMs, message };
  }
  // fetch failures, jira.js NetworkError, sockets reset mid-request
  const transient =
    e?.transient === true || e?.name === 'TypeError' || /ECONNRESET|ECONNREFUSED|socket|fetch failed|terminated/i.test(message);
  return { status: null, retryable: transient, retryAfterMs: null, message };
}

export interface RetryOptions extends RetryPolicy {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called before each retry (for logging). */
  onRetry?: (attempt: number, failure: Failure, delayMs: number) => void;
  /**
   * Called before retrying after an ambiguous failure (5xx or a network error: the server may have acted). Returning
   * a value ends the retries with it — used to find a ticket a failed create actually made.
   */
  recover?: () => Promise<unknown>;
}

/** A ticket operation given up because the server asked to wait longer than the policy's ceiling. */
export class RetryAfterTooLongError extends Error {
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  constructor(failure: Failure, policy: RetryPolicy, cause: unknown) {
    super(`${failure.message} (${retryAfterRefusal(failure.retryAfterMs, policy)})`, { cause });
    this.name = 'RetryAfterTooLongError';
    this.status = failure.status;
    this.retryAfterMs = failure.retryAfterMs;
  }
}

export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => defaultSleep(ms));
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const failure = classify(err);
      const decision = retryDecision(attempt, failure, opts, random);
      if (!decision.retry) {
        if (decision.reason === 'retry_after_too_long') throw new RetryAfterTooLongError(failure, opts, err);
        throw err;
      }
      opts.onRetry?.(attempt, failure, decision.delayMs);
      await sleep(decision.delayMs);
      if (opts.recover && failure.status !== 429) {
        const found = await opts.recover();
        if (found !== null && found !== undefined) return found as T;
      }
    }
  }
}
