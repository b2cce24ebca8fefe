import check from '../../checks/snapshots-sensitive-source.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScope, makeScopeInput, makeSnapshot } from '../support/factories.ts';

const baseline = { ...defaultConfig().baseline, sensitiveTags: ['classification=secret', 'pii'] };

runCheckCases(check, {
  pass: [
    {
      name: 'no sensitive tags configured',
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { classification: 'secret' } } })] }),
    },
    {
      name: 'AWS tag keys are case-sensitive: Classification is not classification',
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { Classification: 'secret' } } })] }),
      ctx: { baseline },
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
      input: makeScopeInput({ snapshots: [makeSnapshot({ source: { tags: { classification: 'secret' } } })] }),
      ctx: { baseline },
      expect: [{ severity: 'high', message: /classification=secret/ }],
    },
    {
      name: 'Azure tag names are case-insensitive: Classification matches classification',
      input: makeScopeInput({
        scope: makeScope({ provider: 'azure', kind: 'subscription', id: 'sub' }),
        snapshots: [makeSnapshot({ source: { tags: { Classification: 'secret' } } })],
      }),
      ctx: { baseline },
      expect: [{ severity: 'high', message: /Classification=secret/ }],
    },
    {
      name: 'key-only pattern on snapshot tag, approved automation lowers severity',
      input: makeScopeInput({
        snapshots: [makeSnapshot({ tags: { pii: 'yes' }, automation: { by: 'dlm', basis: 'userIdentity.invokedBy dlm.amazonaws.com' } })],
      }),
      ctx: { baseline },
      expect: [{ severity: 'low' }],
    },
  ],
});
