import check from '../../checks/snapshots-unapproved-creator.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { runCheckCases } from '../support/check-tester.ts';
import { makeScopeInput, makeSnapshot } from '../support/factories.ts';

const baseline = { ...defaultConfig().baseline, identities: ['arn:aws:iam::*:role/backup-*'] };
const withTag = { ...baseline, changeRecordTagKey: 'change' };
const made = (identity: string, tags: Record<string, string> = {}) =>
  makeScopeInput({ snapshots: [makeSnapshot({ creator: { identity, source: 'audit-event', at: null }, tags })] });

runCheckCases(check, {
  pass: [
    { name: 'creator unknown, no tag required', input: makeScopeInput({ snapshots: [makeSnapshot()] }) },
    { name: 'approved identity', input: made('arn:aws:iam::111111111111:role/backup-nightly'), ctx: { baseline } },
    {
      name: 'approved automation is never flagged',
      input: makeScopeInput({ snapshots: [makeSnapshot({ automation: { approved: true, by: 'aws-backup' } })] }),
      ctx: { baseline: withTag },
    },
    {
      name: 'change tag present (case-insensitive key)',
      input: made('arn:aws:iam::111111111111:role/backup-x', { Change: 'CHG-1' }),
      ctx: { baseline: withTag },
    },
  ],
  fail: [
    {
      name: 'person outside baseline',
      input: made('arn:aws:iam::111111111111:user/mallory'),
      ctx: { baseline },
      expect: [{ message: /user\/mallory, who is not in the baseline/ }],
    },
    {
      name: 'missing change record',
      input: made('arn:aws:iam::111111111111:role/backup-x'),
      ctx: { baseline: withTag },
      expect: [{ message: /no change change-record tag/ }],
    },
  ],
});
