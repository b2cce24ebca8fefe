/**
 * The demo organisation scanned end to end in organization mode through the real SDK clients: the exact coverage
 * matrix, snapshot classification, what the evaluator is handed, the cost in API calls and the read-only proof.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateAccount } from '../../providers/aws/evaluator.ts';
import type { AccountAuthorizationInput } from '../../providers/aws/collect/principals.ts';
import { allFindings } from '../../src/core/model/order.ts';
import { assertValidResult, readOnlyOperation } from '../support/lab.ts';
import { type AwsScan, nonReadOperations, scanAws } from './support.ts';

let scan: AwsScan;
const inputs = new Map<string, AccountAuthorizationInput>();

beforeAll(async () => {
  scan = await scanAws('demo', {
    evaluate: (input) => {
      inputs.set(input.accountId, input);
      return evaluateAccount(input);
    },
  });
});

describe('demo organisation: discovery', () => {
  it('finds every account with its OU path and marks the management account', () => {
    assertValidResult(scan.result);
    expect(scan.result.discovery).toEqual([
      { provider: 'aws', root: 'o-snapdemo01', status: 'complete', scopesFound: 4, scopesSelected: 4, gaps: [] },
    ]);
    const scopes = scan.result.scopes.map((s) => ({
      id: s.scope.id,
      name: s.scope.name,
      path: s.scope.parents.map((p) => p.name ?? p.id).join('/'),
      management: s.scope.management,
      regions: s.scope.regions.join(','),
      status: s.coverage.status,
    }));
    expect(scopes).toEqual([
      {
        id: '111111111111',
        name: 'management',
        path: 'o-snapdemo01/Root',
        management: true,
        regions: 'eu-west-1,us-east-1',
        status: 'complete',
      },
      {
        id: '222222222222',
        name: 'production',
        path: 'o-snapdemo01/Root/Workloads/Production',
        management: false,
        regions: 'eu-central-1,eu-west-1,us-east-1',
        status: 'complete',
      },
      {
        id: '333333333333',
        name: 'sandbox',
        path: 'o-snapdemo01/Root/Workloads/Sandbox',
        management: false,
        regions: 'ap-southeast-2,us-east-1',
        status: 'complete',
      },
      {
        id: '444444444444',
        name: 'log-archive',
        path: 'o-snapdemo01/Root/Security',
        management: false,
        regions: 'us-east-1',
        status: 'complete',
      },
    ]);
    expect(scan.scope('444444444444').scope.regionsNotEnabled).toContain('eu-west-1');
  });
});

describe('demo organisation: logging', () => {
  it('gives the exact coverage matrix (account × region: recorded / central / protected / alerted)', () => {
    const matrix = Object.fromEntries(
      scan.result.scopes.map((s) => [
        s.scope.id,
        Object.fromEntries(s.logging.regions.map((r) => [r.region, `${r.recorded}/${r.central}/${r.protected}/${r.alerted}`])),
      ]),
    );
    expect(matrix).toEqual({
      // mgmt-eu is logging but its S3 delivery fails (AccessDenied): configured but not flowing.
      '111111111111': { 'eu-west-1': 'no/unknown/unknown/broad', 'us-east-1': 'yes/yes/yes/exact' },
      '222222222222': {
        'eu-central-1': 'no/unknown/unknown/none',
        'eu-west-1': 'no/unknown/unknown/none',
        'us-east-1': 'yes/yes/yes/exact',
      },
      // ap-southeast-2 is recorded by the sandbox's own CloudTrail Lake store alone: not central, not protected.
      '333333333333': { 'ap-southeast-2': 'yes/no/no/none', 'us-east-1': 'yes/yes/yes/exact' },
      '444444444444': { 'us-east-1': 'yes/yes/yes/exact' },
    });
  });

  it('marks the organisation trail inherited by members, central, with the log group retention', () => {
    const member = scan.scope('444444444444').logging.sources;
    expect(member).toEqual([
      expect.objectContaining({
        id: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail',
        inherited: true,
        ownerScopeId: '111111111111',
        regions: ['us-east-1'],
        central: 'yes',
        integrity: 'yes',
        encrypted: 'yes',
        retentionDays: 90,
      }),
    ]);
    const own = scan.scope('111111111111').logging.sources.find((s) => s.name === 'org-trail');
    expect(own).toMatchObject({ inherited: false, ownerScopeId: null });
    expect(scan.scope('444444444444').logging.regions[0]?.retentionDays).toBe(90);
  });

  it('says why regions are not recorded: stopped trail, failing delivery', () => {
    const reasons = (id: string, region: string) =>
      scan
        .scope(id)
        .logging.regions.find((r) => r.region === region)
        ?.reasons.join(' | ') ?? '';
    expect(reasons('222222222222', 'eu-west-1')).toMatch(/prod-trail is not logging \(stopped\)/);
    expect(reasons('111111111111', 'eu-west-1')).toMatch(
      /trail mgmt-eu is configured but not flowing: S3 delivery fails with AccessDenied \(LatestDeliveryError\)/,
    );
    const sandboxTrail = scan.scope('333333333333').logging.sources.find((s) => s.name === 'sandbox-reads');
    expect(sandboxTrail?.reasons).toContain('event selector records read-only events only');
    const mgmtEu = scan.scope('111111111111').logging.sources.find((s) => s.name === 'mgmt-eu');
    expect(mgmtEu?.reasons).toContain('trail mgmt-eu is single-region (eu-west-1)');
    expect(mgmtEu?.reasons).toContain('trail mgmt-eu delivers to bucket mgmt-trail-logs-111111111111 in its own account');
  });

  it('does not count a rule in a region where no trail records: EventBridge receives nothing there', () => {
    const paused = scan.scope('222222222222').logging.alerts.find((a) => a.name === 'snapshot-alerts-paused');
    expect(paused?.reasons[0]).toBe('no trail records snapshot events in eu-west-1: EventBridge receives no CloudTrail events to match');
  });

  it('classifies alert routes: exact rule and metric filter, broad rule, disabled rule, CreateVolume-only rule', () => {
    const routes = scan.result.scopes.flatMap((s) =>
      s.logging.alerts.map((a) => `${s.scope.id} ${a.kind} ${a.name} ${a.region} ${a.enabled ? 'on' : 'off'} ${a.match}`),
    );
    expect(routes).toEqual([
      '111111111111 eventbridge-rule ec2-everything eu-west-1 on broad',
      '111111111111 eventbridge-rule snapshot-alerts us-east-1 on exact',
      '111111111111 metric-filter snapshot-creation us-east-1 on exact',
      '222222222222 eventbridge-rule volume-created eu-central-1 on none',
      '222222222222 eventbridge-rule snapshot-alerts-paused eu-west-1 off none',
      '222222222222 metric-filter snapshot-creation us-east-1 on exact',
      '333333333333 metric-filter snapshot-creation us-east-1 on exact',
      '444444444444 metric-filter snapshot-creation us-east-1 on exact',
    ]);
  });
});

describe('demo organisation: snapshots', () => {
  const backupSession = 'arn:aws:sts::111111111111:assumed-role/AWSBackupDefaultServiceRole/AWSBackup-AWSBackupDefaultServiceRole';
  const dlmSession = 'arn:aws:sts::222222222222:assumed-role/AWSDataLifecycleManagerDefaultRole/DLM-policy-0123456789abcdef0';
  it('classifies every snapshot: sharing, encryption, owner and its source, creator, automation', () => {
    const rows = scan.result.scopes.flatMap((s) =>
      s.snapshots.map((x) => ({
        id: x.id,
        account: s.scope.id,
        public: x.sharing.public,
        shared: x.sharing.sharedWith.map((w) => `${w.id}:${w.inOrganization}`).join(','),
        encryption: x.encryption.status,
        owner: `${x.owner.source}:${x.owner.value}`,
        creator: x.creator?.identity ?? null,
        source: `${x.source.kind}:${x.source.id}`,
        automation: x.automation.by,
      })),
    );
    expect(rows).toEqual([
      {
        id: 'snap-0a1b2c3d4e5f60002',
        account: '111111111111',
        public: 'yes',
        shared: '',
        encryption: 'unencrypted',
        owner: 'audit-event:arn:aws:iam::111111111111:user/org-admin',
        creator: 'arn:aws:iam::111111111111:user/org-admin',
        source: 'volume:vol-0a1b2c3d4e5f60009',
        automation: null,
      },
      {
        id: 'snap-0a1b2c3d4e5f60003',
        account: '111111111111',
        public: 'no',
        shared: '999999999999:no',
        encryption: 'provider-key',
        owner: 'audit-event:arn:aws:sts::111111111111:assumed-role/AWSBackupDefaultServiceRole/AWSBackup-AWSBackupDefaultServiceRole',
        creator: backupSession,
        source: 'snapshot:snap-0a1b2c3d4e5f6000a',
        automation: 'aws-backup',
      },
      {
        id: 'snap-0a1b2c3d4e5f60001',
        account: '111111111111',
        public: 'no',
        shared: '',
        encryption: 'customer-key',
        owner: 'tag:dba-team',
        creator: null,
        source: 'volume:vol-0a1b2c3d4e5f60001',
        automation: null,
      },
      {
        id: 'snap-0b1b2c3d4e5f60003',
        account: '222222222222',
        public: 'no',
        shared: '',
        encryption: 'customer-key',
        owner: 'unknown:null',
        creator: null,
        source: 'volume:vol-0b1b2c3d4e5f60003',
        automation: null,
      },
      {
        id: 'snap-0b1b2c3d4e5f60005',
        account: '222222222222',
        public: 'no',
        shared: '',
        encryption: 'provider-key',
        owner: 'audit-event:arn:aws:sts::222222222222:assumed-role/AWSDataLifecycleManagerDefaultRole/DLM-policy-0123456789abcdef0',
        creator: dlmSession,
        source: 'volume:vol-0b1b2c3d4e5f60003',
        automation: 'dlm',
      },
      {
        id: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        account: '222222222222',
        public: 'no',
        shared: '999999999999:no',
        // EncryptionKeyArn names AWS Backup's managed key (alias/aws/backup).
        encryption: 'provider-key',
        owner: 'audit-event:arn:aws:iam::222222222222:role/service-role/AWSBackupDefaultServiceRole',
        creator: 'arn:aws:iam::222222222222:role/service-role/AWSBackupDefaultServiceRole',
        source: 'resource:arn:aws:elasticfilesystem:eu-west-1:222222222222:file-system/fs-0b1b2c3d',
        automation: 'aws-backup',
      },
      {
        id: 'orders-vendor-share',
        account: '222222222222',
        public: 'no',
        shared: '999999999999:no',
        encryption: 'provider-key',
        owner: 'tag:orders-team',
        creator: null,
        source: 'db-instance:orders-db',
        automation: null,
      },
      {
        id: 'payments-manual-2026-11',
        account: '222222222222',
        public: 'yes',
        shared: '',
        encryption: 'unencrypted',
        owner: 'audit-event:arn:aws:sts::222222222222:assumed-role/power-user/mallory@example.com',
        creator: 'arn:aws:sts::222222222222:assumed-role/power-user/mallory@example.com',
        source: 'db-instance:payments-db',
        automation: null,
      },
      {
        id: 'rds:orders-db-2026-11-25-03-00',
        account: '222222222222',
        public: 'no',
        shared: '',
        encryption: 'provider-key',
        owner: 'unknown:null',
        creator: null,
        source: 'db-instance:orders-db',
        automation: 'rds-automated',
      },
      {
        id: 'snap-0b1b2c3d4e5f60002',
        account: '222222222222',
        public: 'no',
        shared: '',
        encryption: 'unencrypted',
        owner: 'audit-event:arn:aws:sts::222222222222:assumed-role/power-user/mallory@example.com',
        creator: 'arn:aws:sts::222222222222:assumed-role/power-user/mallory@example.com',
        source: 'volume:vol-0b1b2c3d4e5f60002',
        automation: null,
      },
      {
        id: 'ami-0b1b2c3d4e5f60001',
        account: '222222222222',
        public: 'yes',
        shared: '',
        encryption: 'customer-key',
        owner: 'tag:payments-team',
        creator: 'arn:aws:iam::222222222222:user/bob',
        source: 'instance:i-0b1b2c3d4e5f60001',
        automation: null,
      },
      {
        id: 'reporting-final',
        account: '222222222222',
        public: 'no',
        shared: '333333333333:yes',
        encryption: 'provider-key',
        owner: 'tag:analytics-team',
        creator: null,
        source: 'db-cluster:reporting-aurora',
        automation: null,
      },
      {
        id: 'snap-0b1b2c3d4e5f60001',
        account: '222222222222',
        public: 'no',
        shared: '333333333333:yes',
        encryption: 'provider-key',
        owner: 'source-tag:payments-team',
        creator: null,
        source: 'volume:vol-0b1b2c3d4e5f60001',
        automation: null,
      },
      {
        id: 'snap-0b1b2c3d4e5f60004',
        account: '222222222222',
        public: 'no',
        shared: '',
        encryption: 'customer-key',
        owner: 'audit-event:arn:aws:iam::222222222222:user/bob',
        creator: 'arn:aws:iam::222222222222:user/bob',
        source: 'volume:vol-0b1b2c3d4e5f60004',
        automation: null,
      },
      {
        id: 'snap-0b1b2c3d4e5f60006',
        account: '222222222222',
        public: 'no',
        shared: '',
        encryption: 'customer-key',
        owner: 'audit-event:arn:aws:sts::222222222222:assumed-role/AWSBackupDefaultServiceRole/mallory@example.com',
        creator: 'arn:aws:sts::222222222222:assumed-role/AWSBackupDefaultServiceRole/mallory@example.com',
        source: 'volume:vol-0b1b2c3d4e5f60001',
        automation: null,
      },
      {
        id: 'snap-0c1b2c3d4e5f60001',
        account: '333333333333',
        public: 'no',
        shared: '999988887777:no',
        encryption: 'unencrypted',
        owner: 'audit-event:arn:aws:iam::333333333333:root',
        creator: 'arn:aws:iam::333333333333:root',
        source: 'snapshot:snap-0b1b2c3d4e5f60002',
        automation: null,
      },
      {
        // Shared in by 222222222222 (its reporting-final cluster snapshot): listed with its owner, not judged here.
        id: 'arn:aws:rds:us-east-1:222222222222:cluster-snapshot:reporting-final',
        account: '333333333333',
        public: 'unknown',
        shared: '333333333333:yes',
        encryption: 'customer-key',
        owner: 'owner-account:222222222222',
        creator: null,
        source: 'db-cluster:reporting-aurora',
        automation: null,
      },
      {
        id: 'snap-0c1b2c3d4e5f60002',
        account: '333333333333',
        public: 'no',
        shared: '',
        encryption: 'provider-key',
        owner: 'unknown:null',
        creator: null,
        source: 'volume:vol-0c1b2c3d4e5f60002',
        automation: null,
      },
    ]);
    expect(scan.scope('222222222222').snapshots.find((s) => s.id === 'snap-0b1b2c3d4e5f60001')?.source.tags).toMatchObject({
      classification: 'secret',
    });
  });

  it('names the read behind each verdict, quoting what it returned', () => {
    const snap = (account: string, id: string) => scan.scope(account).snapshots.find((s) => s.id === id);
    const facts = (account: string, id: string, fact: string) =>
      (snap(account, id)?.facts ?? []).filter((f) => f.fact === fact).map((f) => `${f.authoritative ? '!' : '?'} ${f.source}: ${f.value}`);
    // eu-west-1 has the organisation's IAM Access Analyzer: its finding is read too, a hint beside the attribute.
    expect(facts('111111111111', 'snap-0a1b2c3d4e5f60002', 'public')).toEqual([
      '! ec2:DescribeSnapshotAttribute createVolumePermission: Group=all',
      '? access-analyzer:ListFindings organisation analyzer: ACTIVE isPublic=true',
    ]);
    expect(snap('111111111111', 'snap-0a1b2c3d4e5f60002')?.sharing.notes).toEqual([
      'ec2:DescribeSnapshotAttribute createVolumePermission: Group=all',
    ]);
    // KmsKeyId is a key ARN; ListAliases says it is the AWS managed key of EBS.
    const key = snap('222222222222', 'snap-0b1b2c3d4e5f60001');
    expect(key?.encryption.keyId).toMatch(/^arn:aws:kms:us-east-1:222222222222:key\/[0-9a-f-]{36}$/);
    expect(facts('222222222222', 'snap-0b1b2c3d4e5f60001', 'encryption')).toEqual([
      `! ec2:DescribeSnapshots Encrypted/KmsKeyId: KmsKeyId=${key?.encryption.keyId}`,
      '! kms:ListAliases: aliases alias/aws/ebs',
    ]);
    // Automation comes from the identity that acted; a tag alone decides nothing.
    expect(snap('222222222222', 'snap-0b1b2c3d4e5f60005')?.automation).toEqual({
      by: 'dlm',
      basis: 'userIdentity.invokedBy dlm.amazonaws.com',
    });
    expect(facts('222222222222', 'snap-0b1b2c3d4e5f60003', 'automation')).toEqual([
      '? ec2:DescribeSnapshots Tags: tag aws:dlm:lifecycle-policy-id',
    ]);
    expect(scan.result.scopes.flatMap((s) => s.snapshots.flatMap((x) => x.conflicts))).toEqual([]);
  });

  it('reports public and outside-the-organisation shares, not the share inside it', () => {
    const ids = (check: string) =>
      allFindings(scan.result)
        .filter((f) => f.checkId === check)
        .map((f) => `${f.scopeId}/${f.resource?.id.split('/').pop()}`)
        .sort();
    expect(ids('snapshots.public')).toEqual([
      '111111111111/snap-0a1b2c3d4e5f60002',
      '222222222222/ami-0b1b2c3d4e5f60001',
      '222222222222/arn:aws:rds:eu-west-1:222222222222:snapshot:payments-manual-2026-11',
    ]);
    expect(ids('snapshots.shared-outside-org')).toEqual([
      '111111111111/snap-0a1b2c3d4e5f60003',
      '222222222222/arn:aws:backup:eu-west-1:222222222222:recovery-point:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      '222222222222/arn:aws:rds:eu-west-1:222222222222:snapshot:orders-vendor-share',
      '333333333333/snap-0c1b2c3d4e5f60001',
    ]);
  });
});

describe('demo organisation: who can (evaluator input)', () => {
  it('hands the evaluator every account with merged IAM details, the org account set and SCPs root → account', () => {
    expect([...inputs.keys()].sort()).toEqual(['111111111111', '222222222222', '333333333333', '444444444444']);
    const prod = inputs.get('222222222222') as AccountAuthorizationInput;
    expect(prod.isManagementAccount).toBe(false);
    expect([...(prod.organizationAccountIds ?? [])].sort()).toEqual(['111111111111', '222222222222', '333333333333', '444444444444']);
    expect(prod.details.UserDetailList?.map((u) => u.UserName)).toEqual(['alice', 'bob', 'dave', 'erin']);
    expect(prod.details.GroupDetailList?.map((g) => g.GroupName)).toEqual(['snapshot-operators']);
    expect(prod.details.RoleDetailList?.map((r) => r.RoleName)).toEqual([
      'backup-runner',
      'power-user',
      'ops-jump',
      'vendor-audit',
      // The role IAM Identity Center provisions for the SnapshotAdmin permission set assigned here.
      'AWSReservedSSO_SnapshotAdmin_6fdf1f7bc6b6ca84',
    ]);
    expect(prod.maxChainDepth).toBe(2);
    expect(prod.details.Policies?.map((p) => p.PolicyName).sort()).toEqual([
      'AdministratorAccess',
      'AmazonEC2FullAccess',
      'NoEc2Boundary',
      'PowerUserAccess',
      'SnapshotCreators',
    ]);
    const vendor = prod.details.RoleDetailList?.find((r) => r.RoleName === 'vendor-audit');
    expect(decodeURIComponent(vendor?.AssumeRolePolicyDocument ?? '')).toContain('arn:aws:iam::999999999999:root');
    expect(prod.details.UserDetailList?.find((u) => u.UserName === 'erin')?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      'arn:aws:iam::222222222222:policy/NoEc2Boundary',
    );
    const levels = (id: string) => inputs.get(id)?.serviceControlPolicies?.map((level) => level.map((p) => p.name).join('+'));
    expect(levels('222222222222')).toEqual(['FullAWSAccess', 'FullAWSAccess', 'FullAWSAccess', 'FullAWSAccess']);
    expect(levels('333333333333')).toEqual(['FullAWSAccess', 'FullAWSAccess', 'FullAWSAccess+DenySnapshotCreation', 'FullAWSAccess']);
    expect(inputs.get('111111111111')?.isManagementAccount).toBe(true);
    const deny = inputs.get('333333333333')?.serviceControlPolicies?.[2]?.[1];
    expect(JSON.parse(String(deny?.document))).toMatchObject({ Statement: [{ Effect: 'Deny', Action: 'ec2:CreateSnapshot' }] });
  });
});

describe('demo organisation: who can snapshot', () => {
  const path = (accountId: string, principal: string, action: string) => {
    const p = scan.scope(accountId).principals.find((x) => x.name === principal);
    const g = p?.grants.find((x) => x.action === action);
    return g ? g.path.map((step) => `${step.kind}:${step.label ?? step.id}`).join(' → ') : null;
  };

  it('finds exactly the principals that hold a snapshot capability, with their capabilities', () => {
    const set = scan.result.scopes.flatMap((s) =>
      s.principals.map((p) => `${p.id} ${p.external ? 'external ' : ''}${p.capabilities.join(',')}`),
    );
    expect(set).toEqual([
      // Every account's root user holds every permission; the sandbox SCP still takes CreateSnapshot from it.
      'arn:aws:iam::111111111111:root copy,create,delete,export,restore,share',
      'arn:aws:iam::111111111111:user/org-admin copy,create,delete,export,restore,share',
      // org-admin of the management account reaches power-user in production (its trust names the management
      // account): a chain across accounts, listed in the account whose role holds the grants
      'arn:aws:iam::111111111111:user/org-admin copy,create,delete,export,restore,share',
      // IAM Identity Center's role for the SnapshotAdmin permission set (its people: test/aws/identity-center.test.ts)
      'arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_SnapshotAdmin_6fdf1f7bc6b6ca84 copy,create',
      'arn:aws:iam::222222222222:role/backup-runner create',
      // ops-jump holds nothing itself: it reaches power-user's grants by assuming it (a role chain, issue #26)
      'arn:aws:iam::222222222222:role/ops-jump copy,create,delete,export,restore,share',
      'arn:aws:iam::222222222222:role/power-user copy,create,delete,export,restore,share',
      'arn:aws:iam::222222222222:role/vendor-audit create,share',
      'arn:aws:iam::222222222222:root copy,create,delete,export,restore,share',
      'arn:aws:iam::222222222222:user/alice copy,create,delete,export,restore,share',
      // bob: ec2:Create* through his group, and the rest two hops away (bob → ops-jump → power-user)
      'arn:aws:iam::222222222222:user/bob copy,create,delete,export,restore,share',
      'arn:aws:iam::222222222222:user/dave copy,create,delete,export,restore,share',
      'arn:aws:iam::333333333333:root copy,create,delete,export,restore,share',
      'arn:aws:iam::333333333333:user/sandbox-dev copy,create,delete,export,restore,share',
      'arn:aws:iam::444444444444:root copy,create,delete,export,restore,share',
    ]);
    const sandboxRoot = scan.scope('333333333333').principals.find((p) => p.name === 'root');
    expect(sandboxRoot?.grants.map((g) => g.action)).not.toContain('ec2:CreateSnapshot');
  });

  it('records the grant path: principal → (trust) → (group) → policy → statement → action pattern', () => {
    expect(path('222222222222', 'alice', 'ec2:CreateSnapshot')).toBe(
      'principal:alice → policy:policy ec2-everything (inline) → statement:statement AllEc2 → action-pattern:ec2:*',
    );
    expect(path('222222222222', 'bob', 'ec2:CreateSnapshot')).toBe(
      'principal:bob → group:group snapshot-operators → policy:policy SnapshotCreators → statement:statement CreateAnything → action-pattern:ec2:Create*',
    );
    expect(path('222222222222', 'backup-runner', 'ec2:CreateSnapshot')).toBe(
      'principal:backup-runner → trust:trusted by AWS service backup.amazonaws.com → policy:policy snapshot (inline) → statement:statement Snapshot → action-pattern:ec2:CreateSnapshot',
    );
    expect(path('222222222222', 'power-user', 'ec2:CreateSnapshot')).toMatch(
      /→ policy:policy PowerUserAccess → statement:statement #0 → action-pattern:NotAction iam:\*, organizations:\*, account:\*$/,
    );
    expect(path('222222222222', 'vendor-audit', 'ec2:CreateSnapshot')).toBe(
      'principal:vendor-audit → trust:trusted by arn:aws:iam::999999999999:root (account outside the organization) → policy:policy snapshot-export (inline) → statement:statement Export → action-pattern:ec2:CreateSnapshot',
    );
  });

  it('follows role chains across accounts: org-admin (management) → power-user (production), found after every account is read', () => {
    expect(path('222222222222', 'org-admin', 'ec2:CreateSnapshot')).toBe(
      'principal:org-admin → assume-role:assumes role power-user in account 222222222222 (trust statement #0; policy AdministratorAccess statement #0) → policy:policy PowerUserAccess → statement:statement #0 → action-pattern:NotAction iam:*, organizations:*, account:*',
    );
    const admin = scan.scope('222222222222').principals.find((p) => p.name === 'org-admin')!;
    expect(admin.grants.every((g) => g.reach === 'indirect' && g.hops === 1 && !g.external)).toBe(true);
    // the management account's own list keeps org-admin's direct grants there, and nothing of production's
    const home = scan.scope('111111111111').principals.find((p) => p.name === 'org-admin')!;
    expect(home.grants.some((g) => g.reach)).toBe(false);
    const capable = allFindings(scan.result).find(
      (f) =>
        f.checkId === 'permissions.snapshot-capable-principal' &&
        f.scopeId === '222222222222' &&
        f.resource?.id === 'arn:aws:iam::111111111111:user/org-admin',
    );
    expect(capable?.evidence).toMatchObject({ reach: 'indirect', hops: 1 });
  });

  it('follows role chains: bob → ops-jump → power-user, each hop with the trust and identity statements that allow it', () => {
    expect(path('222222222222', 'bob', 'ec2:CopySnapshot')).toBe(
      'principal:bob → assume-role:assumes role ops-jump (trust statement Bob) → assume-role:assumes role power-user (trust statement OpsJump; policy hop (inline) statement HopToPowerUser) → policy:policy PowerUserAccess → statement:statement #0 → action-pattern:NotAction iam:*, organizations:*, account:*',
    );
    const bob = scan.scope('222222222222').principals.find((p) => p.name === 'bob')!;
    const grant = (action: string) => bob.grants.find((g) => g.action === action);
    // his own group grant stays direct; what only the chain gives is indirect, two hops
    expect(grant('ec2:CreateSnapshot')?.reach).toBeUndefined();
    expect(grant('ec2:CreateSnapshot')?.path[1]?.kind).toBe('group');
    expect(grant('ec2:CopySnapshot')).toMatchObject({ reach: 'indirect', hops: 2, external: false, conditional: false });
    expect(grant('ec2:CopySnapshot')?.path.filter((s) => s.kind === 'trust')).toEqual([]);
    // dave is not admitted by power-user's trust (it names the management account and ops-jump), so no chain
    expect(
      scan
        .scope('222222222222')
        .principals.find((p) => p.name === 'dave')
        ?.grants.some((g) => g.reach),
    ).toBe(false);
    const capable = allFindings(scan.result).find(
      (f) => f.checkId === 'permissions.snapshot-capable-principal' && f.resource?.id === 'arn:aws:iam::222222222222:role/ops-jump',
    );
    expect(capable?.evidence).toMatchObject({ reach: 'indirect', hops: 1 });
    expect(capable?.message).toContain('through a chain of 1 hop');
    // the broad PowerUserAccess grant is power-user's finding, not repeated on every identity that can become it
    const broad = allFindings(scan.result)
      .filter((f) => f.checkId === 'permissions.broad-grant')
      .map((f) => f.resource?.id);
    expect(broad).toContain('arn:aws:iam::222222222222:role/power-user');
    expect(broad).not.toContain('arn:aws:iam::222222222222:role/ops-jump');
  });

  it('honours the explicit Deny, the boundary that removes EC2 and the SCP of the Sandbox OU', () => {
    // dave: AdministratorAccess with a Deny on CreateSnapshot(s) keeps copy and share only.
    expect(path('222222222222', 'dave', 'ec2:CreateSnapshot')).toBeNull();
    expect(path('222222222222', 'dave', 'ec2:CreateSnapshots')).toBeNull();
    expect(path('222222222222', 'dave', 'ec2:CopySnapshot')).not.toBeNull();
    // erin: AmazonEC2FullAccess inside a boundary that allows everything but ec2:* holds nothing.
    expect(scan.scope('222222222222').principals.some((p) => p.name === 'erin')).toBe(false);
    // sandbox-dev: ec2:* but the Sandbox SCP denies CreateSnapshot (CreateSnapshots remains).
    expect(path('333333333333', 'sandbox-dev', 'ec2:CreateSnapshot')).toBeNull();
    expect(path('333333333333', 'sandbox-dev', 'ec2:CreateSnapshots')).not.toBeNull();
    // org-admin in the management account: SCPs do not apply there.
    expect(path('111111111111', 'org-admin', 'ec2:CreateSnapshot')).not.toBeNull();
  });

  it('reports the external path and the broad grants', () => {
    const external = allFindings(scan.result)
      .filter((f) => f.checkId === 'permissions.external-path')
      .map((f) => f.resource?.id);
    expect(external).toEqual(['arn:aws:iam::222222222222:role/vendor-audit']);
    const vendor = scan.scope('222222222222').principals.find((p) => p.name === 'vendor-audit');
    expect(vendor?.grants.every((g) => g.external && !g.broad)).toBe(true);
  });
});

describe('demo organisation: cost and safety', () => {
  it('calls only read operations (and AssumeRole, the one credential hop)', () => {
    expect(nonReadOperations(scan.lab, readOnlyOperation)).toEqual([]);
  });

  it('makes a bounded number of calls per account-region: no per-snapshot history lookups', () => {
    const ops = scan.result.stats.operations;
    // The activity review reads the 20 event names of the family's catalogue in each of the 8 account-regions, never one
    // per item; the creator lookup reads the same listings (the 41 it would make alone: 5 names per region with EBS
    // snapshots and those of the other kinds present) and adds none.
    expect(ops['aws:cloudtrail:LookupEvents']).toBe(20 * 8);
    // KMS aliases once per region holding items encrypted with one of the account's own keys (6 of the 8).
    expect(ops['aws:kms:ListAliases']).toBe(6);
    // One listing per kind per account-region; attributes only where they can say something.
    for (const op of ['rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots', 'backup:ListBackupVaults'])
      expect(ops[`aws:${op}`]).toBe(8);
    // The public listings (RestorableByUserIds=all, ExecutableUsers=all) are not read where every item's attribute was:
    // the attribute decides, so the listing could only be overruled.
    expect(ops['aws:ec2:DescribeSnapshots']).toBe(8);
    expect(ops['aws:ec2:DescribeImages']).toBe(8);
    expect(ops['aws:ec2:DescribeImageAttribute']).toBe(1);
    expect(ops['aws:rds:DescribeDBSnapshotAttributes']).toBe(2); // the two manual snapshots, not the automated one
    expect(ops['aws:backup:GetBackupVaultAccessPolicy']).toBe(1);
    // One filtered volume listing per region with source volumes.
    expect(ops['aws:ec2:DescribeVolumes']).toBe(6);
    // The organisation trail and its log group are read once, not once per member.
    expect(ops['aws:logs:DescribeLogGroups']).toBe(1);
    expect(ops['aws:cloudtrail:GetTrailStatus']).toBe(4);
    // SCPs: the policies once, where each is attached once (not one listing per root, OU and account: 9 here), and
    // one document per policy on a path. The accounts: one listing per container (root and 4 OUs), not ListAccounts
    // and ListParents per account.
    expect(ops['aws:organizations:ListPoliciesForTarget']).toBeUndefined();
    expect(ops['aws:organizations:ListPolicies']).toBe(1);
    expect(ops['aws:organizations:ListTargetsForPolicy']).toBe(2);
    expect(ops['aws:organizations:DescribePolicy']).toBe(2);
    expect(ops['aws:organizations:ListAccountsForParent']).toBe(5);
    expect(ops['aws:organizations:ListParents']).toBeUndefined();
    expect(ops['aws:sts:AssumeRole']).toBe(3);
    // Trails: ListTrails once per account and DescribeTrails in its home region (with shadow trails), one more by ARN
    // where a single-region trail is homed elsewhere — not DescribeTrails in every region (8 account-regions here).
    expect(ops['aws:cloudtrail:ListTrails']).toBe(4);
    expect(ops['aws:cloudtrail:DescribeTrails']).toBe(5);
    // Lake: one store listing per account-region (8) and the one store there is read once.
    expect(ops['aws:cloudtrail:ListEventDataStores']).toBe(8);
    expect(ops['aws:cloudtrail:GetEventDataStore']).toBe(1);
    // IAM Access Analyzer: the organisation's analyzer looked for in the management account's two regions, once per
    // scan, and its findings read where it is (eu-west-1); production's own analyzer looked for in us-east-1 (3
    // snapshots to read, no analyzer). In eu-west-1 the one snapshot without a finding is not read; the shared and
    // public ones are (to confirm their findings).
    expect(ops['aws:access-analyzer:ListAnalyzers']).toBe(3);
    expect(ops['aws:access-analyzer:ListFindings']).toBe(1);
    expect(ops['aws:ec2:DescribeSnapshotAttribute']).toBe(10);
    // 198 before the public listings went (7 EBS regions, 1 AMI region) and trails were listed per account.
    // The activity review: -41 creator lookups (now shared with it), +160 activity reads. Lake: +8 listings, +1 read.
    // IAM Identity Center (#17): +9, read once per scan (instance, the one permission set provisioned to production, its
    // assignments, the group and its memberships, three users).
    expect(ops['aws:sso:ListInstances']).toBe(1);
    // Access Analyzer: +4 reads, -1 attribute. SCPs per policy: -9 ListPoliciesForTarget, +1 ListPolicies, +2
    // ListTargetsForPolicy; accounts per container: -1 ListAccounts, -4 ListParents, +5 ListAccountsForParent.
    // Security Hub (#25): DescribeHub in each of the 8 account-regions; where production is subscribed (us-east-1), one
    // GetEnabledStandards page and one BatchGetStandardsControlAssociations for every control × running standard,
    expect(ops['aws:securityhub:DescribeHub']).toBe(8);
    expect(ops['aws:securityhub:GetEnabledStandards']).toBe(1);
    expect(ops['aws:securityhub:BatchGetStandardsControlAssociations']).toBe(1);
    // …and one GetFindings page for the enabled controls' ACTIVE FAILED findings.
    expect(ops['aws:securityhub:GetFindings']).toBe(1);
    expect(scan.result.stats.apiCalls).toBe(191 - 41 + 160 + 8 + 1 + 9 + 4 - 1 - 9 + 1 + 2 + 8 + 2 + 1);
    expect(scan.result.stats.apiCalls).toBe(scan.lab.log.entries.length);
  });
});

describe('demo organisation: where the audit trail lives and whether it flows', () => {
  it('records the sandbox in ap-southeast-2 through CloudTrail Lake alone, naming the store', () => {
    const region = scan.scope('333333333333').logging.regions.find((r) => r.region === 'ap-southeast-2');
    const lake = scan.scope('333333333333').logging.sources.find((s) => s.kind === 'cloudtrail-lake');
    expect(lake).toMatchObject({
      name: 'sandbox-lake',
      home: 'ap-southeast-2',
      enabled: 'yes',
      recordsSnapshotCreation: 'yes',
      regions: ['ap-southeast-2'],
      central: 'no',
      integrity: 'no',
      retentionDays: 365,
      health: { flowing: 'yes', source: 'cloudtrail:GetEventDataStore' },
    });
    expect(region?.sourceIds).toEqual([lake?.id]);
    expect(lake?.reasons).toContain('event data store sandbox-lake has termination protection off');
  });

  it('flags the failing trail as configured but not flowing, with the last delivery the cloud reported', () => {
    const mgmtEu = scan.scope('111111111111').logging.sources.find((s) => s.name === 'mgmt-eu');
    expect(mgmtEu).toMatchObject({ enabled: 'yes', recordsSnapshotCreation: 'yes' });
    expect(mgmtEu?.health).toEqual({
      flowing: 'no',
      lastDelivery: '2026-10-15T00:00:00.000Z',
      problems: ['trail mgmt-eu is configured but not flowing: S3 delivery fails with AccessDenied (LatestDeliveryError)'],
      source: 'cloudtrail:GetTrailStatus',
    });
    const region = scan.scope('111111111111').logging.regions.find((r) => r.region === 'eu-west-1');
    expect(region).toMatchObject({ recorded: 'no', sourceIds: [mgmtEu?.id] });
  });
});

describe('demo organisation: Security Hub as a detective control for public snapshots', () => {
  it('shows EC2.1 running in production (named with its standard) and not in the sandbox, without making anything alerted', () => {
    const prod = scan.scope('222222222222').logging.detectors ?? [];
    expect(prod.find((d) => d.id === 'security-hub:EC2.1@us-east-1')).toMatchObject({
      enabled: 'yes',
      via: ['AWS Foundational Security Best Practices v1.0.0'],
      detects: 'public-snapshot',
      // Production has no public EBS snapshot in us-east-1: Security Hub holds no ACTIVE FAILED EC2.1 finding.
      activeFindings: 0,
    });
    expect(prod.find((d) => d.id === 'security-hub:RDS.4@us-east-1')).toMatchObject({
      enabled: 'no',
      reasons: ['RDS.4 is disabled in AWS Foundational Security Best Practices v1.0.0 (reason given: Encryption is enforced by an SCP)'],
    });
    expect(prod.filter((d) => d.region === 'eu-west-1').every((d) => d.enabled === 'no')).toBe(true);
    const sandbox = scan.scope('333333333333').logging.detectors ?? [];
    expect(sandbox.length).toBeGreaterThan(0);
    expect(sandbox.every((d) => d.enabled === 'no' && d.source === 'securityhub:DescribeHub')).toBe(true);
    // A detective control is not an alert: production's us-east-1 alerting is what its rules make it.
    const row = scan.scope('222222222222').logging.regions.find((r) => r.region === 'us-east-1');
    expect(row?.alertIds.some((id) => id.startsWith('security-hub'))).toBe(false);
  });
});
