/**
 * Subscription diagnostic settings → `activity-log-export` logging sources. Pure functions, tested against the
 * official example payloads (../shared/fixtures/azure, read through the real SDK clients) and against the lab.
 */
import type { DiagnosticSettingsResource } from '@azure/arm-monitor';
import type { Destination, LoggingSource, Tri } from '../../../src/core/model/result.ts';
import { armId, subscriptionOf } from '../ids.ts';

const exportsAdministrative = (l: { category?: string; categoryGroup?: string; enabled: boolean }) =>
  l.enabled &&
  ((l.category ?? '').toLowerCase() === 'administrative' || ['alllogs', 'audit'].includes((l.categoryGroup ?? '').toLowerCase()));

export interface ExportOptions {
  subscriptionId: string;
  /** Log Analytics workspace ids that count as the central store (case-insensitive). */
  centralWorkspaces: readonly string[];
}

/** One subscription diagnostic setting → an `activity-log-export` logging source. */
export function activityLogExport(d: DiagnosticSettingsResource, o: ExportOptions): LoggingSource {
  const sub = o.subscriptionId.toLowerCase();
  const name = d.name ?? 'unnamed';
  const id = d.id ? armId(d.id) : `/subscriptions/${o.subscriptionId}/providers/microsoft.insights/diagnosticSettings/${name}`;
  const logs = d.logs ?? [];
  const qualifying = logs.filter(exportsAdministrative);
  const records: Tri = qualifying.length > 0 ? 'yes' : 'no';
  const reasons: string[] = [];
  if (records === 'no') {
    const enabled = logs.filter((l) => l.enabled).map((l) => l.category ?? `group ${l.categoryGroup}`);
    reasons.push(
      `diagnostic setting ${name} exports ${enabled.length ? `only ${enabled.join(', ')}` : 'no log category'}, not the Administrative category (snapshot creation is an Administrative event)`,
    );
  }
  const destinations: Destination[] = [];
  if (d.workspaceId) {
    destinations.push({
      kind: 'log-analytics',
      id: armId(d.workspaceId),
      scopeId: subscriptionOf(d.workspaceId),
      retentionDays: null,
      locked: 'unknown',
    });
  }
  if (d.storageAccountId) {
    destinations.push({
      kind: 'storage-account',
      id: armId(d.storageAccountId),
      scopeId: subscriptionOf(d.storageAccountId),
      retentionDays: null,
      locked: 'unknown',
    });
  }
  if (d.eventHubAuthorizationRuleId) {
    const rule = armId(d.eventHubAuthorizationRuleId);
    destinations.push({
      kind: 'event-hub',
      id: d.eventHubName ? `${rule.replace(/\/authorizationrules\/[^/]+$/i, '')}/eventhubs/${d.eventHubName}` : rule,
      scopeId: subscriptionOf(rule),
      retentionDays: null,
      locked: 'unknown',
    });
  }
  if (d.marketplacePartnerId) {
    destinations.push({
      kind: 'other',
      id: armId(d.marketplacePartnerId),
      scopeId: subscriptionOf(d.marketplacePartnerId),
      retentionDays: null,
      locked: 'unknown',
    });
  }
  if (destinations.length === 0) reasons.push(`diagnostic setting ${name} has no destination`);
  const central = new Set(o.centralWorkspaces.map((w) => armId(w).toLowerCase()));
  const isCentral = (x: Destination) =>
    (x.scopeId !== null && x.scopeId !== sub) || (x.kind === 'log-analytics' && central.has(x.id.toLowerCase()));
  const centralTri: Tri = destinations.some(isCentral) ? 'yes' : 'no';
  if (records === 'yes' && centralTri === 'no' && destinations.length > 0) {
    reasons.push(`diagnostic setting ${name} exports only to resources inside the subscription it records`);
  }
  // A subscription diagnostic setting has no retention policy (SubscriptionLogSettings: category, categoryGroup,
  // enabled): how long the events are kept is the destination's setting, which is not read. Unknown, not invented.
  if (records === 'yes' && destinations.length > 0) {
    reasons.push(
      `retention is not part of diagnostic setting ${name}: it is set on the destination (workspace retention, storage lifecycle policy), which is not read`,
    );
  }
  return {
    id,
    kind: 'activity-log-export',
    name,
    home: 'global',
    ownerScopeId: null,
    inherited: false,
    enabled: destinations.length > 0 ? 'yes' : 'no',
    regions: ['*'],
    recordsSnapshotCreation: records,
    central: centralTri,
    // Immutability of the storage container / purge rights on the workspace are not read.
    integrity: 'unknown',
    encrypted: 'yes',
    retentionDays: null,
    destinations,
    reasons,
  };
}
