/**
 * The heap release (issues #19, #23): when the scan is done, one memory-reducing collection gives V8's pooled free pages
 * back to the system, so writing the outputs starts from the live set instead of the largest heap the scan ever had.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { releaseHeap } from '../../src/engine/heap-release.ts';

describe('the heap release', () => {
  it('runs one memory-reducing collection and reports the live heap it left', () => {
    const calls: unknown[] = [];
    const released = releaseHeap((o: unknown) => calls.push(o));
    expect(calls).toEqual([{ type: 'major', execution: 'sync', flavor: 'last-resort' }]);
    expect(released?.liveBytes).toBeGreaterThan(0);
    expect(released?.ms).toBeGreaterThanOrEqual(0);
  });

  it('does nothing in a process that was not given a way to collect (an operator who chose their own heap flags)', () => {
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(releaseHeap()).toBeNull();
  });

  it('returns to the system the pages a regular full collection keeps resident', () => {
    // a process that held ~200 MB of small objects (a scan's kind) and let them go: after a regular full collection its RSS stays near the peak (V8
    // pools the freed pages); after the release it falls back towards what is live
    const script = `
      import { releaseHeap } from ${JSON.stringify(new URL('../../src/engine/heap-release.ts', import.meta.url).href)};
      let held = [];
      for (let i = 0; i < 1500000; i++) held.push({ i, s: 'snapshot-' + i });
      held = null;
      globalThis.gc({ type: 'major', execution: 'sync', flavor: 'regular' });
      const pooled = process.memoryUsage().rss;
      releaseHeap();
      console.log(JSON.stringify({ pooled, released: process.memoryUsage().rss }));
    `;
    const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr.replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, '')).toBe('');
    const { pooled, released } = JSON.parse(run.stdout) as { pooled: number; released: number };
    expect(pooled - released).toBeGreaterThan(50 * 1048576);
  });
});
