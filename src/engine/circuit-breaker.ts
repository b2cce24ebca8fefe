/**
 * A circuit breaker per provider and operation, for endpoints that do not implement an operation at all (AWS-
 * compatible emulators answer HTTP 501, UnknownOperation or InvalidAction, or the same HTTP 500, on every call).
 * Without it every such call is retried with backoff in every region of every scope. The breaker opens after
 *
 * - `notImplementedStreak` consecutive "not implemented" answers (HTTP 501 and the providers' not-implemented
 *   codes), or
 * - the same HTTP 500 answer (status and message) from `sameErrorPlaces` different scope-regions of at least two
 *   scopes (one account's broken API stays that account's `unavailable` gaps),
 *
 * with no success of that operation in between. Once open, the operation is not called again this scan: each call
 * fails at once as `not_implemented`, and the engine records one gap per scope and operation.
 */
import type { ErrorInfo, Operation } from '../core/calls.ts';

export interface BreakerOptions {
  notImplementedStreak?: number;
  sameErrorPlaces?: number;
}

interface OperationState {
  /** Consecutive not-implemented-class answers. */
  streak: number;
  /** The 500 answer being counted, and where it came from. */
  signature: string | null;
  places: Set<string>;
  open: { message: string } | null;
}

export class CircuitBreaker {
  private readonly ops = new Map<string, OperationState>();
  private readonly streakToOpen: number;
  private readonly placesToOpen: number;

  constructor(opts: BreakerOptions = {}) {
    this.streakToOpen = opts.notImplementedStreak ?? 3;
    this.placesToOpen = opts.sameErrorPlaces ?? 3;
  }

  private state(op: Operation): OperationState {
    const key = `${op.service}:${op.name}`;
    let s = this.ops.get(key);
    if (!s) {
      s = { streak: 0, signature: null, places: new Set(), open: null };
      this.ops.set(key, s);
    }
    return s;
  }

  /** The failure to report instead of calling, when the operation's breaker is open. */
  refusal(op: Operation): ErrorInfo | null {
    const open = this.ops.get(`${op.service}:${op.name}`)?.open;
    return open
      ? { code: 'not_implemented', retryable: false, throttle: false, retryAfterMs: null, status: null, message: open.message }
      : null;
  }

  succeeded(op: Operation): void {
    const s = this.ops.get(`${op.service}:${op.name}`);
    if (s && !s.open) {
      s.streak = 0;
      s.signature = null;
      s.places.clear();
    }
  }

  /** Counts one failed attempt; returns true when it opened the breaker. */
  failed(op: Operation, place: string, info: ErrorInfo): boolean {
    const s = this.state(op);
    if (s.open) return false;
    const label = `${op.service}:${op.name}`;
    if (info.code === 'not_implemented') {
      s.streak = s.signature === 'not_implemented' ? s.streak + 1 : 1;
      s.signature = 'not_implemented';
      s.places.add(place);
      if (s.streak >= this.streakToOpen) {
        s.open = {
          message: `the endpoint does not implement ${label}: ${s.streak} consecutive "not implemented" answers (last: ${info.message}); not called again this scan`,
        };
        return true;
      }
      return false;
    }
    if (info.status === 500) {
      const signature = `500 ${info.message}`;
      if (s.signature !== signature) {
        s.signature = signature;
        s.streak = 0;
        s.places.clear();
      }
      s.streak++;
      s.places.add(place);
      const scopes = new Set([...s.places].map((p) => p.slice(0, p.lastIndexOf('|'))));
      if (s.places.size >= this.placesToOpen && scopes.size >= 2) {
        s.open = {
          message: `the endpoint does not implement ${label}: the same HTTP 500 answer in ${s.places.size} places (${scopes.size} scopes) with no success in between (${info.message}); not called again this scan`,
        };
        return true;
      }
    }
    return false;
  }
}
