import check from '../../checks/snapshots-sensitive-source.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

const options = { tags: ['classification=secret', 'pii'] };

runCheckCases(check, {
  pass: [
    {
      name: 'no sensitive tags configured',
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { classification: 'secret' } } })] }),
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
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { Classification: 'secret' } } })] }),
      options,
      expect: [
        {
          severity: 'high',
          messageId: 'sensitiveCopy',
          evidence: { snapshot: 'snap', region: 'us-east-1', source: 'vol-1', sourceTags: ['Classification=secret'], snapshotTags: [] },
        },
      ],
    },
    {
      name: 'key-only pattern on snapshot tag, approved automation lowers severity',
      input: makeScopeInput({ snapshots: [makeSnapshot({ tags: { pii: 'yes' }, automation: { approved: true, by: 'dlm' } })] }),
      options,
      expect: [
        {
          severity: 'low',
          messageId: 'sensitiveCopyByAutomation',
          evidence: { sourceTags: [], snapshotTags: ['pii=yes'], automation: { approved: true, by: 'dlm' } },
        },
      ],
    },
  ],
});
