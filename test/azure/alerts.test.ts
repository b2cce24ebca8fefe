/**
 * Activity log alerts as alert routes, case by case against the Azure Monitor documentation
 * (test/azure/cases/alerts-*.json): what a rule's condition matches, where it applies, and whether it notifies
 * anyone at all — a rule with no action group, or only disabled, empty or deleted ones, is not an alert.
 */
import type { ActionGroupResource, ActivityLogAlertResource } from '@azure/arm-monitor';
import { describe, expect, it } from 'vitest';
import {
  type ActionGroupState,
  actionGroupKey,
  actionGroupState,
  activityLogAlertRoute,
  familyOperations,
} from '../../providers/azure/normalise/alerts.ts';
import { catalogueFor } from '../../src/core/catalogue/index.ts';
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

describe('activity log alert routes, per operation of the snapshot family', () => {
  describeCases<RouteInput & { operations: string[] }, { operations: Record<string, string> }>(
    new URL('./cases/', import.meta.url),
    /^alerts-family-operations\.json$/,
    (c) => {
      const groups = new Map(Object.entries(c.input.groups).map(([id, s]) => [actionGroupKey(id), s]));
      const route = activityLogAlertRoute(c.input.alert, SUB, c.input.ancestors ?? null, groups, c.input.operations);
      // The route lists the operations it fires on; the others it does not match.
      const match = (op: string) => route.operations?.find((o) => o.operation === op)?.match ?? 'none';
      expect(route.operations?.every((o) => o.match !== ('none' as string))).toBe(true);
      expect(Object.fromEntries(c.input.operations.map((op) => [op, match(op)]))).toEqual(c.expect.operations);
    },
  );

  it('the family operations come from the catalogue: every creating, copying, sharing or exporting Azure operation, no data action', () => {
    const family = familyOperations(catalogueFor('azure'));
    const ops = family.map((o) => o.operation);
    expect(family.find((o) => o.operation === 'Microsoft.Compute/galleries/share/action')?.effect).toBe('share');
    expect(ops).toContain('Microsoft.Compute/snapshots/write');
    expect(ops).toContain('Microsoft.Compute/galleries/share/action');
    expect(ops).toContain('Microsoft.Compute/restorePointCollections/restorePoints/diskRestorePoints/beginGetAccess/action');
    expect(ops).not.toContain('Microsoft.Compute/snapshots/download/action');
    expect(ops).not.toContain('Microsoft.Compute/snapshots/delete');
  });
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
