/**
 * Admin Activity entries of the snapshot family as activity (src/core/model/activity.ts), as pure functions. The
 * fields are the LogEntry's and its AuditLog payload's (https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog):
 * `protoPayload.authenticationInfo.principalEmail` (and `serviceAccountDelegationInfo`, who a service account acted
 * for), `requestMetadata.callerIp` and `callerSuppliedUserAgent`, `status` (a google.rpc.Status: code 7 is
 * PERMISSION_DENIED), `methodName`, `resourceName` and the `request`. A long-running call logs a first and a last
 * entry under one `operation.id`: the first (which carries the request) stands for it; a call that failed before it
 * started logs one entry.
 */
import { type ActivityEffect, type ActivityEvent, classifyAgent } from '../../../src/core/model/activity.ts';
import { creationCalls, familyCreationCalls, sharingCalls } from '../audit.ts';
import { type AuditLogEntry, computeAgent } from './snapshots.ts';

interface ActivityEntry extends AuditLogEntry {
  insertId?: string;
  protoPayload?: AuditLogEntry['protoPayload'] & {
    authenticationInfo?: {
      principalEmail?: string;
      serviceAccountDelegationInfo?: Array<{ firstPartyPrincipal?: { principalEmail?: string } }>;
    };
    requestMetadata?: { callerIp?: string; callerSuppliedUserAgent?: string };
    status?: { code?: number; message?: string };
    request?: Record<string, unknown>;
  };
}

/** google.rpc.Code names (https://cloud.google.com/apis/design/errors#handling_errors). */
const rpcCodes: Record<number, string> = {
  3: 'INVALID_ARGUMENT',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  16: 'UNAUTHENTICATED',
};

const kindOf: Record<string, string> = {
  snapshots: 'disk-snapshot',
  regionSnapshots: 'disk-snapshot',
  disks: 'disk-snapshot',
  regionDisks: 'disk-snapshot',
  images: 'image',
  machineImages: 'machine-image',
  instantSnapshots: 'instant-snapshot',
  regionInstantSnapshots: 'instant-snapshot',
};

const calls = new Map<string, ActivityEffect>(
  [...creationCalls, ...familyCreationCalls, ...sharingCalls].map((c) => [c.call, c.does === 'share' ? 'share' : 'create']),
);

/** `projects/p/zones/z/disks/d` from a resource name or a (partial) URL; null for anything else. */
function path(value: unknown): string | null {
  if (typeof value !== 'string' || !value) return null;
  const i = value.indexOf('projects/');
  return i >= 0 ? value.slice(i) : null;
}

/** What the call made or acted on, and what it was made from. */
function resources(call: string, e: ActivityEntry): Pick<ActivityEvent, 'resource' | 'sourceResource'> {
  const p = e.protoPayload;
  const collection = call.split('.')[1] ?? '';
  const kind = kindOf[collection] ?? 'resource';
  const name = p?.resourceName ? path(p.resourceName) : null;
  const request = p?.request ?? {};
  if (collection === 'disks' || collection === 'regionDisks') {
    // disks.createSnapshot: the disk is the resource, the snapshot is named in the request.
    const project = /^projects\/([^/]+)\//.exec(name ?? '')?.[1];
    const snap = typeof request.name === 'string' && project ? `projects/${project}/global/snapshots/${request.name}` : null;
    return { resource: snap ? { kind, id: snap } : null, sourceResource: name ? { kind: 'disk', id: name } : null };
  }
  const from =
    path(request.sourceDisk) ?? path(request.sourceSnapshot) ?? path(request.sourceImage) ?? path(request.sourceInstance) ?? null;
  const fromKind = /\/disks\//.test(from ?? '')
    ? 'disk'
    : /\/snapshots\//.test(from ?? '')
      ? 'disk-snapshot'
      : /\/images\//.test(from ?? '')
        ? 'image'
        : 'instance';
  return { resource: name ? { kind, id: name } : null, sourceResource: from ? { kind: fromKind, id: from } : null };
}

/** One entry as activity; null when it is not a family call's first (or only) entry, or names no principal. */
export function activityOfEntry(e: ActivityEntry, read: string): ActivityEvent | null {
  const p = e.protoPayload;
  const method = p?.methodName ?? '';
  const call = /^(?:v1|beta|alpha)\.(compute\.[A-Za-z]+\.[A-Za-z]+)$/.exec(method)?.[1];
  const effect = call ? calls.get(call) : undefined;
  const who = p?.authenticationInfo?.principalEmail;
  const at = e.timestamp ? new Date(e.timestamp) : null;
  if (!call || !effect || !who || !at || Number.isNaN(at.getTime())) return null;
  if (e.operation?.last && !e.operation.first) return null;
  const code = p?.status?.code ?? 0;
  const ua = p?.requestMetadata?.callerSuppliedUserAgent ?? null;
  // Google-managed service agents (service-<project number>@…) act for the platform: a snapshot schedule acts as the
  // Compute Engine service agent.
  const serviceAgent = /^service-\d+@[a-z0-9-.]+\.gserviceaccount\.com$/.test(who);
  const schedule = effect === 'create' && computeAgent.test(who);
  return {
    id: e.insertId ?? `${method}/${at.toISOString()}`,
    region: 'global',
    at: at.toISOString(),
    operation: method,
    effect,
    identity: {
      type: /\.gserviceaccount\.com$/.test(who) ? 'serviceAccount' : 'user',
      id: who,
      issuer: p?.authenticationInfo?.serviceAccountDelegationInfo?.[0]?.firstPartyPrincipal?.principalEmail ?? null,
      mfa: 'unknown',
      automation: schedule ? { by: 'gcp-schedule', basis: `principalEmail ${who} (the Compute Engine service agent)` } : null,
    },
    source: {
      ip: p?.requestMetadata?.callerIp ?? null,
      userAgent: ua,
      agent: classifyAgent(ua, serviceAgent),
      vpcEndpointId: null,
    },
    ...resources(call, e),
    outcome: code === 0 ? 'success' : 'failure',
    errorCode: code === 0 ? null : (rpcCodes[code] ?? String(code)),
    read,
  };
}

/** The family's activity in the project's entries, from `since` on. */
export function activityFromEntries(entries: readonly AuditLogEntry[], _projectId: string, since: number, read: string): ActivityEvent[] {
  const seen = new Set<string>();
  return entries.flatMap((e) => {
    const a = activityOfEntry(e as ActivityEntry, read);
    if (!a || Date.parse(a.at) < since || seen.has(a.id)) return [];
    seen.add(a.id);
    return [a];
  });
}
