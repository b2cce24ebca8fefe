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
      expect: [
        {
          severity: 'medium',
          messageId: 'notInBaseline',
          evidence: { principalType: 'user', principal: 'alice', capabilities: ['create'], approvedBy: null, conditional: false },
        },
      ],
    },
    {
      name: 'in baseline is info',
      input: makeScopeInput({
        principals: [makePrincipal({ id: 'arn:aws:iam::111111111111:role/BackupRole', type: 'role', name: 'BackupRole' })],
      }),
      ctx: { baseline },
      expect: [
        {
          severity: 'info',
          resourceId: 'arn:aws:iam::111111111111:role/BackupRole',
          messageId: 'approved',
          evidence: { approvedBy: 'arn:aws:iam::*:role/Backup*' },
        },
      ],
    },
    {
      // Regression (#17): a directory display name is free text (a guest's home tenant sets it); it approves nobody.
      name: 'a directory display name matching the baseline approves nothing; the sign-in name does',
      input: makeScopeInput({
        principals: [
          makePrincipal({
            id: '9e570000-0000-4000-8000-00000000000c',
            name: 'BackupService',
            identity: {
              source: 'microsoft-graph',
              kind: 'guest',
              displayName: 'BackupService',
              login: 'pat_fabrikam.com#EXT#@contoso.onmicrosoft.com',
              enabled: 'yes',
              appId: null,
            },
          }),
          makePrincipal({
            id: 'a11ce000-0000-4000-8000-000000000001',
            name: 'Alice Martin',
            identity: {
              source: 'microsoft-graph',
              kind: 'member',
              displayName: 'Alice Martin',
              login: 'alice@contoso.com',
              enabled: 'yes',
              appId: null,
            },
          }),
        ],
      }),
      ctx: { baseline: { ...baseline, identities: ['Backup*', 'alice@contoso.com'] } },
      expect: [
        { severity: 'medium', resourceId: '9e570000-0000-4000-8000-00000000000c', messageId: 'notInBaseline' },
        {
          severity: 'info',
          resourceId: 'a11ce000-0000-4000-8000-000000000001',
          messageId: 'approved',
          evidence: { approvedBy: 'alice@contoso.com' },
        },
      ],
    },
    {
      name: 'conditional grant says so',
      input: makeScopeInput({ principals: [makePrincipal({ grants: [makeGrant({ conditional: true })] })] }),
      expect: [{ messageId: 'notInBaseline', evidence: { conditional: true } }],
    },
    {
      name: 'delete is not listed among the capabilities, nor its paths',
      input: makeScopeInput({
        principals: [
          makePrincipal({ grants: [makeGrant({ capability: 'delete', action: 'ec2:DeleteSnapshot' }), makeGrant({ capability: 'copy' })] }),
        ],
      }),
      expect: [{ messageId: 'notInBaseline', evidence: { capabilities: ['copy'], paths: ['alice → policy → ec2:CreateSnapshot'] } }],
    },
  ],
});
