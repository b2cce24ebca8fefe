import check from '../../checks/snapshots-shared-outside-org.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

runCheckCases(check, {
  pass: [
    { name: 'not shared', input: makeScopeInput({ snapshots: [makeSnapshot()] }) },
    {
      name: 'shared inside org',
      input: makeScopeInput({
        snapshots: [makeSnapshot({ sharing: { sharedWith: [{ id: '222222222222', kind: 'account', inOrganization: 'yes' }] } })],
      }),
    },
    {
      name: 'membership unknown is not judged',
      input: makeScopeInput({
        snapshots: [makeSnapshot({ sharing: { sharedWith: [{ id: '222222222222', kind: 'account', inOrganization: 'unknown' }] } })],
      }),
    },
  ],
  fail: [
    {
      name: 'shared outside',
      input: makeScopeInput({
        snapshots: [
          makeSnapshot({
            sharing: {
              sharedWith: [
                { id: '999999999999', kind: 'account', inOrganization: 'no' },
                { id: '222222222222', kind: 'account', inOrganization: 'yes' },
              ],
            },
          }),
        ],
      }),
      expect: [
        {
          severity: 'high',
          messageId: 'sharedOutside',
          evidence: { snapshot: 'snap', region: 'us-east-1', sharedWith: [{ id: '999999999999', kind: 'account', inOrganization: 'no' }] },
        },
      ],
    },
  ],
});
