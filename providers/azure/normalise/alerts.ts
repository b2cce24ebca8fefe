/**
 * Activity log alert rules → alert routes: what a rule's condition matches, where it applies, and whether it notifies
 * anyone (its action groups). Pure functions, tested case by case (test/azure/cases/alerts-*.json).
 */
import type { ActionGroupResource, ActivityLogAlertResource, AlertRuleLeafCondition } from '@azure/arm-monitor';
import type { CatalogueEntry } from '../../../src/core/catalogue/index.ts';
import type { FamilyOperation } from '../../../src/core/model/logging.ts';
import type { AlertRoute, Capability, RouteOperation } from '../../../src/core/model/result.ts';
import { armId, resourceGroupOf } from '../ids.ts';

export const SNAPSHOT_WRITE = 'Microsoft.Compute/snapshots/write';

/**
 * What an activity-log event of `operation` looks like to an alert condition: its operation name, the resource type
 * and provider it acts on (the operation without its last `/write` or `/{name}/action`), category Administrative
 * (https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log-schema#administrative-category).
 */
function eventOf(operation: string): Record<string, readonly string[]> {
  const type = operation.replace(/\/[^/]+\/action$/i, '').replace(/\/(write|delete)$/i, '');
  return {
    category: ['Administrative'],
    operationname: [operation],
    resourcetype: [type],
    resourceprovider: [type.split('/')[0] ?? type],
    status: ['Started', 'Accepted', 'Succeeded'],
    level: ['Informational'],
  };
}
/** Fields that single out one operation. */
const targeting = new Set(['operationname', 'resourcetype']);

/**
 * The operations of the snapshot family the activity log records and an alert can fire on: every Azure catalogue
 * operation that creates, copies, shares or exports an artifact (data actions are not in the activity log), in
 * catalogue order.
 */
export function familyOperations(catalogue: readonly CatalogueEntry[]): FamilyOperation[] {
  const wanted = new Set<Capability>(['create', 'copy', 'share', 'export']);
  const byAction = new Map<string, FamilyOperation>();
  for (const e of catalogue)
    if (e.provider === 'azure' && !e.dataAction && wanted.has(e.capability) && !byAction.has(e.action))
      byAction.set(e.action, { operation: e.action, effect: e.capability as FamilyOperation['effect'] });
  return [...byAction.values()];
}

type LeafVerdict = 'targeted' | 'match' | 'narrow' | 'no';

function leafVerdict(leaf: AlertRuleLeafCondition, operation: string): { verdict: LeafVerdict; reason: string } {
  const field = (leaf.field ?? '').toLowerCase();
  const values = leaf.equals !== undefined ? [leaf.equals] : (leaf.containsAny ?? []);
  const label = `${leaf.field} ${leaf.equals !== undefined ? `= ${leaf.equals}` : `in [${values.join(', ')}]`}`;
  const what = operation === SNAPSHOT_WRITE ? 'snapshot creation' : operation;
  const event = eventOf(operation)[field];
  if (!event)
    return {
      verdict: 'narrow',
      reason: `condition ${label} fires only for some ${operation === SNAPSHOT_WRITE ? 'snapshot operations' : `${what} events`}`,
    };
  // Values compare case-insensitively and literally: alert conditions have no wildcards.
  const hit = values.some((v) => event.some((e) => v.toLowerCase() === e.toLowerCase()));
  if (!hit) return { verdict: 'no', reason: `condition ${label} excludes ${what}` };
  return { verdict: targeting.has(field) ? 'targeted' : 'match', reason: `condition ${label} includes ${what}` };
}

/** Does an alert condition (all of its leaves) fire on `operation` (default: snapshot creation)? */
export function alertConditionMatch(
  allOf: readonly (AlertRuleLeafCondition & { anyOf?: AlertRuleLeafCondition[] })[],
  operation: string = SNAPSHOT_WRITE,
): {
  match: AlertRoute['match'];
  reasons: string[];
} {
  const verdicts = allOf.map((c) => {
    if (c.anyOf?.length) {
      const leaves = c.anyOf.map((l) => leafVerdict(l, operation));
      for (const v of ['targeted', 'match', 'narrow', 'no'] as const) {
        const hit = leaves.find((l) => l.verdict === v);
        if (hit) return hit;
      }
    }
    return leafVerdict(c, operation);
  });
  const blocking = verdicts.filter((v) => v.verdict === 'no' || v.verdict === 'narrow');
  if (blocking.length > 0) return { match: 'none', reasons: blocking.map((b) => b.reason) };
  if (verdicts.some((v) => v.verdict === 'targeted')) return { match: 'exact', reasons: [] };
  const what = operation === SNAPSHOT_WRITE ? 'snapshot creation' : operation;
  return { match: 'broad', reasons: [`fires on a whole category of operations, not on ${what} specifically`] };
}

/** What reading an action group told us about who it notifies. */
export interface ActionGroupState {
  /** `notifies`: enabled with an enabled receiver; `silent`: disabled or nobody to notify; `missing`: it does not
   * exist; `unreadable`: it could not be read (whether anyone is notified is unknown). */
  state: 'notifies' | 'silent' | 'missing' | 'unreadable';
  reason: string;
}

const receiverLists = [
  'emailReceivers',
  'smsReceivers',
  'webhookReceivers',
  'itsmReceivers',
  'azureAppPushReceivers',
  'automationRunbookReceivers',
  'voiceReceivers',
  'logicAppReceivers',
  'azureFunctionReceivers',
  'armRoleReceivers',
  'eventHubReceivers',
  'incidentReceivers',
] as const;

/**
 * An action group that is disabled notifies none of its receivers, and one without receivers nobody
 * (https://learn.microsoft.com/en-us/azure/azure-monitor/alerts/action-groups); an email or SMS receiver whose
 * status is Disabled has opted out.
 */
export function actionGroupState(g: ActionGroupResource): ActionGroupState {
  const name = g.name ?? g.id ?? 'unnamed';
  if (g.enabled === false) return { state: 'silent', reason: `action group ${name} is disabled: it notifies nobody` };
  const receivers = receiverLists.flatMap((k) => (g[k] ?? []) as Array<{ status?: string }>);
  const live = receivers.filter((r) => r.status !== 'Disabled');
  if (live.length === 0) {
    return {
      state: 'silent',
      reason: receivers.length
        ? `every receiver of action group ${name} is disabled`
        : `action group ${name} has no receivers: it notifies nobody`,
    };
  }
  return { state: 'notifies', reason: '' };
}

/** The lower-case key an action group is cached under. */
export function actionGroupKey(id: string): string {
  return armId(id).toLowerCase();
}

/**
 * One activity log alert rule → an alert route for the subscription (region `global`). A rule only alerts when it
 * notifies someone: no action group, or only action groups that are disabled, empty or gone, make it `none` (the
 * same rule for every cloud: a route with no action, target or notification channel is not an alert). Action groups
 * that could not be read leave the match standing, with the reason.
 */
export function activityLogAlertRoute(
  a: ActivityLogAlertResource,
  subscriptionId: string,
  ancestors: readonly string[] | null,
  groups: ReadonlyMap<string, ActionGroupState> = new Map(),
  operations: readonly string[] = [],
): AlertRoute {
  const sub = `/subscriptions/${subscriptionId.toLowerCase()}`;
  const scopes = (a.scopes ?? []).map(armId);
  const covers = scopes.length === 0 || scopes.some((s) => s.toLowerCase() === sub || (ancestors?.includes(s.toLowerCase()) ?? false));
  const ids = (a.actions?.actionGroups ?? []).map((x) => x.actionGroupId).filter((x): x is string => !!x);
  /** Where the rule applies and whom it notifies, on top of what its condition matches. */
  const judge = (cond: { match: AlertRoute['match']; reasons: string[] }) => {
    let reasons = [...cond.reasons];
    let match = cond.match;
    if (!covers) {
      const inside = scopes.filter((s) => s.toLowerCase().startsWith(`${sub}/`));
      const where = inside.map((s) => {
        const rg = resourceGroupOf(s);
        return rg && /\/resourceGroups\/[^/]+$/i.test(s) ? `resource group ${rg}` : s;
      });
      reasons = [
        inside.length ? `scoped to ${where.join(', ')} only, not the whole subscription` : 'scoped outside this subscription',
        ...(match === 'none' ? reasons : []),
      ];
      match = 'none';
    }
    if (a.enabled === false) reasons.push('the alert rule is disabled');
    if (match === 'none') {
      // Who it would notify does not matter for a rule that does not fire on the operation.
    } else if (ids.length === 0) {
      reasons.push('no action group: nobody is notified');
      match = 'none';
    } else {
      const states = ids.map(
        (id) => groups.get(actionGroupKey(id)) ?? { state: 'unreadable' as const, reason: `action group ${id} was not read` },
      );
      if (!states.some((x) => x.state === 'notifies')) {
        if (states.some((x) => x.state === 'unreadable')) {
          reasons.push(...states.filter((x) => x.state === 'unreadable').map((x) => `${x.reason}: whether anyone is notified is unknown`));
        } else {
          reasons.push(...states.map((x) => x.reason));
          match = 'none';
        }
      }
    }
    return { match, reasons };
  };
  const allOf = a.condition?.allOf ?? [];
  const { match, reasons } = judge(alertConditionMatch(allOf));
  return {
    id: armId(a.id ?? `${sub}/providers/microsoft.insights/activityLogAlerts/${a.name ?? 'unnamed'}`),
    kind: 'activity-log-alert',
    name: a.name ?? 'unnamed',
    region: 'global',
    enabled: a.enabled !== false,
    match,
    reasons,
    ...(operations.length
      ? {
          operations: operations.flatMap((operation): RouteOperation[] => {
            const m = judge(alertConditionMatch(allOf, operation)).match;
            return m === 'none' ? [] : [{ operation, match: m }];
          }),
        }
      : {}),
  };
}
