/**
 * AWS creation activity: CloudTrail records as LookupEvents returns them (the `CloudTrailEvent` JSON string), turned
 * into activity by the pure normaliser, and the whole path against the lab's demo organisation, where the review
 * reuses the creator lookup's listings.
 */
import { describe, expect, it } from 'vitest';
import { activityOf } from '../../providers/aws/normalise/activity.ts';
import { classifyAgent } from '../../src/core/model/activity.ts';
import { scanAws } from './support.ts';

/** A LookupEvents result around a CloudTrail record, as the service returns it. */
function lookup(record: Record<string, unknown>) {
  return {
    EventId: String(record.eventID),
    EventName: String(record.eventName),
    EventTime: new Date(String(record.eventTime)),
    CloudTrailEvent: JSON.stringify(record),
  };
}

// The shape of a CloudTrail management event (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
const assumedRoleCopy = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:jane',
    arn: 'arn:aws:sts::111111111111:assumed-role/ops/jane',
    accountId: '111111111111',
    sessionContext: {
      sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111111111111:role/ops', accountId: '111111111111', userName: 'ops' },
      attributes: { creationDate: '2026-11-20T09:00:00Z', mfaAuthenticated: 'true' },
    },
  },
  eventTime: '2026-11-20T09:15:00Z',
  eventSource: 'ec2.amazonaws.com',
  eventName: 'CopySnapshot',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '10.1.2.3',
  userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86_64',
  requestParameters: { sourceRegion: 'us-east-1', sourceSnapshotId: 'snap-0aaa' },
  responseElements: { requestId: 'r-1', snapshotId: 'snap-0bbb' },
  requestID: 'r-1',
  eventID: 'e-copy',
  vpcEndpointId: 'vpce-0123456789abcdef0',
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
};

describe('CloudTrail records as activity', () => {
  it('keeps identity, session issuer, MFA, source, resources and outcome as recorded', () => {
    expect(activityOf(lookup(assumedRoleCopy), 'eu-west-1', 'cloudtrail:LookupEvents EventName=CopySnapshot')).toEqual({
      id: 'e-copy',
      region: 'eu-west-1',
      at: '2026-11-20T09:15:00.000Z',
      operation: 'CopySnapshot',
      effect: 'copy',
      identity: {
        type: 'AssumedRole',
        id: 'arn:aws:sts::111111111111:assumed-role/ops/jane',
        issuer: 'arn:aws:iam::111111111111:role/ops',
        mfa: 'yes',
        automation: null,
      },
      source: {
        ip: '10.1.2.3',
        userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5 exe/x86_64',
        agent: 'cli',
        vpcEndpointId: 'vpce-0123456789abcdef0',
      },
      resource: { kind: 'disk-snapshot', id: 'snap-0bbb' },
      sourceResource: { kind: 'disk-snapshot', id: 'snap-0aaa' },
      outcome: 'success',
      errorCode: null,
      read: 'cloudtrail:LookupEvents EventName=CopySnapshot',
    });
  });

  it('keeps a denied attempt with its error code and what it tried to copy', () => {
    const denied = {
      ...assumedRoleCopy,
      eventID: 'e-denied',
      eventName: 'CreateSnapshot',
      errorCode: 'Client.UnauthorizedOperation',
      errorMessage: 'You are not authorized to perform this operation.',
      requestParameters: { volumeId: 'vol-0ccc' },
      responseElements: null,
    };
    expect(activityOf(lookup(denied), 'eu-west-1', 'r')).toMatchObject({
      outcome: 'failure',
      errorCode: 'Client.UnauthorizedOperation',
      resource: null,
      sourceResource: { kind: 'volume', id: 'vol-0ccc' },
    });
  });

  it('recognises a service acting for the customer, and an RDS snapshot by its identifier', () => {
    const rds = {
      ...assumedRoleCopy,
      eventID: 'e-rds',
      eventName: 'CreateDBSnapshot',
      eventSource: 'rds.amazonaws.com',
      userIdentity: { type: 'AWSService', invokedBy: 'backup.amazonaws.com' },
      sourceIPAddress: 'backup.amazonaws.com',
      userAgent: 'backup.amazonaws.com',
      requestParameters: { dBSnapshotIdentifier: 'payments-1', dBInstanceIdentifier: 'payments-db' },
      responseElements: { dBSnapshotIdentifier: 'payments-1' },
    };
    expect(activityOf(lookup(rds), 'eu-west-1', 'r')).toMatchObject({
      identity: { id: 'backup.amazonaws.com', automation: { by: 'aws-backup' } },
      source: { agent: 'cloud-service' },
      resource: { kind: 'db-snapshot', id: 'payments-1' },
      sourceResource: { kind: 'db-instance', id: 'payments-db' },
    });
  });

  it('skips records it cannot read and events outside the family', () => {
    expect(activityOf({ EventName: 'CreateSnapshot', CloudTrailEvent: '{not json' }, 'eu-west-1', 'r')).toBeNull();
    expect(activityOf(lookup({ ...assumedRoleCopy, eventName: 'CreateVolume' }), 'eu-west-1', 'r')).toBeNull();
  });

  it.each([
    ['console.ec2.amazonaws.com', 'console'],
    ['signin.amazonaws.com', 'console'],
    ['AWS Internal', 'console'],
    ['AWS Console, aws-sdk-java/unknown-version Linux/2.6.18', 'console'],
    ['aws-cli/2.15.0 Python/3.11.6', 'cli'],
    ['Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0', 'sdk'],
    ['aws-sdk-go-v2/1.32.2 os/linux', 'sdk'],
    ['Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0 aws-sdk-go-v2/1.32.2', 'terraform'],
    ['backup.amazonaws.com', 'cloud-service'],
    ['AWSCloudTrail, aws-internal/3 aws-sdk-java/1.11.367', 'cloud-service'],
    ['curl/8.5.0', 'other'],
  ] as const)('classifies the user agent %s as %s', (ua, agent) => {
    expect(classifyAgent(ua, false)).toBe(agent);
  });
});

describe('AWS activity against the lab (demo organisation)', async () => {
  const scan = await scanAws('demo', {
    config: {
      policy: {
        businessHours: { timeZone: 'UTC' },
        trustedNetworks: { cidrs: ['203.0.113.0/24'] },
      },
      checks: { 'activity.sensitive-source': { tags: ['classification=secret'] } },
    },
  });
  const prod = scan.scope('222222222222');
  const findings = (id: string) => prod.findings.filter((f) => f.checkId === id).map((f) => f.resource?.id);

  it('reads every event of the family in every region, failed attempts included', () => {
    const activity = prod.activity ?? [];
    expect(activity.filter((a) => a.outcome === 'failure').map((a) => a.errorCode)).toEqual(Array(3).fill('Client.UnauthorizedOperation'));
    expect(activity.find((a) => a.operation === 'ModifySnapshotAttribute')).toMatchObject({
      effect: 'share',
      resource: { kind: 'disk-snapshot', id: 'snap-0b1b2c3d4e5f60006' },
      source: { ip: '198.51.100.23', agent: 'sdk' },
    });
    expect(activity.find((a) => a.operation === 'CreateImage')).toMatchObject({ identity: { mfa: 'yes' }, source: { agent: 'console' } });
  });

  it('costs one LookupEvents listing per event name and region, shared with the creator lookup', () => {
    const lookups = scan.lab.log.entries.filter((e) => e.operation === 'LookupEvents' && e.scope === '222222222222');
    // The catalogue's 20 event names × the account's 3 regions, each read once (no listing has a second page here).
    expect(lookups.length).toBe(20 * 3);
  });

  it('fires the activity findings the demo stages', () => {
    expect(findings('activity.denied-attempts')).toEqual(['arn:aws:iam::222222222222:user/ci-deployer']);
    expect(findings('activity.off-hours')).toContain(
      'arn:aws:sts::222222222222:assumed-role/AWSBackupDefaultServiceRole/mallory@example.com',
    );
    expect(findings('activity.untrusted-source')).toEqual([
      'arn:aws:iam::222222222222:user/ci-deployer',
      'arn:aws:sts::222222222222:assumed-role/AWSBackupDefaultServiceRole/mallory@example.com',
    ]);
    expect(findings('activity.sensitive-source')).toContain(
      'arn:aws:sts::222222222222:assumed-role/AWSBackupDefaultServiceRole/mallory@example.com',
    );
    expect(findings('activity.unapproved-creator')).not.toContain('dlm.amazonaws.com');
  });
});

describe('AWS activity with few calls in flight', () => {
  // The review starts only as many listings at once as the scope has call slots (scan.concurrency.callsPerScope): every
  // event name of every region is still read, once, and the scan is the one a scope with more slots makes.
  it('reads every event name in every region with one call per scope in flight, the result unchanged', async () => {
    const lookups = (s: Awaited<ReturnType<typeof scanAws>>) =>
      s.lab.log.entries
        .filter((e) => e.operation === 'LookupEvents')
        .map((e) => `${e.scope}:${e.region}`)
        .sort();
    const wide = await scanAws('demo');
    const narrow = await scanAws('demo', { config: { scan: { concurrency: { scopes: 8, callsPerScope: 1, callsPerProvider: 64 } } } });
    expect(narrow.scope('222222222222').activity?.length).toBeGreaterThan(0);
    expect(JSON.stringify(narrow.result.scopes)).toBe(JSON.stringify(wide.result.scopes));
    expect(lookups(narrow)).toEqual(lookups(wide));
    // 20 names × 3 regions for the account the demo stages its activity in, each listing once
    expect(lookups(narrow).filter((l) => l.startsWith('222222222222:')).length).toBe(20 * 3);
  });
});
