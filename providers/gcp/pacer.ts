/**
 * Pacing for quota-limited reads. Cloud Logging counts `entries.list` requests per minute against the quota of the
 * project the credentials bill (https://cloud.google.com/logging/quotas), not of the project read: an
 * organisation-wide creator lookup spends one quota. One pacer per scan, shared by every project's lookup, lets at
 * most `limit` calls start in any window (a sliding window, so bursts never exceed the quota either), and makes the
 * rest wait their turn.
 */

export interface Pacer {
  /** Resolves when the next call may start (rejects with an AbortError when `signal` aborts first). */
  take(signal?: AbortSignal): Promise<void>;
}

export interface PacerOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createPacer(opts: PacerOptions): Pacer {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  /** Start times granted in the current window, oldest first (also those reserved for callers still waiting). */
  const starts: number[] = [];
  return {
    async take(signal) {
      const t = now();
      while (starts.length > 0 && (starts[0] as number) <= t - opts.windowMs) starts.shift();
      // The slot: now while the window has room, else when the call `limit` places back leaves it.
      const slot = starts.length < opts.limit ? t : (starts[starts.length - opts.limit] as number) + opts.windowMs;
      starts.push(slot);
      if (slot > t) await sleep(slot - t, signal);
    },
  };
}
