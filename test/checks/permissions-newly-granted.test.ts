import check from '../../checks/permissions-newly-granted.ts';
import type { PreviousScan } from '../../src/core/model/previous-scan.ts';
import { runCheckCases, runContext } from '../support/check-tester.ts';
import { makeGrant, makePrincipal, makeScopeInput } from '../support/factories.ts';

const previous = (caps: Record<string, Array<'create' | 'copy' | 'share' | 'delete'>>, seen = true): PreviousScan => ({
  scopeSeen: () => seen,
  capabilities: (_p, _s, id) => caps[id] ?? [],
});
const alice = makePrincipal();

runCheckCases(check, {
  pass: [
    { name: 'no previous scan', input: makeScopeInput({ principals: [alice] }) },
    { name: 'scope not in previous scan', input: makeScopeInput({ principals: [alice] }), ctx: { previous: previous({}, false) } },
    { name: 'unchanged', input: makeScopeInput({ principals: [alice] }), ctx: { previous: previous({ [alice.id]: ['create'] }) } },
  ],
  fail: [
    {
      name: 'new principal',
      input: makeScopeInput({ principals: [alice] }),
      ctx: { previous: previous({}) },
      expect: [
        {
          severity: 'medium',
          messageId: 'gained',
          evidence: { principalType: 'user', principal: 'alice', gained: ['create'], before: [] },
        },
      ],
    },
    {
      name: 'gained share',
      input: makeScopeInput({
        principals: [makePrincipal({ grants: [makeGrant(), makeGrant({ capability: 'share', action: 'ec2:ModifySnapshotAttribute' })] })],
      }),
      ctx: { previous: previous({ [alice.id]: ['create'] }) },
      expect: [{ messageId: 'gained', evidence: { gained: ['share'], before: ['create'] } }],
    },
    {
      name: 'gained through a role chain: the evidence and the message carry the path length',
      input: makeScopeInput({
        principals: [
          makePrincipal({
            grants: [makeGrant(), makeGrant({ capability: 'copy', action: 'ec2:CopySnapshot', reach: 'indirect', hops: 2 })],
          }),
        ],
      }),
      ctx: { previous: previous({ [alice.id]: ['create'] }) },
      expect: [
        {
          messageId: 'gained',
          evidence: { gained: ['copy'], before: ['create'], reach: 'indirect', hops: 2 },
        },
      ],
    },
    {
      name: 'gained as eligible (PIM): said so',
      input: makeScopeInput({ principals: [makePrincipal({ grants: [makeGrant({ reach: 'eligible', hops: 1 })] })] }),
      ctx: { previous: previous({}) },
      expect: [{ messageId: 'gained', evidence: { gained: ['create'], reach: 'eligible', hops: 1 } }],
    },
    {
      name: 'an identity the baseline approves is reported at low severity',
      input: makeScopeInput({ principals: [alice] }),
      ctx: { previous: previous({}), baseline: { ...runContext().baseline, identities: ['arn:aws:iam::*:user/ali*'] } },
      expect: [{ severity: 'low', messageId: 'gainedApproved', evidence: { gained: ['create'], approvedBy: 'arn:aws:iam::*:user/ali*' } }],
    },
  ],
});
