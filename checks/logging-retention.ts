import { defineCheck } from './define-check.ts';

export default defineCheck({
  id: 'logging.retention',
  title: 'Snapshot audit events are retained long enough',
  severity: 'medium',
  needs: ['logging'],
  rationale:
    'Snapshot-based exfiltration is often found months later. Audit events kept for less than the required period cannot show who made a snapshot when the question is finally asked.',
  remediation:
    'Raise the retention of the log destination (S3 lifecycle / CloudWatch Logs retention, Log Analytics workspace retention, GCP log bucket retention) to at least the configured minimum.',
  references: { nist: ['AU-11'], cis: ['cis-gcp:2.4'] },
  scope(input, ctx) {
    const min = ctx.policy.minRetentionDays;
    const short = input.logging.regions.filter((r) => r.recorded === 'yes' && r.retentionDays !== null && r.retentionDays < min);
    if (short.length === 0) return [];
    const days = Math.min(...short.map((r) => r.retentionDays ?? min));
    return [
      {
        message: `Snapshot audit events of ${input.scope.name} are kept for ${days} day(s), less than the required ${min}, in ${short.map((r) => r.region).join(', ')}.`,
        evidence: { minimumDays: min, regions: Object.fromEntries(short.map((r) => [r.region, r.retentionDays])) },
      },
    ];
  },
});
