/**
 * The Azure activity log itself, and whether an export of it reaches a workspace that exists. Pure functions.
 *
 * Azure records every subscription's control-plane operations (snapshot creation included) in the activity log
 * whether or not anything exports it, and keeps them for 90 days
 * (https://learn.microsoft.com/en-us/azure/azure-monitor/platform/activity-log#retention-period). Without a diagnostic
 * setting the honest verdict is therefore "recorded, not retained and not central", not "no audit source": the
 * platform log is a source of its own (`kind: activity-log`), central `no`, retention 90 days.
 *
 * An export is only as good as its destination: a diagnostic setting naming a Log Analytics workspace that no longer
 * exists delivers nowhere. The workspace GET (Workspaces_Get) tells whether it exists and how long it keeps data
 * (`retentionInDays`, https://learn.microsoft.com/en-us/rest/api/loganalytics/workspaces/get).
 */
import type { Destination, LoggingSource, SourceHealth } from '../../../src/core/model/result.ts';
import type { ArmWorkspace } from '../scope-io.ts';

export const ACTIVITY_LOG_RETENTION_DAYS = 90;

/**
 * The subscription's own activity log as a logging source. `exportsRead`: whether the diagnostic settings were read
 * (when they were not, whether the log is also exported somewhere central is unknown).
 */
export function platformActivityLog(subscriptionId: string, exportsRead: boolean): LoggingSource {
  const id = `/subscriptions/${subscriptionId}/providers/microsoft.insights/eventtypes/management`;
  return {
    id,
    kind: 'activity-log',
    name: 'activity log',
    home: 'global',
    ownerScopeId: null,
    inherited: false,
    enabled: 'yes',
    regions: ['*'],
    recordsSnapshotCreation: 'yes',
    central: exportsRead ? 'no' : 'unknown',
    // Entries cannot be edited, but nothing the scanner can read says how they are protected: not claimed.
    integrity: 'unknown',
    encrypted: 'yes',
    // Unread exports may keep it longer: then how long it is kept is unknown, not 90 days.
    retentionDays: exportsRead ? ACTIVITY_LOG_RETENTION_DAYS : null,
    destinations: [
      { kind: 'activity-log', id, scopeId: subscriptionId.toLowerCase(), retentionDays: ACTIVITY_LOG_RETENTION_DAYS, locked: 'unknown' },
    ],
    reasons: [
      exportsRead
        ? 'no subscription diagnostic setting exports the Administrative category: the activity log is kept by Azure for 90 days only, outside any store you control (recorded, not retained, not central)'
        : 'the activity log is kept by Azure for 90 days; whether a diagnostic setting also exports it is unknown (the settings could not be read)',
    ],
  };
}

/** What reading a workspace said: the workspace, `null` (it does not exist) or `unreadable`. */
export type WorkspaceState = ArmWorkspace | null | 'unreadable';

/** What reading a storage account or an event hub namespace said: it exists (`true`), `null` (it does not) or `unreadable`. */
export type ResourceState = true | null | 'unreadable';

/** The destinations' reads, each by lower-cased resource id. */
export interface DestinationStates {
  workspaces: ReadonlyMap<string, WorkspaceState>;
  /** Storage accounts and event hub namespaces. */
  resources?: ReadonlyMap<string, ResourceState>;
}

/**
 * The resource whose existence decides whether an export reaches a destination: the workspace, the storage account,
 * or the event hub namespace (a diagnostic setting names the namespace's authorization rule; the hub itself,
 * `insights-activity-logs` unless named, is created in it on first delivery:
 * https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/diagnostic-settings#destinations). Null: none read.
 */
export function destinationResource(d: Destination): string | null {
  if (d.kind === 'log-analytics' || d.kind === 'storage-account') return d.id;
  if (d.kind === 'event-hub') return /^(.*\/providers\/microsoft\.eventhub\/namespaces\/[^/]+)/i.exec(d.id)?.[1] ?? null;
  return null;
}

const what: Partial<Record<Destination['kind'], string>> = {
  'log-analytics': 'workspace',
  'storage-account': 'storage account',
  'event-hub': 'event hub namespace',
};

const readBy: Partial<Record<Destination['kind'], string>> = {
  'log-analytics': 'Microsoft.OperationalInsights:GetWorkspace',
  'storage-account': 'Microsoft.Storage:GetStorageAccountProperties',
  'event-hub': 'Microsoft.EventHub:GetNamespace',
};

/**
 * An export source with its destinations checked: retention from the workspaces that exist, and health
 * `flowing: no` when every destination it names is a workspace, storage account or event hub namespace that no longer
 * exists ("configured but not flowing"); a destination that could not be read (or a partner solution, not read)
 * leaves it unknown.
 */
export function withDestinations(source: LoggingSource, states: DestinationStates): LoggingSource {
  const problems: string[] = [];
  let present = 0;
  let unknown = 0;
  const destinations = source.destinations.map((d): Destination => {
    const key = destinationResource(d);
    const state =
      key === null
        ? undefined
        : d.kind === 'log-analytics'
          ? states.workspaces.get(key.toLowerCase())
          : states.resources?.get(key.toLowerCase());
    if (state === undefined || state === 'unreadable') {
      unknown++;
      if (state === 'unreadable') problems.push(`${what[d.kind]} ${key} could not be read: whether the export reaches it is unknown`);
      return d;
    }
    if (state === null) {
      problems.push(`${what[d.kind]} ${key} does not exist: diagnostic setting ${source.name} exports to nothing there`);
      return d;
    }
    present++;
    if (d.kind !== 'log-analytics' || state === true) return d;
    const days = typeof state.properties?.retentionInDays === 'number' ? state.properties.retentionInDays : null;
    return { ...d, retentionDays: days };
  });
  const read = [...new Set(destinations.filter((d) => destinationResource(d) !== null).map((d) => readBy[d.kind]))];
  if (read.length === 0) return source;
  const flowing: SourceHealth['flowing'] = present > 0 ? 'yes' : unknown > 0 ? 'unknown' : 'no';
  const known = destinations.map((d) => d.retentionDays).filter((d): d is number => d !== null);
  const withDays = destinations.filter((d) => d.kind === 'log-analytics' && d.retentionDays !== null);
  const others = destinations.length - destinations.filter((d) => d.kind === 'log-analytics').length;
  const generic = (r: string) => r.startsWith('retention is not part of diagnostic setting');
  // The workspaces' retention was read: the generic "not read" reason holds for the other destinations only.
  const retentionNote =
    withDays.length > 0 && source.reasons.some(generic)
      ? others === 0 && unknown === 0
        ? []
        : [
            `retention of diagnostic setting ${source.name} is read from its workspace (${Math.max(...withDays.map((d) => d.retentionDays ?? 0))} days); the other destinations' (storage lifecycle policy, event hub consumers) is not read`,
          ]
      : source.reasons.filter(generic);
  const reasons = [
    ...source.reasons.filter((r) => !generic(r)),
    ...retentionNote,
    ...(flowing === 'no' ? [`diagnostic setting ${source.name} is configured but not flowing: ${problems.join('; ')}`] : problems),
  ];
  return {
    ...source,
    destinations,
    retentionDays: known.length ? Math.max(...known) : source.retentionDays,
    reasons: [...new Set(reasons)],
    health: { flowing, lastDelivery: null, problems, source: read.sort().join(', ') },
  };
}

/** The workspace destinations checked (the other destinations not read): see withDestinations. */
export function withWorkspaces(source: LoggingSource, workspaces: ReadonlyMap<string, WorkspaceState>): LoggingSource {
  if (!source.destinations.some((d) => d.kind === 'log-analytics')) return source;
  return withDestinations(source, { workspaces });
}
