import check from '../../checks/snapshots-block-public-access-off.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeGuard, makeScope, makeScopeInput } from '../support/factories.ts';

runCheckCases(check, {
  pass: [
    { name: 'blocked', input: makeScopeInput({ guards: [makeGuard()] }) },
    { name: 'unknown', input: makeScopeInput({ guards: [makeGuard({ state: 'unknown', blocksPublicSharing: 'unknown' })] }) },
    {
      name: 'not an AWS scope',
      input: makeScopeInput({ scope: makeScope({ provider: 'gcp', kind: 'project' }), guards: [makeGuard({ blocksPublicSharing: 'no' })] }),
    },
  ],
  fail: [
    {
      name: 'unblocked',
      input: makeScopeInput({ guards: [makeGuard({ region: 'eu-west-1', state: 'unblocked', blocksPublicSharing: 'no' })] }),
      expect: [{ region: 'eu-west-1', messageId: 'notBlocking', evidence: { region: 'eu-west-1', state: 'unblocked' } }],
    },
    {
      name: 'image block public access unblocked (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html)',
      input: makeScopeInput({
        guards: [
          makeGuard({ region: 'us-east-1' }),
          makeGuard({ region: 'us-east-1', kind: 'image-block-public-access', state: 'unblocked', blocksPublicSharing: 'no' }),
        ],
      }),
      expect: [{ region: 'us-east-1', messageId: 'imageNotBlocking', evidence: { region: 'us-east-1', state: 'unblocked' } }],
    },
  ],
});
