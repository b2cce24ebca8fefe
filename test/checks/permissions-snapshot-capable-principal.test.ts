import check from '../../checks/permissions-snapshot-capable-principal.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeGrant, makePrincipal, makeScopeInput } from '../support/factories.ts';

const baseline = { ...defaultConfig().baseline, identities: ['arn:aws:iam::*:role/Backup*'] };

runCheckCases(check, {
  pass: [
    { name: 'no principals', input: makeScopeInput() },
    {
      name: 'delete only',
      input: makeScopeInput({
        principals: [makePrincipal({ grants: [makeGrant({ capability: 'delete', action: 'ec2:DeleteSnapshot' })] })],
      }),
    },
  ],
  fail: [
    {
      name: 'not in baseline',
      input: makeScopeInput({ principals: [makePrincipal()] }),
      expect: [{ severity: 'medium', message: /user alice can create snapshots and is not in the baseline/ }],
    },
    {
      name: 'in baseline is info',
      input: makeScopeInput({
        principals: [makePrincipal({ id: 'arn:aws:iam::111111111111:role/BackupRole', type: 'role', name: 'BackupRole' })],
      }),
      ctx: { baseline },
      expect: [{ severity: 'info', resourceId: 'arn:aws:iam::111111111111:role/BackupRole', message: /approved by baseline/ }],
    },
    {
      name: 'conditional grant says so',
      input: makeScopeInput({ principals: [makePrincipal({ grants: [makeGrant({ conditional: true })] })] }),
      expect: [{ message: /\(conditionally\)/ }],
    },
  ],
});
