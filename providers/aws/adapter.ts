/**
 * The AWS adapter. Discovery: the caller's account alone (`mode: account`), or every account of the organisation
 * from the management / delegated-admin account (`mode: organization`: Organizations ListAccounts, the OU tree,
 * STS AssumeRole into each account), with each account's enabled regions. Collection per account × region:
 * CloudTrail posture and alert routes, the snapshot block-public-access guard, who can snapshot (IAM
 * authorization details → the policy evaluator) and the snapshot inventory, normalised into the model.
 */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { GetSnapshotBlockPublicAccessStateCommand } from '@aws-sdk/client-ec2';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { globMatch } from '../../src/core/glob.ts';
import type { AwsConfig, Baseline, Policy } from '../../src/core/config/schema.ts';
import { regionLogging } from '../../src/core/model/logging.ts';
import type { AlertRoute, Gap, Guard, Principal, Scope, Tri } from '../../src/core/model/result.ts';
import { gapFrom, isInterruption } from '../gaps.ts';
import type { DiscoveredScope, Discovery, ProviderAdapter, ProviderRuntime, ScopeCollection, ScopeRuntime } from '../types.ts';
import { type AccountIO, accountIO } from './account-io.ts';
import { gateRulesByRecording } from './alerts.ts';
import { classifyAwsError } from './errors.ts';
import { type AccountEvaluation, evaluateAccount } from './evaluator.ts';
import { collectRules, collectTrails, loggingCaches } from './logging.ts';
import {
  accountSelected,
  accountState,
  ancestors,
  fetchAccounts,
  fetchParent,
  fetchTree,
  type OrgAccount,
  type OrgSend,
  type OrgTree,
  ScpCache,
} from './organization.ts';
import { type AccountAuthorizationInput, fetchAuthorizationDetails } from './principals.ts';
import { type AwsCredentials, AwsSessions } from './session.ts';
import { collectSnapshots } from './snapshots.ts';
import { partitionOfArn, splitByPartition } from './partitions.ts';

export type { AwsCredentials } from './session.ts';

export interface AwsAdapterOptions {
  config: AwsConfig;
  policy: Policy;
  baseline: Baseline;
  /** Explicit credentials (the lab, tests); default: the SDK's credential chain (env, profile, SSO, IMDS…). */
  credentials?: AwsCredentials;
  /** The policy evaluator (default: ./evaluator.ts, the project's own); tests wrap it to see its input. */
  evaluate?: (input: AccountAuthorizationInput) => AccountEvaluation;
}

/** Account-level facts discovery learns and collection reuses. */
interface AccountContext {
  /** Direct parent in the organisation (null: single-account mode, or not readable). */
  parentId: string | null;
  management: boolean;
  /** Gaps discovery found for this account (its regions could not be listed…), reported with its collection. */
  gaps: Gap[];
}

const inactiveStates = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

export function createAwsAdapter(opts: AwsAdapterOptions): ProviderAdapter {
  const cfg = opts.config;
  const sessions = new AwsSessions(cfg);
  const accounts = new Map<string, AccountContext>();
  const caches = loggingCaches();
  let tree: OrgTree | null = null;
  let orgAccounts: ReadonlySet<string> | null = null;
  let scps: ScpCache | null = null;

  async function defaultCredentials(): Promise<AwsCredentials> {
    if (opts.credentials) return opts.credentials;
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    return fromNodeProviderChain(cfg.profile ? { profile: cfg.profile } : {});
  }

  function selectRegions(enabled: string[]): { regions: string[]; excluded: string[] } {
    const inc = cfg.regions.include;
    const exc = cfg.regions.exclude;
    const keep = (r: string) => (inc.length === 0 || inc.some((p) => globMatch(p, r))) && !exc.some((p) => globMatch(p, r));
    return { regions: enabled.filter(keep).sort(), excluded: enabled.filter((r) => !keep(r)).sort() };
  }

  async function describeRegions(rt: ProviderRuntime, accountId: string) {
    const out = await sessions.send(rt.call, 'ec2', accountId, cfg.homeRegion, 'DescribeRegions', (c, abortSignal) =>
      c.send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal }),
    );
    const all = out.Regions ?? [];
    const name = (r: (typeof all)[number]) => r.RegionName ?? '';
    // Only the caller's partition is scanned: a region of another one (an endpoint listing cn-* or us-gov-*) is reported.
    const { own, other } = splitByPartition(all.map(name).filter(Boolean), sessions.partition);
    const mine = all.filter((r) => own.includes(name(r)));
    return {
      enabled: mine.filter((r) => r.OptInStatus !== 'not-opted-in').map(name),
      notEnabled: mine
        .filter((r) => r.OptInStatus === 'not-opted-in')
        .map(name)
        .sort(),
      otherPartition: other.sort(),
    };
  }

  function homeRegionOnly() {
    return { regions: selectRegions([cfg.homeRegion]).regions, regionsNotEnabled: [], regionsExcluded: [], regionsOtherPartition: [] };
  }

  /** The account's regions; when they cannot be listed, the home region alone, with the gap kept for its collection. */
  async function regionsOf(rt: ProviderRuntime, accountId: string, gaps: Gap[]) {
    try {
      const r = await describeRegions(rt, accountId);
      const sel = selectRegions(r.enabled);
      return {
        regions: sel.regions,
        regionsNotEnabled: r.notEnabled,
        regionsExcluded: sel.excluded,
        regionsOtherPartition: r.otherPartition,
      };
    } catch (err) {
      if (isInterruption(err)) throw err;
      gaps.push(gapFrom(err, 'regions', null, classifyAwsError));
      return homeRegionOnly();
    }
  }

  async function singleAccount(rt: ProviderRuntime, accountId: string, discoveryGaps: Gap[]): Promise<Discovery> {
    const gaps: Gap[] = [];
    const regions = await regionsOf(rt, accountId, gaps);
    discoveryGaps.push(...gaps);
    accounts.set(accountId, { parentId: null, management: false, gaps: [] });
    const scope: Scope = {
      provider: 'aws',
      kind: 'account',
      id: accountId,
      name: accountId,
      parents: [],
      ...regions,
      state: 'active',
      management: false,
    };
    return { root: null, found: 1, scopes: [{ scope, blockedBy: null }], gaps: discoveryGaps };
  }

  async function organization(rt: ProviderRuntime, caller: string): Promise<Discovery> {
    const send: OrgSend = Object.assign(
      <T>(operation: string, fn: (client: OrganizationsClient, signal: AbortSignal) => Promise<T>) =>
        sessions.send(rt.call, 'organizations', caller, cfg.homeRegion, operation, fn),
      rt.maxPages ? { maxPages: rt.maxPages } : {},
    );
    const discoveryGaps: Gap[] = [];
    let listed: Awaited<ReturnType<typeof fetchAccounts>>;
    try {
      tree = await fetchTree(send);
      listed = await fetchAccounts(send);
    } catch (err) {
      if (isInterruption(err)) throw err;
      // Not a management / delegated-admin account, or Organizations unreachable: scan the caller's account alone.
      discoveryGaps.push({
        ...gapFrom(err, 'discovery', null, classifyAwsError),
        message: `organisation could not be listed, scanning only ${caller}: ${classifyAwsError(err).message}`,
      });
      tree = null;
      return singleAccount(rt, caller, discoveryGaps);
    }
    const org = tree;
    orgAccounts = new Set(listed.map((a) => a.Id ?? '').filter(Boolean));
    scps = new ScpCache(send);
    const candidates: OrgAccount[] = listed
      .filter((a) => a.Id)
      .map((a) => ({ id: a.Id as string, name: a.Name ?? (a.Id as string), state: accountState(a), parentId: null }))
      .filter((a) => (cfg.accounts.include.length === 0 || cfg.accounts.include.includes(a.id)) && !cfg.accounts.exclude.includes(a.id));
    await Promise.all(
      candidates.map(async (a) => {
        try {
          a.parentId = await fetchParent(send, a.id);
        } catch (err) {
          if (isInterruption(err)) throw err;
          discoveryGaps.push({
            ...gapFrom(err, 'discovery', null, classifyAwsError),
            message: `the OU of account ${a.id} could not be read: ${classifyAwsError(err).message}`,
          });
        }
      }),
    );
    const selected = candidates.filter((a) => accountSelected(cfg.accounts, org, a).selected);
    const scopes = await Promise.all(
      selected.map(async (a): Promise<DiscoveredScope> => {
        const management = a.id === org.managementAccountId;
        const ctx: AccountContext = { parentId: a.parentId, management, gaps: [] };
        accounts.set(a.id, ctx);
        const base = {
          provider: 'aws' as const,
          kind: 'account' as const,
          id: a.id,
          name: a.name,
          parents: ancestors(org, a.parentId),
          management,
        };
        const blocked = (blockedBy: Gap, state: Scope['state']): DiscoveredScope => ({
          scope: { ...base, ...homeRegionOnly(), state },
          blockedBy,
        });
        if (inactiveStates.has(a.state)) {
          return blocked(
            {
              code: 'suspended',
              part: 'discovery',
              operation: null,
              region: null,
              message: `account ${a.id} is ${a.state.toLowerCase().replace('_', ' ')}: it cannot be scanned`,
            },
            a.state === 'CLOSED' ? 'disabled' : 'suspended',
          );
        }
        if (a.id !== caller) {
          try {
            await sessions.assume(rt.call, a.id);
          } catch (err) {
            if (isInterruption(err)) throw err;
            const gap = gapFrom(err, 'discovery', null, classifyAwsError);
            return blocked({ ...gap, message: `role ${sessions.roleArn(a.id)} could not be assumed: ${gap.message}` }, 'active');
          }
        }
        const regions = await regionsOf(rt, a.id, ctx.gaps);
        return { scope: { ...base, ...regions, state: 'active' }, blockedBy: null };
      }),
    );
    return { root: org.id, found: listed.length, scopes, gaps: discoveryGaps };
  }

  async function discover(rt: ProviderRuntime): Promise<Discovery> {
    const credentials = await defaultCredentials();
    sessions.setAmbient('caller', credentials);
    const who = await sessions.send(rt.call, 'sts', 'caller', cfg.homeRegion, 'GetCallerIdentity', (c, abortSignal) =>
      c.send(new GetCallerIdentityCommand({}), { abortSignal }),
    );
    const caller = who.Account ?? 'unknown';
    sessions.partition = partitionOfArn(who.Arn) ?? 'aws';
    sessions.setCaller(caller, credentials, rt.call);
    return cfg.mode === 'organization' ? organization(rt, caller) : singleAccount(rt, caller, []);
  }

  async function collectGuards(io: AccountIO): Promise<Guard[]> {
    const out = await Promise.all(
      io.scope.regions.map((region) =>
        io.part('guards', region, async () => {
          const r = await io.send('ec2', region, 'GetSnapshotBlockPublicAccessState', (c, abortSignal) =>
            c.send(new GetSnapshotBlockPublicAccessStateCommand({}), { abortSignal }),
          );
          io.ok.add(region);
          const state = r.State ?? 'unknown';
          const blocks: Tri =
            state === 'block-all-sharing' || state === 'block-new-sharing' ? 'yes' : state === 'unblocked' ? 'no' : 'unknown';
          return { region, kind: 'snapshot-block-public-access' as const, state, blocksPublicSharing: blocks };
        }),
      ),
    );
    return out.filter((g): g is Guard => g !== undefined);
  }

  async function collectPrincipals(io: AccountIO, ctx: AccountContext | undefined): Promise<Principal[]> {
    const details = await io.part('principals', null, () => fetchAuthorizationDetails(io, cfg.homeRegion));
    if (!details) return [];
    let serviceControlPolicies: Array<Array<{ id: string; name: string; document: string }>> | null = null;
    if (tree?.scpEnabled && scps && ctx?.parentId) {
      const org = tree;
      const parentId = ctx.parentId;
      const cache = scps;
      serviceControlPolicies = (await io.part('principals', null, () => cache.forAccount(org, io.scope.id, parentId))) ?? null;
    }
    const evaluation = (opts.evaluate ?? evaluateAccount)({
      accountId: io.scope.id,
      details,
      organizationAccountIds: orgAccounts,
      serviceControlPolicies,
      isManagementAccount: ctx?.management ?? false,
      now: io.rt.now,
      partition: sessions.partition,
    });
    // What the evaluator could not read (a missing managed policy, an unparsable document) may hide a grant: a gap.
    for (const message of evaluation.warnings) {
      io.gaps.push({
        code: message.includes('not in the authorization details') ? 'not_found' : 'invalid_response',
        part: 'principals',
        operation: 'iam:GetAccountAuthorizationDetails',
        region: null,
        message,
      });
    }
    return evaluation.principals;
  }

  return {
    provider: 'aws',
    classifyError: classifyAwsError,
    discover,
    async collect(scope: Scope, rt: ScopeRuntime): Promise<ScopeCollection> {
      const ctx = accounts.get(scope.id);
      const gaps: Gap[] = [...(ctx?.gaps ?? [])];
      const io = accountIO(sessions, scope, rt, gaps);
      const wantLogging = rt.needs.has('logging') || rt.needs.has('alerting');
      const wantAlerts = rt.needs.has('alerting');
      const [trails, rules, snapshots, guards, principals] = await Promise.all([
        wantLogging ? collectTrails(io, { cfg, caches, orgAccounts, wantAlerts }) : Promise.resolve(null),
        wantAlerts ? collectRules(io) : Promise.resolve(null),
        rt.needs.has('snapshots')
          ? collectSnapshots(io, { cfg, policy: opts.policy, orgAccounts, partition: sessions.partition, now: rt.now })
          : Promise.resolve([]),
        rt.needs.has('guards') ? collectGuards(io) : Promise.resolve([]),
        rt.needs.has('principals') ? collectPrincipals(io, ctx) : Promise.resolve([]),
      ]);
      const failedRegions = scope.regions.filter((r) => !io.ok.has(r) && gaps.some((g) => g.region === r));
      let logging: ScopeCollection['logging'] = { sources: [], alerts: [], regions: [] };
      if (trails) {
        const sources = trails.views.map((v) => v.source);
        // A region whose trails could not be read is not known to be unrecorded.
        const recordedIn = (region: string, verdict: Tri): Tri => (verdict === 'no' && trails.unread.has(region) ? 'unknown' : verdict);
        const recorded = new Map(regionLogging(scope.regions, sources, null).map((r) => [r.region, recordedIn(r.region, r.recorded)]));
        const alerts: AlertRoute[] | null = rules
          ? [...gateRulesByRecording(rules.routes, (region) => recorded.get(region) ?? 'unknown'), ...trails.filterRoutes]
          : null;
        logging = {
          sources,
          alerts: alerts ?? [],
          regions: regionLogging(scope.regions, sources, alerts).map((r) => {
            let out = r;
            if (r.recorded === 'no' && trails.unread.has(r.region))
              out = { ...out, recorded: 'unknown', reasons: ['trails in this region could not be read', ...out.reasons] };
            if (rules?.unread.has(r.region) && out.alerted !== 'exact') out = { ...out, alerted: 'unknown' };
            return out;
          }),
        };
      }
      sessions.release(scope.id);
      return { logging, guards, principals, snapshots, gaps, failedRegions };
    },
    async close() {
      sessions.destroy();
    },
  };
}
