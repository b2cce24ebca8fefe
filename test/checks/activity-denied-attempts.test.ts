import check from '../../checks/activity-denied-attempts.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeActivity, makeScopeInput } from '../support/factories.ts';

const denied = (id: string, errorCode = 'Client.UnauthorizedOperation', who = 'arn:aws:iam::111111111111:user/alice') =>
  makeActivity({ id, outcome: 'failure', errorCode, resource: null, identity: { id: who } });

runCheckCases(check, {
  pass: [
    { name: 'two denied attempts are below the default of three', input: makeScopeInput({ activity: [denied('a'), denied('b')] }) },
    {
      name: 'failures that are not denials (a throttled or invalid call)',
      input: makeScopeInput({
        activity: [denied('a', 'RequestLimitExceeded'), denied('b', 'InvalidVolume.NotFound'), denied('c', 'IncorrectState')],
      }),
    },
    {
      name: 'successes',
      input: makeScopeInput({ activity: [makeActivity({ id: 'a' }), makeActivity({ id: 'b' }), makeActivity({ id: 'c' })] }),
    },
  ],
  fail: [
    {
      name: 'three denials by one identity, in each cloud’s spelling',
      input: makeScopeInput({
        activity: [
          denied('a'),
          denied('b', 'AccessDenied'),
          denied('c', 'AuthorizationFailed'),
          denied('d', 'AccessDenied', 'arn:aws:iam::111111111111:user/bob'),
        ],
      }),
      expect: [
        {
          messageId: 'denied',
          resourceId: 'arn:aws:iam::111111111111:user/alice',
          evidence: { count: 3, errorCodes: ['AccessDenied', 'AuthorizationFailed', 'Client.UnauthorizedOperation'], minAttempts: 3 },
        },
      ],
    },
    {
      name: 'the threshold is an option',
      input: makeScopeInput({ activity: [denied('a', 'PERMISSION_DENIED')] }),
      options: { minAttempts: 1 },
      expect: [{ messageId: 'denied', evidence: { count: 1, minAttempts: 1 } }],
    },
  ],
});
