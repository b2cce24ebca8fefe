/**
 * Where an Azure subscription's exported activity log goes, as the result holds it (lab/forced.ts): each destination
 * of a diagnostic setting that exports snapshot creation — the Administrative category, or the allLogs or audit
 * category group (https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log-schema#categories) — is
 * read once for the whole tenant (exports usually share a central one): whether it exists, and a workspace's
 * retention, which no diagnostic setting carries. On each workspace that exists, what alerts on those events: its
 * Microsoft Sentinel analytics rules, and the log search alert rules of its subscription (no listing gives the rules
 * that run over one workspace; a rule's scopes name it). Computed from the estate alone, never from the scanner.
 */
import type { AzureEstate } from './azure/estate.ts';

export const AZURE_WORKSPACE_DOC = {
  workspace: 'https://learn.microsoft.com/en-us/rest/api/loganalytics/workspaces/get',
  storage: 'https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/get-properties',
  eventHub: 'https://learn.microsoft.com/en-us/rest/api/eventhub/namespaces/get',
  sentinel: 'https://learn.microsoft.com/en-us/rest/api/securityinsights/alert-rules/list',
  queryRules: 'https://learn.microsoft.com/en-us/rest/api/monitor/scheduled-query-rules/list-by-subscription',
} as const;

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

const records = (l: { category?: string | undefined; categoryGroup?: string | undefined; enabled: boolean }) =>
  l.enabled &&
  ((l.category ?? '').toLowerCase() === 'administrative' || ['alllogs', 'audit'].includes((l.categoryGroup ?? '').toLowerCase()));

const RESOURCE = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)/i;

export interface AzureExportReads {
  workspaces: number;
  storageAccounts: number;
  eventHubNamespaces: number;
  /** AlertRules_List pages over the workspaces that exist. */
  sentinelPages: number;
  /** ScheduledQueryRules_ListBySubscription pages, once per subscription holding such a workspace. */
  queryRulePages: number;
}

/** `subscriptions`: the ids of the subscriptions a scan reads. */
export function azureExportReads(azure: AzureEstate, subscriptions: readonly string[]): AzureExportReads {
  const read = new Set(subscriptions.map((s) => s.toLowerCase()));
  const settings = azure.subscriptions
    .filter((s) => read.has(s.id.toLowerCase()))
    .flatMap((s) => s.diagnosticSettings)
    .filter((d) => d.logs.some(records));
  const distinct = (ids: Array<string | undefined>) => [...new Set(ids.filter((x): x is string => !!x).map((x) => x.toLowerCase()))];
  const workspaces = distinct(settings.map((d) => d.workspaceId));
  const namespaces = distinct(settings.map((d) => /^(.*\/namespaces\/[^/]+)/i.exec(d.eventHubAuthorizationRuleId ?? '')?.[1]));
  const bySub = new Map(azure.subscriptions.map((s) => [s.id.toLowerCase(), s]));
  let sentinelPages = 0;
  const ruleSubs = new Set<string>();
  for (const id of workspaces) {
    const [, sub, rg, name] = RESOURCE.exec(id) ?? [];
    const w = bySub.get(sub ?? '')?.workspaces.find((x) => x.resourceGroup.toLowerCase() === rg && x.name.toLowerCase() === name);
    if (!w || !sub) continue;
    sentinelPages += pages(w.sentinel ? w.sentinelRules.length : 0, azure.pageSize);
    ruleSubs.add(sub);
  }
  let queryRulePages = 0;
  for (const sub of ruleSubs) queryRulePages += pages(bySub.get(sub)?.scheduledQueryRules.length ?? 0, azure.pageSize);
  return {
    workspaces: workspaces.length,
    storageAccounts: distinct(settings.map((d) => d.storageAccountId)).length,
    eventHubNamespaces: namespaces.length,
    sentinelPages,
    queryRulePages,
  };
}
