import { z } from 'zod';
import { defineCheck } from './define-check.ts';

interface ShortRetention {
  scope: string;
  minimumDays: number;
  /** Region → retention in days, for the regions below the minimum. */
  regions: Record<string, number>;
}

const options = z.strictObject({
  minDays: z.number().int().min(1).default(365).describe('the shortest retention of snapshot audit events that passes, in days'),
});

export default defineCheck({
  id: 'logging.retention',
  title: 'Snapshot audit events are retained long enough',
  severity: 'medium',
  needs: ['logging'],
  rationale:
    'Snapshot-based exfiltration is often found months later. Audit events kept for less than the required period cannot show who made a snapshot when the question is finally asked.',
  remediation:
    'Raise the retention of the log destination (S3 lifecycle / CloudWatch Logs retention, Log Analytics workspace retention, GCP log bucket retention) to at least the configured minimum.',
  options,
  legacy: (config) => ({ minDays: config.policy.minRetentionDays }),
  messages: {
    tooShort: (e: ShortRetention) =>
      `Snapshot audit events of ${e.scope} are kept for ${Math.min(...Object.values(e.regions))} day(s), less than the required ${e.minimumDays}, in ${Object.keys(e.regions).join(', ')}.`,
  },
  scope(input, ctx) {
    const min = ctx.options.minDays;
    const short = input.logging.regions.flatMap((r) =>
      r.recorded === 'yes' && r.retentionDays !== null && r.retentionDays < min ? [[r.region, r.retentionDays] as const] : [],
    );
    if (short.length === 0) return [];
    return [{ message: 'tooShort', evidence: { scope: input.scope.name, minimumDays: min, regions: Object.fromEntries(short) } }];
  },
});
