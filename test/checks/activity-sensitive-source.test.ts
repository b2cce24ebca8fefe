import check from '../../checks/activity-sensitive-source.ts';
import { expect, it } from 'vitest';
import { runCheckCases, runContext } from '../support/check-tester.ts';
import { makeActivity, makeScopeInput, makeSnapshot } from '../support/factories.ts';

const snapshot = makeSnapshot({
  id: 'snap-0123456789abcdef0',
  source: { kind: 'volume', id: 'vol-0123456789abcdef0', tags: { data: 'pci' } },
});
const input = (activity = [makeActivity()]) => makeScopeInput({ snapshots: [snapshot], activity });

runCheckCases(check, {
  pass: [
    { name: 'no sensitive tags configured', input: input() },
    { name: 'the source is not tagged sensitive', input: input(), options: { tags: ['data=phi'] } },
    {
      name: 'recognised automation',
      input: input([
        makeActivity({ identity: { automation: { by: 'aws-backup', basis: 'userIdentity.invokedBy backup.amazonaws.com' } } }),
      ]),
      options: { tags: ['data=pci'] },
    },
    {
      name: 'a denied attempt copied nothing',
      input: input([makeActivity({ outcome: 'failure', errorCode: 'AccessDenied' })]),
      options: { tags: ['data=pci'] },
    },
  ],
  fail: [
    {
      name: 'a snapshot of a volume tagged sensitive',
      input: input(),
      options: { tags: ['data=pci'] },
      expect: [
        { messageId: 'sensitive', evidence: { count: 1, sensitive: [{ resource: 'volume:vol-0123456789abcdef0', tags: ['data=pci'] }] } },
      ],
    },
    {
      name: 'a copy of a snapshot the inventory knows as sensitive',
      input: input([
        makeActivity({
          operation: 'CopySnapshot',
          effect: 'copy',
          resource: { kind: 'disk-snapshot', id: 'snap-0fedcba9876543210' },
          sourceResource: { kind: 'disk-snapshot', id: 'snap-0123456789abcdef0' },
        }),
      ]),
      options: { tags: ['data'] },
      expect: [
        { messageId: 'sensitive', evidence: { sensitive: [{ resource: 'disk-snapshot:snap-0123456789abcdef0', tags: ['data=pci'] }] } },
      ],
    },
  ],
});

it('names an Azure or GCP resource in the message by its name, the whole id in the evidence', () => {
  const arm = '/subscriptions/6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c01/resourceGroups/rg-db/providers/Microsoft.Compute/snapshots/snap-db';
  const azure = makeScopeInput({
    snapshots: [makeSnapshot({ id: arm, source: { kind: 'disk', id: 'disk-db', tags: { data: 'pci' } } })],
    activity: [makeActivity({ resource: { kind: 'disk-snapshot', id: arm }, sourceResource: null })],
  });
  const [f] = check.evaluateScope(azure, { ...runContext(), options: { tags: ['data'] } });
  expect(f!.message).toContain('(disk-snapshot:snap-db)');
  expect(f!.message).not.toContain('6a1f3c52');
  expect(f!.evidence).toMatchObject({ sensitive: [{ resource: `disk-snapshot:${arm}` }] });
});
