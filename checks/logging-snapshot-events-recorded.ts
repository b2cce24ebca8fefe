import { defineCheck } from './define-check.ts';

export default defineCheck({
  id: 'logging.snapshot-events-recorded',
  title: 'Snapshot creation is recorded by an audit log',
  severity: 'high',
  needs: ['logging'],
  rationale:
    'Creating a snapshot of a disk is how an attacker copies data past the access controls on the running machine (ATT&CK T1578.001). Without an enabled audit source that records management write events, snapshot creation leaves no trace to detect or investigate.',
  remediation:
    'AWS: create a multi-region (ideally organisation) CloudTrail trail that logs management write events and keep it logging. Azure: add a subscription diagnostic setting exporting the Administrative category. GCP: Admin Activity logs are always written; export them with a sink.',
  references: { nist: ['AU-2', 'AU-12'], cis: ['cis-aws:4.1', 'cis-azure:6.1.1.1', 'cis-azure:6.1.1.2'] },
  scope(input) {
    const regions = input.logging.regions;
    if (regions.length === 0 || regions.some((r) => r.recorded !== 'no')) return [];
    return [
      {
        message: `No enabled audit source records snapshot creation in any of the ${regions.length} scanned region(s) of ${input.scope.name}.`,
        evidence: {
          regions: regions.map((r) => r.region),
          reasons: [...new Set(regions.flatMap((r) => r.reasons))],
          sources: input.logging.sources.map((s) => ({ id: s.id, enabled: s.enabled, recordsSnapshotCreation: s.recordsSnapshotCreation })),
        },
      },
    ];
  },
});
