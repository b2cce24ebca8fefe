import check from '../../checks/logging-snapshot-alerting.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeAlert, makeRegionLogging, makeScopeInput } from '../support/factories.ts';

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
      expect: [{ severity: 'medium', messageId: 'noAlert', evidence: { scope: 'test-account', regions: ['us-east-1'] } }],
    },
    {
      name: 'only a broad alert is weaker',
      input: makeScopeInput({
        logging: {
          sources: [],
          alerts: [makeAlert({ id: 'admin-ops', match: 'broad' }), makeAlert({ id: 'other', match: 'none' })],
          regions: [makeRegionLogging({ alerted: 'broad' })],
        },
      }),
      expect: [
        {
          severity: 'low',
          resourceId: 'broad-match-only',
          messageId: 'broadAlertOnly',
          evidence: { regions: ['us-east-1'], alerts: ['admin-ops'] },
        },
      ],
    },
    {
      name: 'both, in different regions',
      input: regions({ alerted: 'none' }, { region: 'eu-west-1', alerted: 'broad' }),
      expect: [
        { messageId: 'noAlert', evidence: { regions: ['us-east-1'] } },
        { messageId: 'broadAlertOnly', evidence: { regions: ['eu-west-1'] } },
      ],
    },
  ],
});
