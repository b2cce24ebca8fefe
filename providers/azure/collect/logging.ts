/**
 * Activity-log export: the subscription's diagnostic settings (with the workspaces they export to), the platform
 * activity log itself, and the subscription-wide (`global`) recording matrix they and the alert routes make.
 */
import { type FamilyOperation, operationCoverage, regionLogging, sourceRecords } from '../../../src/core/model/logging.ts';
import type { AlertRoute, Logging, LoggingSource } from '../../../src/core/model/result.ts';
import { GLOBAL } from '../discovery.ts';
import { activityLogExport } from '../normalise/activity-log-export.ts';
import {
  destinationResource,
  platformActivityLog,
  type ResourceState,
  type WorkspaceState,
  withDestinations,
} from '../normalise/activity-log.ts';
import type { AzureScopeIO } from '../scope-io.ts';
import type { AzureScopeContext } from './context.ts';

/**
 * The subscription's diagnostic settings as export sources, each recording one with its destinations checked: the
 * workspaces (existence and retention), storage accounts and event hub namespaces (existence), each read once per
 * scan (exports usually share a central one).
 */
export async function collectLogging(io: AzureScopeIO, ctx: AzureScopeContext): Promise<LoggingSource[] | undefined> {
  const exports = await io.part('logging', async () => {
    const settings = await io.listDiagnosticSettings();
    return settings.map((d) =>
      activityLogExport(d, { subscriptionId: ctx.subscriptionId, centralWorkspaces: ctx.config.centralWorkspaces }),
    );
  });
  if (!exports) return undefined;
  const recording = exports.filter((s) => s.recordsSnapshotCreation === 'yes').flatMap((s) => s.destinations);
  const idsOf = (kinds: readonly string[]) =>
    [...new Set(recording.filter((d) => kinds.includes(d.kind)).flatMap((d) => destinationResource(d)?.toLowerCase() ?? []))].sort();
  const workspaceIds = idsOf(['log-analytics']);
  const resourceIds = idsOf(['storage-account', 'event-hub']);
  const [workspaces, resources] = await Promise.all([
    Promise.all(
      workspaceIds.map(async (id): Promise<WorkspaceState> => {
        const w = await io.part('logging', () => io.getWorkspace(id));
        return w === undefined ? 'unreadable' : w;
      }),
    ),
    Promise.all(
      resourceIds.map(async (id): Promise<ResourceState> => {
        const exists = await io.part('logging', () => io.destinationExists(id));
        return exists === undefined ? 'unreadable' : exists ? true : null;
      }),
    ),
  ]);
  const states = {
    workspaces: new Map(workspaceIds.map((id, i) => [id, workspaces[i] as WorkspaceState])),
    resources: new Map(resourceIds.map((id, i) => [id, resources[i] as ResourceState])),
  };
  return exports.map((s) => (s.recordsSnapshotCreation === 'yes' ? withDestinations(s, states) : s));
}

/**
 * The Log Analytics workspaces the subscription's Administrative events reach (a recording export to a workspace
 * that exists, or was not proven gone).
 */
export function exportWorkspaces(sources: readonly LoggingSource[]): string[] {
  const ids = sources
    .filter((s) => s.kind === 'activity-log-export' && s.recordsSnapshotCreation === 'yes' && s.enabled !== 'no')
    .flatMap((s) =>
      s.destinations
        .filter((d) => d.kind === 'log-analytics' && !s.health?.problems.some((p) => p.startsWith(`workspace ${d.id} does not exist`)))
        .map((d) => d.id),
    );
  // One per workspace, spelt as the first setting naming it spells it.
  const byKey = new Map<string, string>();
  for (const id of ids) if (!byKey.has(id.toLowerCase())) byKey.set(id.toLowerCase(), id);
  return [...byKey.values()].sort();
}

/**
 * The logging part of the collection; `sources` undefined: the diagnostic settings could not be read. `operations`:
 * the family's operations judged one by one.
 */
export function loggingOf(
  subscriptionId: string,
  sources: LoggingSource[] | undefined,
  alerts: AlertRoute[] | undefined | null,
  operations: readonly FamilyOperation[] = [],
): Logging {
  const exported = sources ?? [];
  // The activity log records every subscription for 90 days: it is the source whenever no export records (and
  // flows), and when the exports could not be read.
  const platform =
    sources === undefined || !exported.some((s) => sourceRecords(s) === 'yes')
      ? [platformActivityLog(subscriptionId, sources !== undefined)]
      : [];
  const srcs = [...exported, ...platform];
  const regions = regionLogging([GLOBAL], srcs, alerts ?? null).map((r) => {
    // Unread exports: the activity log itself still records (90 days); the reason says what could not be read.
    const judged = sources === undefined ? { ...r, reasons: ['the subscription diagnostic settings could not be read', ...r.reasons] } : r;
    // Every operation of the family is an Administrative event: recorded wherever snapshot creation is.
    return operations.length
      ? { ...judged, operations: operationCoverage(judged, alerts ?? null, operations, { read: 'insights:ListActivityLogAlerts' }) }
      : judged;
  });
  return { sources: srcs, alerts: alerts ?? [], regions };
}
