import { defineCheck } from './define-check.ts';
import { approvalOf, snapshotRef, tagKeyEquals } from './support.ts';

export default defineCheck({
  id: 'snapshots.unapproved-creator',
  title: 'Snapshots are made by approved identities or automation',
  severity: 'medium',
  needs: ['snapshots', 'creators'],
  rationale:
    'Backups are made by known automation on a schedule. A snapshot made by a person or an unexpected identity, or without the change record the process requires, is exactly what T1578.001 looks like.',
  remediation:
    'Ask the creator why the snapshot exists; if it is legitimate, add the change-record tag or approve the identity in the baseline; if not, treat it as an incident and delete the copy after preserving evidence.',
  references: { nist: ['AC-6', 'SI-4', 'CM-8'] },
  scope(input, ctx) {
    const b = ctx.baseline;
    return input.snapshots.flatMap((s) => {
      const approval = approvalOf(s, b);
      if (approval.automation) return [];
      const creator = s.creator?.identity ?? null;
      const wanted = b.changeRecordTagKey;
      const missingTag = wanted !== null && !Object.keys(s.tags).some((k) => tagKeyEquals(input.scope.provider, k, wanted));
      const unapprovedCreator = approval.approved === 'no';
      if (!unapprovedCreator && !missingTag) return [];
      const reasons = [
        unapprovedCreator ? `created by ${creator}, who is not in the baseline` : '',
        missingTag ? `no ${b.changeRecordTagKey} change-record tag` : '',
      ].filter(Boolean);
      return [
        {
          region: s.region,
          resource: snapshotRef(s),
          owner: s.owner.value,
          message: `Snapshot ${s.name ?? s.id} in ${s.region}: ${reasons.join('; ')}.`,
          evidence: { creator: s.creator, changeRecordTagKey: b.changeRecordTagKey, tags: s.tags },
        },
      ];
    });
  },
});
