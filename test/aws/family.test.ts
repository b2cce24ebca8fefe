/**
 * The AWS snapshot family (#15) on the demo organisation, through the real SDK clients over the lab's wire: AMIs
 * (EC2 query), RDS DB and cluster snapshots (RDS query/XML), AWS Backup (REST-JSON), the data selectors of
 * CloudTrail and the per-event alerting matrix.
 */
import { describe, expect, it } from 'vitest';
import { scanAws } from './support.ts';

const lookupsOn = { shareLookup: { enabled: true, concurrency: 4 }, creatorLookup: true };

async function demo() {
  return scanAws('demo', { aws: lookupsOn });
}

describe('the AWS snapshot family', () => {
  it('inventories AMIs with launch permissions as the authority, their EBS snapshots linked and their creator', async () => {
    const { scope } = await demo();
    const prod = scope('222222222222');
    const ami = prod.snapshots.find((s) => s.id === 'ami-0b1b2c3d4e5f60001');
    expect(ami).toMatchObject({
      kind: 'image',
      region: 'us-east-1',
      sharing: { public: 'yes', sharesKnown: true },
      backedBy: ['snap-0b1b2c3d4e5f60004'],
      source: { kind: 'instance', id: 'i-0b1b2c3d4e5f60001' },
      creator: { identity: 'arn:aws:iam::222222222222:user/bob' },
      encryption: { status: 'customer-key' },
    });
    expect(ami?.facts).toContainEqual({
      fact: 'public',
      source: 'ec2:DescribeImageAttribute launchPermission',
      value: 'Group=all',
      authoritative: true,
    });
    // The attribute was read, so the ExecutableUsers=all listing (a hint it would overrule) was not; the listing's own
    // Public field stays the hint beside it.
    expect(ami?.facts.filter((f) => f.fact === 'public').map((f) => f.source)).toEqual([
      'ec2:DescribeImageAttribute launchPermission',
      'ec2:DescribeImages Public',
    ]);
    expect(prod.guards).toContainEqual({
      region: 'us-east-1',
      kind: 'image-block-public-access',
      state: 'unblocked',
      blocksPublicSharing: 'no',
    });
  });

  it('inventories RDS and Aurora snapshots: the restore attribute decides sharing, automated ones are the service’s', async () => {
    const { scope } = await demo();
    const prod = scope('222222222222');
    const by = (id: string) => prod.snapshots.find((s) => s.id === id);
    expect(by('payments-manual-2026-11')).toMatchObject({
      kind: 'db-snapshot',
      sharing: { public: 'yes', sharedWith: [] },
      encryption: { status: 'unencrypted' },
      source: { kind: 'db-instance', id: 'payments-db' },
      creator: { identity: 'arn:aws:sts::222222222222:assumed-role/power-user/mallory@example.com' },
    });
    expect(by('orders-vendor-share')?.sharing.sharedWith).toEqual([{ id: '999999999999', kind: 'account', inOrganization: 'no' }]);
    expect(by('orders-vendor-share')?.encryption.status).toBe('provider-key');
    expect(by('rds:orders-db-2026-11-25-03-00')).toMatchObject({
      sharing: { public: 'no', sharesKnown: true },
      automation: { by: 'rds-automated', basis: 'SnapshotType=automated' },
    });
    expect(by('reporting-final')).toMatchObject({
      kind: 'db-cluster-snapshot',
      sharing: { public: 'no', sharedWith: [{ id: '333333333333', kind: 'account', inOrganization: 'yes' }] },
      source: { kind: 'db-cluster', id: 'reporting-aurora' },
    });
  });

  it('lists DB snapshots other accounts share in (IncludeShared) as their own kind with the owner account, never judged here', async () => {
    const { scope, lab } = await demo();
    const arn = 'arn:aws:rds:us-east-1:222222222222:cluster-snapshot:reporting-final';
    const item = scope('333333333333').snapshots.find((s) => s.resourceId === arn);
    expect(item).toMatchObject({
      kind: 'db-cluster-snapshot-shared-in',
      owner: { value: '222222222222', source: 'owner-account', detail: 'rds:DescribeDBClusterSnapshots DBClusterSnapshotArn' },
      sharing: { sharesKnown: false, notes: [expect.stringMatching(/^shared in by account 222222222222 \(in the organisation\)/)] },
    });
    // No finding is about it (its age, key and sharing are the owner's), and its attribute is not read from here.
    expect(scope('333333333333').findings.some((f) => f.resource?.id === arn)).toBe(false);
    const reads = lab.log.entries.filter((e) => e.operation === 'DescribeDBClusterSnapshotAttributes').map((e) => e.scope);
    expect(reads).not.toContain('333333333333');
  });

  it('reads AWS Backup vaults: an access policy open to another account and a copy there, automation by the plan’s role', async () => {
    const { scope } = await demo();
    const rp = scope('222222222222').snapshots.find((s) => s.kind === 'backup-recovery-point');
    expect(rp).toMatchObject({
      region: 'eu-west-1',
      sharing: { public: 'no', sharedWith: [{ id: '999999999999', kind: 'account', inOrganization: 'no' }] },
      source: { kind: 'resource', id: 'arn:aws:elasticfilesystem:eu-west-1:222222222222:file-system/fs-0b1b2c3d' },
      automation: {
        by: 'aws-backup',
        basis:
          'backup plan 8a7b6c5d-1111-2222-3333-444455556666 run by arn:aws:iam::222222222222:role/service-role/AWSBackupDefaultServiceRole',
      },
    });
    // ListRecoveryPointsByBackupVault names the key (EncryptionKeyArn); the region's aliases say it is AWS Backup's own
    // managed key (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RecoveryPointByBackupVault.html).
    expect(rp?.encryption).toMatchObject({
      status: 'provider-key',
      keyId: expect.stringMatching(/^arn:aws:kms:eu-west-1:222222222222:key\//),
    });
    expect(rp?.facts.filter((f) => f.fact === 'encryption').map((f) => [f.source, f.value.split('=')[0]])).toEqual([
      ['backup:ListRecoveryPointsByBackupVault IsEncrypted/EncryptionKeyArn', 'EncryptionKeyArn'],
      ['kms:ListAliases', 'aliases alias/aws/backup'],
    ]);
    expect(rp?.sharing.notes).toEqual(
      expect.arrayContaining([
        'in backup vault prod-vault (no vault lock)',
        'vault policy lets arn:aws:iam::999999999999:root backup:CopyIntoBackupVault and backup:CopyFromBackupVault',
        'copied to arn:aws:backup:eu-west-1:999999999999:backup-vault:vendor-vault',
      ]),
    );
  });

  it('every kind is checked: findings name the kind of their resource', async () => {
    const { result } = await demo();
    const findings = result.scopes.flatMap((s) => s.findings);
    const kinds = (checkId: string) =>
      findings.filter((f) => f.checkId === checkId).map((f) => `${f.resource?.kind}:${f.resource?.id.split(/[/:]/).pop()}`);
    expect(kinds('snapshots.public')).toEqual(
      expect.arrayContaining(['image:ami-0b1b2c3d4e5f60001', 'db-snapshot:payments-manual-2026-11']),
    );
    expect(kinds('snapshots.shared-outside-org')).toEqual(
      expect.arrayContaining(['db-snapshot:orders-vendor-share', expect.stringMatching(/^backup-recovery-point:/)]),
    );
    expect(findings.find((f) => f.checkId === 'snapshots.public' && f.resource?.kind === 'image')?.message).toMatch(
      /^Image payments-golden-2026-11 in us-east-1 is public \(ec2:DescribeImageAttribute launchPermission: Group=all\)/,
    );
    expect(findings.filter((f) => f.checkId === 'snapshots.block-public-access-off').map((f) => f.message)).toContain(
      'Image block public access is unblocked in us-east-1: anyone with ec2:ModifyImageAttribute can make an AMI public.',
    );
  });

  it('reports per region whether EBS direct block reads are recorded, apart from management events', async () => {
    const { scope } = await demo();
    const regions = scope('111111111111').logging.regions.map((r) => [r.region, r.recorded, r.blockReadsRecorded]);
    // eu-west-1's trail is configured but not flowing (S3 delivery fails): not recorded, and no block reads either.
    expect(regions).toEqual([
      ['eu-west-1', 'no', 'no'],
      ['us-east-1', 'yes', 'yes'],
    ]);
  });

  it('shows which events of the family are alerted per region, not one yes/no, in the shape every provider uses', async () => {
    const { scope } = await demo();
    const us = scope('111111111111').logging.regions.find((r) => r.region === 'us-east-1');
    const op = (name: string) => us?.operations?.find((e) => e.operation === name);
    expect(op('CreateSnapshot')).toMatchObject({ effect: 'create', recorded: 'yes', alerted: 'exact' });
    expect(op('CreateSnapshot')?.source).toMatch(/^arn:aws:events:us-east-1:111111111111:rule\//);
    expect(op('CopySnapshot')?.alerted).toBe('exact');
    expect(op('CreateDBSnapshot')).toMatchObject({ effect: 'create', alerted: 'none', alertIds: [], source: 'events:ListRules' });
    expect(op('PutBackupVaultAccessPolicy')).toMatchObject({ effect: 'share', alerted: 'none' });
    expect(op('StartExportTask')?.effect).toBe('export');
    const eu = scope('111111111111').logging.regions.find((r) => r.region === 'eu-west-1');
    // ec2-everything matches every aws.ec2 call: broad for EC2 events, nothing for RDS.
    expect(eu?.operations?.find((e) => e.operation === 'CreateImage')?.alerted).toBe('broad');
    expect(eu?.operations?.find((e) => e.operation === 'CopyDBSnapshot')?.alerted).toBe('none');
  });

  it('judges alerting of every operation and the recording of block reads, in findings', async () => {
    const { scope } = await demo();
    const findings = scope('111111111111').findings;
    const notAlerted = findings.filter((f) => f.messageId === 'operationsNotAlerted');
    // us-east-1 alerts on EBS snapshot creation only: sharing an AMI or an RDS snapshot goes unseen (high).
    const share = notAlerted.find((f) => f.resource?.id === 'operations-share-not-alerted');
    expect(share?.severity).toBe('high');
    const ops = (share?.evidence as { operations?: Array<{ operation: string; regions: string[] }> } | undefined)?.operations ?? [];
    expect(ops.map((o) => o.operation)).toEqual(expect.arrayContaining(['ModifyImageAttribute', 'ModifyDBSnapshotAttribute']));
    expect(ops.find((o) => o.operation === 'ModifyDBSnapshotAttribute')?.regions).toContain('us-east-1');
    expect(notAlerted.find((f) => f.resource?.id === 'operations-export-not-alerted')?.severity).toBe('high');
    // eu-west-1 does not record EBS direct API reads, and holds EBS snapshots.
    const reads = findings.find((f) => f.checkId === 'logging.snapshot-reads-recorded');
    expect(reads).toMatchObject({ severity: 'medium', evidence: { regions: ['eu-west-1'] } });
    expect(reads?.message).toMatch(/^No trail records reads of snapshot contents \(EBS direct API data events\) in eu-west-1 of /);
  });

  it('reads attributes only where they can say something', async () => {
    const { scope, lab } = await demo();
    const ops = lab.log.entries.map((e) => `${e.service}:${e.operation}`);
    // Automated RDS snapshots cannot be shared: their attribute is never read.
    const attrReads = lab.log.entries.filter((e) => e.operation === 'DescribeDBSnapshotAttributes').length;
    expect(attrReads).toBe(2);
    expect(ops.filter((o) => o === 'backup:GetBackupVaultAccessPolicy')).toHaveLength(1);
    expect(scope('222222222222').snapshots.filter((s) => s.kind === 'db-snapshot')).toHaveLength(3);
  });
});
