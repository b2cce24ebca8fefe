import { type ArtifactKind, artifactKindLabels, type Snapshot } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';
import { factsOf, snapshotLabel, snapshotRef, ownArtifacts } from './support.ts';

type PublicSnapshot = {
  kind: ArtifactKind;
  snapshot: string;
  region: string;
  sizeGiB: number | null;
  encryption: Snapshot['encryption']['status'];
  createdAt: string | null;
  /** How the snapshot is public, as the provider read it. */
  notes: string[];
} & ReturnType<typeof factsOf>;

export default defineCheck({
  id: 'snapshots.public',
  title: 'No snapshot is public',
  severity: 'critical',
  needs: ['snapshots', 'sharing'],
  rationale:
    'A public snapshot can be restored by anyone with a cloud account: every file on the disk is exposed, including credentials and databases.',
  remediation:
    'AWS: remove the `all` group from createVolumePermission and turn on snapshot block public access. Azure: set networkAccessPolicy to DenyAll or AllowPrivate and disable public network access. GCP: remove allUsers / allAuthenticatedUsers from the snapshot IAM policy.',
  messages: {
    public: (e: PublicSnapshot) =>
      `${artifactKindLabels[e.kind]} ${e.snapshot} in ${e.region} is public${e.notes.length ? ` (${e.notes.join('; ')})` : ''}.`,
  },
  scope(input) {
    return ownArtifacts(input.snapshots)
      .filter((s) => s.sharing.public === 'yes')
      .map((s) => ({
        region: s.region,
        resource: snapshotRef(s),
        owner: s.owner.value,
        message: 'public',
        evidence: {
          kind: s.kind,
          snapshot: snapshotLabel(s),
          region: s.region,
          sizeGiB: s.sizeGiB,
          encryption: s.encryption.status,
          createdAt: s.createdAt,
          notes: s.sharing.notes,
          ...factsOf(s, 'public'),
        },
      }));
  },
});
