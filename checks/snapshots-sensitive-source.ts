import { defineCheck } from './define-check.ts';
import { approvalOf, sensitiveTagMatches, snapshotRef } from './support.ts';

export default defineCheck({
  id: 'snapshots.sensitive-source',
  title: 'Snapshots of sensitive resources are known',
  severity: 'high',
  needs: ['snapshots', 'sources'],
  rationale: 'A snapshot of a disk tagged sensitive carries that data outside the controls that protect the running resource.',
  remediation:
    'Confirm the snapshot is part of the approved backup of that resource, restrict who can use and share it, and encrypt it with a customer-managed key.',
  references: { nist: ['AC-3', 'CM-8'] },
  scope(input, ctx) {
    if (ctx.baseline.sensitiveTags.length === 0) return [];
    return input.snapshots.flatMap((s) => {
      const provider = input.scope.provider;
      const fromSource = sensitiveTagMatches(provider, ctx.baseline.sensitiveTags, s.source.tags);
      const own = sensitiveTagMatches(provider, ctx.baseline.sensitiveTags, s.tags);
      if (fromSource.length === 0 && own.length === 0) return [];
      const approval = approvalOf(s, ctx.baseline);
      const approved = approval.automation;
      return [
        {
          region: s.region,
          resource: snapshotRef(s),
          owner: s.owner.value,
          severity: approved ? ('low' as const) : ('high' as const),
          message: `Snapshot ${s.name ?? s.id} in ${s.region} copies a sensitive resource (${[...fromSource, ...own].join(', ')})${approved ? ` by approved automation ${approval.by}` : ''}.`,
          evidence: { source: s.source.id, sourceTags: fromSource, snapshotTags: own, automation: s.automation, approval },
        },
      ];
    });
  },
});
