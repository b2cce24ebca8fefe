/**
 * The Azure adapter: wiring only. Discovery (discovery.ts) lists the subscriptions and the management-group tree;
 * each subscription is then read through its I/O object (scope-io.ts) by the collectors the selected checks need
 * (collect/*.ts: activity-log export, activity log alerts, RBAC who-can, the snapshot inventory), all
 * subscription-wide (region `global`), and assembled into a ScopeCollection.
 */
import type { TokenCredential } from '@azure/identity';
import { catalogueFor } from '../../src/core/catalogue/index.ts';
import type { AzureConfig, Baseline, Policy } from '../../src/core/config/schema.ts';
import type { Gap } from '../../src/core/model/result.ts';
import type { ProviderAdapter, ScopeCollection } from '../types.ts';
import { AzureClients, type AzureConnection, type ClientSecretSpec, createAgent, DEFAULT_ARM_ENDPOINT } from './clients.ts';
import { collectActivity } from './collect/activity.ts';
import { collectAlerts } from './collect/alerting.ts';
import type { AzureScopeContext } from './collect/context.ts';
import { collectLogging, loggingOf } from './collect/logging.ts';
import { collectPrincipals } from './collect/principals.ts';
import { collectSnapshots } from './collect/snapshots.ts';
import { collectWorkspaceAlerts } from './collect/workspace-alerts.ts';
import { type AzureOrganisation, discoverSubscriptions, GLOBAL, type SubscriptionContext } from './discovery.ts';
import { graphEndpointFor } from './graph.ts';
import { classifyAzureError } from './errors.ts';
import { familyOperations } from './normalise/alerts.ts';
import { ScanReads, scopeIO } from './scope-io.ts';

export interface AzureAdapterOptions {
  config: AzureConfig;
  policy: Policy;
  baseline: Baseline;
  /** A TokenCredential, or a client secret (the lab, tests); default: DefaultAzureCredential. */
  credential?: TokenCredential | ClientSecretSpec;
  /** Extra trusted CA (PEM) for this provider's clients only. */
  ca?: string;
  /** Deadline of one sign-in request (scan.callTimeoutMs). */
  callTimeoutMs?: number;
  /** false: every ARM call through the SDK clients (tests compare; clients.ts AzureConnection.plainArm). */
  plainArm?: boolean;
}

function connection(opts: AzureAdapterOptions): AzureConnection {
  const cfg = opts.config;
  const endpoint = (cfg.endpoint ?? DEFAULT_ARM_ENDPOINT).replace(/\/+$/, '');
  return {
    endpoint,
    ...(cfg.directoryLookup ? { graphEndpoint: graphEndpointFor(endpoint, cfg.graphEndpoint) } : {}),
    ...(cfg.authorityHost ? { authorityHost: cfg.authorityHost } : {}),
    ...(cfg.tenantId ? { tenantId: cfg.tenantId } : {}),
    ...(opts.ca ? { ca: opts.ca } : {}),
    ...(opts.credential ? { credential: opts.credential } : {}),
    ...(opts.callTimeoutMs ? { requestTimeoutMs: opts.callTimeoutMs } : {}),
    agent: createAgent(opts.ca),
    ...(opts.plainArm === false ? { plainArm: false } : {}),
  };
}

export function createAzureAdapter(opts: AzureAdapterOptions): ProviderAdapter {
  const clients = new AzureClients(connection(opts));
  const shared = new ScanReads();
  const contexts = new Map<string, SubscriptionContext>();
  const organisation: AzureOrganisation = { tenantId: null, subscriptions: new Set() };
  const catalogue = catalogueFor('azure');
  const externalPrincipals = new Set((opts.config.externalPrincipals ?? []).map((p) => p.toLowerCase()));

  return {
    provider: 'azure',
    classifyError: classifyAzureError,
    async discover(rt) {
      // Microsoft Graph's token is a sign-in of its own: started during discovery (once ARM's sign-in gave its token)
      // when the scan will read the directory (the principals need, a Graph endpoint), it is ready when the first
      // directory read comes, instead of every subscription waiting on it then.
      if (rt.needs.has('principals')) clients.signInToGraphAhead(rt.signal);
      const { contexts: found, organisation: org, ...discovery } = await discoverSubscriptions(rt, clients, opts.config);
      for (const [k, v] of found) contexts.set(k, v);
      organisation.tenantId = org.tenantId;
      for (const s of org.subscriptions) organisation.subscriptions.add(s);
      return discovery;
    },
    async collect(scope, rt): Promise<ScopeCollection> {
      const gaps: Gap[] = [];
      const io = scopeIO(clients, shared, scope.id, rt, gaps);
      const ctx: AzureScopeContext = {
        subscriptionId: scope.id,
        ancestors: contexts.get(scope.id.toLowerCase())?.ancestors ?? null,
        needs: rt.needs,
        now: rt.now,
        config: opts.config,
        policy: opts.policy,
        catalogue,
        externalPrincipals,
        organisation,
      };
      const want = rt.needs;
      try {
        // The workspace rules need the export workspaces: read after the diagnostic settings.
        const logged = want.has('logging') || want.has('alerting') ? collectLogging(io, ctx) : null;
        const workspaceAlerts =
          want.has('alerting') && logged ? logged.then((s) => (s ? collectWorkspaceAlerts(io, ctx, s) : [])) : Promise.resolve([]);
        const [sources, activityAlerts, principals, snapshots, overWorkspaces, activity] = await Promise.all([
          want.has('logging') ? logged : null,
          want.has('alerting') ? collectAlerts(io, ctx) : null,
          want.has('principals') ? collectPrincipals(io, ctx) : null,
          want.has('snapshots') ? collectSnapshots(io, ctx) : null,
          workspaceAlerts,
          want.has('activity') && opts.config.creatorLookup ? collectActivity(io, rt.now, rt.activityLookbackDays ?? 90) : null,
        ]);
        const alerts = activityAlerts ? [...activityAlerts, ...overWorkspaces] : activityAlerts;
        const attempted = [sources, alerts, principals, snapshots].filter((x) => x !== null);
        const failedAll = attempted.length > 0 && attempted.every((x) => x === undefined);
        return {
          logging: want.has('logging')
            ? loggingOf(scope.id, sources ?? undefined, alerts, familyOperations(catalogue))
            : { sources: [], alerts: [], regions: [] },
          guards: [],
          principals: principals ?? [],
          snapshots: snapshots ?? [],
          ...(activity !== null ? { activity: activity ?? [] } : {}),
          gaps,
          failedRegions: failedAll ? [GLOBAL] : [],
        };
      } finally {
        // A subscription's clients are not needed once it is read: keeping them would grow memory with the tenant.
        clients.release(scope.id);
      }
    },
    async close() {
      clients.close();
      shared.clear();
      contexts.clear();
      organisation.subscriptions.clear();
    },
  };
}
