/**
 * Adaptive concurrency for one scope (AIMD, as TCP does): a throttle halves the scope's concurrency, each run of
 * successes adds one slot back, up to the configured ceiling. Together with Retry-After this lets a scan ride
 * through a throttled account without hammering it and without staying slow once it recovers.
 */
import type { LimitFunction } from 'p-limit';

export interface AdaptiveLimit {
  readonly limit: LimitFunction;
  onThrottle(): void;
  onSuccess(): void;
  /** Lowest concurrency reached (for the summary and tests). */
  readonly floor: number;
  /** Concurrency now. */
  readonly current: number;
  /** Throttles seen. */
  readonly throttles: number;
}

export function adaptive(limit: LimitFunction, max: number, successesPerStep = 8): AdaptiveLimit {
  let streak = 0;
  let floor = max;
  let throttles = 0;
  return {
    limit,
    get floor() {
      return floor;
    },
    get current() {
      return limit.concurrency;
    },
    get throttles() {
      return throttles;
    },
    onThrottle() {
      throttles++;
      streak = 0;
      limit.concurrency = Math.max(1, Math.floor(limit.concurrency / 2));
      floor = Math.min(floor, limit.concurrency);
    },
    onSuccess() {
      if (limit.concurrency >= max) return;
      streak++;
      if (streak >= successesPerStep) {
        streak = 0;
        limit.concurrency = Math.min(max, limit.concurrency + 1);
      }
    },
  };
}
