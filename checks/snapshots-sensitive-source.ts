import { z } from 'zod';
import { type ArtifactKind, artifactKindLabels, type Snapshot } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';
import { type Approval, approvalOf, sensitiveTagMatches, snapshotLabel, snapshotRef, ownArtifacts } from './support.ts';

interface SensitiveCopy {
  kind: ArtifactKind;
  snapshot: string;
  region: string;
  source: string | null;
  /** Tags of the source resource that mark it sensitive (`key=value`). */
  sourceTags: string[];
  /** The snapshot's own tags that mark it sensitive. */
  snapshotTags: string[];
  automation: Snapshot['automation'];
  /** What the baseline made of who made it. */
  approval: Approval;
}

const copies = (e: SensitiveCopy) =>
  `${artifactKindLabels[e.kind]} ${e.snapshot} in ${e.region} copies a sensitive resource (${[...e.sourceTags, ...e.snapshotTags].join(', ')})`;

const options = z.strictObject({
  tags: z
    .array(z.string().min(1))
    .default([])
    .describe('tags (`key` or `key=value`, value globs allowed) that mark a resource sensitive; the check is off while empty'),
});

export default defineCheck({
  id: 'snapshots.sensitive-source',
  title: 'Snapshots of sensitive resources are known',
  severity: 'high',
  needs: ['snapshots', 'sources'],
  rationale: 'A snapshot of a disk tagged sensitive carries that data outside the controls that protect the running resource.',
  remediation:
    'Confirm the snapshot is part of the approved backup of that resource, restrict who can use and share it, and encrypt it with a customer-managed key.',
  options,
  legacy: (config) => ({ tags: config.baseline.sensitiveTags }),
  messages: {
    sensitiveCopy: (e: SensitiveCopy) => `${copies(e)}.`,
    sensitiveCopyByAutomation: (e: SensitiveCopy) => `${copies(e)} by approved automation ${e.approval.by}.`,
  },
  scope(input, ctx) {
    const patterns = ctx.options.tags;
    if (patterns.length === 0) return [];
    const provider = input.scope.provider;
    return ownArtifacts(input.snapshots).flatMap((s) => {
      const fromSource = sensitiveTagMatches(provider, patterns, s.source.tags);
      const own = sensitiveTagMatches(provider, patterns, s.tags);
      if (fromSource.length === 0 && own.length === 0) return [];
      const approval = approvalOf(s, ctx.baseline);
      const approved = approval.automation;
      return [
        {
          region: s.region,
          resource: snapshotRef(s),
          owner: s.owner.value,
          severity: approved ? ('low' as const) : ('high' as const),
          message: approved ? ('sensitiveCopyByAutomation' as const) : ('sensitiveCopy' as const),
          evidence: {
            kind: s.kind,
            snapshot: snapshotLabel(s),
            region: s.region,
            source: s.source.id,
            sourceTags: fromSource,
            snapshotTags: own,
            automation: s.automation,
            approval,
          },
        },
      ];
    });
  },
});
