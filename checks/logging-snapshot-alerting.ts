import { defineCheck } from './define-check.ts';

export default defineCheck({
  id: 'logging.snapshot-alerting',
  title: 'Something alerts on snapshot creation',
  severity: 'medium',
  needs: ['logging', 'alerting'],
  rationale:
    'A recorded event nobody looks at does not stop exfiltration. An alert on snapshot creation (DET0423) gives the security team the chance to react while the copy is still fresh.',
  remediation:
    'AWS: an EventBridge rule (or CloudWatch Logs metric filter and alarm) on CreateSnapshot, CreateSnapshots and CopySnapshot in every region. Azure: an activity log alert on Microsoft.Compute/snapshots/write. GCP: a log-based metric on v1.compute.snapshots.insert and v1.compute.disks.createSnapshot with an alert policy.',
  messages: {
    noAlert: (e: { scope: string; regions: string[] }) => `Nothing alerts on snapshot creation in ${e.regions.join(', ')} of ${e.scope}.`,
    broadAlertOnly: (e: { scope: string; regions: string[]; alerts: string[] }) =>
      `Snapshot creation in ${e.regions.join(', ')} of ${e.scope} is only caught by a broad alert (whole category), not one aimed at snapshots.`,
  },
  scope(input) {
    const regions = input.logging.regions;
    const none = regions.filter((r) => r.alerted === 'none').map((r) => r.region);
    const broad = regions.filter((r) => r.alerted === 'broad').map((r) => r.region);
    return [
      ...(none.length > 0 ? [{ message: 'noAlert' as const, evidence: { scope: input.scope.name, regions: none } }] : []),
      ...(broad.length > 0
        ? [
            {
              resource: { kind: 'alert-coverage', id: 'broad-match-only', name: null },
              severity: 'low' as const,
              message: 'broadAlertOnly' as const,
              evidence: {
                scope: input.scope.name,
                regions: broad,
                alerts: input.logging.alerts.filter((a) => a.match === 'broad').map((a) => a.id),
              },
            },
          ]
        : []),
    ];
  },
});
