/**
 * Snapshot schedules as inventory items (normalise/schedules.ts): what the policy says, the disks it is attached to
 * and who attached each, from documented cases; reads that were not made leave what they would have said unknown.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleDetails } from '../../src/core/model/result.ts';
import {
  attachmentsFromEntries,
  disksByPolicy,
  isSnapshotSchedule,
  normaliseSchedule,
  type RawResourcePolicy,
} from '../../providers/gcp/normalise/schedules.ts';
import { type AuditLogEntry, creatorsFromEntries } from '../../providers/gcp/normalise/snapshots.ts';
import type { RawDisk } from '../../providers/gcp/raw.ts';
import { describeCases } from '../support/cases.ts';

interface Input {
  policy: RawResourcePolicy;
  disks: RawDisk[];
  entries: AuditLogEntry[];
}

describe('snapshot schedules (documented cases)', () => {
  describeCases<Input, ScheduleDetails>(new URL('./cases/', import.meta.url), /^schedules/, (c) => {
    const s = normaliseSchedule({
      projectId: 'p',
      raw: c.input.policy,
      attachedDisks: disksByPolicy(c.input.disks),
      attachments: attachmentsFromEntries(c.input.entries),
      ownerTagKeys: ['owner'],
    });
    expect(s.kind).toBe('snapshot-schedule');
    expect(s.schedule).toEqual(c.expect);
  });
});

describe('snapshot schedules', () => {
  const policy: RawResourcePolicy = {
    name: 'nightly',
    region: 'https://www.googleapis.com/compute/v1/projects/p/regions/europe-west1',
    snapshotSchedulePolicy: { schedule: { dailySchedule: { daysInCycle: 1, startTime: '02:00' } } },
  };

  it('leaves the attached disks unknown when disks were not read, and who attached them when the log was not', () => {
    const unread = normaliseSchedule({ projectId: 'p', raw: policy, attachedDisks: null, attachments: null, ownerTagKeys: [] });
    expect(unread.schedule?.attachedTo).toBeNull();
    expect(unread.sharing.notes).toContain('disks were not listed, so the disks it is attached to are not known');
    const disks = disksByPolicy([
      {
        selfLink: 'https://www.googleapis.com/compute/v1/projects/p/zones/europe-west1-b/disks/db',
        resourcePolicies: ['https://www.googleapis.com/compute/v1/projects/p/regions/europe-west1/resourcePolicies/nightly'],
      },
    ]);
    const noLog = normaliseSchedule({ projectId: 'p', raw: policy, attachedDisks: disks, attachments: null, ownerTagKeys: [] });
    expect(noLog.schedule?.attachedTo).toEqual([
      { disk: 'projects/p/zones/europe-west1-b/disks/db', attachedBy: null, at: null, via: null },
    ]);
    expect(noLog.sharing.notes).toContain('the Admin Activity log was not read, so who attached it is not known');
  });

  it('lists only resource policies that are snapshot schedules', () => {
    expect(isSnapshotSchedule(policy)).toBe(true);
    // An instance schedule or a placement policy is a resource policy too, but makes no snapshots.
    expect(isSnapshotSchedule({ name: 'start-stop' })).toBe(false);
  });
});

describe('the creator lookup reads disk inserts for schedules', () => {
  it('never takes a disk insert (its request names the disk) for the creation of a snapshot of that name', () => {
    const entries: AuditLogEntry[] = [
      {
        timestamp: '2026-09-01T08:05:00Z',
        protoPayload: {
          methodName: 'v1.compute.disks.insert',
          resourceName: 'projects/p/zones/europe-west1-b/disks/ledger',
          authenticationInfo: { principalEmail: 'dave@example.com' },
          request: { name: 'ledger', resourcePolicies: ['regions/europe-west1/resourcePolicies/nightly'] },
        },
      },
    ];
    expect(creatorsFromEntries(entries).size).toBe(0);
  });
});
