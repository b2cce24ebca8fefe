import { defineCheck } from './define-check.ts';
import { activityOf, byIdentity, eventList, type IdentityEvidence, identityEvidence, identityRef, makes } from './activity-support.ts';

export default defineCheck({
  id: 'activity.first-time-creator',
  title: 'Snapshot creators are identities seen creating before',
  severity: 'medium',
  needs: ['activity'],
  rationale:
    'Snapshots are made by a small, stable set of identities. One that the state store has never seen creating or copying a snapshot in this scope is a change worth a look, approved or not: a new pipeline, a new administrator, or a borrowed identity.',
  remediation:
    'Confirm with the identity owner that the new snapshot work is expected; the identity is remembered from this scan on, so the finding does not repeat. If it is not expected, treat it as an incident.',
  messages: {
    firstTime: (e: IdentityEvidence) =>
      `${e.identity} made snapshots in this scope for the first time in the recorded history: ${eventList(e.events, e.count)}.`,
  },
  scope(input, ctx) {
    // Without history (the first scan of the scope, or no state store), nothing can be a first time.
    const known = ctx.previous?.creators?.(input.scope.provider, input.scope.id) ?? null;
    if (known === null) return [];
    const events = activityOf(input).filter((e) => e.outcome === 'success' && makes(e) && !known.has(e.identity.id));
    return byIdentity(events).map(([identity, list]) => ({
      resource: identityRef(identity),
      message: 'firstTime' as const,
      evidence: identityEvidence(identity, list),
    }));
  },
});
