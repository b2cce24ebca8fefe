/**
 * The soft heap ceiling (issues #19, #23): the scanning process collects garbage itself at scope ends once the heap in
 * use outgrew what the last collection left, so its heap — and with it its RSS — stays near the live set, without a
 * hard limit that could stop a large estate and without collecting in a loop when the live set itself grows.
 */
import { describe, expect, it, vi } from 'vitest';
import { checks } from '../../checks/index.ts';
import type { ProviderAdapter } from '../../providers/types.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { type Collection, collectAbove, HeapCeiling, heapCeilingSettings, processHeapCeiling } from '../../src/engine/heap-ceiling.ts';
import { runScan } from '../../src/engine/scan.ts';
import { makeScope, makeSnapshot } from '../support/factories.ts';
import { NOW } from '../support/lab.ts';

const MiB = 1048576;

/** A heap that collections shrink to its live part, on a clock collections advance by `gcMs` each. */
function fakeHeap(gcMs = 10) {
  const heap = { live: 0, garbage: 0, clock: 0, collections: 0, kinds: [] as Collection[] };
  const deps = {
    collect(kind: Collection) {
      heap.garbage = 0;
      heap.collections++;
      heap.kinds.push(kind);
      heap.clock += gcMs;
    },
    heapUsed: () => heap.live + heap.garbage,
    now: () => heap.clock,
  };
  return { heap, deps };
}

describe('the soft heap ceiling', () => {
  it('derives its threshold from the budget and from the live size the last collection left', () => {
    const s = heapCeilingSettings(512);
    expect(s.floorBytes).toBe(64 * MiB);
    expect(heapCeilingSettings(1024).floorBytes).toBe(128 * MiB);
    // below the floor nothing is collected, whatever the live size
    expect(collectAbove(s, 0)).toBe(64 * MiB);
    expect(collectAbove(s, 40 * MiB)).toBe(64 * MiB);
    // a small live set: at least 16 MiB over it
    expect(collectAbove(s, 50 * MiB)).toBe(66 * MiB);
    // a larger one: 30 % over it
    expect(collectAbove(s, 200 * MiB)).toBe(260 * MiB);
  });

  it('collects once the heap in use passed the threshold, not before, and learns the live size', () => {
    const { heap, deps } = fakeHeap();
    const ceiling = new HeapCeiling(heapCeilingSettings(512), deps);
    heap.live = 80 * MiB;
    heap.garbage = 0;
    expect(ceiling.check()).toBe(true); // 80 MiB in use: above the 64 MiB floor
    expect(ceiling.stats.liveBytes).toBe(80 * MiB);
    expect(ceiling.threshold()).toBe(104 * MiB);
    heap.garbage = 23 * MiB;
    expect(ceiling.check()).toBe(false);
    heap.clock += 1000;
    heap.garbage = 25 * MiB;
    expect(ceiling.check()).toBe(true);
    expect(heap.garbage).toBe(0);
    expect(heap.collections).toBe(2);
  });

  it('does not collect in a loop when the live set grows: each collection raises the threshold', () => {
    const { heap, deps } = fakeHeap(1);
    const ceiling = new HeapCeiling(heapCeilingSettings(512), deps);
    // the live set doubles from 100 to 200 MiB, checked at every MiB, with time to spare
    for (let mib = 100; mib <= 200; mib++) {
      heap.live = mib * MiB;
      heap.clock += 1000;
      ceiling.check();
    }
    // at 100, 131 and 171 MiB: a collection each time the live set grew 30 %, not one per check
    expect(heap.collections).toBe(3);
    // a collection that freed nothing is not repeated at the next check
    expect(ceiling.check()).toBe(false);
  });

  it('spends at most its share of the time collecting, however often it is checked', () => {
    const { heap, deps } = fakeHeap(100);
    const ceiling = new HeapCeiling(heapCeilingSettings(512), deps);
    heap.live = 100 * MiB;
    // garbage piles up fast: every check is over the threshold; 100 ms per collection, 3 % of 10 s is 300 ms
    for (let i = 0; i < 100; i++) {
      heap.garbage = 100 * MiB;
      heap.clock += 100;
      ceiling.check();
    }
    expect(ceiling.stats.spentMs).toBeLessThanOrEqual(0.03 * heap.clock + 100);
    expect(heap.collections).toBeGreaterThan(1);
    expect(heap.collections).toBeLessThan(10);
  });

  it('checks between scope ends too, on a timer that stops, and gives the pooled pages back when asked', () => {
    vi.useFakeTimers();
    try {
      const { heap, deps } = fakeHeap(1);
      const ceiling = new HeapCeiling(heapCeilingSettings(512), deps);
      heap.live = 100 * MiB;
      const stop = ceiling.watch(250);
      vi.advanceTimersByTime(250);
      expect(heap.kinds).toEqual(['regular']);
      heap.garbage = 31 * MiB; // past 130 MiB
      heap.clock += 1000;
      vi.advanceTimersByTime(250);
      expect(heap.kinds).toEqual(['regular', 'regular']);
      stop();
      heap.garbage = 31 * MiB;
      heap.clock += 1000;
      vi.advanceTimersByTime(1000);
      expect(heap.collections).toBe(2);
      ceiling.release();
      expect(heap.kinds).toEqual(['regular', 'regular', 'memory']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is off in a process that was not given a way to collect (an operator who chose their own heap flags)', () => {
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(processHeapCeiling(512)).toBeNull();
  });

  it('is checked each time a scope has been handed to its sink', async () => {
    const handed: string[] = [];
    // at each check, how many scopes had been handed over
    const seen: number[] = [];
    const adapter: ProviderAdapter = {
      provider: 'aws',
      classifyError: () => ({ code: 'error', retryable: false, throttle: false, retryAfterMs: null, status: null, message: 'x' }),
      discover: async () => ({
        root: null,
        found: 3,
        scopes: ['111111111111', '222222222222', '333333333333'].map((id) => ({ scope: makeScope({ id, name: id }), blockedBy: null })),
        gaps: [],
      }),
      collect: async (scope) => ({
        logging: { sources: [], alerts: [], regions: [] },
        guards: [],
        principals: [],
        snapshots: [makeSnapshot({ id: `snap-${scope.id}`, resourceId: `arn:aws:ec2:us-east-1::snapshot/snap-${scope.id}` })],
        gaps: [],
        failedRegions: [],
      }),
    };
    await runScan({
      adapters: [adapter],
      checks,
      config: defaultConfig(),
      clock: fixedClock(NOW),
      sink: {
        add(r) {
          handed.push(r.scope.id);
        },
      },
      heapCeiling: { check: () => seen.push(handed.length) },
    });
    expect(handed).toHaveLength(3);
    // one check per scope, each after its scope was handed over (scopes run concurrently: hand-offs may come first)
    expect(seen).toHaveLength(3);
    for (const [i, n] of seen.entries()) expect(n).toBeGreaterThanOrEqual(i + 1);
  });
});
