/**
 * Activity-log export: the subscription's diagnostic settings, and the subscription-wide (`global`) recording matrix
 * they and the alert routes make.
 */
import { regionLogging } from '../../../src/core/model/logging.ts';
import type { AlertRoute, Logging, LoggingSource, OperationCoverage, RegionLogging } from '../../../src/core/model/result.ts';
import { GLOBAL } from '../discovery.ts';
import { activityLogExport } from '../normalise/activity-log-export.ts';
import type { AzureScopeIO } from '../scope-io.ts';
import type { AzureScopeContext } from './context.ts';

export function collectLogging(io: AzureScopeIO, ctx: AzureScopeContext): Promise<LoggingSource[] | undefined> {
  return io.part('logging', async () => {
    const settings = await io.listDiagnosticSettings();
    return settings.map((d) =>
      activityLogExport(d, { subscriptionId: ctx.subscriptionId, centralWorkspaces: ctx.config.centralWorkspaces }),
    );
  });
}

/**
 * Recording and alerting per operation of the snapshot family in a region: every one is an Administrative event, so
 * it is recorded wherever snapshot creation is; alerted as the best enabled rule matching that operation.
 */
function operationCoverage(r: RegionLogging, alerts: readonly AlertRoute[] | null, operations: readonly string[]): OperationCoverage[] {
  return operations.map((operation) => {
    const hits = (alerts ?? [])
      .filter((a) => a.enabled)
      .map((a) => ({ id: a.id, match: a.operations?.find((o) => o.operation === operation)?.match ?? 'none' }))
      .filter((x) => x.match !== 'none');
    const alerted: OperationCoverage['alerted'] =
      alerts === null ? 'unknown' : hits.some((x) => x.match === 'exact') ? 'exact' : hits.length ? 'broad' : 'none';
    return { operation, recorded: r.recorded, alerted, alertIds: hits.map((x) => x.id) };
  });
}

/**
 * The logging part of the collection; `sources` undefined: the diagnostic settings could not be read. `operations`:
 * the family's operations judged one by one.
 */
export function loggingOf(
  sources: LoggingSource[] | undefined,
  alerts: AlertRoute[] | undefined | null,
  operations: readonly string[] = [],
): Logging {
  const srcs = sources ?? [];
  const regions = regionLogging([GLOBAL], srcs, alerts ?? null).map((r) => {
    const judged =
      sources === undefined
        ? { ...r, recorded: 'unknown' as const, reasons: ['the subscription diagnostic settings could not be read'] }
        : srcs.length === 0
          ? {
              ...r,
              reasons: [
                'no subscription diagnostic setting exports the Activity Log: Azure keeps it for 90 days only, outside any store you control',
              ],
            }
          : r;
    return operations.length ? { ...judged, operations: operationCoverage(judged, alerts ?? null, operations) } : judged;
  });
  return { sources: srcs, alerts: alerts ?? [], regions };
}
