/**
 * Recording a scan of a large organisation: the lifecycle of every finding is updated without holding the finding
 * history in memory (issue #23: the ×10 pipeline's scan died out of heap at its very end, while recording, with every
 * open finding read into one array beside a set of every fingerprint of the scan).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../src/store/state-store.ts';
import { tempDir } from '../support/cli.ts';
import { fp, recordScan, scopeWith, template } from './large-scan.ts';
import { inSmallHeap } from './small-heap.ts';

const T = (day: number) => `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;

describe('recording the lifecycle of many findings', () => {
  it('opens, keeps, resolves and brings back findings across more than one page of open findings', async () => {
    const t = await template(T(1));
    const store = StateStore.open(join(tempDir('snapaudit-state-'), 'state.sqlite'));
    try {
      const a = '111111111111';
      const b = '222222222222';
      // scan 1: 2,500 findings in A and 1,200 in B, all new
      const first = recordScan(store, t, T(1), [scopeWith(t, a, 2500), scopeWith(t, b, 1200)]);
      expect([first.opened, first.resolved, first.regressed]).toEqual([3700, 0, 0]);

      // scan 2: A keeps its first 500 (the other 2,000 are resolved: A was read completely); B keeps 200 and gains 100
      const second = recordScan(store, t, T(2), [scopeWith(t, a, 500), scopeWith(t, b, 300, 1000)]);
      expect([second.opened, second.resolved, second.regressed]).toEqual([100, 2000 + 1000, 0]);
      const life = store.lifecycles();
      expect([...life.values()].filter((l) => l.state === 'open')).toHaveLength(500 + 300);
      expect(life.get(fp(a, 499))).toMatchObject({ state: 'open', firstSeenSeq: 1, lastSeenSeq: 2 });
      expect(life.get(fp(a, 500))).toMatchObject({ state: 'resolved', lastSeenSeq: 1, resolvedSeq: 2 });
      expect(life.get(fp(b, 1299))).toMatchObject({ state: 'open', firstSeenSeq: 2 });

      // scan 3: A's resolved ones come back (regressed); B is not read at all, so its findings stay open, unassessed
      const third = recordScan(store, t, T(3), [scopeWith(t, a, 2500)]);
      expect([third.opened, third.resolved, third.regressed]).toEqual([0, 0, 2000]);
      expect(store.lifecycle(fp(a, 2499))).toMatchObject({ state: 'open', regressions: 1, lastRegressedAt: T(3), lastSeenSeq: 3 });
      expect(store.lifecycle(fp(b, 1299))).toMatchObject({ state: 'open', lastSeenSeq: 2 });
      expect(store.lifecycle(fp(a, 0))).toMatchObject({ state: 'open', firstSeenSeq: 1, lastSeenSeq: 3, regressions: 0 });
    } finally {
      store.close();
    }
  });

  it('records a first scan of 150,000 findings, and the scan that resolves them all, within a 48 MiB heap', () => {
    // staged scope by scope (as a spooled scan does), then recorded; on the code before the fix the child died out
    // of heap in the recording transaction
    const run = inSmallHeap(
      48,
      `const first = recordScan(store, t, '2026-11-01T02:00:00.000Z', manyScopes(t, 150, 1000));
       const second = recordScan(store, t, '2026-11-02T02:00:00.000Z', manyScopes(t, 150, 0));
       process.stdout.write(JSON.stringify([first, second].map((o) => [o.opened, o.resolved, o.regressed])));`,
    );
    expect(run.heapErrors).toEqual([]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      [150_000, 0, 0],
      [0, 150_000, 0],
    ]);
  }, 150_000);
});
