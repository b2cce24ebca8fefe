/**
 * Alerting over the exported activity log: on every Log Analytics workspace the subscription's Administrative events
 * reach, the Microsoft Sentinel analytics rules, and the log search alert rules of the workspace's subscription (often
 * a central one) that run over that workspace; each list is read once per scan. Only rules whose query names the
 * snapshot family become routes (a workspace holds many rules about other things); the action groups of those log
 * search rules are read to tell whether they notify anyone.
 */
import type { AlertRoute, LoggingSource } from '../../../src/core/model/result.ts';
import { subscriptionOf } from '../ids.ts';
import { type ActionGroupState, actionGroupKey, familyOperations } from '../normalise/alerts.ts';
import {
  queriesWorkspace,
  queryNamesFamily,
  queryRuleActionGroups,
  queryRuleText,
  scheduledQueryRuleRoute,
  sentinelRuleRoute,
} from '../normalise/log-query-alerts.ts';
import type { AzureScopeIO } from '../scope-io.ts';
import { actionGroup } from './alerting.ts';
import type { AzureScopeContext } from './context.ts';
import { exportWorkspaces } from './logging.ts';

async function sentinelRoutes(io: AzureScopeIO, workspace: string, operations: readonly string[]): Promise<AlertRoute[]> {
  const rules = await io.part('alerting', () => io.listSentinelRules(workspace));
  if (!rules) return [];
  return rules
    .filter((r) => (r.kind === 'Scheduled' || r.kind === 'NRT') && queryNamesFamily(r.properties?.query ?? '', operations))
    .map((r) => sentinelRuleRoute(r, workspace, operations));
}

async function queryRuleRoutes(io: AzureScopeIO, workspaces: readonly string[], operations: readonly string[]): Promise<AlertRoute[]> {
  const wanted = new Set(workspaces.map((w) => w.toLowerCase()));
  const subs = [...new Set(workspaces.map((w) => subscriptionOf(w)).filter((x): x is string => x !== null))].sort();
  const listed = await Promise.all(subs.map((sub) => io.part('alerting', () => io.listScheduledQueryRules(sub))));
  const rules = listed
    .flatMap((l) => l ?? [])
    .map((r) => ({ r, workspace: queriesWorkspace(r, wanted) }))
    .filter(
      (x): x is { r: (typeof x)['r']; workspace: string } => x.workspace !== null && queryNamesFamily(queryRuleText(x.r), operations),
    );
  const ids = [...new Set(rules.flatMap(({ r }) => queryRuleActionGroups(r)))].sort();
  const states = new Map<string, ActionGroupState>();
  await Promise.all(ids.map(async (id) => states.set(actionGroupKey(id), await actionGroup(io, id))));
  return rules.map(({ r, workspace }) => scheduledQueryRuleRoute(r, workspace, states, operations));
}

/** Routes from Sentinel and log search alert rules over the workspaces `sources` export to. */
export async function collectWorkspaceAlerts(
  io: AzureScopeIO,
  ctx: AzureScopeContext,
  sources: readonly LoggingSource[],
): Promise<AlertRoute[]> {
  const workspaces = exportWorkspaces(sources);
  if (workspaces.length === 0) return [];
  const operations = familyOperations(ctx.catalogue).map((o) => o.operation);
  const [sentinel, queries] = await Promise.all([
    Promise.all(workspaces.map((w) => sentinelRoutes(io, w, operations))),
    queryRuleRoutes(io, workspaces, operations),
  ]);
  return [...sentinel.flat(), ...queries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
