import { type ArtifactKind, artifactKindLabels, type Snapshot } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';
import { factsOf, snapshotLabel, snapshotRef, ownArtifacts } from './support.ts';

type SharedOutside = {
  kind: ArtifactKind;
  snapshot: string;
  region: string;
  sharedWith: Snapshot['sharing']['sharedWith'];
  encryption: Snapshot['encryption']['status'];
} & ReturnType<typeof factsOf>;

export default defineCheck({
  id: 'snapshots.shared-outside-org',
  title: 'No snapshot is shared outside the organisation',
  severity: 'high',
  needs: ['snapshots', 'sharing'],
  rationale:
    'A snapshot shared with an account, tenant or project outside the organisation is a standing copy of the disk that someone else can restore at will.',
  remediation:
    'Remove the external share (createVolumePermission, snapshot IAM binding, SAS grant) and confirm with the owner why it existed.',
  messages: {
    sharedOutside: (e: SharedOutside) =>
      `${artifactKindLabels[e.kind]} ${e.snapshot} in ${e.region} is shared outside the organisation with ${e.sharedWith.map((x) => x.id).join(', ')}.`,
  },
  scope(input) {
    return ownArtifacts(input.snapshots).flatMap((s) => {
      const outside = s.sharing.sharedWith.filter((x) => x.inOrganization === 'no');
      if (outside.length === 0) return [];
      return [
        {
          region: s.region,
          resource: snapshotRef(s),
          owner: s.owner.value,
          message: 'sharedOutside',
          evidence: {
            kind: s.kind,
            snapshot: snapshotLabel(s),
            region: s.region,
            sharedWith: outside,
            encryption: s.encryption.status,
            ...factsOf(s, 'shared-with'),
          },
        },
      ];
    });
  },
});
