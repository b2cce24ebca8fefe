import { defineCheck } from './define-check.ts';
import { activityOf, approvedBy, byIdentity, eventList, type IdentityEvidence, identityEvidence, identityRef } from './activity-support.ts';

const PREFIX = 'Recent snapshot activity';

export default defineCheck({
  id: 'activity.unapproved-creator',
  title: 'Recent snapshot activity is by approved identities or automation',
  severity: 'medium',
  needs: ['activity'],
  rationale:
    'Every creating, copying, sharing or exporting event of the snapshot family in the lookback window, by an identity the baseline does not approve, is either undocumented operational work or someone taking a copy of data around its access controls (T1578.001). Unlike snapshots.unapproved-creator it also sees copies that were deleted again and shares and exports that left nothing behind.',
  remediation:
    'Ask the identity why it made, copied, shared or exported snapshots; if the work is legitimate, add it to `baseline.identities` (or its automation to `baseline.automation`); if not, treat it as an incident: preserve the events, revoke the identity, and find where the copies went.',
  messages: {
    unapproved: (e: IdentityEvidence) =>
      `${PREFIX}: ${e.identity} is not in the baseline and made ${e.count} successful snapshot-family call(s): ${eventList(e.events, e.count)}.`,
  },
  scope(input, ctx) {
    const events = activityOf(input).filter((e) => e.outcome === 'success' && approvedBy(e, ctx.baseline) === null);
    return byIdentity(events).map(([identity, list]) => ({
      resource: identityRef(identity),
      message: 'unapproved' as const,
      evidence: identityEvidence(identity, list),
    }));
  },
});
