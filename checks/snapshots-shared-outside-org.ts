import { defineCheck } from './define-check.ts';
import { factsOf, snapshotRef } from './support.ts';

export default defineCheck({
  id: 'snapshots.shared-outside-org',
  title: 'No snapshot is shared outside the organisation',
  severity: 'high',
  needs: ['snapshots', 'sharing'],
  rationale:
    'A snapshot shared with an account, tenant or project outside the organisation is a standing copy of the disk that someone else can restore at will.',
  remediation:
    'Remove the external share (createVolumePermission, snapshot IAM binding, SAS grant) and confirm with the owner why it existed.',
  references: { nist: ['AC-3', 'AC-21'] },
  scope(input) {
    return input.snapshots.flatMap((s) => {
      const outside = s.sharing.sharedWith.filter((x) => x.inOrganization === 'no');
      if (outside.length === 0) return [];
      return [
        {
          region: s.region,
          resource: snapshotRef(s),
          owner: s.owner.value,
          message: `Snapshot ${s.name ?? s.id} in ${s.region} is shared outside the organisation with ${outside.map((x) => x.id).join(', ')}.`,
          evidence: { sharedWith: outside, encryption: s.encryption.status, ...factsOf(s, 'shared-with') },
        },
      ];
    });
  },
});
