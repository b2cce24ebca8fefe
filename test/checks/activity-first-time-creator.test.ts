import check from '../../checks/activity-first-time-creator.ts';
import type { PreviousScan } from '../../src/core/model/previous-scan.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeActivity, makeScopeInput } from '../support/factories.ts';

const alice = 'arn:aws:iam::111111111111:user/alice';
const bob = 'arn:aws:iam::111111111111:user/bob';
const history = (creators: string[] | null): PreviousScan => ({
  scopeSeen: () => creators !== null,
  capabilities: () => [],
  creators: () => (creators === null ? null : new Set(creators)),
});

runCheckCases(check, {
  pass: [
    { name: 'no state store', input: makeScopeInput({ activity: [makeActivity()] }) },
    {
      name: 'the scope has no activity history yet',
      input: makeScopeInput({ activity: [makeActivity()] }),
      ctx: { previous: history(null) },
    },
    { name: 'a known creator', input: makeScopeInput({ activity: [makeActivity()] }), ctx: { previous: history([alice]) } },
    {
      name: 'a share or a denied attempt is no creation',
      input: makeScopeInput({
        activity: [
          makeActivity({ identity: { id: bob }, effect: 'share', operation: 'ModifySnapshotAttribute' }),
          makeActivity({ id: 'ev-2', identity: { id: bob }, outcome: 'failure', errorCode: 'AccessDenied' }),
        ],
      }),
      ctx: { previous: history([alice]) },
    },
  ],
  fail: [
    {
      name: 'an identity never seen creating in the scope',
      input: makeScopeInput({
        activity: [makeActivity(), makeActivity({ id: 'ev-2', identity: { id: bob }, operation: 'CopySnapshot', effect: 'copy' })],
      }),
      ctx: { previous: history([alice]) },
      expect: [{ messageId: 'firstTime', resourceId: bob, evidence: { identity: bob, count: 1, events: [{ operation: 'CopySnapshot' }] } }],
    },
  ],
});
