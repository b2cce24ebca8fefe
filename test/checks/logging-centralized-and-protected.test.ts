import check from '../../checks/logging-centralized-and-protected.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeRegionLogging, makeScopeInput } from '../support/factories.ts';

const regions = (...r: Array<Parameters<typeof makeRegionLogging>[0]>) =>
  makeScopeInput({ logging: { sources: [], alerts: [], regions: r.map(makeRegionLogging) } });

runCheckCases(check, {
  pass: [
    { name: 'central and protected', input: regions({}) },
    { name: 'unknown centrality is not a failure', input: regions({ central: 'unknown', protected: 'unknown' }) },
    { name: 'unrecorded regions are another check', input: regions({ recorded: 'no', central: 'no', protected: 'no' }) },
  ],
  fail: [
    {
      name: 'same-account bucket',
      input: regions({ central: 'no' }),
      expect: [{ message: /not delivered to a central store in us-east-1/ }],
    },
    {
      name: 'no validation or encryption',
      input: regions({ protected: 'no' }, { region: 'eu-west-1', protected: 'no' }),
      expect: [{ message: /not tamper-protected in us-east-1, eu-west-1/ }],
    },
  ],
});
