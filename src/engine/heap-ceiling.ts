/**
 * A soft ceiling on the scanning process's heap (issues #19 and #23). Under a 256 MiB old-space limit V8 lets garbage
 * build up to 1.5–2× the live set before its next full collection, and the pages it then frees stay in its page pool:
 * the process's RSS is about the highest heap it ever committed. So at cheap points — a scope finished and handed to
 * its sink, a scope written out — the scan runs a full collection itself once the heap in use passed a threshold
 * derived from the budget and from the live size the last collection left: `max(floor, live + max(live × growth,
 * step))`. A live set that grows raises the threshold with it (a collection never follows a collection that freed
 * nothing), and the collections together take at most a share of the process's CPU time, so a large estate is never slowed
 * into a loop and never stopped: the hard limit stays V8's old space, half the budget.
 *
 * Only the relaunched child of the CLI's heap policy runs it (src/cli/heap-policy.ts starts it with `--expose-gc`);
 * an operator who chose their own heap flags gets V8's behaviour unchanged.
 */
import { getHeapStatistics } from 'node:v8';

export interface HeapCeilingSettings {
  /** Never collect while the heap in use is below this (bytes). */
  floorBytes: number;
  /** Collect once the heap in use exceeds the last live size by this fraction of it… */
  growth: number;
  /** …and by at least this many bytes. */
  stepBytes: number;
  /** The collections' share of the process's CPU time since the ceiling started, at most (0–1). */
  maxTimeShare: number;
}

/** `regular`: a full, synchronous collection; `memory`: one that also gives V8's pooled free pages back to the system. */
export type Collection = 'regular' | 'memory';

export interface HeapCeilingDeps {
  collect: (kind: Collection) => void;
  /** V8's heap in use (bytes). */
  heapUsed: () => number;
  /** The process's CPU time (ms, every thread: V8's collector runs on helper threads too). */
  now: () => number;
}

const MiB = 1048576;

/**
 * The settings for a memory budget (MiB): no collection below an eighth of the budget (64 MiB of the default 512, less
 * than the libraries alone hold), then whenever the heap grew 30 % (at least 16 MiB) over what the last
 * collection left, for at most 3 % of the CPU time.
 */
export function heapCeilingSettings(budgetMiB: number): HeapCeilingSettings {
  return { floorBytes: Math.floor(budgetMiB / 8) * MiB, growth: 0.3, stepBytes: 16 * MiB, maxTimeShare: 0.03 };
}

/** The heap in use (bytes) above which the next check collects, given the live size the last collection left. */
export function collectAbove(settings: HeapCeilingSettings, liveBytes: number): number {
  return Math.max(settings.floorBytes, liveBytes + Math.max(liveBytes * settings.growth, settings.stepBytes));
}

export class HeapCeiling {
  private live = 0;
  private spentMs = 0;
  private collections = 0;
  private readonly startedMs: number;
  private readonly settings: HeapCeilingSettings;
  private readonly deps: HeapCeilingDeps;

  constructor(settings: HeapCeilingSettings, deps: HeapCeilingDeps) {
    this.settings = settings;
    this.deps = deps;
    this.startedMs = deps.now();
  }

  /** The heap in use above which `check` collects. */
  threshold(): number {
    return collectAbove(this.settings, this.live);
  }

  /** Collects when the heap in use passed the threshold and the time budget allows; says whether it did. */
  check(): boolean {
    if (this.deps.heapUsed() <= this.threshold()) return false;
    const started = this.deps.now();
    if (this.spentMs > this.settings.maxTimeShare * (started - this.startedMs)) return false;
    this.collect('regular', started);
    return true;
  }

  /**
   * A collection that also returns the pages V8 keeps pooled once they are free (about the highest heap it ever
   * committed, otherwise resident to the end): for when a phase that holds less begins, e.g. writing the outputs.
   */
  release(): void {
    this.collect('memory', this.deps.now());
  }

  /** Checks every `intervalMs` too (between scope ends: discovery, cross-scope steps, writing); returns the stop. */
  watch(intervalMs: number): () => void {
    const timer = setInterval(() => this.check(), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private collect(kind: Collection, started: number): void {
    this.deps.collect(kind);
    this.spentMs += this.deps.now() - started;
    this.live = this.deps.heapUsed();
    this.collections++;
  }

  /** The collections run, the live size (bytes) the last one left, and the time they took (ms). */
  get stats(): { liveBytes: number; spentMs: number; collections: number } {
    return { liveBytes: this.live, spentMs: this.spentMs, collections: this.collections };
  }
}

/**
 * The ceiling of this process for a budget, when the launcher gave it a way to collect (`--expose-gc`); null
 * otherwise (an operator's own heap flags, or a caller that runs the engine in its own process).
 */
export function processHeapCeiling(budgetMiB: number): HeapCeiling | null {
  const gc = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return null;
  return new HeapCeiling(heapCeilingSettings(budgetMiB), {
    // V8's gc extension: `last-resort` collects until nothing more is freed and releases the pooled pages
    collect: (kind) =>
      (gc as (o: object) => void)({ type: 'major', execution: 'sync', flavor: kind === 'memory' ? 'last-resort' : 'regular' }),
    heapUsed: () => getHeapStatistics().used_heap_size,
    now: () => {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1000;
    },
  });
}
