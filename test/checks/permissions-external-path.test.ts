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
      expect: [
        {
          severity: 'high',
          messageId: 'externalPath',
          evidence: { principalType: 'user', principal: 'alice', capabilities: ['create'], conditional: false },
        },
      ],
    },
    {
      name: 'external grant path (trust) under a condition',
      input: makeScopeInput({ principals: [makePrincipal({ grants: [makeGrant({ external: true, conditional: true })] })] }),
      expect: [{ messageId: 'externalPath', evidence: { conditional: true, paths: ['alice → policy → ec2:CreateSnapshot'] } }],
    },
    {
      name: 'one unconditional external grant makes the path unconditional',
      input: makeScopeInput({
        principals: [
          makePrincipal({
            grants: [
              makeGrant({ external: true, conditional: true }),
              makeGrant({ capability: 'share', external: true }),
              makeGrant({ capability: 'copy' }),
            ],
          }),
        ],
      }),
      expect: [{ messageId: 'externalPath', evidence: { capabilities: ['create', 'share'], conditional: false } }],
    },
  ],
});
