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
      input: makeScopeInput({ snapshots: [makeSnapshot({ automation: { approved: true, by: 'aws-backup' } })] }),
      ctx: { baseline },
      options: withTag,
    },
    {
      name: 'change tag present (case-insensitive key)',
      input: made('arn:aws:iam::111111111111:role/backup-x', { Change: 'CHG-1' }),
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
      name: 'missing change record',
      input: made('arn:aws:iam::111111111111:role/backup-x'),
      ctx: { baseline },
      options: withTag,
      expect: [{ messageId: 'noChangeRecord', evidence: { changeRecordTagKey: 'change', tags: {} } }],
    },
    {
      name: 'creator unknown and no change record',
      input: makeScopeInput({ snapshots: [makeSnapshot({ tags: { owner: 'x' } })] }),
      options: withTag,
      expect: [{ messageId: 'noChangeRecord', evidence: { creator: null, tags: { owner: 'x' } } }],
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
