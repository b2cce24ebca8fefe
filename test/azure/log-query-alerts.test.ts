/**
 * Alerting over the exported activity log and where the activity log lives, as documented cases
 * (test/azure/cases/log-query-*.json): KQL queries of log search alert rules and Sentinel analytics rules, the
 * platform activity log, exports to workspaces that exist or not.
 */
import { expect } from 'vitest';
import { platformActivityLog, type WorkspaceState, withWorkspaces } from '../../providers/azure/normalise/activity-log.ts';
import { activityLogExport } from '../../providers/azure/normalise/activity-log-export.ts';
import { kqlMatch, scheduledQueryRuleRoute, sentinelRuleRoute } from '../../providers/azure/normalise/log-query-alerts.ts';
import { regionLogging } from '../../src/core/model/logging.ts';
import type { LoggingSource } from '../../src/core/model/result.ts';
import { describeCases } from '../support/cases.ts';

const dir = new URL('./cases/', import.meta.url);
const SUB = '00000000-0000-4000-8000-000000000001';
const WS = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/logs`;

describeCases<{ query: string; operation: string }, { match: string }>(dir, /^log-query-kql/, ({ input, expect: want }) => {
  const m = kqlMatch(input.query, input.operation);
  expect(m.match).toBe(want.match);
  // Both kinds of rule carry the same judgement as their route.
  const op = input.operation;
  const sentinel = sentinelRuleRoute({ kind: 'Scheduled', name: 'r', properties: { query: input.query } }, WS, [op]);
  expect(sentinel.operations?.[0]?.match).toBe(want.match);
  const soc = `/subscriptions/${SUB}/resourceGroups/rg/providers/microsoft.insights/actionGroups/soc`;
  const rule = scheduledQueryRuleRoute(
    { location: 'westeurope', name: 'q', scopes: [WS], criteria: { allOf: [{ query: input.query }] }, actions: { actionGroups: [soc] } },
    WS,
    new Map([[soc.toLowerCase(), { state: 'notifies' as const, reason: '' }]]),
    [op],
  );
  expect(rule.operations?.[0]?.match).toBe(want.match);
});

type SourceInput =
  | { platform: { exportsRead: boolean } }
  | { export: { workspace: { exists: boolean; retentionInDays?: number } | 'unreadable' } };

describeCases<SourceInput, { kind: string; recorded: string; central: string; retentionDays: number | null; flowing: string | null }>(
  dir,
  /^log-query-sources/,
  ({ input, expect: want }) => {
    let source: LoggingSource;
    if ('platform' in input) source = platformActivityLog(SUB, input.platform.exportsRead);
    else {
      const setting = { name: 'to-logs', workspaceId: WS, logs: [{ category: 'Administrative', enabled: true }] };
      const w = input.export.workspace;
      const state: WorkspaceState =
        w === 'unreadable' ? 'unreadable' : w.exists ? { properties: { retentionInDays: w.retentionInDays } } : null;
      source = withWorkspaces(
        activityLogExport(setting, { subscriptionId: SUB, centralWorkspaces: [] }),
        new Map([[WS.toLowerCase(), state]]),
      );
    }
    const [region] = regionLogging(['global'], [source], null);
    expect({
      kind: source.kind,
      recorded: region?.recorded,
      central: region?.central,
      retentionDays: region?.retentionDays ?? null,
      flowing: source.health?.flowing ?? null,
    }).toEqual(want);
    if (source.health?.flowing === 'no')
      expect(source.reasons.join(' ')).toMatch(/configured but not flowing: workspace .* does not exist/);
  },
);
