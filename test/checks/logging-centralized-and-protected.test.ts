import check from '../../checks/logging-centralized-and-protected.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeRegionLogging, makeScopeInput, makeSource } from '../support/factories.ts';

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
      input: makeScopeInput({
        logging: {
          sources: [makeSource({ reasons: ['bucket trail-logs is in this account'] })],
          alerts: [],
          regions: [makeRegionLogging({ central: 'no' })],
        },
      }),
      expect: [
        {
          messageId: 'notCentralOrProtected',
          evidence: {
            scope: 'test-account',
            notCentral: ['us-east-1'],
            notProtected: [],
            reasons: ['bucket trail-logs is in this account'],
          },
        },
      ],
    },
    {
      name: 'no validation or encryption',
      input: regions({ protected: 'no' }, { region: 'eu-west-1', protected: 'no' }),
      expect: [{ messageId: 'notCentralOrProtected', evidence: { notCentral: [], notProtected: ['us-east-1', 'eu-west-1'] } }],
    },
    {
      name: 'neither central nor protected',
      input: regions({ central: 'no', protected: 'no' }),
      expect: [{ messageId: 'notCentralOrProtected', evidence: { notCentral: ['us-east-1'], notProtected: ['us-east-1'] } }],
    },
  ],
});
