/**
 * Snapshot schedules of a project: one aggregated listing of its resource policies (every region, paged), of which
 * those with a `snapshotSchedulePolicy` are items of the inventory; the disks they are attached to come from the
 * disks listing, who attached them from the Admin Activity entries the creator lookup read.
 */
import type { Snapshot } from '../../../src/core/model/result.ts';
import { attempt } from '../../gaps.ts';
import { classifyGcpError as classify } from '../errors.ts';
import type { RawDisk } from '../raw.ts';
import {
  attachmentsFromEntries,
  disksByPolicy,
  isSnapshotSchedule,
  normaliseSchedule,
  type RawResourcePolicy,
} from '../normalise/schedules.ts';
import type { AuditLogEntry } from '../normalise/snapshots.ts';
import { GLOBAL, type GcpIO } from '../scope-io.ts';
import type { GcpScopeContext } from './context.ts';

/** The project's snapshot schedules (other resource policies left out); a failed listing is a gap, and none. */
export async function listSchedules(io: GcpIO, ctx: GcpScopeContext): Promise<RawResourcePolicy[]> {
  const all = await attempt(ctx.gaps, 'snapshots', GLOBAL, classify, () => io.listResourcePolicies(ctx.project.projectId));
  return (all ?? []).filter(isSnapshotSchedule);
}

export function normaliseSchedules(
  ctx: GcpScopeContext,
  raw: readonly RawResourcePolicy[],
  reads: { disks: readonly RawDisk[] | undefined; entries: readonly AuditLogEntry[] | undefined },
): Snapshot[] {
  const attachedDisks = reads.disks ? disksByPolicy(reads.disks) : null;
  const attachments = reads.entries ? attachmentsFromEntries(reads.entries) : null;
  return raw.map((r) =>
    normaliseSchedule({ projectId: ctx.project.projectId, raw: r, attachedDisks, attachments, ownerTagKeys: ctx.policy.ownerTagKeys }),
  );
}
