import { type ArtifactKind, artifactKindLabels } from '../src/core/model/result.ts';
import { z } from 'zod';
import { defineCheck } from './define-check.ts';
import { snapshotLabel, snapshotRef, ownArtifacts } from './support.ts';

const DAY = 86_400_000;

const options = z.strictObject({
  maxAgeDays: z.number().int().min(1).default(180).describe('a snapshot older than this many days is stale'),
});

export default defineCheck({
  id: 'snapshots.stale',
  title: 'No snapshot is older than the allowed age',
  severity: 'low',
  needs: ['snapshots'],
  rationale:
    'Old snapshots outlive the access reviews and data deletions of the disks they copied, and quietly keep data the organisation believes is gone.',
  remediation:
    'Delete snapshots past the retention the owner needs, or move long-term backups into a managed backup vault with its own retention.',
  options,
  legacy: (config) => ({ maxAgeDays: config.policy.maxSnapshotAgeDays }),
  messages: {
    tooOld: (e: { kind: ArtifactKind; snapshot: string; region: string; ageDays: number; createdAt: string; limitDays: number }) =>
      `${artifactKindLabels[e.kind]} ${e.snapshot} in ${e.region} is ${e.ageDays} days old (limit ${e.limitDays}).`,
  },
  scope(input, ctx) {
    const max = ctx.options.maxAgeDays;
    return ownArtifacts(input.snapshots).flatMap((s) => {
      if (s.createdAt === null) return [];
      const age = Math.floor((ctx.now.getTime() - Date.parse(s.createdAt)) / DAY);
      if (!(age > max)) return [];
      return [
        {
          region: s.region,
          resource: snapshotRef(s),
          owner: s.owner.value,
          message: 'tooOld',
          evidence: { kind: s.kind, snapshot: snapshotLabel(s), region: s.region, ageDays: age, createdAt: s.createdAt, limitDays: max },
        },
      ];
    });
  },
});
