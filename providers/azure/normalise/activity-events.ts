/**
 * Azure activity-log events of the snapshot family as activity (src/core/model/activity.ts), as pure functions. The
 * fields are the activity log's event schema (https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log-schema):
 * `caller`, `claims` (the caller's token: `appid`, `ipaddr`, `idtyp`, `amr`, `xms_mirid`), `httpRequest.clientIpAddress`,
 * `operationName`, `status` / `subStatus` and `properties.statusMessage` (a failed call's error, e.g.
 * AuthorizationFailed), `resourceId`, `eventDataId`. An operation logs a Started event and a final one (Succeeded or
 * Failed; long-running ones an Accepted in between): only the final one is kept. The activity log has no user
 * agent: the calling application is classified from the token's `appid` (the portal's, the CLI's, PowerShell's).
 */
import type { EventData } from '@azure/arm-monitor';
import type { ActivityEffect, ActivityEvent, CallerAgent } from '../../../src/core/model/activity.ts';
import { armId } from '../ids.ts';
import { backupVaultOf } from './activity.ts';

/** The operations of the family the review keeps, with what each does; `write` also covers updates of the resource. */
export const activityOperations: ReadonlyArray<{ operation: string; effect: ActivityEffect; kind: string }> = [
  { operation: 'Microsoft.Compute/snapshots/write', effect: 'create', kind: 'disk-snapshot' },
  { operation: 'Microsoft.Compute/images/write', effect: 'create', kind: 'image' },
  { operation: 'Microsoft.Compute/galleries/images/versions/write', effect: 'create', kind: 'gallery-image-version' },
  { operation: 'Microsoft.Compute/restorePointCollections/restorePoints/write', effect: 'create', kind: 'restore-point' },
  { operation: 'Microsoft.Compute/virtualMachines/capture/action', effect: 'create', kind: 'image' },
  { operation: 'Microsoft.Compute/galleries/share/action', effect: 'share', kind: 'gallery' },
  { operation: 'Microsoft.Compute/snapshots/beginGetAccess/action', effect: 'export', kind: 'disk-snapshot' },
  { operation: 'Microsoft.Compute/disks/beginGetAccess/action', effect: 'export', kind: 'disk' },
  {
    operation: 'Microsoft.Compute/restorePointCollections/restorePoints/diskRestorePoints/beginGetAccess/action',
    effect: 'export',
    kind: 'disk-restore-point',
  },
];

/**
 * First-party applications by their well-known application ids
 * (https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in).
 */
const firstPartyApps: Record<string, CallerAgent> = {
  'c44b4083-3bb0-49c1-b47d-974e53cbdf3c': 'console', // Azure Portal
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': 'cli', // Microsoft Azure CLI
  '1950a258-227b-4e31-a9cf-717495945fc2': 'cli', // Microsoft Azure PowerShell
};

const byOperation = new Map(activityOperations.map((o) => [o.operation.toLowerCase(), o]));

function claim(e: EventData, name: string): string | null {
  const v = e.claims?.[name];
  return typeof v === 'string' && v ? v : null;
}

/** The error a failed call returned: the code in `properties.statusMessage`, else the sub-status, else the status code. */
function errorOf(e: EventData): string | null {
  const message = e.properties?.statusMessage;
  if (typeof message === 'string') {
    try {
      const code = (JSON.parse(message) as { error?: { code?: unknown } }).error?.code;
      if (typeof code === 'string' && code) return code;
    } catch {
      // not JSON: fall through to the sub-status
    }
  }
  return e.subStatus?.value || e.properties?.statusCode || 'Failed';
}

function mfaOf(e: EventData): ActivityEvent['identity']['mfa'] {
  const amr = claim(e, 'http://schemas.microsoft.com/claims/authnmethodsreferences');
  if (amr === null) return 'unknown';
  return amr.split(',').some((m) => m.trim().toLowerCase() === 'mfa') ? 'yes' : 'no';
}

/** One activity-log event as activity; null when it is not a final event of a family operation or names no caller. */
export function activityOfEvent(e: EventData, read: string): ActivityEvent | null {
  const op = byOperation.get((e.operationName?.value ?? '').toLowerCase());
  const status = (e.status?.value ?? '').toLowerCase();
  const resource = e.resourceId ?? e.authorization?.scope;
  const at = e.eventTimestamp;
  if (!op || (status !== 'succeeded' && status !== 'failed') || !e.caller || !at || Number.isNaN(at.getTime())) return null;
  const mirid = claim(e, 'xms_mirid');
  const vault = backupVaultOf({ identity: e.caller, at: null, actingResource: mirid });
  const appid = claim(e, 'appid');
  const idtyp = claim(e, 'idtyp');
  const app = appid ? firstPartyApps[appid] : undefined;
  const agent: CallerAgent = mirid ? 'cloud-service' : (app ?? (idtyp === 'app' ? 'sdk' : 'unknown'));
  const failed = status === 'failed';
  return {
    id: e.eventDataId ?? `${e.caller}/${at.toISOString()}`,
    region: 'global',
    at: at.toISOString(),
    operation: e.operationName?.value ?? op.operation,
    effect: op.effect,
    identity: {
      type: mirid ? 'managed-identity' : (idtyp ?? (e.caller.includes('@') ? 'user' : 'app')),
      id: e.caller,
      issuer: mirid,
      mfa: mfaOf(e),
      automation: vault ? { by: 'azure-backup', basis: `claims.xms_mirid ${vault}` } : null,
    },
    source: {
      ip: claim(e, 'ipaddr') ?? e.httpRequest?.clientIpAddress ?? null,
      userAgent: null,
      agent,
      vpcEndpointId: null,
    },
    resource: resource ? { kind: op.kind, id: armId(resource) } : null,
    sourceResource: null,
    outcome: failed ? 'failure' : 'success',
    errorCode: failed ? errorOf(e) : null,
    read,
  };
}

/** The family's activity in one activity-log listing, from `since` on, final events only. */
export function activityFromEvents(events: readonly EventData[], since: number, read: string): ActivityEvent[] {
  return events.flatMap((e) => {
    const a = activityOfEvent(e, read);
    return a && Date.parse(a.at) >= since ? [a] : [];
  });
}
