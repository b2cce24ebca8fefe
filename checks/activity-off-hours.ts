import { localTime, withinBusinessHours } from '../src/core/business-hours.ts';
import { defineCheck } from './define-check.ts';
import { activityOf, byIdentity, eventList, type IdentityEvidence, identityEvidence, identityRef } from './activity-support.ts';

type OffHours = IdentityEvidence & { timeZone: string; businessHours: string; localTimes: string[] };

export default defineCheck({
  id: 'activity.off-hours',
  title: 'Snapshot activity happens within business hours',
  severity: 'medium',
  needs: ['activity'],
  rationale:
    'DET0423 asks to flag snapshot creation at unusual timing. A person making, copying, sharing or exporting snapshots outside the hours the organisation works (`policy.businessHours`) is either urgent work that should have a record, or someone who expects nobody to be watching. Recognised automation runs on schedules and is not judged.',
  remediation:
    'Check each off-hours event against the change or incident record; if the identity legitimately works other hours, approve it in the baseline or widen `policy.businessHours`.',
  references: { urls: ['https://attack.mitre.org/detectionstrategies/DET0423/'] },
  messages: {
    offHours: (e: OffHours) =>
      `${e.identity} made ${e.count} snapshot-family call(s) outside business hours (${e.businessHours}): ${eventList(e.events, e.count)}.`,
  },
  scope(input, ctx) {
    const hours = ctx.policy?.businessHours;
    if (!hours) return [];
    const events = activityOf(input).filter((e) => e.identity.automation === null && !withinBusinessHours(new Date(e.at), hours));
    return byIdentity(events).map(([identity, list]) => {
      const evidence = identityEvidence(identity, list);
      return {
        resource: identityRef(identity),
        message: 'offHours' as const,
        evidence: {
          ...evidence,
          timeZone: hours.timeZone,
          businessHours: `${hours.days.join(',')} ${hours.start}-${hours.end} ${hours.timeZone}`,
          localTimes: evidence.events.map((x) => localTime(new Date(x.at), hours.timeZone).label),
        },
      };
    });
  },
});
