import check from '../../checks/logging-snapshot-events-recorded.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeRegionLogging, makeScopeInput } from '../support/factories.ts';

runCheckCases(check, {
  pass: [
    { name: 'every region recorded', input: makeScopeInput() },
    {
      name: 'one region recorded is enough for this check (the other is all-regions-covered)',
      input: makeScopeInput({
        logging: { sources: [], alerts: [], regions: [makeRegionLogging(), makeRegionLogging({ region: 'eu-west-1', recorded: 'no' })] },
      }),
    },
    {
      name: 'unknown is not "off" (coverage reports it)',
      input: makeScopeInput({ logging: { sources: [], alerts: [], regions: [makeRegionLogging({ recorded: 'unknown' })] } }),
    },
    { name: 'nothing collected', input: makeScopeInput({ logging: { sources: [], alerts: [], regions: [] } }) },
  ],
  fail: [
    {
      name: 'no region recorded',
      input: makeScopeInput({
        logging: {
          sources: [],
          alerts: [],
          regions: [
            makeRegionLogging({ recorded: 'no', reasons: ['no audit source covers this region'] }),
            makeRegionLogging({ region: 'eu-west-1', recorded: 'no' }),
          ],
        },
      }),
      expect: [
        {
          severity: 'high',
          region: null,
          messageId: 'notRecorded',
          evidence: {
            scope: 'test-account',
            regions: ['us-east-1', 'eu-west-1'],
            reasons: ['no audit source covers this region'],
            sources: [],
          },
        },
      ],
    },
  ],
});
