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
      expect: [
        {
          severity: 'medium',
          resourceId: 'arn:aws:iam::111111111111:user/alice',
          messageId: 'broadGrant',
          evidence: { principalType: 'user', principal: 'alice', capabilities: ['create'], via: ['ec2:*'], paths: ['ec2:*'] },
        },
      ],
    },
    {
      name: 'owner-class role, only its broad grants counted',
      input: makeScopeInput({
        principals: [
          makePrincipal({
            grants: [
              makeGrant(),
              makeGrant({ capability: 'share', broad: true, path: [{ kind: 'role', id: 'roles/editor', label: 'Editor' }] }),
              makeGrant({ capability: 'copy', broad: true, path: [{ kind: 'role', id: 'roles/editor', label: 'Editor' }] }),
            ],
          }),
        ],
      }),
      expect: [
        // The role by its name (an Azure role definition's id is a GUID nobody recognises).
        { messageId: 'broadGrant', evidence: { capabilities: ['share', 'copy'], via: ['Editor'], paths: ['Editor', 'Editor'] } },
      ],
    },
  ],
});
