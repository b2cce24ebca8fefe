import { type ArtifactKind, artifactKindLabels } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';
import { approvalOf, snapshotLabel, snapshotRef, ownArtifacts } from './support.ts';

export default defineCheck({
  id: 'snapshots.no-owner',
  title: 'Every snapshot has an identifiable owner',
  severity: 'low',
  needs: ['snapshots', 'creators', 'sources'],
  rationale: 'A snapshot nobody owns is never reviewed, never deleted and cannot be asked about when it turns up in an incident.',
  remediation: 'Tag the snapshot with an owner (one of the configured owner tag keys), or delete it if nobody claims it.',
  messages: {
    noOwner: (e: { kind: ArtifactKind; snapshot: string; region: string; tags: Record<string, string>; source: string | null }) =>
      `${artifactKindLabels[e.kind]} ${e.snapshot} in ${e.region} has no owner tag, no known creator and no owned source.`,
  },
  scope(input, ctx) {
    return ownArtifacts(input.snapshots)
      .filter((s) => s.owner.source === 'unknown' && !approvalOf(s, ctx.baseline).automation)
      .map((s) => ({
        region: s.region,
        resource: snapshotRef(s),
        message: 'noOwner',
        evidence: { kind: s.kind, snapshot: snapshotLabel(s), region: s.region, tags: s.tags, source: s.source.id },
      }));
  },
});
