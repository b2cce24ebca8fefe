import check from '../../checks/snapshots-unapproved-creator.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

const baseline = { ...defaultConfig().baseline, identities: ['arn:aws:iam::*:role/backup-*'] };
const withTag = { changeRecordTagKey: 'change' };
const made = (identity: string, tags: Record<string, string> = {}) =>
  makeScopeInput({ snapshots: [makeSnapshot({ creator: { identity, source: 'audit-event', at: null }, tags })] });

runCheckCases(check, {
  pass: [
    { name: 'creator unknown, no tag required', input: makeScopeInput({ snapshots: [makeSnapshot()] }) },
    { name: 'approved identity', input: made('arn:aws:iam::111111111111:role/backup-nightly'), ctx: { baseline } },
    {
      name: 'approved automation is never flagged',
      input: makeScopeInput({
        snapshots: [makeSnapshot({ automation: { by: 'aws-backup', basis: 'userIdentity.invokedBy backup.amazonaws.com' } })],
      }),
      ctx: { baseline },
      options: withTag,
    },
    {
      name: 'automation approved by what identified it (a vault named in the baseline)',
      input: makeScopeInput({
        snapshots: [
          makeSnapshot({
            creator: { identity: 'vault-msi', source: 'audit-event', at: null },
            automation: {
              by: 'azure-backup',
              basis: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v1',
            },
          }),
        ],
      }),
      ctx: { baseline: { ...baseline, automation: ['*/backupVaults/v1'] } },
      options: withTag,
    },
    {
      name: 'change tag present',
      input: made('arn:aws:iam::111111111111:role/backup-x', { change: 'CHG-1' }),
      ctx: { baseline },
      options: withTag,
    },
  ],
  fail: [
    {
      name: 'person outside baseline',
      input: made('arn:aws:iam::111111111111:user/mallory'),
      ctx: { baseline },
      expect: [
        {
          messageId: 'unapprovedCreator',
          evidence: {
            snapshot: 'snap',
            region: 'us-east-1',
            creator: { identity: 'arn:aws:iam::111111111111:user/mallory', source: 'audit-event' },
            changeRecordTagKey: null,
          },
        },
      ],
    },
    {
      name: 'AWS tag keys are case-sensitive: a Change tag is not the change tag',
      input: made('arn:aws:iam::111111111111:role/backup-x', { Change: 'CHG-1' }),
      ctx: { baseline },
      options: withTag,
      expect: [{ messageId: 'noChangeRecord', evidence: { changeRecordTagKey: 'change', tags: { Change: 'CHG-1' } } }],
    },
    {
      name: 'creator unknown: approval unknown, only the missing tag is reported',
      input: makeScopeInput({ snapshots: [makeSnapshot({ tags: { owner: 'x' } })] }),
      options: withTag,
      expect: [{ messageId: 'noChangeRecord', evidence: { creator: null, tags: { owner: 'x' } } }],
    },
    {
      name: 'missing change record',
      input: made('arn:aws:iam::111111111111:role/backup-x'),
      ctx: { baseline },
      options: withTag,
      expect: [{ messageId: 'noChangeRecord', evidence: { changeRecordTagKey: 'change', tags: {} } }],
    },
    {
      name: 'person outside baseline without a change record',
      input: made('arn:aws:iam::111111111111:user/mallory'),
      ctx: { baseline },
      options: withTag,
      expect: [
        {
          messageId: 'unapprovedCreatorNoChangeRecord',
          evidence: { creator: { identity: 'arn:aws:iam::111111111111:user/mallory' }, changeRecordTagKey: 'change' },
        },
      ],
    },
  ],
});
