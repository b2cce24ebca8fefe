import check from '../../checks/snapshots-unencrypted.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

const strict = { ...defaultConfig().policy, requireCustomerManagedKeys: true };

runCheckCases(check, {
  pass: [
    { name: 'customer key', input: makeScopeInput({ snapshots: [makeSnapshot()] }), ctx: { policy: strict } },
    {
      name: 'provider key when not required',
      input: makeScopeInput({ snapshots: [makeSnapshot({ encryption: { status: 'provider-key' } })] }),
    },
  ],
  fail: [
    {
      name: 'unencrypted',
      input: makeScopeInput({ snapshots: [makeSnapshot({ encryption: { status: 'unencrypted', keyId: null } })] }),
      expect: [{ severity: 'medium', message: /not encrypted/ }],
    },
    {
      name: 'provider key when customer key required',
      input: makeScopeInput({ snapshots: [makeSnapshot({ encryption: { status: 'provider-key' } })] }),
      ctx: { policy: strict },
      expect: [{ severity: 'low', message: /customer-managed key/ }],
    },
  ],
});
