import check from '../../checks/permissions-broad-grant.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeGrant, makePrincipal, makeScopeInput } from '../support/factories.ts';

runCheckCases(check, {
  pass: [{ name: 'specific grant', input: makeScopeInput({ principals: [makePrincipal()] }) }],
  fail: [
    {
      name: 'wildcard',
      input: makeScopeInput({
        principals: [makePrincipal({ grants: [makeGrant({ broad: true, path: [{ kind: 'action-pattern', id: 'ec2:*', label: null }] })] })],
      }),
      expect: [{ severity: 'medium', message: /broad grant \(ec2:\*\)/ }],
    },
  ],
});
