/**
 * Activity-log export: the subscription's diagnostic settings, and the subscription-wide (`global`) recording matrix
 * they and the alert routes make.
 */
import { type FamilyOperation, operationCoverage, regionLogging } from '../../../src/core/model/logging.ts';
import type { AlertRoute, Logging, LoggingSource } from '../../../src/core/model/result.ts';
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
 * The logging part of the collection; `sources` undefined: the diagnostic settings could not be read. `operations`:
 * the family's operations judged one by one.
 */
export function loggingOf(
  sources: LoggingSource[] | undefined,
  alerts: AlertRoute[] | undefined | null,
  operations: readonly FamilyOperation[] = [],
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
    // Every operation of the family is an Administrative event: recorded wherever snapshot creation is.
    return operations.length
      ? { ...judged, operations: operationCoverage(judged, alerts ?? null, operations, { read: 'insights:ListActivityLogAlerts' }) }
      : judged;
  });
  return { sources: srcs, alerts: alerts ?? [], regions };
}
