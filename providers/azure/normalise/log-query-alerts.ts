/**
 * Alerting over the exported activity log: Azure Monitor log search alert rules (Microsoft.Insights/scheduledQueryRules)
 * and Microsoft Sentinel analytics rules (Microsoft.SecurityInsights/alertRules) on the Log Analytics workspaces a
 * subscription's diagnostic settings export the Administrative category to. The exported log lands in the
 * `AzureActivity` table, one row per operation with its name in `OperationNameValue` (e.g.
 * `MICROSOFT.COMPUTE/SNAPSHOTS/WRITE`): https://learn.microsoft.com/en-us/azure/azure-monitor/reference/tables/azureactivity.
 * A KQL query is read as text, never run: a query over AzureActivity that names the operation is `exact`, one that
 * names only its resource type or provider, or filters on no operation at all, is `broad`, one that names other
 * operations only (or excludes this one) is `none`. Pure functions, tested case by case (test/azure/cases/log-query-*.json).
 */
import type { ScheduledQueryRuleResource } from '@azure/arm-monitor';
import type { AlertRoute, RouteOperation } from '../../../src/core/model/result.ts';
import type { SentinelRule } from '../scope-io.ts';
import { SNAPSHOT_WRITE, type ActionGroupState, actionGroupKey } from './alerts.ts';
import { armId } from '../ids.ts';

type Match = AlertRoute['match'];

const NEGATION = /(?:!=|!~|!in~?|!has(?:_cs)?|!contains(?:_cs)?|!startswith(?:_cs)?|!endswith(?:_cs)?)\s*\(?\s*$/;

/** Does a KQL query over the exported activity log fire on `operation`? */
export function kqlMatch(query: string, operation: string): { match: Match; reason: string } {
  const q = query.toLowerCase();
  if (!/\bazureactivity\b/.test(q))
    return { match: 'none', reason: 'the query does not read the AzureActivity table (where the exported activity log lands)' };
  const op = operation.toLowerCase();
  const type = op.replace(/\/[^/]+\/action$/, '').replace(/\/(write|delete)$/, '');
  const provider = type.split('/')[0] ?? type;
  const at = q.indexOf(op);
  if (at >= 0) {
    // `OperationNameValue != "…"` and friends name the operation to leave it out.
    const before = q.slice(Math.max(0, at - 40), at).replace(/["'@]+$/, '');
    if (NEGATION.test(before)) return { match: 'none', reason: `the query excludes ${operation}` };
    return { match: 'exact', reason: `the query names ${operation}` };
  }
  if (q.includes(`${type}/`) || q.endsWith(type) || new RegExp(`${type.replace(/[./]/g, '\\$&')}\\b`).test(q))
    return { match: 'broad', reason: `the query names ${type} operations, not ${operation} specifically` };
  if (/operationname|resourceprovider|_resourceid|resourceid|microsoft\.[a-z]+\//.test(q)) {
    // The provider alone (`ResourceProviderValue == "MICROSOFT.COMPUTE"`) covers every operation of it; the provider
    // followed by another type (`MICROSOFT.COMPUTE/IMAGES/…`) does not.
    const names = new RegExp(`${provider.replace(/\./g, '\\.')}(?!/)`).test(q);
    if (names) return { match: 'broad', reason: `the query names the ${provider} provider, not ${operation} specifically` };
    return { match: 'none', reason: `the query filters on other operations, not ${operation}` };
  }
  return { match: 'broad', reason: `the query fires on every activity-log event, not on ${operation} specifically` };
}

/** Whether a rule's action groups notify anyone (the same rule as for activity log alerts). */
function notification(ids: readonly string[], groups: ReadonlyMap<string, ActionGroupState>): { silent: boolean; reasons: string[] } {
  if (ids.length === 0) return { silent: true, reasons: ['no action group: nobody is notified'] };
  const states = ids.map(
    (id) => groups.get(actionGroupKey(id)) ?? { state: 'unreadable' as const, reason: `action group ${id} was not read` },
  );
  if (states.some((x) => x.state === 'notifies')) return { silent: false, reasons: [] };
  const unreadable = states.filter((x) => x.state === 'unreadable');
  if (unreadable.length) return { silent: false, reasons: unreadable.map((x) => `${x.reason}: whether anyone is notified is unknown`) };
  return { silent: true, reasons: states.map((x) => x.reason) };
}

/** The rule's match on snapshot creation, and per operation of the family the ones it fires on (the route shape). */
function judged(query: string, operations: readonly string[], silent: boolean) {
  const main = kqlMatch(query, SNAPSHOT_WRITE);
  return {
    match: silent ? ('none' as const) : main.match,
    reason: main.reason,
    operations: silent ? [] : firing(query, operations),
  };
}

function firing(query: string, operations: readonly string[]): RouteOperation[] {
  return operations.flatMap((operation): RouteOperation[] => {
    const m = kqlMatch(query, operation).match;
    return m === 'none' ? [] : [{ operation, match: m }];
  });
}

/** The action group ids of a log search alert rule. */
export function queryRuleActionGroups(r: ScheduledQueryRuleResource): string[] {
  return (r.actions?.actionGroups ?? []).filter((x): x is string => typeof x === 'string' && x.length > 0);
}

/** Does a log search alert rule run over one of `workspaces` (lower-case ids)? */
export function queriesWorkspace(r: ScheduledQueryRuleResource, workspaces: ReadonlySet<string>): string | null {
  return (r.scopes ?? []).map(armId).find((s) => workspaces.has(s.toLowerCase())) ?? null;
}

/** One log search alert rule over an export workspace → an alert route (region `global`, the activity log's). */
export function scheduledQueryRuleRoute(
  r: ScheduledQueryRuleResource,
  workspace: string,
  groups: ReadonlyMap<string, ActionGroupState>,
  operations: readonly string[],
): AlertRoute {
  const query = queryRuleText(r);
  const note = notification(queryRuleActionGroups(r), groups);
  const j = judged(query, operations, note.silent);
  const reasons = [
    `log search alert rule over workspace ${workspace}`,
    j.reason,
    ...(r.enabled === false ? ['the alert rule is disabled'] : []),
    ...note.reasons,
  ];
  return {
    id: armId(r.id ?? `scheduledQueryRules/${r.name ?? 'unnamed'}`),
    kind: 'scheduled-query-rule',
    name: r.displayName ?? r.name ?? 'unnamed',
    region: 'global',
    enabled: r.enabled !== false,
    match: j.match,
    reasons,
    ...(operations.length ? { operations: j.operations } : {}),
  };
}

/**
 * One Microsoft Sentinel analytics rule on an export workspace → an alert route. A Scheduled or NRT rule runs its
 * KQL and raises an incident in Sentinel (the SOC's queue: that is its notification); Fusion and Microsoft security
 * incident creation rules correlate other products' alerts and name no activity-log operation.
 */
export function sentinelRuleRoute(r: SentinelRule, workspace: string, operations: readonly string[]): AlertRoute {
  const name = r.properties?.displayName ?? r.name ?? 'unnamed';
  const hasQuery = r.kind === 'Scheduled' || r.kind === 'NRT';
  const j = hasQuery
    ? judged(r.properties?.query ?? '', operations, false)
    : {
        match: 'none' as const,
        reason: `a ${r.kind ?? 'rule'} rule runs no query over the activity log`,
        operations: [],
      };
  const enabled = r.properties?.enabled !== false;
  return {
    id: armId(r.id ?? `${workspace}/providers/Microsoft.SecurityInsights/alertRules/${r.name ?? 'unnamed'}`),
    kind: 'sentinel-rule',
    name,
    region: 'global',
    enabled,
    match: j.match,
    reasons: [
      `Microsoft Sentinel analytics rule on workspace ${workspace}`,
      j.reason,
      ...(enabled ? [] : ['the analytics rule is disabled']),
    ],
    ...(operations.length ? { operations: j.operations } : {}),
  };
}

/**
 * Is a query worth reporting as a route: does it fire (or would it, enabled and notifying) on some operation of the
 * snapshot family, or name one to exclude it? A workspace holds many rules about other things; those are left out.
 */
export function queryNamesFamily(query: string, operations: readonly string[]): boolean {
  return [SNAPSHOT_WRITE, ...operations].some((op) => {
    const m = kqlMatch(query, op);
    return m.match !== 'none' || m.reason.startsWith('the query excludes');
  });
}

/** The KQL of a log search alert rule (its conditions' queries). */
export function queryRuleText(r: ScheduledQueryRuleResource): string {
  return (r.criteria?.allOf ?? [])
    .map((c) => c.query ?? '')
    .filter(Boolean)
    .join('\n');
}
