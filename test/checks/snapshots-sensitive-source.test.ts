import check from '../../checks/snapshots-sensitive-source.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

const baseline = { ...defaultConfig().baseline, sensitiveTags: ['classification=secret', 'pii'] };

runCheckCases(check, {
  pass: [
    {
      name: 'no sensitive tags configured',
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { classification: 'secret' } } })] }),
    },
    {
      name: 'other value',
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { classification: 'public' } } })] }),
      ctx: { baseline },
    },
  ],
  fail: [
    {
      name: 'source tagged secret',
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { Classification: 'secret' } } })] }),
      ctx: { baseline },
      expect: [{ severity: 'high', message: /Classification=secret/ }],
    },
    {
      name: 'key-only pattern on snapshot tag, approved automation lowers severity',
      input: makeScopeInput({ snapshots: [makeSnapshot({ tags: { pii: 'yes' }, automation: { approved: true, by: 'dlm' } })] }),
      ctx: { baseline },
      expect: [{ severity: 'low' }],
    },
  ],
});
