/**
 * Azure creation activity: activity-log events (the official example's shape) turned into activity by the pure
 * normaliser, and the whole path against the lab's demo estate, where the review shares the creator lookup's listing.
 */
import type { EventData } from '@azure/arm-monitor';
import { describe, expect, it } from 'vitest';
import { activityOfEvent } from '../../providers/azure/normalise/activity-events.ts';
import { scanEstate } from '../support/lab.ts';
import { sharedFixture } from '../support/shared-fixtures.ts';
import { readFileSync } from 'node:fs';
import { azureEstate, DEMO, scopeNamed } from './support.ts';

// The official ActivityLogs_List example event, as the SDK hands it over (eventTimestamp a Date), made a snapshot write.
const example = (
  JSON.parse(readFileSync(sharedFixture('azure', 'GetActivityLogsFiltered.json'), 'utf8')) as {
    responses: { 200: { body: { value: Array<Record<string, unknown>> } } };
  }
).responses[200].body.value[0]!;
const snapshotId = `/subscriptions/${DEMO.prod}/resourceGroups/rg-web/providers/Microsoft.Compute/snapshots/snap-1`;
const event = (o: Record<string, unknown> = {}): EventData =>
  ({
    ...example,
    eventTimestamp: new Date(String(example.eventTimestamp)),
    operationName: { value: 'Microsoft.Compute/snapshots/write', localizedValue: 'Create or Update Snapshot' },
    resourceId: snapshotId,
    ...o,
  }) as unknown as EventData;

describe('activity-log events as activity', () => {
  it('keeps the caller, the token claims (app, address, MFA) and the resource, quoting the example', () => {
    const a = activityOfEvent(event(), 'read');
    expect(a).toMatchObject({
      id: example.eventDataId,
      operation: 'Microsoft.Compute/snapshots/write',
      effect: 'create',
      identity: { id: 'admin@contoso.com', type: 'user', issuer: null, mfa: 'no', automation: null },
      // The example's httpRequest.clientIpAddress (it has no ipaddr claim); its appid is not a first-party one.
      source: { ip: '192.168.35.115', userAgent: null, agent: 'unknown', vpcEndpointId: null },
      resource: { kind: 'disk-snapshot', id: snapshotId },
      outcome: 'success',
      errorCode: null,
    });
  });

  it('classifies the portal, the CLI and an application by the token’s appid', () => {
    const claims = (extra: Record<string, string>) => ({ claims: { ...(example.claims as object), ...extra } });
    expect(activityOfEvent(event(claims({ appid: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c' })), 'r')?.source.agent).toBe('console');
    expect(activityOfEvent(event(claims({ appid: '04b07795-8ddb-461a-bbee-02f9e1bf7b46' })), 'r')?.source.agent).toBe('cli');
    expect(activityOfEvent(event(claims({ idtyp: 'app', appid: '7c1c1c1c-0000-4000-8000-00000000c1c1' })), 'r')?.source.agent).toBe('sdk');
  });

  it('keeps a denied call with the code of its status message, and only the final event of an operation', () => {
    const denied = event({
      status: { value: 'Failed' },
      subStatus: { value: 'Forbidden' },
      properties: { statusCode: 'Forbidden', statusMessage: '{"error":{"code":"AuthorizationFailed","message":"no"}}' },
    });
    expect(activityOfEvent(denied, 'r')).toMatchObject({ outcome: 'failure', errorCode: 'AuthorizationFailed' });
    expect(activityOfEvent(event({ status: { value: 'Started' } }), 'r')).toBeNull();
    expect(activityOfEvent(event({ operationName: { value: 'Microsoft.Compute/virtualMachines/write' } }), 'r')).toBeNull();
  });

  it('recognises Azure Backup by the vault its managed identity belongs to', () => {
    const vault = `/subscriptions/${DEMO.prod}/resourceGroups/rg-backup/providers/Microsoft.DataProtection/backupVaults/vault-prod`;
    expect(activityOfEvent(event({ caller: DEMO.backup, claims: { xms_mirid: vault } }), 'r')).toMatchObject({
      identity: { type: 'managed-identity', issuer: vault, automation: { by: 'azure-backup' } },
      source: { agent: 'cloud-service' },
    });
  });
});

describe('Azure activity against the lab (demo estate)', async () => {
  const { result } = await scanEstate(azureEstate(), {
    providers: ['azure'],
    config: {
      policy: { businessHours: { timeZone: 'UTC' }, trustedNetworks: { cidrs: ['203.0.113.0/24'] } },
    },
  });
  const prod = scopeNamed(result, 'prod-payments');
  const findings = (id: string) => prod.findings.filter((f) => f.checkId === id).map((f) => f.resource?.id);

  it('reads the family’s operations from the one activity-log listing per subscription', () => {
    // One listing per subscription, read once for both the creator lookup and the review (the demo's lab pages two
    // events at a time): prod's eleven events are six pages, dev's three two, and security, holding no snapshot
    // (so no creator lookup), one page for the review alone.
    expect(result.stats.operations['azure:Microsoft.Insights:ListActivityLogs']).toBe(6 + 2 + 1);
    expect((prod.activity ?? []).filter((a) => a.outcome === 'failure').map((a) => a.errorCode)).toEqual(
      Array(3).fill('AuthorizationFailed'),
    );
    expect((prod.activity ?? []).find((a) => a.identity.id === 'bob@contoso.com' && a.source.agent === 'console')).toMatchObject({
      identity: { mfa: 'yes' },
      source: { ip: '203.0.113.25' },
    });
  });

  it('fires off-hours, untrusted-source and denied-attempts', () => {
    expect(findings('activity.denied-attempts')).toEqual(['7c1c1c1c-0000-4000-8000-00000000c1c1']);
    expect(findings('activity.off-hours')).toContain('mallory@contoso.com');
    expect(findings('activity.untrusted-source')).toEqual(['7c1c1c1c-0000-4000-8000-00000000c1c1', 'mallory@contoso.com']);
    // The Backup vault's identity is automation: approved, and not judged by time.
    expect(findings('activity.unapproved-creator')).not.toContain(DEMO.backup);
  });
});
