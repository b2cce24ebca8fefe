/**
 * AWS discovery: scopes (accounts), their regions and their ancestry in the organisation.
 */
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { AwsConfig } from '../../src/core/config/schema.ts';
import { globMatch } from '../../src/core/glob.ts';
import type { Gap, Scope } from '../../src/core/model/result.ts';
import { gapFrom, isInterruption } from '../gaps.ts';
import type { DiscoveredScope, Discovery, ProviderRuntime } from '../types.ts';
import type { AwsCredentials, AwsSessions, Sdks } from './clients.ts';
import { classifyAwsError } from './errors.ts';
import {
  accountSelected,
  accountState,
  ancestors,
  fetchAccounts,
  fetchTree,
  type OrgAccount,
  type OrgSend,
  type OrgTree,
  ScpCache,
} from './organization.ts';
import { partitionOfArn, splitByPartition } from './partitions.ts';

/** Account-level facts discovery learns and collection reuses. */
export interface AccountContext {
  /** Direct parent in the organisation (null: single-account mode, or not readable). */
  parentId: string | null;
  management: boolean;
  /** Gaps discovery found for this account (its regions could not be listed…), reported with its collection. */
  gaps: Gap[];
}

const inactiveStates = new Set(['SUSPENDED', 'PENDING_CLOSURE', 'CLOSED']);

export interface AwsDiscovery {
  discover(rt: ProviderRuntime): Promise<Discovery>;
  /** What discovery learnt about an account. */
  account(accountId: string): AccountContext | undefined;
  /** The organisation tree with its SCP cache; null in single-account mode or when the organisation could not be listed. */
  organization(): { tree: OrgTree; scps: ScpCache } | null;
  /** The organisation's account ids; null when not known. */
  organizationAccounts(): ReadonlySet<string> | null;
}

class Discoverer {
  readonly accounts = new Map<string, AccountContext>();
  tree: OrgTree | null = null;
  orgAccounts: ReadonlySet<string> | null = null;
  scps: ScpCache | null = null;

  private readonly cfg: AwsConfig;
  private readonly sessions: AwsSessions;
  private readonly explicit: AwsCredentials | undefined;

  constructor(cfg: AwsConfig, sessions: AwsSessions, explicit: AwsCredentials | undefined) {
    this.cfg = cfg;
    this.sessions = sessions;
    this.explicit = explicit;
  }

  async defaultCredentials(): Promise<AwsCredentials> {
    if (this.explicit) return this.explicit;
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    return fromNodeProviderChain(this.cfg.profile ? { profile: this.cfg.profile } : {});
  }

  selectRegions(enabled: string[]): { regions: string[]; excluded: string[] } {
    const inc = this.cfg.regions.include;
    const exc = this.cfg.regions.exclude;
    const keep = (r: string) => (inc.length === 0 || inc.some((p) => globMatch(p, r))) && !exc.some((p) => globMatch(p, r));
    return { regions: enabled.filter(keep).sort(), excluded: enabled.filter((r) => !keep(r)).sort() };
  }

  async describeRegions(rt: ProviderRuntime, accountId: string) {
    const out = await this.sessions.send(rt.call, 'ec2', accountId, this.cfg.homeRegion, 'DescribeRegions', (c, abortSignal, sdk) =>
      c.send(new sdk.DescribeRegionsCommand({ AllRegions: true }), { abortSignal }),
    );
    const all = out.Regions ?? [];
    const name = (r: (typeof all)[number]) => r.RegionName ?? '';
    // Only the caller's partition is scanned: a region of another one (an endpoint listing cn-* or us-gov-*) is reported.
    const { own, other } = splitByPartition(all.map(name).filter(Boolean), this.sessions.partition);
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

  homeRegionOnly() {
    return {
      regions: this.selectRegions([this.cfg.homeRegion]).regions,
      regionsNotEnabled: [],
      regionsExcluded: [],
      regionsOtherPartition: [],
    };
  }

  /** The account's regions; when they cannot be listed, the home region alone, with the gap kept for its collection. */
  async regionsOf(rt: ProviderRuntime, accountId: string, gaps: Gap[]) {
    try {
      const r = await this.describeRegions(rt, accountId);
      const sel = this.selectRegions(r.enabled);
      return {
        regions: sel.regions,
        regionsNotEnabled: r.notEnabled,
        regionsExcluded: sel.excluded,
        regionsOtherPartition: r.otherPartition,
      };
    } catch (err) {
      if (isInterruption(err)) throw err;
      gaps.push(gapFrom(err, 'regions', null, classifyAwsError));
      return this.homeRegionOnly();
    }
  }

  async singleAccount(rt: ProviderRuntime, accountId: string, discoveryGaps: Gap[]): Promise<Discovery> {
    const gaps: Gap[] = [];
    const regions = await this.regionsOf(rt, accountId, gaps);
    discoveryGaps.push(...gaps);
    this.accounts.set(accountId, { parentId: null, management: false, gaps: [] });
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

  async organization(rt: ProviderRuntime, caller: string): Promise<Discovery> {
    const send: OrgSend = Object.assign(
      <T>(operation: string, fn: (client: OrganizationsClient, signal: AbortSignal, sdk: Sdks['organizations']) => Promise<T>) =>
        this.sessions.send(rt.call, 'organizations', caller, this.cfg.homeRegion, operation, fn),
      rt.maxPages ? { maxPages: rt.maxPages } : {},
    );
    const discoveryGaps: Gap[] = [];
    let listed: Awaited<ReturnType<typeof fetchAccounts>>;
    try {
      this.tree = await fetchTree(send);
      listed = await fetchAccounts(send, this.tree);
    } catch (err) {
      if (isInterruption(err)) throw err;
      // Not a management / delegated-admin account, or Organizations unreachable: scan the caller's account alone.
      discoveryGaps.push({
        ...gapFrom(err, 'discovery', null, classifyAwsError),
        message: `organisation could not be listed, scanning only ${caller}: ${classifyAwsError(err).message}`,
      });
      this.tree = null;
      return this.singleAccount(rt, caller, discoveryGaps);
    }
    const org = this.tree;
    this.orgAccounts = new Set(listed.map((a) => a.account.Id ?? '').filter(Boolean));
    this.scps = new ScpCache(send);
    const candidates: OrgAccount[] = listed
      .filter((a) => a.account.Id)
      .map(({ account: a, parentId }) => ({ id: a.Id as string, name: a.Name ?? (a.Id as string), state: accountState(a), parentId }))
      .filter(
        (a) =>
          (this.cfg.accounts.include.length === 0 || this.cfg.accounts.include.includes(a.id)) && !this.cfg.accounts.exclude.includes(a.id),
      );
    const selected = candidates.filter((a) => accountSelected(this.cfg.accounts, org, a).selected);
    const scopes = await Promise.all(
      selected.map(async (a): Promise<DiscoveredScope> => {
        const management = a.id === org.managementAccountId;
        const ctx: AccountContext = { parentId: a.parentId, management, gaps: [] };
        this.accounts.set(a.id, ctx);
        const base = {
          provider: 'aws' as const,
          kind: 'account' as const,
          id: a.id,
          name: a.name,
          parents: ancestors(org, a.parentId),
          management,
        };
        const blocked = (blockedBy: Gap, state: Scope['state']): DiscoveredScope => ({
          scope: { ...base, ...this.homeRegionOnly(), state },
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
            await this.sessions.assume(rt.call, a.id);
          } catch (err) {
            if (isInterruption(err)) throw err;
            const gap = gapFrom(err, 'discovery', null, classifyAwsError);
            return blocked({ ...gap, message: `role ${this.sessions.roleArn(a.id)} could not be assumed: ${gap.message}` }, 'active');
          }
        }
        const regions = await this.regionsOf(rt, a.id, ctx.gaps);
        return { scope: { ...base, ...regions, state: 'active' }, blockedBy: null };
      }),
    );
    return { root: org.id, found: listed.length, scopes, gaps: discoveryGaps };
  }

  async discover(rt: ProviderRuntime): Promise<Discovery> {
    const credentials = await this.defaultCredentials();
    this.sessions.setAmbient('caller', credentials);
    const who = await this.sessions.send(rt.call, 'sts', 'caller', this.cfg.homeRegion, 'GetCallerIdentity', (c, abortSignal, sdk) =>
      c.send(new sdk.GetCallerIdentityCommand({}), { abortSignal }),
    );
    const caller = who.Account ?? 'unknown';
    this.sessions.partition = partitionOfArn(who.Arn) ?? 'aws';
    // Renewals run while the calls that asked for them hold their slots: never through those slots (rt.renewalCall).
    this.sessions.setCaller(caller, credentials, rt.renewalCall ?? rt.call);
    return this.cfg.mode === 'organization' ? this.organization(rt, caller) : this.singleAccount(rt, caller, []);
  }
}

/**
 * Discovery: the caller's account alone (`mode: account`), or every account of the organisation from the management
 * / delegated-admin account (`mode: organization`: Organizations ListAccountsForParent per root and OU, the OU tree, STS AssumeRole into each
 * account), with each account's enabled regions.
 */
export function createAwsDiscovery(cfg: AwsConfig, sessions: AwsSessions, explicit: AwsCredentials | undefined): AwsDiscovery {
  const d = new Discoverer(cfg, sessions, explicit);
  return {
    discover: (rt) => d.discover(rt),
    account: (accountId) => d.accounts.get(accountId),
    organization: () => (d.tree && d.scps ? { tree: d.tree, scps: d.scps } : null),
    organizationAccounts: () => d.orgAccounts,
  };
}
