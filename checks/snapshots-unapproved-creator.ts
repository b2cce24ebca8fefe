import { z } from 'zod';
import { type ArtifactKind, artifactKindLabels, type Snapshot } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';
import { approvalOf, snapshotLabel, snapshotRef, tagKeyEquals, ownArtifacts } from './support.ts';

interface Made {
  kind: ArtifactKind;
  snapshot: string;
  region: string;
  creator: Snapshot['creator'];
  changeRecordTagKey: string | null;
  tags: Record<string, string>;
}
type ByUnapproved = Made & { creator: NonNullable<Snapshot['creator']> };
type Untagged = Made & { changeRecordTagKey: string };

const unapproved = (e: ByUnapproved) => `created by ${e.creator.identity}, who is not in the baseline`;
const untagged = (e: Untagged) => `no ${e.changeRecordTagKey} change-record tag`;

const options = z.strictObject({
  changeRecordTagKey: z
    .string()
    .nullable()
    .default(null)
    .describe('a tag every manual snapshot must carry (e.g. a change-record number); null: none required'),
});

export default defineCheck({
  id: 'snapshots.unapproved-creator',
  title: 'Snapshots are made by approved identities or automation',
  severity: 'medium',
  needs: ['snapshots', 'creators'],
  rationale:
    'Backups are made by known automation on a schedule. A snapshot made by a person or an unexpected identity, or without the change record the process requires, is exactly what T1578.001 looks like.',
  remediation:
    'Ask the creator why the snapshot exists; if it is legitimate, add the change-record tag or approve the identity in the baseline; if not, treat it as an incident and delete the copy after preserving evidence.',
  options,
  legacy: (config) => ({ changeRecordTagKey: config.baseline.changeRecordTagKey }),
  messages: {
    unapprovedCreator: (e: ByUnapproved) => `${artifactKindLabels[e.kind]} ${e.snapshot} in ${e.region}: ${unapproved(e)}.`,
    noChangeRecord: (e: Untagged) => `${artifactKindLabels[e.kind]} ${e.snapshot} in ${e.region}: ${untagged(e)}.`,
    unapprovedCreatorNoChangeRecord: (e: ByUnapproved & Untagged) =>
      `${artifactKindLabels[e.kind]} ${e.snapshot} in ${e.region}: ${unapproved(e)}; ${untagged(e)}.`,
  },
  scope(input, ctx) {
    const b = ctx.baseline;
    const tagKey = ctx.options.changeRecordTagKey;
    return ownArtifacts(input.snapshots).flatMap((s) => {
      const approval = approvalOf(s, b);
      if (approval.automation) return [];
      const creator = s.creator;
      const missingTag = tagKey !== null && !Object.keys(s.tags).some((k) => tagKeyEquals(input.scope.provider, k, tagKey));
      const unapprovedBy = approval.approved === 'no' && creator !== null ? creator : null;
      const untaggedKey = missingTag ? tagKey : null;
      const at = { region: s.region, resource: snapshotRef(s), owner: s.owner.value };
      const evidence = { kind: s.kind, snapshot: snapshotLabel(s), region: s.region, creator, changeRecordTagKey: tagKey, tags: s.tags };
      const draft =
        untaggedKey === null
          ? unapprovedBy && { ...at, message: 'unapprovedCreator' as const, evidence: { ...evidence, creator: unapprovedBy } }
          : unapprovedBy
            ? {
                ...at,
                message: 'unapprovedCreatorNoChangeRecord' as const,
                evidence: { ...evidence, creator: unapprovedBy, changeRecordTagKey: untaggedKey },
              }
            : { ...at, message: 'noChangeRecord' as const, evidence: { ...evidence, changeRecordTagKey: untaggedKey } };
      return draft ? [draft] : [];
    });
  },
});
