/**
 * Every API call an adapter makes goes through here: bounded by the scope's and the provider's limiters, retried by
 * the one retry policy (src/core/retry.ts: backoff with full jitter, the server's Retry-After up to a
 * ceiling), counted, and stopped when the scan is interrupted. A retry waits outside the limiters, so a throttled
 * call does not hold a slot while it sleeps. Each attempt has a deadline: past it (or on interruption) the attempt is
 * abandoned even when the SDK ignores its abort signal, so a server that never answers cannot hold a slot, a scope or
 * the whole scan. An operation the endpoint does not implement is stopped by the provider's circuit breaker.
 */
import type { LimitFunction } from 'p-limit';
import { CallFailedError, type CallRunner, CallTimeoutError, type ErrorInfo, type Operation, ScanAbortedError } from '../core/calls.ts';
import { sleep as defaultSleep } from '../core/clock.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import { type RetryPolicy, retryAfterRefusal, retryDecision } from '../core/retry.ts';
import type { ScanStats } from './stats.ts';

export type { RetryPolicy } from '../core/retry.ts';
export { backoffDelay } from '../core/retry.ts';

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
  /** The provider's circuit breaker (shared by all its runners); none when absent. */
  breaker?: CircuitBreaker;
  /** Where this runner's calls act (the scope id), to tell the breaker's places apart. */
  place?: string;
}

/**
 * Runs one attempt with the scan's signal and a deadline combined. It settles when the SDK does, or at the deadline,
 * or when the scan is interrupted, whichever comes first; a late answer or failure of an abandoned attempt is ignored.
 */
function attemptWithDeadline<T>(fn: (signal: AbortSignal) => Promise<T>, scan: AbortSignal, ms: number | undefined): Promise<T> {
  // The attempt's own signal, aborted at the deadline or with the scan's (the listener below): what AbortSignal.any
  // would give, without the weak references and finalizers it keeps per call (tens of µs of CPU a call).
  const deadline = new AbortController();
  if (ms && scan.aborted) deadline.abort(scan.reason);
  const signal = ms ? deadline.signal : scan;
  return new Promise<T>((resolve, reject) => {
    const timer = ms
      ? setTimeout(() => {
          const err = new CallTimeoutError(ms);
          deadline.abort(err);
          finish(() => reject(err));
        }, ms)
      : null;
    const onAbort = () => {
      if (ms) deadline.abort(scan.reason);
      finish(() => reject(new ScanAbortedError()));
    };
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

/** A call the provider's circuit breaker did not let out: the operation is not implemented by the endpoint. */
class RefusedByBreaker extends CallFailedError {
  constructor(info: ErrorInfo, op: Operation, attempts: number) {
    super(info, op, attempts, new Error(info.message));
  }
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
    const place = `${opts.place ?? ''}|${op.region ?? ''}`;
    for (let attempt = 1; ; attempt++) {
      if (opts.signal.aborted) throw new ScanAbortedError();
      try {
        const value = await run(() => {
          if (opts.signal.aborted) throw new ScanAbortedError();
          // Checked when the call would go out (after its wait for a slot), so calls queued before the breaker
          // opened are not sent either.
          const refused = opts.breaker?.refusal(op);
          if (refused) throw new RefusedByBreaker(refused, op, attempt - 1);
          opts.stats.countCall(label);
          return attemptWithDeadline(fn, opts.signal, opts.callTimeoutMs);
        });
        opts.breaker?.succeeded(op);
        opts.onSuccess?.(op);
        return value;
      } catch (err) {
        if (err instanceof CallFailedError) {
          if (err instanceof RefusedByBreaker) opts.stats.errors++;
          throw err;
        }
        let info: ErrorInfo = opts.signal.aborted
          ? { ...opts.classify(new ScanAbortedError()), code: 'interrupted' as const }
          : err instanceof CallTimeoutError
            ? { code: 'timeout', retryable: true, throttle: false, retryAfterMs: null, status: null, message: err.message }
            : opts.classify(err);
        if (info.throttle) {
          opts.stats.throttles++;
          opts.onThrottle?.(op);
        }
        if (info.code !== 'interrupted' && opts.breaker?.failed(op, place, info)) {
          info = opts.breaker.refusal(op) ?? info;
        }
        const decision = opts.signal.aborted
          ? ({ retry: false, reason: 'not_retryable' } as const)
          : retryDecision(attempt, info, opts.retry, opts.random);
        if (!decision.retry) {
          opts.stats.errors++;
          if (decision.reason === 'retry_after_too_long') {
            info = {
              ...info,
              code: 'throttled',
              retryable: false,
              message: `${info.message} (${retryAfterRefusal(info.retryAfterMs, opts.retry)})`,
            };
          }
          throw new CallFailedError(info, op, attempt, err);
        }
        opts.stats.retries++;
        try {
          await sleep(decision.delayMs, opts.signal);
        } catch {
          throw new CallFailedError({ ...info, code: 'interrupted', retryable: false }, op, attempt, err);
        }
      }
    }
  };
}
