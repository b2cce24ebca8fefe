/**
 * Gives the scanning process's freed heap back to the system when the scan is done (issues #19 and #23). A full
 * collection frees the scan's garbage, but V8 keeps the pages it frees in a pool of its own, resident: the process's
 * RSS stays at about the largest heap it ever committed. Only a memory-reducing collection (the gc extension's
 * `last-resort` flavour) returns them. So once the scan has handed every scope to the spool, one such collection runs
 * before the outputs are written, and the writing starts from the live set.
 *
 * Collecting during the scan as well (a soft ceiling at scope ends, tried in this wave) was measured and dropped: at ×1
 * it cost 20 % more CPU for a higher peak, not a lower one (docs/large-organisations.md).
 *
 * Only the relaunched child of the CLI's heap policy can release (src/cli/heap-policy.ts starts it with `--expose-gc`),
 * and only once its RSS makes it pay (`releaseBeforeWriting`: from 192 MiB, or 3/8 of a smaller budget); an operator
 * who chose their own heap flags gets V8's behaviour unchanged.
 */
import { getHeapStatistics } from 'node:v8';

export interface HeapRelease {
  /** What the collection took (ms of wall time). */
  ms: number;
  /** V8's heap in use after it (bytes): the live set. */
  liveBytes: number;
}

/** The gc extension's collector, when the process was started with `--expose-gc`. */
type Collector = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * Runs one memory-reducing collection and says what it took and left; null when the process has no way to collect
 * (no `--expose-gc`: an operator's own heap flags, or a caller running the engine in its own process).
 */
export function releaseHeap(gc: unknown = (globalThis as { gc?: unknown }).gc): HeapRelease | null {
  if (typeof gc !== 'function') return null;
  const started = performance.now();
  (gc as Collector)({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return { ms: performance.now() - started, liveBytes: getHeapStatistics().used_heap_size };
}
