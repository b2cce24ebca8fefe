/** Snapshot facts as pure functions: which snapshots a schedule made (documented cases), and who attached it. */
import { describe, expect } from 'vitest';
import { normaliseSnapshot, type RawBinding, type RawSnapshot, scheduleFact } from '../../providers/gcp/normalise/snapshots.ts';
import { describeCases } from '../support/cases.ts';

interface Input {
  raw: RawSnapshot;
  creator: string | null;
  attachedBy?: string;
}

describe('snapshot schedules (documented cases)', () => {
  describeCases<Input, { recognised: boolean; basis: string | null; notes: string[]; conflicts: string[] }>(
    new URL('./cases/', import.meta.url),
    /^snapshots-automation/,
    (c) => {
      const at = '2026-06-01T10:00:00.000Z';
      const fact = scheduleFact(
        c.input.raw,
        c.input.creator ? { identity: c.input.creator, at } : null,
        c.input.attachedBy ? { identity: c.input.attachedBy, at } : null,
      );
      expect({ ...fact, conflicts: fact.conflicts.map((x) => x.note) }).toEqual(c.expect);
    },
  );
});

interface ClassifyInput {
  raw: RawSnapshot;
  iam?: RawBinding[];
  creator?: string;
  diskLabels?: Record<string, string>;
}
interface ClassifyExpect {
  owner?: [string, string | null];
  public?: string;
  sharedWith?: string[];
  encryption?: [string, string | null];
  region?: string;
}

describe('snapshot classification (documented cases)', () => {
  describeCases<ClassifyInput, ClassifyExpect>(new URL('./cases/', import.meta.url), /^snapshots-classify/, (c) => {
    const s = normaliseSnapshot({
      projectId: 'p',
      raw: c.input.raw,
      iam: c.input.iam ?? null,
      iamNote: c.input.iam ? null : 'snapshot IAM policy could not be read',
      creator: c.input.creator ? { identity: c.input.creator, at: '2026-11-01T00:00:00.000Z' } : null,
      scheduleAttachedBy: null,
      diskLabels: c.input.diskLabels ?? null,
      membership: { domains: ['example.com'], orgProjects: new Set(['p']) },
      ownerTagKeys: ['owner', 'Owner', 'created-by', 'team'],
    });
    const e = c.expect;
    if (e.owner) expect([s.owner.source, s.owner.value]).toEqual(e.owner);
    if (e.public) expect(s.sharing.public).toBe(e.public);
    if (e.sharedWith) expect(s.sharing.sharedWith.map((w) => `${w.id}:${w.inOrganization}`)).toEqual(e.sharedWith);
    if (e.encryption) expect([s.encryption.status, s.encryption.keyId]).toEqual(e.encryption);
    if (e.region) expect(s.region).toBe(e.region);
  });
});
