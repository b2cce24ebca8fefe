/**
 * Every API call an adapter makes goes through here: bounded by the scope's and the provider's limiters, retried with
 * exponential backoff and full jitter (or the server's Retry-After), counted, and stopped when the scan is interrupted.
 * A retry waits outside the limiters, so a throttled call does not hold a slot while it sleeps. Each attempt has a
 * deadline: past it (or on interruption) the attempt is abandoned even when the SDK ignores its abort signal, so a
 * server that never answers cannot hold a slot, a scope or the whole scan.
 */
import type { LimitFunction } from 'p-limit';
import { CallFailedError, type CallRunner, CallTimeoutError, type ErrorInfo, type Operation, ScanAbortedError } from '../core/calls.ts';
import type { ScanStats } from './stats.ts';
import { sleep as defaultSleep } from '../core/clock.ts';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface CallRunnerOptions {
  provider: string;
  limiters: LimitFunction[];
  classify: (err: unknown) => ErrorInfo;
  retry: RetryPolicy;
  stats: ScanStats;
  signal: AbortSignal;
  random: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onThrottle?: (op: Operation) => void;
  onSuccess?: (op: Operation) => void;
  /** Deadline of one attempt; none when absent. */
  callTimeoutMs?: number;
}

/**
 * Runs one attempt with the scan's signal and a deadline combined. It settles when the SDK does, or at the deadline,
 * or when the scan is interrupted, whichever comes first; a late answer or failure of an abandoned attempt is ignored.
 */
function attemptWithDeadline<T>(fn: (signal: AbortSignal) => Promise<T>, scan: AbortSignal, ms: number | undefined): Promise<T> {
  const deadline = new AbortController();
  const signal = ms ? AbortSignal.any([scan, deadline.signal]) : scan;
  return new Promise<T>((resolve, reject) => {
    const timer = ms
      ? setTimeout(() => {
          const err = new CallTimeoutError(ms);
          deadline.abort(err);
          finish(() => reject(err));
        }, ms)
      : null;
    const onAbort = () => finish(() => reject(new ScanAbortedError()));
    let settled = false;
    function finish(settle: () => void) {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      scan.removeEventListener('abort', onAbort);
      settle();
    }
    scan.addEventListener('abort', onAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = fn(signal);
    } catch (err) {
      finish(() => reject(err));
      return;
    }
    pending.then(
      (value) => finish(() => resolve(value)),
      (err) => finish(() => reject(err)),
    );
  });
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export function opLabel(provider: string, op: Operation): string {
  return `${provider}:${op.service}:${op.name}`;
}

export function createCallRunner(opts: CallRunnerOptions): CallRunner {
  const sleep = opts.sleep ?? defaultSleep;
  const run = <T>(fn: () => Promise<T>): Promise<T> =>
    opts.limiters.reduceRight<() => Promise<T>>((inner, limit) => () => limit(inner), fn)();

  return async <T>(op: Operation, fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const label = opLabel(opts.provider, op);
    for (let attempt = 1; ; attempt++) {
      if (opts.signal.aborted) throw new ScanAbortedError();
      try {
        const value = await run(() => {
          if (opts.signal.aborted) throw new ScanAbortedError();
          opts.stats.countCall(label);
          return attemptWithDeadline(fn, opts.signal, opts.callTimeoutMs);
        });
        opts.onSuccess?.(op);
        return value;
      } catch (err) {
        if (err instanceof CallFailedError) throw err;
        const info: ErrorInfo = opts.signal.aborted
          ? { ...opts.classify(new ScanAbortedError()), code: 'interrupted' as const }
          : err instanceof CallTimeoutError
            ? { code: 'timeout', retryable: true, throttle: false, retryAfterMs: null, status: null, message: err.message }
            : opts.classify(err);
        if (info.throttle) {
          opts.stats.throttles++;
          opts.onThrottle?.(op);
        }
        if (!info.retryable || attempt >= opts.retry.maxAttempts || opts.signal.aborted) {
          opts.stats.errors++;
          throw new CallFailedError(info, op, attempt, err);
        }
        opts.stats.retries++;
        try {
          await sleep(backoffDelay(attempt, opts.retry, opts.random, info.retryAfterMs), opts.signal);
        } catch {
          throw new CallFailedError({ ...info, code: 'interrupted', retryable: false }, op, attempt, err);
        }
      }
    }
  };
}
