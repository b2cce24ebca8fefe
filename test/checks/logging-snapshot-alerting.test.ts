import check from '../../checks/logging-snapshot-alerting.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeRegionLogging, makeScopeInput } from '../support/factories.ts';

const regions = (...r: Array<Parameters<typeof makeRegionLogging>[0]>) =>
  makeScopeInput({ logging: { sources: [], alerts: [], regions: r.map(makeRegionLogging) } });

runCheckCases(check, {
  pass: [
    { name: 'exact alert', input: regions({ alerted: 'exact' }) },
    { name: 'alerting not collected', input: regions({ alerted: 'unknown' }) },
  ],
  fail: [
    {
      name: 'no alert',
      input: regions({ alerted: 'none' }, { region: 'eu-west-1', alerted: 'exact' }),
      expect: [{ severity: 'medium', message: /in us-east-1 of/ }],
    },
    {
      name: 'only a broad alert is weaker',
      input: regions({ alerted: 'broad' }),
      expect: [{ severity: 'low', resourceId: 'broad-match-only', message: /broad alert/ }],
    },
  ],
});
