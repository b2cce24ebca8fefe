/** Is a trail's bucket central? DescribeTrails does not say the bucket's account: the config and the name decide. */
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../src/core/glob.ts';
import { bucketPlacement } from '../../providers/aws/normalise/trails.ts';

const OWNER = '111111111111';
const org = new Set([OWNER, '222222222222', '444444444444']);

const cases: Array<[string, { bucket: string; org?: boolean; buckets?: string[]; archives?: string[] }, string, string | null]> = [
  ['an organisation trail is central', { bucket: 'org-logs', org: true }, 'yes', null],
  ['a bucket listed in centralBuckets (glob)', { bucket: 'audit-logs-prod', buckets: ['audit-logs-*'] }, 'yes', null],
  ['a bucket named after a log-archive account', { bucket: 'cloudtrail-999000111222', archives: ['999000111222'] }, 'yes', '999000111222'],
  [
    'a bucket named after another account of the organisation',
    { bucket: 'aws-controltower-logs-444444444444-us-east-1' },
    'yes',
    '444444444444',
  ],
  ['a bucket named after an account outside the organisation is not evidence', { bucket: 'logs-555555555555' }, 'no', OWNER],
  ['a bucket named after its own account', { bucket: 'trail-111111111111' }, 'no', OWNER],
  ['no evidence: taken to be in its own account', { bucket: 'my-trail-bucket' }, 'no', OWNER],
];

describe('trail bucket placement', () => {
  it.each(cases)('%s', (_name, c, central, scopeId) => {
    const p = bucketPlacement(
      { Name: 't', S3BucketName: c.bucket, IsOrganizationTrail: c.org ?? false },
      OWNER,
      { buckets: c.buckets ?? [], logArchiveAccounts: c.archives ?? [], orgAccounts: org },
      globMatch,
    );
    expect(p.central).toBe(central);
    expect(p.scopeId).toBe(scopeId);
    if (central === 'no') expect(p.reason).toMatch(/own account/);
  });

  it('tells how to declare central buckets when it had to assume', () => {
    const p = bucketPlacement(
      { Name: 't', S3BucketName: 'b' },
      OWNER,
      { buckets: [], logArchiveAccounts: [], orgAccounts: null },
      globMatch,
    );
    expect(p.reason).toMatch(/providers\.aws\.centralBuckets/);
  });
});
