import { defineCheck } from './define-check.ts';

interface NotRecorded {
  scope: string;
  regions: string[];
  /** Of those, the regions that hold disk snapshots of the scope: reads there would leave no trace today. */
  regionsWithSnapshots: string[];
}

/**
 * Reads of snapshot contents through the EBS direct APIs (ListSnapshotBlocks, ListChangedBlocks, GetSnapshotBlock)
 * are CloudTrail data events, recorded only by a trail with a data-event selector on AWS::EC2::Snapshot. Judged per
 * region from `blockReadsRecorded`; a region where it could not be read (`unknown`) is a coverage gap, not a finding.
 */
export default defineCheck({
  id: 'logging.snapshot-reads-recorded',
  title: 'Reads of snapshot contents (EBS direct APIs) are recorded',
  severity: 'medium',
  needs: ['logging'],
  providers: ['aws'],
  rationale:
    'With the EBS direct APIs anyone holding ebs:ListSnapshotBlocks and ebs:GetSnapshotBlock reads a snapshot out block by block, without creating a volume or sharing anything. Those calls are CloudTrail data events: unless a trail selects them, the copy leaves no trace at all, and the management events that record snapshot creation say nothing about it.',
  remediation:
    'Add an advanced event selector to a multi-region (ideally organisation) trail with eventCategory = Data and resources.type = AWS::EC2::Snapshot (optionally only eventName GetSnapshotBlock, ListSnapshotBlocks, ListChangedBlocks). Cost trade-off: data events are charged per event delivered, and a full read of a volume is one GetSnapshotBlock call per 512 KiB block, so backup software reading snapshots can produce many events; if the cost is too high everywhere, record them at least in the regions holding snapshots of sensitive volumes, or select read-only events only.',
  references: {
    urls: [
      'https://docs.aws.amazon.com/ebs/latest/userguide/logging-ebs-apis-using-cloudtrail.html',
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html',
      'https://aws.amazon.com/cloudtrail/pricing/',
    ],
  },
  messages: {
    notRecorded: (e: NotRecorded) =>
      `No trail records reads of snapshot contents (EBS direct API data events) in ${e.regions.join(', ')} of ${e.scope}` +
      (e.regionsWithSnapshots.length ? `; snapshots are held in ${e.regionsWithSnapshots.join(', ')}.` : '.'),
  },
  scope(input) {
    const regions = input.logging.regions.filter((r) => r.blockReadsRecorded === 'no').map((r) => r.region);
    if (regions.length === 0) return [];
    const holding = new Set(input.snapshots.filter((s) => s.kind === 'disk-snapshot').map((s) => s.region));
    const regionsWithSnapshots = regions.filter((r) => holding.has(r));
    return [
      {
        resource: { kind: 'logging-coverage', id: 'snapshot-block-reads', name: null },
        // Without snapshots in those regions there is nothing to read yet: the gap is real but smaller.
        severity: regionsWithSnapshots.length ? 'medium' : 'low',
        message: 'notRecorded',
        evidence: { scope: input.scope.name, regions, regionsWithSnapshots },
      },
    ];
  },
});
