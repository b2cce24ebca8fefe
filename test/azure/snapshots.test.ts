/**
 * Snapshots, case by case against the Compute and Activity Log documentation (test/azure/cases/snapshots-*.json):
 * exposure from networkAccessPolicy / publicNetworkAccess / dataAccessAuthMode / disk accesses, creators from the
 * activity log with systemData as the fallback, Azure Backup recognised by the identity that acted, SAS exports,
 * and Azure's case-insensitive tag names.
 */
import type { EventData } from '@azure/arm-monitor';
import type { DiskAccess, Snapshot as AzSnapshot } from '@azure/arm-compute';
import { describe, expect } from 'vitest';
import { activityFacts } from '../../providers/azure/normalise/activity.ts';
import { normaliseSnapshot } from '../../providers/azure/normalise/snapshots.ts';
import { resolveOwner } from '../../src/core/model/owner.ts';
import { describeCases } from '../support/cases.ts';

type Raw = Record<string, unknown>;

function toSnapshot(raw: Raw): AzSnapshot {
  const s = { ...raw } as Raw;
  if (typeof s.timeCreated === 'string') s.timeCreated = new Date(s.timeCreated);
  const sd = s.systemData as Raw | undefined;
  if (sd && typeof sd.createdAt === 'string') s.systemData = { ...sd, createdAt: new Date(sd.createdAt) };
  return s as unknown as AzSnapshot;
}

function normalise(input: { snapshot: Raw; events?: Raw[]; diskAccesses?: Raw[] | null; ownerTagKeys?: string[] }) {
  const snapshot = toSnapshot(input.snapshot);
  const events = (input.events ?? []).map((e) => ({ ...e, eventTimestamp: new Date(String(e.eventTimestamp)) }) as unknown as EventData);
  const facts = activityFacts(events, [snapshot]);
  const key = String(snapshot.id).toLowerCase();
  const keys = input.ownerTagKeys ?? ['owner'];
  return normaliseSnapshot(snapshot, {
    ownerTagKeys: keys,
    creator: facts.creators.get(key) ?? null,
    exports: facts.exports.get(key) ?? [],
    disks: new Map(),
    diskAccesses: {
      byId:
        input.diskAccesses === null
          ? null
          : new Map((input.diskAccesses ?? []).map((d) => [String(d.id).toLowerCase(), d as unknown as DiskAccess])),
    },
    resolveOwner: (i) => resolveOwner({ ...i, ownerTagKeys: keys, caseInsensitiveKeys: true }),
  });
}

const cases = new URL('./cases/', import.meta.url);

describe('snapshot exposure', () => {
  describeCases<{ snapshot: Raw; diskAccesses?: Raw[] | null }, { public: string; notes: string[] }>(
    cases,
    /^snapshots-exposure\.json$/,
    (c) => {
      const s = normalise(c.input);
      expect(s.sharing.public).toBe(c.expect.public);
      expect(s.sharing.notes).toEqual(c.expect.notes);
    },
  );
});

describe('snapshot creators and approval', () => {
  describeCases<
    { snapshot: Raw; events: Raw[] },
    { creator: string | null; automation: string | null; exports?: string[]; owner?: string }
  >(cases, /^snapshots-creators\.json$/, (c) => {
    const s = normalise(c.input);
    expect(s.creator ? `${s.creator.source}:${s.creator.identity}` : null).toBe(c.expect.creator);
    // The provider records which automation acted; the checks judge approval against the baseline.
    expect(s.automation.by).toBe(c.expect.automation);
    if (c.expect.exports) expect(s.sharing.notes.filter((n) => n.startsWith('exported'))).toEqual(c.expect.exports);
    if (c.expect.owner) expect(`${s.owner.source}:${s.owner.value}`).toBe(c.expect.owner);
  });
});
