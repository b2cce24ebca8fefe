import check from '../../checks/logging-all-regions-covered.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeRegionLogging, makeScopeInput } from '../support/factories.ts';

const regions = (...r: Array<Parameters<typeof makeRegionLogging>[0]>) =>
  makeScopeInput({ logging: { sources: [], alerts: [], regions: r.map(makeRegionLogging) } });

runCheckCases(check, {
  pass: [
    { name: 'all regions recorded', input: regions({ region: 'us-east-1' }, { region: 'eu-west-1' }) },
    { name: 'nothing recorded anywhere is the other check', input: regions({ recorded: 'no' }, { region: 'eu-west-1', recorded: 'no' }) },
    {
      name: 'an unreadable region is not reported as unlogged',
      input: regions({ region: 'us-east-1' }, { region: 'eu-west-1', recorded: 'unknown' }),
    },
  ],
  fail: [
    {
      name: 'single-region trail leaves other regions uncovered',
      input: regions(
        { region: 'us-east-1' },
        { region: 'eu-west-1', recorded: 'no', reasons: ['trail t is single-region (us-east-1)'], sourceIds: [] },
        { region: 'eu-central-1', recorded: 'no' },
      ),
      expect: [
        {
          region: 'eu-west-1',
          messageId: 'regionNotRecorded',
          evidence: { region: 'eu-west-1', reasons: ['trail t is single-region (us-east-1)'], sources: [] },
        },
        { region: 'eu-central-1', messageId: 'regionNotRecorded', evidence: { region: 'eu-central-1', reasons: [] } },
      ],
    },
  ],
});
