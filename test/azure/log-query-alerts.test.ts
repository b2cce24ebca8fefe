/**
 * Alerting over the exported activity log and where the activity log lives, as documented cases
 * (test/azure/cases/log-query-*.json): KQL queries of log search alert rules and Sentinel analytics rules, the
 * platform activity log, exports to workspaces that exist or not.
 */
import { describe, expect, it } from 'vitest';
import {
  platformActivityLog,
  type ResourceState,
  type WorkspaceState,
  withDestinations,
  withWorkspaces,
} from '../../providers/azure/normalise/activity-log.ts';
import { activityLogExport } from '../../providers/azure/normalise/activity-log-export.ts';
import { kqlMatch, scheduledQueryRuleRoute, sentinelRuleRoute } from '../../providers/azure/normalise/log-query-alerts.ts';
import { regionLogging } from '../../src/core/model/logging.ts';
import type { LoggingSource } from '../../src/core/model/result.ts';
import { describeCases } from '../support/cases.ts';
import { scanEstate } from '../support/lab.ts';
import { azureEstate, demoAzure, scopeNamed } from './support.ts';

const dir = new URL('./cases/', import.meta.url);
const SUB = '00000000-0000-4000-8000-000000000001';
const WS = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/logs`;

describeCases<{ query: string; operation: string }, { match: string }>(dir, /^log-query-kql/, ({ input, expect: want }) => {
  const m = kqlMatch(input.query, input.operation);
  expect(m.match).toBe(want.match);
  // Both kinds of rule carry the same judgement as their route (a route lists only the operations it fires on).
  const op = input.operation;
  const sentinel = sentinelRuleRoute({ kind: 'Scheduled', name: 'r', properties: { query: input.query } }, WS, [op]);
  expect(sentinel.operations?.find((o) => o.operation === op)?.match ?? 'none').toBe(want.match);
  const soc = `/subscriptions/${SUB}/resourceGroups/rg/providers/microsoft.insights/actionGroups/soc`;
  const rule = scheduledQueryRuleRoute(
    { location: 'westeurope', name: 'q', scopes: [WS], criteria: { allOf: [{ query: input.query }] }, actions: { actionGroups: [soc] } },
    WS,
    new Map([[soc.toLowerCase(), { state: 'notifies' as const, reason: '' }]]),
    [op],
  );
  expect(rule.operations?.find((o) => o.operation === op)?.match ?? 'none').toBe(want.match);
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

type Existence = 'exists' | 'gone' | 'unreadable';
const RG = `/subscriptions/${SUB}/resourceGroups/rg/providers`;

describeCases<{ workspace?: Existence; storage?: Existence; eventHub?: Existence }, { flowing: string; problems: string[] }>(
  dir,
  /^export-destinations/,
  ({ input, expect: want }) => {
    const storage = `${RG}/Microsoft.Storage/storageAccounts/archive`;
    const namespace = `${RG}/Microsoft.EventHub/namespaces/siem`;
    const setting = {
      name: 'to-all',
      ...(input.workspace ? { workspaceId: WS } : {}),
      ...(input.storage ? { storageAccountId: storage } : {}),
      ...(input.eventHub ? { eventHubAuthorizationRuleId: `${namespace}/authorizationRules/RootManageSharedAccessKey` } : {}),
      logs: [{ category: 'Administrative', enabled: true }],
    };
    const state = (e: Existence): ResourceState => (e === 'exists' ? true : e === 'gone' ? null : 'unreadable');
    const ws = (e: Existence): WorkspaceState =>
      e === 'exists' ? { properties: { retentionInDays: 30 } } : e === 'gone' ? null : 'unreadable';
    const source = withDestinations(activityLogExport(setting, { subscriptionId: SUB, centralWorkspaces: [] }), {
      workspaces: new Map(input.workspace ? [[WS.toLowerCase(), ws(input.workspace)]] : []),
      resources: new Map([
        ...(input.storage ? [[storage.toLowerCase(), state(input.storage)] as const] : []),
        ...(input.eventHub ? [[namespace.toLowerCase(), state(input.eventHub)] as const] : []),
      ]),
    });
    expect({
      flowing: source.health?.flowing,
      // Each problem without the resource id it names.
      problems: source.health?.problems.map((p) => p.replace(/ \/subscriptions\/\S+/, '').replace(/:.*$/, '')),
    }).toEqual(want);
  },
);

describe('export destinations over the wire', () => {
  it('an export whose workspace was deleted is configured but not flowing; the activity log itself is then the source', async () => {
    const azure = demoAzure();
    const dev = (azure.subscriptions ?? []).find((s) => s.name === 'dev-sandbox') as { workspaces?: unknown[] };
    dev.workspaces = [];
    const { result, lab } = await scanEstate(azureEstate(azure), { providers: ['azure'], keepOpen: true });
    try {
      const scope = scopeNamed(result, 'dev-sandbox');
      const exported = scope.logging.sources.find((s) => s.kind === 'activity-log-export')!;
      expect(exported.health?.flowing).toBe('no');
      expect(exported.health?.problems[0]).toMatch(/^workspace \/subscriptions\/.*\/workspaces\/sandbox-logs does not exist/);
      expect(scope.logging.sources.map((s) => s.kind)).toEqual(['activity-log-export', 'activity-log']);
      expect(scope.logging.regions[0]).toMatchObject({ recorded: 'yes', central: 'no', retentionDays: 90 });
      // Nothing is read from a workspace that is gone: no Sentinel rules, and its 404 is an answer, not a gap.
      expect(scope.logging.alerts.some((a) => a.kind === 'sentinel-rule')).toBe(false);
      expect(scope.coverage.gaps).toEqual([]);
      expect(lab.log.entries.filter((e) => e.operation === 'GetWorkspace').map((e) => e.status)).toContain(404);
    } finally {
      await lab.close();
    }
  });

  it('an export whose storage account and event hub namespace are gone too records nothing; one left standing keeps it flowing', async () => {
    const azure = demoAzure();
    const security = (azure.subscriptions ?? []).find((s) => s.name === 'security') as unknown as Record<string, unknown[]>;
    // Every destination of prod-payments' export is gone: the central workspace, the archive, the SIEM's namespace.
    security.workspaces = [];
    security.storageAccounts = [];
    security.eventHubNamespaces = [];
    const gone = await scanEstate(azureEstate(azure), { providers: ['azure'] });
    const exported = scopeNamed(gone.result, 'prod-payments').logging.sources.find((s) => s.kind === 'activity-log-export')!;
    expect(exported.health?.flowing).toBe('no');
    expect(exported.health?.problems.map((p) => p.replace(/ \/subscriptions\/\S+\/(\S+) does not exist.*/, ' $1 does not exist'))).toEqual([
      'workspace central-logs does not exist',
      'storage account auditarchive does not exist',
      'event hub namespace soc-stream does not exist',
    ]);
    expect(exported.reasons.join(' ')).toMatch(/diagnostic setting to-central is configured but not flowing/);
    // Then the activity log itself is the source: recorded, 90 days, not central.
    expect(scopeNamed(gone.result, 'prod-payments').logging.regions[0]).toMatchObject({
      recorded: 'yes',
      central: 'no',
      retentionDays: 90,
    });

    // The archive still stands: the export reaches it, so it flows (its retention is not read).
    security.storageAccounts = [{ name: 'auditarchive', resourceGroup: 'rg-logs' }];
    const standing = await scanEstate(azureEstate(azure), { providers: ['azure'] });
    const still = scopeNamed(standing.result, 'prod-payments').logging.sources.find((s) => s.kind === 'activity-log-export')!;
    expect(still.health?.flowing).toBe('yes');
    expect(scopeNamed(standing.result, 'prod-payments').logging.regions[0]).toMatchObject({ recorded: 'yes', central: 'yes' });
  });
});
