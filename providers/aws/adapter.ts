/**
 * The AWS adapter: wiring only. Discovery (discovery.ts) finds the accounts and regions; collection per account ×
 * region runs the collectors the selected checks need (collect/*.ts) over the account's I/O object (scope-io.ts):
 * CloudTrail posture and alert routes, the snapshot block-public-access guard, who can snapshot (IAM authorization
 * details → the policy evaluator) and the snapshot inventory, normalised into the model (normalise/*.ts).
 */
import type { AwsConfig, Baseline, Policy } from '../../src/core/config/schema.ts';
import { operationCoverage, regionLogging } from '../../src/core/model/logging.ts';
import type { AlertRoute, DetectiveControl, Gap, Scope, Tri } from '../../src/core/model/result.ts';
import type { ProviderAdapter, ScopeCollection, ScopeRuntime } from '../types.ts';
import { type AwsCredentials, AwsSessions } from './clients.ts';
import { collectActivity } from './collect/activity.ts';
import { analyzerCache } from './collect/analyzer.ts';
import { collectRules } from './collect/alerting.ts';
import { collectGuards } from './collect/guards.ts';
import { type IdentityCenterOptions, identityCenterCache, nameIdentityCenterRoles } from './collect/identity-center.ts';
import { collectEventDataStores, lakeCache } from './collect/lake.ts';
import { collectTrails, loggingCaches } from './collect/logging.ts';
import { type AccountAuthorizationInput, collectPrincipals, type PrincipalOptions } from './collect/principals.ts';
import { collectSecurityHub } from './collect/security-hub.ts';
import { collectSnapshots } from './collect/snapshots.ts';
import { createAwsDiscovery } from './discovery.ts';
import { classifyAwsError } from './errors.ts';
import { type AccountEvaluation, evaluateAccount } from './evaluator.ts';
import { gateRulesByRecording } from './normalise/alerts.ts';
import { corroborateWithHub, reconcileEc21 } from './normalise/security-hub.ts';
import {
  type ChainSnapshot,
  crossAccountChains,
  DEFAULT_CHAIN_DEPTH,
  DEFAULT_CHAIN_EVALUATIONS,
  withCrossAccountGrants,
} from './policy/index.ts';
import { type AccountIO, accountIO } from './scope-io.ts';
import { familyOperations } from './snapshot-events.ts';

export type { AwsCredentials } from './clients.ts';

export interface AwsAdapterOptions {
  config: AwsConfig;
  policy: Policy;
  baseline: Baseline;
  /** Explicit credentials (the lab, tests); default: the SDK's credential chain (env, profile, SSO, IMDS…). */
  credentials?: AwsCredentials;
  /** Role-chain limits (config `permissions`): hops and evaluations; default 2 and 25,000. */
  chains?: { maxChainDepth: number; maxChainEvaluations: number };
  /** The policy evaluator (default: ./evaluator.ts, the project's own); tests wrap it to see its input. */
  evaluate?: (input: AccountAuthorizationInput) => AccountEvaluation;
  /** The SDK clients kept at once (default: clients.ts MAX_CLIENTS). */
  maxClients?: number;
}

type Trails = Awaited<ReturnType<typeof collectTrails>>;
type Rules = Awaited<ReturnType<typeof collectRules>>;
type Lake = Awaited<ReturnType<typeof collectEventDataStores>>;

/** Does a trail covering the region record EBS direct API block reads (data events)? */
function regionBlockReads(region: string, trails: Trails): Tri {
  const covering = trails.views.filter((v) => v.source.regions.includes('*') || v.source.regions.includes(region));
  if (covering.some((v) => v.blockReads.records === 'yes')) return 'yes';
  if (trails.unread.has(region) || covering.some((v) => v.blockReads.records === 'unknown')) return 'unknown';
  return 'no';
}

/**
 * The account's logging: sources (trails and Lake event data stores), alert routes gated by recording, and the
 * per-region matrix with one row per operation of the family.
 */
function assembleLogging(
  scope: Scope,
  trails: Trails | null,
  rules: Rules | null,
  lake: Lake | null,
  detectors: DetectiveControl[] | null,
): ScopeCollection['logging'] {
  if (!trails) return { sources: [], alerts: [], regions: [], ...(detectors ? { detectors } : {}) };
  const trailSources = trails.views.map((v) => v.source);
  const sources = [...trailSources, ...(lake?.sources ?? [])];
  const unread = (region: string) => trails.unread.has(region) || (lake?.unread.has(region) ?? false);
  // A region whose trails could not be read is not known to be unrecorded.
  const recordedIn = (region: string, verdict: Tri): Tri => (verdict === 'no' && trails.unread.has(region) ? 'unknown' : verdict);
  // EventBridge receives CloudTrail's events only from a logging trail (not from Lake), whatever its S3 delivery does.
  const gating = trailSources.map(({ health: _health, ...s }) => s);
  const recorded = new Map(regionLogging(scope.regions, gating, null).map((r) => [r.region, recordedIn(r.region, r.recorded)]));
  const alerts: AlertRoute[] | null = rules
    ? [...gateRulesByRecording(rules.routes, (region) => recorded.get(region) ?? 'unknown'), ...trails.filterRoutes]
    : null;
  return {
    sources,
    alerts: alerts ?? [],
    regions: regionLogging(scope.regions, sources, alerts).map((r) => {
      let out = r;
      if (r.recorded === 'no' && unread(r.region))
        out = { ...out, recorded: 'unknown', reasons: ['trails or event data stores in this region could not be read', ...out.reasons] };
      if (rules?.unread.has(r.region) && out.alerted !== 'exact') out = { ...out, alerted: 'unknown' };
      const rulesUnread = rules?.unread.has(r.region) ?? false;
      const operations = alerts
        ? { operations: operationCoverage(out, alerts, familyOperations, { read: 'events:ListRules', unread: rulesUnread }) }
        : {};
      return { ...out, blockReadsRecorded: regionBlockReads(r.region, trails), ...operations };
    }),
    // Detective controls for exposure sit beside the alert routes: they never make a region `alerted`.
    ...(detectors ? { detectors } : {}),
  };
}

/** Who can snapshot, with the people behind IAM Identity Center roles when the directory is read. */
async function collectPeople(
  io: AccountIO,
  o: PrincipalOptions,
  directory: IdentityCenterOptions | null,
): Promise<Awaited<ReturnType<typeof collectPrincipals>>> {
  const collected = await collectPrincipals(io, o);
  if (directory) await nameIdentityCenterRoles(io, collected.principals, directory);
  return collected;
}

export function createAwsAdapter(opts: AwsAdapterOptions): ProviderAdapter {
  const cfg = opts.config;
  const sessions = new AwsSessions(cfg, opts.maxClients);
  const discovery = createAwsDiscovery(cfg, sessions, opts.credentials);
  const caches = loggingCaches();
  const lakes = lakeCache();
  const identityCenter = identityCenterCache();
  const analyzers = analyzerCache();
  /** Each discovered account's enabled regions (an organisation's Lake stores are read in the management account's). */
  const regionsOf = new Map<string, readonly string[]>();

  return {
    provider: 'aws',
    classifyError: classifyAwsError,
    async discover(rt) {
      const found = await discovery.discover(rt);
      for (const d of found.scopes) regionsOf.set(d.scope.id, d.scope.regions);
      return found;
    },
    async collect(scope: Scope, rt: ScopeRuntime): Promise<ScopeCollection> {
      const ctx = discovery.account(scope.id);
      const orgAccounts = discovery.organizationAccounts();
      const gaps: Gap[] = [...(ctx?.gaps ?? [])];
      const io = accountIO(sessions, scope, rt, gaps);
      const wantLogging = rt.needs.has('logging') || rt.needs.has('alerting');
      const wantAlerts = rt.needs.has('alerting');
      const principalOptions = {
        homeRegion: cfg.homeRegion,
        partition: sessions.partition,
        orgAccounts,
        org: discovery.organization(),
        parentId: ctx?.parentId ?? null,
        management: ctx?.management ?? false,
        evaluate: opts.evaluate ?? evaluateAccount,
        chains: opts.chains ?? { maxChainDepth: DEFAULT_CHAIN_DEPTH, maxChainEvaluations: DEFAULT_CHAIN_EVALUATIONS },
      };
      const directory = cfg.directoryLookup
        ? { cache: identityCenter, region: cfg.identityCenterRegion ?? cfg.homeRegion, callerAccountId: sessions.caller }
        : null;
      const snapshotOptions = {
        cfg,
        policy: opts.policy,
        orgAccounts,
        partition: sessions.partition,
        now: rt.now,
        analyzers: {
          cache: analyzers,
          caller: sessions.caller,
          callerRegions: sessions.caller ? (regionsOf.get(sessions.caller) ?? null) : null,
          inOrganization: orgAccounts?.has(scope.id) ?? false,
        },
      };
      const mgmt = discovery.organization()?.tree.managementAccountId ?? null;
      const mgmtRegions = mgmt ? regionsOf.get(mgmt) : undefined;
      const lakeOptions = {
        cache: lakes,
        management: mgmt && mgmtRegions ? { id: mgmt, regions: mgmtRegions } : null,
        logArchiveAccounts: cfg.logArchiveAccounts,
      };
      const [trails, lake, rules, hub, snapshots, guards, principals, activity] = await Promise.all([
        wantLogging ? collectTrails(io, { cfg, caches, orgAccounts, wantAlerts }) : null,
        wantLogging ? collectEventDataStores(io, lakeOptions) : null,
        wantAlerts ? collectRules(io) : null,
        wantAlerts ? collectSecurityHub(io) : null,
        rt.needs.has('snapshots') ? collectSnapshots(io, snapshotOptions) : [],
        rt.needs.has('guards') ? collectGuards(io) : [],
        rt.needs.has('principals') ? collectPeople(io, principalOptions, directory) : { principals: [], chains: undefined },
        rt.needs.has('activity') && cfg.creatorLookup ? collectActivity(io, rt.now, rt.activityLookbackDays ?? 90) : undefined,
      ]);
      const failedRegions = scope.regions.filter((r) => !io.ok.has(r) && gaps.some((g) => g.region === r));
      // Security Hub's findings corroborate (or contradict, as a conflict note) the scanner's own reads of the snapshots.
      const items = hub ? corroborateWithHub(snapshots, hub.findings) : snapshots;
      const detectors = hub && rt.needs.has('snapshots') ? reconcileEc21(hub.detectors, items) : (hub?.detectors ?? null);
      const logging = assembleLogging(scope, trails, rules, lake, detectors);
      sessions.release(scope.id);
      return {
        logging,
        guards,
        principals: principals.principals,
        snapshots: items,
        ...(activity ? { activity } : {}),
        gaps,
        failedRegions,
        ...(principals.chains ? { crossScope: { data: principals.chains, mayChange: principals.chains.mayGain } } : {}),
      };
    },
    combineScopes(parts) {
      // Role chains that cross accounts: every scanned account's chain snapshot, once all are collected.
      const limits = opts.chains ?? { maxChainDepth: DEFAULT_CHAIN_DEPTH, maxChainEvaluations: DEFAULT_CHAIN_EVALUATIONS };
      const outcome = crossAccountChains(
        parts.map((p) => p.data as ChainSnapshot),
        discovery.organizationAccounts(),
        { maxDepth: limits.maxChainDepth, maxEvaluations: limits.maxChainEvaluations },
      );
      return {
        principals: (scopeId, current) => {
          const gained = outcome.gained(scopeId, current);
          return gained.length > 0 ? withCrossAccountGrants(current, gained) : null;
        },
        gaps: outcome.warnings.map((message) => ({
          code: 'limit_reached' as const,
          part: 'principals' as const,
          operation: 'sts:AssumeRole',
          region: null,
          message,
        })),
      };
    },
    async close() {
      sessions.destroy();
    },
  };
}
