import check from '../../checks/activity-unapproved-creator.ts';
import { runCheckCases, runContext } from '../support/check-tester.ts';
import { makeActivity, makeScopeInput } from '../support/factories.ts';

const alice = 'arn:aws:iam::111111111111:user/alice';
const backup = makeActivity({
  id: 'ev-backup',
  identity: {
    type: 'AssumedRole',
    id: 'arn:aws:sts::111111111111:assumed-role/AWSBackupDefaultServiceRole/AWSBackup',
    automation: { by: 'aws-backup', basis: 'userIdentity.invokedBy backup.amazonaws.com' },
  },
});

runCheckCases(check, {
  pass: [
    { name: 'no activity collected', input: makeScopeInput() },
    { name: 'recognised automation named in the baseline', input: makeScopeInput({ activity: [backup] }) },
    {
      name: 'an identity the baseline approves',
      input: makeScopeInput({ activity: [makeActivity()] }),
      ctx: { baseline: { ...runContext().baseline, identities: ['arn:aws:iam::*:user/ali*'] } },
    },
    {
      name: 'a denied attempt made nothing',
      input: makeScopeInput({ activity: [makeActivity({ outcome: 'failure', errorCode: 'AccessDenied' })] }),
    },
  ],
  fail: [
    {
      name: 'one finding per identity, with every event behind it',
      input: makeScopeInput({
        activity: [
          makeActivity({ id: 'ev-2', at: '2026-11-25T15:00:00.000Z', operation: 'ModifySnapshotAttribute', effect: 'share' }),
          makeActivity(),
          makeActivity({ id: 'ev-3', identity: { id: 'arn:aws:iam::111111111111:user/bob' } }),
          backup,
        ],
      }),
      expect: [
        {
          messageId: 'unapproved',
          resourceId: alice,
          evidence: {
            identity: alice,
            count: 2,
            events: [
              { id: 'ev-1', operation: 'CreateSnapshot' },
              { id: 'ev-2', operation: 'ModifySnapshotAttribute' },
            ],
          },
        },
        { messageId: 'unapproved', resourceId: 'arn:aws:iam::111111111111:user/bob', evidence: { count: 1 } },
      ],
    },
    {
      name: 'automation the baseline no longer names is judged like anyone',
      input: makeScopeInput({ activity: [backup] }),
      ctx: { baseline: { ...runContext().baseline, automation: ['dlm'] } },
      expect: [{ messageId: 'unapproved', evidence: { identity: backup.identity.id } }],
    },
  ],
});
