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
      input: makeScopeInput({ snapshots: [makeSnapshot({ owner: { value: null, source: 'unknown' } })] }),
      expect: [{ severity: 'low' }],
    },
  ],
});
