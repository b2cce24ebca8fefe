import check from '../../checks/snapshots-unencrypted.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

const strict = { requireCustomerManagedKey: true };

runCheckCases(check, {
  pass: [
    { name: 'customer key', input: makeScopeInput({ snapshots: [makeSnapshot()] }), options: strict },
    {
      name: 'provider key when not required',
      input: makeScopeInput({ snapshots: [makeSnapshot({ encryption: { status: 'provider-key' } })] }),
    },
  ],
  fail: [
    {
      name: 'unencrypted',
      input: makeScopeInput({ snapshots: [makeSnapshot({ encryption: { status: 'unencrypted', keyId: null } })] }),
      expect: [
        {
          severity: 'medium',
          messageId: 'unencrypted',
          evidence: { snapshot: 'snap', region: 'us-east-1', encryption: { status: 'unencrypted', keyId: null } },
        },
      ],
    },
    {
      name: 'provider key when customer key required',
      input: makeScopeInput({ snapshots: [makeSnapshot({ encryption: { status: 'provider-key' } })] }),
      options: strict,
      expect: [{ severity: 'low', messageId: 'providerKey', evidence: { encryption: { status: 'provider-key', keyId: 'key' } } }],
    },
  ],
});
