/**
 * providers/bounded.ts: many independent reads, a bounded number at a time. Every item is read once, the results in
 * the items' order, never more than the bound in flight and, while items remain, always the bound (no slot idles).
 */
import { describe, expect, it } from 'vitest';
import { mapBounded } from '../providers/bounded.ts';

const tick = () => new Promise<void>((r) => setTimeout(r, 1));

describe('mapBounded', () => {
  it('reads every item once, returns results in order, and keeps exactly the bound in flight while items remain', async () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    let inFlight = 0;
    const seenInFlight: number[] = [];
    const started: number[] = [];
    const out = await mapBounded(items, 8, async (x) => {
      started.push(x);
      inFlight++;
      seenInFlight.push(inFlight);
      // later items finish sooner: the order of results must not depend on the order they finish in
      for (let t = 0; t < (x % 5) + 1; t++) await tick();
      inFlight--;
      return x * 2;
    });
    expect(out).toEqual(items.map((x) => x * 2));
    expect(started).toEqual(items);
    expect(Math.max(...seenInFlight)).toBe(8);
    // each of the first 43 starts found the other slots busy (the last few start as the list runs out)
    expect(seenInFlight.slice(7, 43).every((n) => n === 8)).toBe(true);
  });

  it('handles fewer items than the bound, and none', async () => {
    expect(await mapBounded([1, 2], 8, async (x) => x + 1)).toEqual([2, 3]);
    expect(await mapBounded([], 8, async (x: number) => x)).toEqual([]);
  });

  it('rejects with the first failure and starts no further item', async () => {
    const started: number[] = [];
    const run = mapBounded([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2, async (x) => {
      started.push(x);
      await tick();
      if (x === 3) throw new Error('read 3 failed');
      return x;
    });
    await expect(run).rejects.toThrow('read 3 failed');
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });
});
