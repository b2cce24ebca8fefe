/**
 * Alerting of a project: log-based metrics, alert policies and notification channels, judged by normalise/logging.ts.
 * The channels are read only when a policy names one: a policy carries the names of its channels
 * (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#AlertPolicy), and their listing
 * says only whether those are enabled.
 */
import { attempt } from '../../gaps.ts';
import { classifyGcpError as classify } from '../errors.ts';
import { alertPolicyInfo, channelLookup, metricInfo } from '../normalise/alerting.ts';
import { type AlertingResult, alertRoutes } from '../normalise/logging.ts';
import { GLOBAL, type GcpIO } from '../scope-io.ts';
import type { GcpScopeContext } from './context.ts';

export interface Alerting extends AlertingResult {
  /** Metrics and policies were both read. */
  complete: boolean;
}

export async function collectAlerting(io: GcpIO, ctx: GcpScopeContext): Promise<Alerting> {
  const P = ctx.project.projectId;
  const read = <T>(fn: () => Promise<T>) => attempt(ctx.gaps, 'alerting', GLOBAL, classify, fn);
  const [metrics, policies] = await Promise.all([read(() => io.listMetrics(P)), read(() => io.listAlertPolicies(P))]);
  const named = (policies ?? []).some((p) => (p.notificationChannels ?? []).length > 0);
  const channels = named ? await read(() => io.listChannels(P)) : [];
  if (metrics && policies && channels) ctx.ok.add('alerting');
  const result = alertRoutes(P, (metrics ?? []).map(metricInfo), (policies ?? []).map(alertPolicyInfo), channelLookup(channels));
  return {
    routes: result.routes,
    complete: metrics !== undefined && policies !== undefined,
    undecided: result.undecided,
    undecidedCalls: result.undecidedCalls,
  };
}
