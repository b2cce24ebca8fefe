import check from '../../checks/logging-retention.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeRegionLogging, makeScopeInput } from '../support/factories.ts';

const regions = (...r: Array<Parameters<typeof makeRegionLogging>[0]>) =>
  makeScopeInput({ logging: { sources: [], alerts: [], regions: r.map(makeRegionLogging) } });

runCheckCases(check, {
  pass: [
    { name: 'unknown retention is not judged', input: regions({ retentionDays: null }) },
    { name: 'long enough', input: regions({ retentionDays: 400 }) },
    { name: 'exactly the minimum', input: regions({ retentionDays: 365 }) },
    { name: 'configured minimum respected', input: regions({ retentionDays: 120 }), options: { minDays: 90 } },
    { name: 'unrecorded regions are another check', input: regions({ recorded: 'no', retentionDays: 30 }) },
  ],
  fail: [
    {
      name: '30 days against the default 365',
      input: regions({ retentionDays: 30 }),
      expect: [{ messageId: 'tooShort', evidence: { scope: 'test-account', minimumDays: 365, regions: { 'us-east-1': 30 } } }],
    },
    {
      name: 'configured minimum',
      input: regions({ retentionDays: 60 }, { region: 'eu-west-1', retentionDays: 30 }, { region: 'eu-north-1', retentionDays: 120 }),
      options: { minDays: 90 },
      expect: [{ messageId: 'tooShort', evidence: { minimumDays: 90, regions: { 'us-east-1': 60, 'eu-west-1': 30 } } }],
    },
  ],
});
