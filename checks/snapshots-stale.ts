import { defineCheck } from './define-check.ts';
import { snapshotRef } from './support.ts';

const DAY = 86_400_000;

export default defineCheck({
  id: 'snapshots.stale',
  title: 'No snapshot is older than the allowed age',
  severity: 'low',
  needs: ['snapshots'],
  rationale:
    'Old snapshots outlive the access reviews and data deletions of the disks they copied, and quietly keep data the organisation believes is gone.',
  remediation:
    'Delete snapshots past the retention the owner needs, or move long-term backups into a managed backup vault with its own retention.',
  references: { nist: ['CM-8'] },
  scope(input, ctx) {
    const max = ctx.policy.maxSnapshotAgeDays;
    return input.snapshots.flatMap((s) => {
      if (s.createdAt === null) return [];
      const age = Math.floor((ctx.now.getTime() - Date.parse(s.createdAt)) / DAY);
      if (!(age > max)) return [];
      return [
        {
          region: s.region,
          resource: snapshotRef(s),
          owner: s.owner.value,
          message: `Snapshot ${s.name ?? s.id} in ${s.region} is ${age} days old (limit ${max}).`,
          evidence: { ageDays: age, createdAt: s.createdAt, limitDays: max },
        },
      ];
    });
  },
});
