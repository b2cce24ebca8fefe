import check from '../../checks/logging-retention.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeRegionLogging, makeScopeInput } from '../support/factories.ts';

const regions = (...r: Array<Parameters<typeof makeRegionLogging>[0]>) =>
  makeScopeInput({ logging: { sources: [], alerts: [], regions: r.map(makeRegionLogging) } });
const policy = { ...defaultConfig().policy, minRetentionDays: 90 };

runCheckCases(check, {
  pass: [
    { name: 'unknown retention is not judged', input: regions({ retentionDays: null }) },
    { name: 'long enough', input: regions({ retentionDays: 400 }) },
    { name: 'configured minimum respected', input: regions({ retentionDays: 120 }), ctx: { policy } },
  ],
  fail: [
    {
      name: '30 days against the default 365',
      input: regions({ retentionDays: 30 }),
      expect: [{ message: /30 day\(s\), less than the required 365/ }],
    },
    { name: 'configured minimum', input: regions({ retentionDays: 60 }), ctx: { policy }, expect: [{ message: /required 90/ }] },
  ],
});
