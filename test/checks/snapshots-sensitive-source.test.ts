import check from '../../checks/snapshots-sensitive-source.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScope, makeScopeInput, makeSnapshot } from '../support/factories.ts';

const options = { tags: ['classification=secret', 'pii'] };

runCheckCases(check, {
  pass: [
    {
      name: 'no sensitive tags configured',
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { classification: 'secret' } } })] }),
    },
    {
      name: 'AWS tag keys are case-sensitive: Classification is not classification',
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { Classification: 'secret' } } })] }),
      options,
    },
    {
      name: 'other value',
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { classification: 'public' } } })] }),
      options,
    },
  ],
  fail: [
    {
      name: 'source tagged secret',
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { classification: 'secret' } } })] }),
      options,
      expect: [
        {
          severity: 'high',
          messageId: 'sensitiveCopy',
          evidence: {
            snapshot: 'snap',
            region: 'us-east-1',
            source: 'vol-1',
            sourceTags: ['classification=secret'],
            snapshotTags: [],
            approval: { approved: 'unknown', automation: false },
          },
        },
      ],
    },
    {
      name: 'Azure tag names are case-insensitive: Classification matches classification',
      input: makeScopeInput({
        scope: makeScope({ provider: 'azure', kind: 'subscription', id: 'sub' }),
        snapshots: [makeSnapshot({ source: { tags: { Classification: 'secret' } } })],
      }),
      options,
      expect: [{ severity: 'high', messageId: 'sensitiveCopy', evidence: { sourceTags: ['Classification=secret'] } }],
    },
    {
      name: 'key-only pattern on snapshot tag, approved automation lowers severity',
      input: makeScopeInput({
        snapshots: [makeSnapshot({ tags: { pii: 'yes' }, automation: { by: 'dlm', basis: 'userIdentity.invokedBy dlm.amazonaws.com' } })],
      }),
      options,
      expect: [
        {
          severity: 'low',
          messageId: 'sensitiveCopyByAutomation',
          evidence: { sourceTags: [], snapshotTags: ['pii=yes'], approval: { approved: 'yes', by: 'dlm', automation: true } },
        },
      ],
    },
  ],
});
