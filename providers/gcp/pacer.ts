/**
 * Pacing for quota-limited reads. Cloud Logging counts `entries.list` requests per minute against the quota of the
 * project the credentials bill (https://cloud.google.com/logging/quotas), not of the project read: an
 * organisation-wide creator lookup spends one quota. One pacer per scan, shared by every project's lookup, holds each
 * call's slot from its start until a full window after it finished — so however late a request reaches the server,
 * no window the server counts in ever sees more than `limit` of them — and makes the rest wait their turn (FIFO).
 */

export interface Pacer {
  /** Runs `fn` when a slot is free (rejects with an AbortError if `signal` aborts while it waits). */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export interface PacerOptions {
  limit: number;
  windowMs: number;
  /** Waits `ms` (tests inject a fake clock). */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    // A pending release must not keep the process alive once the scan is over.
    setTimeout(resolve, ms).unref?.();
  });

function abortError(): Error {
  return Object.assign(new Error('aborted'), { name: 'AbortError' });
}

export function createPacer(opts: PacerOptions): Pacer {
  const sleep = opts.sleep ?? defaultSleep;
  let free = opts.limit;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  const acquire = (signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      if (free > 0) {
        free--;
        return resolve();
      }
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = waiting.indexOf(grant);
        if (i >= 0) waiting.splice(i, 1);
        reject(abortError());
      };
      waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  return {
    async run(fn, signal) {
      await acquire(signal);
      try {
        return await fn();
      } finally {
        void sleep(opts.windowMs).then(release);
      }
    },
  };
}
