import check from '../../checks/snapshots-no-owner.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

runCheckCases(check, {
  pass: [
    { name: 'tagged owner', input: makeScopeInput({ snapshots: [makeSnapshot()] }) },
    {
      name: 'approved automation',
      input: makeScopeInput({
        snapshots: [
          makeSnapshot({
            owner: { value: null, source: 'unknown' },
            automation: { by: 'dlm', basis: 'userIdentity.invokedBy dlm.amazonaws.com' },
          }),
        ],
      }),
    },
  ],
  fail: [
    {
      name: 'unknown owner',
      input: makeScopeInput({ snapshots: [makeSnapshot({ owner: { value: null, source: 'unknown' }, tags: { env: 'dev' } })] }),
      expect: [
        {
          severity: 'low',
          resourceId: 'arn:aws:ec2:us-east-1::snapshot/snap-00000001',
          messageId: 'noOwner',
          evidence: { snapshot: 'snap', region: 'us-east-1', tags: { env: 'dev' }, source: 'vol-1' },
        },
      ],
    },
    {
      name: 'unnamed snapshot is named by its id',
      input: makeScopeInput({ snapshots: [makeSnapshot({ name: null, owner: { value: null, source: 'unknown' } })] }),
      expect: [{ messageId: 'noOwner', evidence: { snapshot: 'snap-00000001' } }],
    },
  ],
});
