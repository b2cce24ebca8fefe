/**
 * Activity log alerts on snapshot creation and on every other operation of the snapshot family, and whether the action groups of the rules that could fire notify anyone
 * (each action group read once per scan: they are usually shared, often from a central subscription).
 */
import type { AlertRoute } from '../../../src/core/model/result.ts';
import { isInterruption, gapFrom } from '../../gaps.ts';
import { classifyAzureError } from '../errors.ts';
import { armId } from '../ids.ts';
import { type ActionGroupState, actionGroupKey, actionGroupState, activityLogAlertRoute, familyOperations } from '../normalise/alerts.ts';
import type { AzureScopeIO } from '../scope-io.ts';
import type { AzureScopeContext } from './context.ts';

const ACTION_GROUP_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/microsoft\.insights\/actionGroups\/([^/]+)$/i;

/**
 * Who an action group notifies. A group that does not exist notifies nobody; one that cannot be read is a gap and
 * stays unknown.
 */
export async function actionGroup(io: AzureScopeIO, id: string): Promise<ActionGroupState> {
  const m = ACTION_GROUP_ID.exec(armId(id));
  if (!m) return { state: 'unreadable', reason: `action group ${id} is not an action group id` };
  const [, subscriptionId, resourceGroup, name] = m as unknown as [string, string, string, string];
  try {
    const group = await io.getActionGroup(actionGroupKey(id), { subscriptionId, resourceGroup, name });
    return group ? actionGroupState(group) : { state: 'missing', reason: `action group ${id} does not exist: it notifies nobody` };
  } catch (err) {
    if (isInterruption(err)) throw err;
    const gap = gapFrom(err, 'alerting', null, classifyAzureError);
    io.gaps.push(gap);
    return { state: 'unreadable', reason: `action group ${id} could not be read (${gap.code})` };
  }
}

export function collectAlerts(io: AzureScopeIO, ctx: AzureScopeContext): Promise<AlertRoute[] | undefined> {
  return io.part('alerting', async () => {
    const alerts = await io.listActivityLogAlerts();
    const operations = familyOperations(ctx.catalogue).map((o) => o.operation);
    // Only the action groups of rules that could alert on an operation of the snapshot family are read.
    const wanted = new Set<string>();
    for (const a of alerts) {
      if (a.enabled === false) continue;
      const route = activityLogAlertRoute(a, ctx.subscriptionId, ctx.ancestors, new Map(), operations);
      if (route.match === 'none' && !route.operations?.length) continue;
      for (const g of a.actions?.actionGroups ?? []) if (g.actionGroupId) wanted.add(g.actionGroupId);
    }
    const ids = [...wanted].sort();
    const read = await Promise.all(ids.map((id) => actionGroup(io, id)));
    const states = new Map(ids.map((id, i) => [actionGroupKey(id), read[i] as ActionGroupState]));
    return alerts.map((a) => activityLogAlertRoute(a, ctx.subscriptionId, ctx.ancestors, states, operations));
  });
}
