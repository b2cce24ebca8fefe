import check from '../../checks/snapshots-public.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

runCheckCases(check, {
  pass: [
    { name: 'private', input: makeScopeInput({ snapshots: [makeSnapshot()] }) },
    { name: 'unknown is not public', input: makeScopeInput({ snapshots: [makeSnapshot({ sharing: { public: 'unknown' } })] }) },
  ],
  fail: [
    {
      name: 'public',
      input: makeScopeInput({ snapshots: [makeSnapshot({ sharing: { public: 'yes' }, owner: { value: 'dba' } })] }),
      expect: [
        {
          severity: 'critical',
          region: 'us-east-1',
          owner: 'dba',
          resourceId: 'arn:aws:ec2:us-east-1::snapshot/snap-00000001',
          messageId: 'public',
          evidence: { snapshot: 'snap', region: 'us-east-1', sizeGiB: 8, encryption: 'customer-key', notes: [] },
        },
      ],
    },
    {
      name: 'public, with how the provider read it',
      input: makeScopeInput({ snapshots: [makeSnapshot({ sharing: { public: 'yes', notes: ['createVolumePermission group all'] } })] }),
      expect: [{ messageId: 'public', evidence: { notes: ['createVolumePermission group all'] } }],
    },
  ],
});
