import { z } from 'zod';
import { isDenied } from '../src/core/model/activity.ts';
import { defineCheck } from './define-check.ts';
import { activityOf, byIdentity, eventList, type IdentityEvidence, identityEvidence, identityRef } from './activity-support.ts';

type Denied = IdentityEvidence & { errorCodes: string[]; minAttempts: number };

const options = z.strictObject({
  minAttempts: z
    .number()
    .int()
    .min(1)
    .default(3)
    .describe('denied snapshot-family calls by one identity in the lookback window that make a finding'),
});

export default defineCheck({
  id: 'activity.denied-attempts',
  title: 'No identity keeps trying snapshot operations it is denied',
  severity: 'high',
  needs: ['activity'],
  rationale:
    'Repeated denied attempts to create, copy, share or export snapshots are someone probing what a credential can do, or a broken automation that silently stopped backing up. Either needs an owner.',
  remediation:
    'Find who used the identity and why; if it is automation, fix its permissions; if not, treat the credentials as compromised.',
  options,
  messages: {
    denied: (e: Denied) =>
      `${e.identity} was denied ${e.count} snapshot-family call(s) (${e.errorCodes.join(', ')}): ${eventList(e.events, e.count)}.`,
  },
  scope(input, ctx) {
    const min = ctx.options.minAttempts;
    const groups = byIdentity(activityOf(input).filter(isDenied)).filter(([, list]) => list.length >= min);
    return groups.map(([identity, list]) => ({
      resource: identityRef(identity),
      message: 'denied' as const,
      evidence: {
        ...identityEvidence(identity, list),
        errorCodes: [...new Set(list.map((e) => e.errorCode ?? ''))].sort(),
        minAttempts: min,
      },
    }));
  },
});
