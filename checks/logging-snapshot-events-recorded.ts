import type { Tri } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';

interface NotRecorded {
  scope: string;
  regions: string[];
  reasons: string[];
  sources: Array<{ id: string; enabled: Tri; recordsSnapshotCreation: Tri }>;
}

export default defineCheck({
  id: 'logging.snapshot-events-recorded',
  title: 'Snapshot creation is recorded by an audit log',
  severity: 'high',
  needs: ['logging'],
  rationale:
    'Creating a snapshot of a disk is how an attacker copies data past the access controls on the running machine (ATT&CK T1578.001). Without an enabled audit source that records management write events, snapshot creation leaves no trace to detect or investigate.',
  remediation:
    'AWS: create a multi-region (ideally organisation) CloudTrail trail that logs management write events and keep it logging. Azure: add a subscription diagnostic setting exporting the Administrative category. GCP: Admin Activity logs are always written; export them with a sink.',
  messages: {
    notRecorded: (e: NotRecorded) =>
      `No enabled audit source records snapshot creation in any of the ${e.regions.length} scanned region(s) of ${e.scope}.`,
  },
  scope(input) {
    const regions = input.logging.regions;
    if (regions.length === 0 || regions.some((r) => r.recorded !== 'no')) return [];
    return [
      {
        message: 'notRecorded',
        evidence: {
          scope: input.scope.name,
          regions: regions.map((r) => r.region),
          reasons: [...new Set(regions.flatMap((r) => r.reasons))],
          sources: input.logging.sources.map((s) => ({ id: s.id, enabled: s.enabled, recordsSnapshotCreation: s.recordsSnapshotCreation })),
        },
      },
    ];
  },
});
