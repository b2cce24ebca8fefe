/** Snapshot facts as pure functions: which snapshots a schedule made (documented cases), and who attached it. */
import { describe, expect } from 'vitest';
import { type RawSnapshot, scheduleFact } from '../../providers/gcp/snapshots.ts';
import { describeCases } from '../support/cases.ts';

interface Input {
  raw: RawSnapshot;
  creator: string | null;
  attachedBy?: string;
}

describe('snapshot schedules (documented cases)', () => {
  describeCases<Input, { recognised: boolean; notes: string[] }>(new URL('./cases/', import.meta.url), /^snapshots-/, (c) => {
    const at = '2026-06-01T10:00:00.000Z';
    const fact = scheduleFact(
      c.input.raw,
      c.input.creator ? { identity: c.input.creator, at } : null,
      c.input.attachedBy ? { identity: c.input.attachedBy, at } : null,
    );
    expect(fact).toEqual(c.expect);
  });
});
