import check from '../../checks/coverage-scope-unreadable.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput } from '../support/factories.ts';

const gap = {
  code: 'access_denied' as const,
  part: 'snapshots' as const,
  operation: 'ec2:DescribeSnapshots',
  region: 'eu-west-1',
  message: 'denied',
};

runCheckCases(check, {
  pass: [
    { name: 'complete scope', input: makeScopeInput() },
    {
      name: 'clean discovery',
      discovery: { provider: 'aws', root: 'o-1', status: 'complete', scopesFound: 3, scopesSelected: 3, gaps: [] },
    },
  ],
  fail: [
    {
      name: 'partial scope',
      input: makeScopeInput({ coverage: { status: 'partial', regions: [{ region: 'eu-west-1', status: 'partial' }], gaps: [gap] } }),
      expect: [
        {
          severity: 'medium',
          messageId: 'partlyRead',
          evidence: {
            scope: 'test-account',
            scopeId: '111111111111',
            regions: { 'eu-west-1': 'partial' },
            gaps: [{ code: 'access_denied' }],
          },
        },
      ],
    },
    {
      name: 'failed scope',
      input: makeScopeInput({
        coverage: {
          status: 'failed',
          regions: [{ region: 'us-east-1', status: 'failed' }],
          gaps: [{ ...gap, code: 'credentials', region: null }],
        },
      }),
      expect: [{ severity: 'high', messageId: 'notRead', evidence: { status: 'failed', gaps: [{ code: 'credentials', region: null }] } }],
    },
    {
      name: 'interrupted scan',
      input: makeScopeInput({
        coverage: {
          status: 'interrupted',
          regions: [{ region: 'us-east-1', status: 'interrupted' }],
          gaps: [{ ...gap, code: 'interrupted', region: null }],
        },
      }),
      expect: [{ severity: 'high', messageId: 'interrupted', evidence: { regions: { 'us-east-1': 'interrupted' } } }],
    },
    {
      name: 'failed discovery',
      discovery: {
        provider: 'aws',
        root: null,
        status: 'failed',
        scopesFound: 0,
        scopesSelected: 0,
        gaps: [{ ...gap, part: 'discovery', region: null }],
      },
      expect: [
        { severity: 'high', messageId: 'discoveryFailed', evidence: { provider: 'aws', root: null, gaps: [{ part: 'discovery' }] } },
      ],
    },
    {
      name: 'partly failed discovery under an organisation',
      discovery: {
        provider: 'gcp',
        root: 'organizations/1',
        status: 'partial',
        scopesFound: 3,
        scopesSelected: 2,
        gaps: [{ ...gap, part: 'discovery', region: null }],
      },
      expect: [{ severity: 'medium', messageId: 'discoveryIncomplete', evidence: { provider: 'gcp', root: 'organizations/1' } }],
    },
  ],
});
