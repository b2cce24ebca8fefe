/**
 * GCP creation activity: Admin Activity LogEntries with their AuditLog payload (protoPayload) turned into activity by
 * the pure normaliser, and the whole path against the lab's demo estate, where the review shares the creator
 * lookup's one entries:list search.
 */
import { describe, expect, it } from 'vitest';
import { activityOfEntry } from '../../providers/gcp/normalise/activity.ts';
import { scanEstate } from '../support/lab.ts';
import { demoGcpEstate } from './support.ts';

// A LogEntry as entries:list returns it (https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog).
const entry = (o: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => ({
  logName: 'projects/prod-payments/logs/cloudaudit.googleapis.com%2Factivity',
  insertId: 'abc123',
  timestamp: '2026-11-22T23:40:00Z',
  resource: { type: 'gce_disk', labels: { project_id: 'prod-payments', zone: 'europe-west1-b' } },
  operation: { id: 'operation-1', producer: 'compute.googleapis.com', first: true },
  protoPayload: {
    '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
    serviceName: 'compute.googleapis.com',
    methodName: 'v1.compute.disks.createSnapshot',
    resourceName: 'projects/prod-payments/zones/europe-west1-b/disks/payments-db',
    authenticationInfo: { principalEmail: 'mallory@example.com' },
    requestMetadata: {
      callerIp: '198.51.100.23',
      callerSuppliedUserAgent: 'google-cloud-sdk gcloud/500.0.0 command/gcloud.compute.disks.snapshot',
    },
    request: { '@type': 'type.googleapis.com/compute.disks.createSnapshot', name: 'payments-db-copy' },
    ...payload,
  },
  ...o,
});

describe('Admin Activity entries as activity', () => {
  it('keeps the principal, caller address and user agent, the snapshot made and the disk it copies', () => {
    expect(activityOfEntry(entry(), 'read')).toEqual({
      id: 'abc123',
      region: 'global',
      at: '2026-11-22T23:40:00.000Z',
      operation: 'v1.compute.disks.createSnapshot',
      effect: 'create',
      identity: { type: 'user', id: 'mallory@example.com', issuer: null, mfa: 'unknown', automation: null },
      source: {
        ip: '198.51.100.23',
        userAgent: 'google-cloud-sdk gcloud/500.0.0 command/gcloud.compute.disks.snapshot',
        agent: 'cli',
        vpcEndpointId: null,
      },
      resource: { kind: 'disk-snapshot', id: 'projects/prod-payments/global/snapshots/payments-db-copy' },
      sourceResource: { kind: 'disk', id: 'projects/prod-payments/zones/europe-west1-b/disks/payments-db' },
      outcome: 'success',
      errorCode: null,
      read: 'read',
    });
  });

  it('keeps a denied call with its google.rpc code name, and counts a long-running call once', () => {
    const denied = entry(
      { operation: undefined },
      { methodName: 'v1.compute.snapshots.insert', status: { code: 7, message: 'PERMISSION_DENIED' } },
    );
    expect(activityOfEntry(denied, 'r')).toMatchObject({ outcome: 'failure', errorCode: 'PERMISSION_DENIED' });
    expect(activityOfEntry(entry({ operation: { id: 'operation-1', last: true } }), 'r')).toBeNull();
  });

  it('a share, a scheduled snapshot (automation), and calls outside the family', () => {
    expect(
      activityOfEntry(entry({}, { methodName: 'beta.compute.snapshots.setIamPolicy', resourceName: 'projects/p/global/snapshots/s' }), 'r'),
    ).toMatchObject({ effect: 'share', resource: { kind: 'disk-snapshot', id: 'projects/p/global/snapshots/s' } });
    const agent = 'service-300000000002@compute-system.iam.gserviceaccount.com';
    expect(activityOfEntry(entry({}, { authenticationInfo: { principalEmail: agent }, requestMetadata: {} }), 'r')).toMatchObject({
      identity: { type: 'serviceAccount', automation: { by: 'gcp-schedule' } },
      source: { agent: 'cloud-service' },
    });
    expect(activityOfEntry(entry({}, { methodName: 'v1.compute.disks.addResourcePolicies' }), 'r')).toBeNull();
  });
});

describe('GCP activity against the lab (demo estate)', async () => {
  const { result } = await scanEstate(demoGcpEstate(), {
    providers: ['gcp'],
    config: {
      policy: { businessHours: { timeZone: 'UTC' }, trustedNetworks: { cidrs: ['203.0.113.0/24'] } },
    },
  });
  const prod = result.scopes.find((s) => s.scope.id === 'prod-payments');
  const findings = (id: string) => (prod?.findings ?? []).filter((f) => f.checkId === id).map((f) => f.resource?.id);

  it('reads shares and denied calls from the creator lookup’s search', () => {
    const activity = prod?.activity ?? [];
    expect(activity.filter((a) => a.outcome === 'failure').map((a) => a.errorCode)).toEqual(Array(3).fill('PERMISSION_DENIED'));
    expect(activity.find((a) => a.effect === 'share')).toMatchObject({ identity: { id: 'mallory@example.com' } });
    // The nightly schedule acts as the Compute Engine service agent: automation.
    expect(activity.find((a) => a.identity.id.startsWith('service-'))?.identity.automation).toMatchObject({ by: 'gcp-schedule' });
  });

  it('fires off-hours, untrusted-source and denied-attempts', () => {
    expect(findings('activity.denied-attempts')).toEqual(['outsider@gmail.com']);
    expect(findings('activity.off-hours')).toContain('mallory@example.com');
    expect(findings('activity.untrusted-source')).toEqual(['mallory@example.com', 'outsider@gmail.com']);
    expect(findings('activity.unapproved-creator')?.some((id) => id?.startsWith('service-'))).toBe(false);
  });
});
