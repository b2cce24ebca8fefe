import check from '../../checks/logging-snapshot-reads-recorded.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeRegionLogging, makeScopeInput, makeSnapshot } from '../support/factories.ts';

const regions = (...r: Array<Parameters<typeof makeRegionLogging>[0]>) =>
  makeScopeInput({ logging: { sources: [], alerts: [], regions: r.map(makeRegionLogging) } });

// The EBS direct APIs are CloudTrail data events, recorded only with a data selector on AWS::EC2::Snapshot
// (https://docs.aws.amazon.com/ebs/latest/userguide/logging-ebs-apis-using-cloudtrail.html).
runCheckCases(check, {
  pass: [
    { name: 'block reads recorded', input: regions({ blockReadsRecorded: 'yes' }) },
    { name: 'could not be read: a coverage gap, not a finding', input: regions({ blockReadsRecorded: 'unknown' }) },
    { name: 'a provider without the split (Azure, GCP)', input: regions({ region: 'global' }) },
  ],
  fail: [
    {
      name: 'not recorded where no snapshot lives: low',
      input: regions({ blockReadsRecorded: 'no' }, { region: 'eu-west-1', blockReadsRecorded: 'yes' }),
      expect: [
        {
          severity: 'low',
          resourceId: 'snapshot-block-reads',
          messageId: 'notRecorded',
          evidence: { scope: 'test-account', regions: ['us-east-1'], regionsWithSnapshots: [] },
        },
      ],
    },
    {
      name: 'not recorded where snapshots are held: medium, naming those regions',
      input: {
        ...regions({ blockReadsRecorded: 'no' }, { region: 'eu-west-1', blockReadsRecorded: 'no' }),
        snapshots: [makeSnapshot({ region: 'eu-west-1' }), makeSnapshot({ id: 'ami-1', kind: 'image', region: 'us-east-1' })],
      },
      expect: [
        {
          severity: 'medium',
          messageId: 'notRecorded',
          evidence: { regions: ['us-east-1', 'eu-west-1'], regionsWithSnapshots: ['eu-west-1'] },
        },
      ],
    },
  ],
});
