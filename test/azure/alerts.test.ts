/**
 * Activity log alerts as alert routes, case by case against the Azure Monitor documentation
 * (test/azure/cases/alerts-*.json): what a rule's condition matches, where it applies, and whether it notifies
 * anyone at all — a rule with no action group, or only disabled, empty or deleted ones, is not an alert.
 */
import type { ActionGroupResource, ActivityLogAlertResource } from '@azure/arm-monitor';
import { describe, expect } from 'vitest';
import { type ActionGroupState, actionGroupKey, actionGroupState, activityLogAlertRoute } from '../../providers/azure/normalise/alerts.ts';
import { describeCases } from '../support/cases.ts';

const SUB = '11111111-0000-4000-8000-000000000001';

interface RouteInput {
  alert: ActivityLogAlertResource;
  ancestors?: string[];
  groups: Record<string, ActionGroupState>;
}

describe('activity log alert routes', () => {
  describeCases<RouteInput, { match: string; enabled?: boolean; reasons?: string[] }>(
    new URL('./cases/', import.meta.url),
    /^alerts-activity-log\.json$/,
    (c) => {
      const groups = new Map(Object.entries(c.input.groups).map(([id, s]) => [actionGroupKey(id), s]));
      const route = activityLogAlertRoute(c.input.alert, SUB, c.input.ancestors ?? null, groups);
      expect(route.match).toBe(c.expect.match);
      if (c.expect.enabled !== undefined) expect(route.enabled).toBe(c.expect.enabled);
      if (c.expect.reasons) expect(route.reasons).toEqual(c.expect.reasons);
    },
  );
});

describe('action groups', () => {
  describeCases<{ group: ActionGroupResource }, { state: string; reason?: string }>(
    new URL('./cases/', import.meta.url),
    /^alerts-action-groups\.json$/,
    (c) => {
      const s = actionGroupState(c.input.group);
      expect(s.state).toBe(c.expect.state);
      if (c.expect.reason !== undefined) expect(s.reason).toBe(c.expect.reason);
    },
  );
});
