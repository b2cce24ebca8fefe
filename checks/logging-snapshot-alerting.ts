import type { OperationEffect, RegionLogging, Severity } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';

/** One operation of the family left unalerted (or only broadly alerted), with where and what was judged. */
interface OperationGap {
  operation: string;
  regions: string[];
  /** The routes that fire on it (broad ones), or the reads that were judged (none). */
  evidence: string[];
}

interface OperationsEvidence {
  scope: string;
  effect: OperationEffect;
  operations: OperationGap[];
}

/**
 * How much an unalerted operation matters, by what it does: a copy of data handed to others (share, export) is the
 * exfiltration itself; a new or copied artifact is the step before it; a delete or an in-place read is the least.
 */
const effectSeverity: Record<OperationEffect, Severity> = {
  share: 'high',
  export: 'high',
  create: 'medium',
  copy: 'medium',
  read: 'low',
  delete: 'low',
};
const effectOrder: readonly OperationEffect[] = ['share', 'export', 'create', 'copy', 'read', 'delete'];
const effectWords: Record<OperationEffect, string> = {
  share: 'sharing',
  export: 'exporting',
  create: 'creating',
  copy: 'copying',
  read: 'reading',
  delete: 'deleting',
};

const names = (ops: readonly OperationGap[]) => ops.map((o) => o.operation).join(', ');
const regionCount = (ops: readonly OperationGap[]) => new Set(ops.flatMap((o) => o.regions)).size;

/**
 * The operations of one effect with `alerted` = `want`, per operation the regions and the evidence. Creating and
 * copying in a region whose snapshot-creation verdict already says the same (`noAlert` / `broadAlertOnly`) are left to
 * that finding: one problem, one finding.
 */
function gaps(regions: readonly RegionLogging[], effect: OperationEffect, want: 'none' | 'broad'): OperationGap[] {
  const byOp = new Map<string, OperationGap>();
  for (const r of regions) {
    const headline = (effect === 'create' || effect === 'copy') && r.alerted === want;
    if (headline) continue;
    for (const o of r.operations ?? []) {
      if (o.effect !== effect || o.alerted !== want) continue;
      const gap = byOp.get(o.operation) ?? { operation: o.operation, regions: [], evidence: [] };
      gap.regions.push(r.region);
      for (const e of want === 'broad' ? o.alertIds : [o.source]) if (!gap.evidence.includes(e)) gap.evidence.push(e);
      byOp.set(o.operation, gap);
    }
  }
  return [...byOp.values()];
}

function drafts(scope: string, regions: readonly RegionLogging[]) {
  const out = [];
  for (const effect of effectOrder) {
    const none = gaps(regions, effect, 'none');
    if (none.length)
      out.push({
        resource: { kind: 'alert-coverage', id: `operations-${effect}-not-alerted`, name: null },
        severity: effectSeverity[effect],
        message: 'operationsNotAlerted' as const,
        evidence: { scope, effect, operations: none } satisfies OperationsEvidence,
      });
  }
  const broad = effectOrder.flatMap((effect) => gaps(regions, effect, 'broad').map((g) => ({ ...g, effect })));
  if (broad.length)
    out.push({
      resource: { kind: 'alert-coverage', id: 'operations-broad-match-only', name: null },
      severity: 'low' as const,
      message: 'operationsBroadOnly' as const,
      evidence: { scope, operations: broad },
    });
  return out;
}

export default defineCheck({
  id: 'logging.snapshot-alerting',
  title: 'Something alerts on creating, copying, sharing and exporting snapshots',
  severity: 'medium',
  needs: ['logging', 'alerting'],
  rationale:
    'A recorded event nobody looks at does not stop exfiltration. An alert on snapshot creation (DET0423) gives the security team the chance to react while the copy is still fresh; an alert on creation alone misses the other ways a copy leaves: an image or DB snapshot made public or shared with another account, a disk exported through a download link, a backup copied to another vault. Unalerted sharing and exporting are the most severe, since they hand the data to someone else.',
  remediation:
    "AWS: an EventBridge rule (or CloudWatch Logs metric filter and alarm) in every region naming the events of the family — CreateSnapshot, CreateSnapshots, CopySnapshot, StartSnapshot, CreateImage, CopyImage, ModifySnapshotAttribute, ModifyImageAttribute, ExportImage, CreateStoreImageTask, CreateDBSnapshot, CreateDBClusterSnapshot, CopyDBSnapshot, CopyDBClusterSnapshot, ModifyDBSnapshotAttribute, ModifyDBClusterSnapshotAttribute, StartExportTask, StartCopyJob, PutBackupVaultAccessPolicy. Azure: an activity log alert with an action group on each operation of the family (Microsoft.Compute/snapshots/write, images/write, galleries/share/action, galleries/images/versions/write, disks/beginGetAccess/action, snapshots/beginGetAccess/action, restore point writes and exports). GCP: a log-based metric (or log-match alert) on every spelling (v1, beta, alpha) of the family's insert, createSnapshot and setIamPolicy calls, with an alert policy that notifies a channel. Name the operations: a rule on a whole service or category fires on everything and is easily muted.",
  references: {
    urls: [
      'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html',
      'https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/alerts-types#activity-log-alerts',
      'https://cloud.google.com/logging/docs/logs-based-metrics',
    ],
  },
  messages: {
    noAlert: (e: { scope: string; regions: string[] }) => `Nothing alerts on snapshot creation in ${e.regions.join(', ')} of ${e.scope}.`,
    broadAlertOnly: (e: { scope: string; regions: string[]; alerts: string[] }) =>
      `Snapshot creation in ${e.regions.join(', ')} of ${e.scope} is only caught by a broad alert (whole category), not one aimed at snapshots.`,
    operationsNotAlerted: (e: OperationsEvidence) =>
      `Nothing alerts on ${effectWords[e.effect]} the snapshot family in ${regionCount(e.operations)} region(s) of ${e.scope}: ${names(e.operations)}.`,
    operationsBroadOnly: (e: { scope: string; operations: Array<OperationGap & { effect: OperationEffect }> }) =>
      `In ${regionCount(e.operations)} region(s) of ${e.scope} only a broad alert (a whole service or category) catches ${names(e.operations)}.`,
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
      ...drafts(input.scope.name, regions),
    ];
  },
});
