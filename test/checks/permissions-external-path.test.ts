import check from '../../checks/permissions-external-path.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeGrant, makePrincipal, makeScopeInput } from '../support/factories.ts';

runCheckCases(check, {
  pass: [
    { name: 'internal principal', input: makeScopeInput({ principals: [makePrincipal()] }) },
    {
      name: 'external but delete only',
      input: makeScopeInput({ principals: [makePrincipal({ external: true, grants: [makeGrant({ capability: 'delete' })] })] }),
    },
  ],
  fail: [
    {
      name: 'external principal',
      input: makeScopeInput({ principals: [makePrincipal({ external: true })] }),
      expect: [{ severity: 'high', message: /External path/ }],
    },
    {
      name: 'external grant path (trust)',
      input: makeScopeInput({ principals: [makePrincipal({ grants: [makeGrant({ external: true, conditional: true })] })] }),
      expect: [{ message: /conditionally/ }],
    },
  ],
});
