import { describe, expect, it } from 'vitest';
import { fault, scanDemo, substance } from './support.ts';

describe('throttling', () => {
  it('explore', async () => {
    const clean = await scanDemo();
    const t = await scanDemo({ faults: [fault({ kind: 'throttle', rate: 0.2 })] });
    console.log(clean.result.stats, t.result.stats);
    expect(substance(t.result)).toEqual(substance(clean.result));
  });
});
