/**
 * The AWS adapter: discovers the account(s) and their enabled regions, then collects per account × region the
 * CloudTrail posture, snapshot inventory and the snapshot block-public-access guard, normalised into the model.
 */
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import {
  DescribeRegionsCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  GetSnapshotBlockPublicAccessStateCommand,
  type EC2ClientConfig,
  type Snapshot as Ec2Snapshot,
} from '@aws-sdk/client-ec2';

export type AwsCredentials = NonNullable<EC2ClientConfig['credentials']>;
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { globMatch } from '../../checks/define-check.ts';
import type { AwsConfig, Baseline, Policy } from '../../src/config/schema.ts';
import { regionLogging } from '../../src/model/logging.ts';
import { approvedAutomation, resolveOwner } from '../../src/model/owner.ts';
import type { Gap, Guard, LoggingSource, Scope, Snapshot, Tri } from '../../src/model/result.ts';
import { attempt } from '../gaps.ts';
import type { Discovery, ProviderAdapter, ProviderRuntime, ScopeCollection, ScopeRuntime } from '../types.ts';
import { classifyAwsError } from './errors.ts';
import { accountOfArn, advancedSelectorsRecord, basicSelectorsRecord, type SelectorVerdict, trailSource } from './trails.ts';

export interface AwsAdapterOptions {
  config: AwsConfig;
  policy: Policy;
  baseline: Baseline;
  /** Explicit credentials (the lab, tests); default: the SDK's credential chain (env, profile, SSO, IMDS…). */
  credentials?: AwsCredentials;
}

type ClientKind = 'ec2' | 'cloudtrail' | 'sts';
type AnyClient = EC2Client | CloudTrailClient | STSClient;

/** Account-level facts discovery learns and collection reuses. */
interface AccountContext {
  credentials: AwsCredentials | undefined;
  /** Account ids inside the organisation (null in single-account mode: membership unknown). */
  orgAccounts: ReadonlySet<string> | null;
}

export function createAwsAdapter(opts: AwsAdapterOptions): ProviderAdapter {
  const cfg = opts.config;
  const accounts = new Map<string, AccountContext>();
  const clients = new Map<string, AnyClient>();

  async function defaultCredentials(): Promise<AwsCredentials> {
    if (opts.credentials) return opts.credentials;
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    return fromNodeProviderChain(cfg.profile ? { profile: cfg.profile } : {});
  }

  function client<K extends ClientKind>(
    kind: K,
    accountId: string,
    region: string,
  ): K extends 'ec2' ? EC2Client : K extends 'cloudtrail' ? CloudTrailClient : STSClient {
    const key = `${kind}/${accountId}/${region}`;
    let c = clients.get(key);
    if (!c) {
      const credentials = accounts.get(accountId)?.credentials;
      const common = {
        region,
        maxAttempts: 1, // the engine retries, counts and backs off
        ...(cfg.endpoint ? { endpoint: cfg.endpoint } : {}),
        ...(credentials ? { credentials } : {}),
      };
      c = kind === 'ec2' ? new EC2Client(common) : kind === 'cloudtrail' ? new CloudTrailClient(common) : new STSClient(common);
      clients.set(key, c);
    }
    return c as never;
  }

  function selectRegions(enabled: string[]): { regions: string[]; excluded: string[] } {
    const inc = cfg.regions.include;
    const exc = cfg.regions.exclude;
    const keep = (r: string) => (inc.length === 0 || inc.some((p) => globMatch(p, r))) && !exc.some((p) => globMatch(p, r));
    return { regions: enabled.filter(keep).sort(), excluded: enabled.filter((r) => !keep(r)).sort() };
  }

  async function describeRegions(rt: ProviderRuntime, accountId: string) {
    const out = await rt.call({ service: 'ec2', name: 'DescribeRegions', region: cfg.homeRegion }, (signal) =>
      client('ec2', accountId, cfg.homeRegion).send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal: signal }),
    );
    const all = out.Regions ?? [];
    const enabled = all
      .filter((r) => r.OptInStatus !== 'not-opted-in')
      .map((r) => r.RegionName ?? '')
      .filter(Boolean);
    const notEnabled = all
      .filter((r) => r.OptInStatus === 'not-opted-in')
      .map((r) => r.RegionName ?? '')
      .filter(Boolean);
    return { enabled, notEnabled: notEnabled.sort() };
  }

  async function discover(rt: ProviderRuntime): Promise<Discovery> {
    const credentials = await defaultCredentials();
    accounts.set('caller', { credentials, orgAccounts: null });
    const who = await rt.call({ service: 'sts', name: 'GetCallerIdentity', region: null }, (signal) =>
      client('sts', 'caller', cfg.homeRegion).send(new GetCallerIdentityCommand({}), { abortSignal: signal }),
    );
    const accountId = who.Account ?? 'unknown';
    accounts.set(accountId, { credentials, orgAccounts: null });
    const gaps: Gap[] = [];
    const regions = await attempt(gaps, 'regions', null, classifyAwsError, () => describeRegions(rt, accountId));
    const sel = selectRegions(regions?.enabled ?? [cfg.homeRegion]);
    const scope: Scope = {
      provider: 'aws',
      kind: 'account',
      id: accountId,
      name: accountId,
      parents: [],
      regions: sel.regions,
      regionsNotEnabled: regions?.notEnabled ?? [],
      regionsExcluded: sel.excluded,
      state: 'active',
      management: false,
    };
    return { root: null, found: 1, scopes: [{ scope, blockedBy: null }], gaps };
  }

  async function collectTrails(scope: Scope, rt: ScopeRuntime, gaps: Gap[], ok: Set<string>): Promise<LoggingSource[]> {
    const byArn = new Map<string, Trail>();
    await Promise.all(
      scope.regions.map((region) =>
        attempt(gaps, 'logging', region, classifyAwsError, async () => {
          const out = await rt.call({ service: 'cloudtrail', name: 'DescribeTrails', region }, (signal) =>
            client('cloudtrail', scope.id, region).send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: signal }),
          );
          ok.add(region);
          for (const t of out.trailList ?? []) if (t.TrailARN) byArn.set(t.TrailARN, t);
        }),
      ),
    );
    const trails = [...byArn.values()].sort((a, b) => ((a.TrailARN ?? '') < (b.TrailARN ?? '') ? -1 : 1));
    return Promise.all(
      trails.map(async (trail) => {
        const home = trail.HomeRegion && scope.regions.includes(trail.HomeRegion) ? trail.HomeRegion : (scope.regions[0] ?? cfg.homeRegion);
        const ct = client('cloudtrail', scope.id, home);
        const statusReasons: string[] = [];
        const status = await attempt(gaps, 'logging', home, classifyAwsError, () =>
          rt.call({ service: 'cloudtrail', name: 'GetTrailStatus', region: home }, (signal) =>
            ct.send(new GetTrailStatusCommand({ Name: trail.TrailARN }), { abortSignal: signal }),
          ),
        );
        if (!status) statusReasons.push(`status of trail ${trail.Name} could not be read`);
        const selectors = await attempt(gaps, 'logging', home, classifyAwsError, () =>
          rt.call({ service: 'cloudtrail', name: 'GetEventSelectors', region: home }, (signal) =>
            ct.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN }), { abortSignal: signal }),
          ),
        );
        let verdict: SelectorVerdict = { records: 'unknown', reasons: [`event selectors of trail ${trail.Name} could not be read`] };
        if (selectors?.AdvancedEventSelectors?.length) verdict = advancedSelectorsRecord(selectors.AdvancedEventSelectors);
        else if (selectors) verdict = basicSelectorsRecord(selectors.EventSelectors ?? []);
        const isLogging: Tri = status ? (status.IsLogging ? 'yes' : 'no') : 'unknown';
        const owner = accountOfArn(trail.TrailARN) ?? scope.id;
        // The bucket's account is not in DescribeTrails; an organisation trail or a bucket named in the config is central.
        const bucketAccount = trail.IsOrganizationTrail ? null : owner;
        return trailSource(
          { trail, ownerAccountId: owner, isLogging, selectors: verdict, statusReasons },
          scope.id,
          scope.regions,
          bucketAccount,
          null,
        );
      }),
    );
  }

  async function collectSnapshots(
    scope: Scope,
    rt: ScopeRuntime,
    gaps: Gap[],
    ok: Set<string>,
    orgAccounts: ReadonlySet<string> | null,
  ): Promise<Snapshot[]> {
    const shareLimit = pLimit(cfg.shareLookup.concurrency);
    const perRegion = await Promise.all(
      scope.regions.map(async (region) => {
        const ec2 = client('ec2', scope.id, region);
        const raw = await attempt(gaps, 'snapshots', region, classifyAwsError, async () => {
          const items: Ec2Snapshot[] = [];
          let token: string | undefined;
          do {
            const out = await rt.call({ service: 'ec2', name: 'DescribeSnapshots', region }, (signal) =>
              ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], MaxResults: 1000, NextToken: token }), { abortSignal: signal }),
            );
            items.push(...(out.Snapshots ?? []));
            token = out.NextToken;
          } while (token);
          ok.add(region);
          return items;
        });
        if (!raw) return [];
        const publicIds = await attempt(gaps, 'sharing', region, classifyAwsError, async () => {
          const out = await rt.call({ service: 'ec2', name: 'DescribeSnapshots', region }, (signal) =>
            ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], RestorableByUserIds: ['all'] }), { abortSignal: signal }),
          );
          return new Set((out.Snapshots ?? []).map((s) => s.SnapshotId ?? ''));
        });
        return Promise.all(
          raw.map(async (s) => {
            let shares: string[] | null = null;
            let isPublic: Tri = publicIds ? (publicIds.has(s.SnapshotId ?? '') ? 'yes' : 'no') : 'unknown';
            if (cfg.shareLookup.enabled) {
              const attr = await shareLimit(() =>
                attempt(gaps, 'sharing', region, classifyAwsError, () =>
                  rt.call({ service: 'ec2', name: 'DescribeSnapshotAttribute', region }, (signal) =>
                    ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: s.SnapshotId, Attribute: 'createVolumePermission' }), {
                      abortSignal: signal,
                    }),
                  ),
                ),
              );
              if (attr) {
                const perms = attr.CreateVolumePermissions ?? [];
                shares = perms.map((p) => p.UserId).filter((u): u is string => !!u);
                if (perms.some((p) => p.Group === 'all')) isPublic = 'yes';
                else if (isPublic === 'unknown') isPublic = 'no';
              }
            }
            return normaliseSnapshot(s, region, scope.id, isPublic, shares, orgAccounts);
          }),
        );
      }),
    );
    return perRegion.flat();
  }

  function normaliseSnapshot(
    s: Ec2Snapshot,
    region: string,
    accountId: string,
    isPublic: Tri,
    shares: string[] | null,
    orgAccounts: ReadonlySet<string> | null,
  ): Snapshot {
    const tags = Object.fromEntries((s.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    const markers = [
      ...(Object.keys(tags).some((k) => k.startsWith('aws:backup:')) ? ['aws-backup'] : []),
      ...(Object.keys(tags).some((k) => k.startsWith('aws:dlm:')) ? ['dlm'] : []),
    ];
    const id = s.SnapshotId ?? 'unknown';
    return {
      id,
      name: tags.Name ?? null,
      resourceId: `arn:aws:ec2:${region}::snapshot/${id}`,
      region,
      createdAt: s.StartTime ? s.StartTime.toISOString() : null,
      sizeGiB: s.VolumeSize ?? null,
      state: s.State ?? null,
      description: s.Description || null,
      tags,
      encryption: {
        status: s.Encrypted ? (s.KmsKeyId && !/alias\/aws\/ebs$/.test(s.KmsKeyId) ? 'customer-key' : 'provider-key') : 'unencrypted',
        keyId: s.KmsKeyId ?? null,
      },
      sharing: {
        public: isPublic,
        sharedWith: (shares ?? []).map((a) => ({
          id: a,
          kind: 'account',
          inOrganization: a === accountId ? 'yes' : orgAccounts === null ? 'unknown' : orgAccounts.has(a) ? 'yes' : 'no',
        })),
        sharesKnown: shares !== null,
        notes: isPublic === 'yes' ? ['createVolumePermission includes group all'] : [],
      },
      owner: resolveOwner({ tags, ownerTagKeys: opts.policy.ownerTagKeys }),
      creator: null,
      source: {
        kind: s.VolumeId && s.VolumeId !== 'vol-ffffffff' ? 'volume' : 'unknown',
        id: s.VolumeId && s.VolumeId !== 'vol-ffffffff' ? s.VolumeId : null,
        tags: {},
      },
      automation: approvedAutomation(markers, opts.baseline.automation, globMatch),
    };
  }

  async function collectGuards(scope: Scope, rt: ScopeRuntime, gaps: Gap[], ok: Set<string>): Promise<Guard[]> {
    const out = await Promise.all(
      scope.regions.map((region) =>
        attempt(gaps, 'guards', region, classifyAwsError, async () => {
          const r = await rt.call({ service: 'ec2', name: 'GetSnapshotBlockPublicAccessState', region }, (signal) =>
            client('ec2', scope.id, region).send(new GetSnapshotBlockPublicAccessStateCommand({}), { abortSignal: signal }),
          );
          ok.add(region);
          const state = r.State ?? 'unknown';
          const blocks: Tri =
            state === 'block-all-sharing' || state === 'block-new-sharing' ? 'yes' : state === 'unblocked' ? 'no' : 'unknown';
          return { region, kind: 'snapshot-block-public-access' as const, state, blocksPublicSharing: blocks };
        }),
      ),
    );
    return out.filter((g): g is Guard => g !== undefined);
  }

  return {
    provider: 'aws',
    classifyError: classifyAwsError,
    discover,
    async collect(scope, rt): Promise<ScopeCollection> {
      const gaps: Gap[] = [];
      const ok = new Set<string>();
      const acct = accounts.get(scope.id);
      const [sources, snapshots, guards] = await Promise.all([
        rt.needs.has('logging') ? collectTrails(scope, rt, gaps, ok) : Promise.resolve([]),
        rt.needs.has('snapshots') ? collectSnapshots(scope, rt, gaps, ok, acct?.orgAccounts ?? null) : Promise.resolve([]),
        rt.needs.has('guards') ? collectGuards(scope, rt, gaps, ok) : Promise.resolve([]),
      ]);
      const failedRegions = scope.regions.filter((r) => !ok.has(r) && gaps.some((g) => g.region === r));
      const unreadLogging = new Set(
        gaps.filter((g) => g.part === 'logging' && g.operation === 'cloudtrail:DescribeTrails').map((g) => g.region),
      );
      const logging = rt.needs.has('logging')
        ? {
            sources,
            alerts: [],
            regions: regionLogging(scope.regions, sources, null).map((r) =>
              r.recorded === 'no' && unreadLogging.has(r.region)
                ? { ...r, recorded: 'unknown' as const, reasons: ['trails in this region could not be read', ...r.reasons] }
                : r,
            ),
          }
        : { sources: [], alerts: [], regions: [] };
      return { logging, guards, principals: [], snapshots, gaps, failedRegions };
    },
    async close() {
      for (const c of clients.values()) c.destroy();
      clients.clear();
    },
  };
}
