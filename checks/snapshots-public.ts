import { defineCheck } from './define-check.ts';
import { factsOf, snapshotRef } from './support.ts';

export default defineCheck({
  id: 'snapshots.public',
  title: 'No snapshot is public',
  severity: 'critical',
  needs: ['snapshots', 'sharing'],
  rationale:
    'A public snapshot can be restored by anyone with a cloud account: every file on the disk is exposed, including credentials and databases.',
  remediation:
    'AWS: remove the `all` group from createVolumePermission and turn on snapshot block public access. Azure: set networkAccessPolicy to DenyAll or AllowPrivate and disable public network access. GCP: remove allUsers / allAuthenticatedUsers from the snapshot IAM policy.',
  references: { nist: ['AC-3', 'AC-6'] },
  scope(input) {
    return input.snapshots
      .filter((s) => s.sharing.public === 'yes')
      .map((s) => ({
        region: s.region,
        resource: snapshotRef(s),
        owner: s.owner.value,
        message: `Snapshot ${s.name ?? s.id} in ${s.region} is public${s.sharing.notes.length ? ` (${s.sharing.notes.join('; ')})` : ''}.`,
        evidence: {
          sizeGiB: s.sizeGiB,
          encryption: s.encryption.status,
          createdAt: s.createdAt,
          notes: s.sharing.notes,
          ...factsOf(s, 'public'),
        },
      }));
  },
});
