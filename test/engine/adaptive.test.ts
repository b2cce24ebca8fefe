import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { adaptive } from '../../src/engine/adaptive.ts';

describe('adaptive per-scope concurrency', () => {
  it('halves on throttle, never below 1, and recovers one slot per run of successes', () => {
    const a = adaptive(pLimit(8), 8, 2);
    a.onThrottle();
    expect(a.limit.concurrency).toBe(4);
    a.onThrottle();
    a.onThrottle();
    a.onThrottle();
    expect(a.limit.concurrency).toBe(1);
    expect(a.floor).toBe(1);
    for (let i = 0; i < 4; i++) a.onSuccess();
    expect(a.limit.concurrency).toBe(3);
    for (let i = 0; i < 40; i++) a.onSuccess();
    expect(a.limit.concurrency).toBe(8);
  });
});
