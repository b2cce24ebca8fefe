/**
 * The GCP adapter: discovers the projects of an organisation, folders or an explicit list (with their folder and
 * organisation ancestry), then collects per project: audit-log export (project sinks and aggregated folder /
 * organisation sinks, their destinations' retention and lock), alerting (log-based metrics with alert policies),
 * who can snapshot (allow policies up the hierarchy, deny policies, roles) and the snapshots themselves.
 *
 * Scope.regions is `["global"]`: snapshots are global resources (with storage locations) and audit logging, sinks and
 * IAM are project / folder / organisation-wide.
 */
import pLimit from 'p-limit';
import { catalogueFor } from '../../src/core/catalogue/index.ts';
import type { Baseline, GcpConfig, Policy } from '../../src/core/config/schema.ts';
import { globMatch } from '../../src/core/glob.ts';
import { regionLogging } from '../../src/core/model/logging.ts';
import type {
  Ancestor,
  AlertRoute,
  Gap,
  LoggingSource,
  Part,
  Principal,
  RegionLogging,
  Scope,
  Snapshot,
} from '../../src/core/model/result.ts';
import { attempt, gapFrom, isInterruption } from '../gaps.ts';
import { type Listing, readPages } from '../paging.ts';
import type { DiscoveredScope, Discovery, ProviderAdapter, ProviderRuntime, ScopeCollection, ScopeRuntime } from '../types.ts';
import type { Operation } from '../../src/core/calls.ts';
import { type AuthLike, callOptions, createClients, type GcpClients, signIn, withSignal } from './clients.ts';
import { type EntriesPage, PagingStoppedError, readCreationEntries } from './creators.ts';
import { classifyGcpError } from './errors.ts';
import { type AllowPolicyAt, type DenyPolicyAt, evaluateIam, type ResourceNode, type RoleInfo } from './iam.ts';
import {
  type AlertPolicyInfo,
  alertRoutes,
  type ChannelLookup,
  type BucketInfo,
  type Interception,
  interception,
  interceptedRoutes,
  type LoggingContext,
  type MetricInfo,
  parseDestination,
  requiredSource,
  type SinkInfo,
  sinkSource,
} from './logging.ts';
import type { Membership } from './members.ts';
import { createPacer } from './pacer.ts';
import {
  attachmentsFromEntries,
  creatorFor,
  creatorsFromEntries,
  normaliseSnapshot,
  type RawBinding,
  type RawSnapshot,
  resourcePath,
} from './snapshots.ts';

export interface GcpAdapterOptions {
  config: GcpConfig;
  policy: Policy;
  baseline: Baseline;
  /** An auth client (google-auth-library), or `{ accessToken }` for a static token (the lab); default: ADC. */
  authClient?: unknown;
  /** The window `logReadsPerMinute` counts in (tests shorten it; default one minute). */
  logReadWindowMs?: number;
}

const classify = classifyGcpError;
const GLOBAL = 'global';
/** Pages any one REST listing may read. */
const MAX_PAGES = 1000;
/** Regions listed at once per project for regional snapshots. */
const REGIONAL_CONCURRENCY = 8;

/** `https://…/regions/europe-west1` → `europe-west1`; a global snapshot → `global`. */
function regionOf(s: RawSnapshot): string {
  return s.region ? (s.region.split('/').pop() ?? GLOBAL) : GLOBAL;
}

interface ProjectContext {
  projectId: string;
  number: string | null;
  name: string;
  /** Organisation and folders, top down. */
  ancestors: ResourceNode[];
}

type Page<T> = [T[], { pageToken?: string | null } | null | undefined, unknown];

type Cached<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function createGcpAdapter(opts: GcpAdapterOptions): ProviderAdapter {
  const cfg = opts.config;
  let clientsRef: GcpClients | null = null;
  /** The auth client `signIn` resolved at the start of discovery; the clients are built on it. */
  let signedIn: unknown = opts.authClient;
  const clients = () => {
    clientsRef ??= createClients(signedIn, cfg.endpoint);
    return clientsRef;
  };
  const projects = new Map<string, ProjectContext>();
  const cache = new Map<string, Promise<Cached<unknown>>>();
  /** One Cloud Logging read quota for the whole scan: every project's entries:list calls share it. */
  const logReads = createPacer({ limit: cfg.logReadsPerMinute, windowMs: opts.logReadWindowMs ?? 60_000 });
  let membership: Membership = { domains: cfg.domains.map((d) => d.toLowerCase()), orgProjects: null };

  /** One call (or paged listing) per key per scan, shared by every project that needs it. Failures are cached too. */
  function cached<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = cache.get(key) as Promise<Cached<T>> | undefined;
    if (!p) {
      p = fn().then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      cache.set(key, p as Promise<Cached<unknown>>);
    }
    return p.then((r) => {
      if (r.ok) return r.value;
      if (isInterruption(r.error)) cache.delete(key);
      throw r.error;
    });
  }

  /** Every page of a listing, one engine call per page, bounded (providers/paging.ts). */
  function pages<T>(rt: ProviderRuntime, op: Operation, fetch: (pageToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
    return readPages(listingOf(rt, op), async (token) => {
      const [items, next] = await rt.call(op, (signal) => withSignal(fetch(token), signal));
      return { items, next: next?.pageToken };
    });
  }

  const listingOf = (rt: ProviderRuntime, o: Operation): Listing => ({
    operation: `${o.service}:${o.name}`,
    region: o.region ?? null,
    ...(rt.maxPages ? { maxPages: rt.maxPages } : {}),
  });

  function rest<T>(rt: ProviderRuntime, op: Operation, url: string, data?: unknown): Promise<T> {
    const auth = clients().auth as unknown as AuthLike;
    return rt.call(op, async (signal) => {
      // As text, parsed here: asked for JSON, gaxios hands back a body that does not parse as a string, which
      // would read as an empty answer (no entries, no permissions) instead of a failed call.
      const res = await auth.request<string>({
        url,
        method: data === undefined ? 'GET' : 'POST',
        data,
        signal,
        retry: false,
        timeout: 60_000,
        responseType: 'text',
      });
      return (typeof res.data === 'string' ? JSON.parse(res.data) : res.data) as T;
    });
  }

  const op = (service: string, name: string, region: string = GLOBAL): Operation => ({ service, name, region });

  // ------------------------------------------------------------------------------------------------ discovery

  interface RawProject {
    projectId?: string | null;
    name?: string | null;
    displayName?: string | null;
    parent?: string | null;
    state?: string | number | null;
  }

  async function discover(rt: ProviderRuntime): Promise<Discovery> {
    signedIn = await rt.call(op('auth', 'signIn'), (signal) => withSignal(signIn(opts.authClient), signal));
    const c = clients();
    const gaps: Gap[] = [];
    const folderInfo = new Map<string, { name: string | null; parent: string | null }>();
    const found = new Map<string, RawProject>();
    const blocked: DiscoveredScope[] = [];
    let root: string | null = null;
    const wholeOrg = cfg.projects.length === 0 && cfg.folders.length === 0 && cfg.organizationId !== undefined;

    if (cfg.projects.length > 0) {
      root = cfg.organizationId ? `organizations/${cfg.organizationId}` : null;
      await Promise.all(
        cfg.projects.map(async (id) => {
          const gap: Gap[] = [];
          const p = await attempt(gap, 'discovery', null, classify, () =>
            rt.call(op('cloudresourcemanager', 'projects.get'), (signal) =>
              withSignal(c.projects.getProject({ name: `projects/${id}` }, callOptions), signal),
            ),
          );
          if (p) found.set(p[0].projectId ?? id, p[0] as RawProject);
          else blocked.push({ scope: projectScope({ projectId: id, number: null, name: id, ancestors: [] }), blockedBy: gap[0] ?? null });
        }),
      );
    } else if (cfg.folders.length > 0 || cfg.organizationId !== undefined) {
      const roots = cfg.folders.length > 0 ? cfg.folders.map((f) => `folders/${f}`) : [`organizations/${cfg.organizationId}`];
      root = roots.join(',');
      const queue = [...roots];
      const seen = new Set<string>();
      while (queue.length > 0) {
        const level = queue.splice(0, queue.length).filter((n) => !seen.has(n));
        for (const n of level) seen.add(n);
        await Promise.all(
          level.map(async (parent) => {
            const [ps, fs] = await Promise.all([
              attempt(gaps, 'discovery', null, classify, () =>
                pages(
                  rt,
                  op('cloudresourcemanager', 'projects.list'),
                  (pageToken) =>
                    c.projects.listProjects({ parent, pageToken: pageToken ?? '' }, callOptions) as unknown as Promise<Page<RawProject>>,
                ),
              ),
              attempt(gaps, 'discovery', null, classify, () =>
                pages(
                  rt,
                  op('cloudresourcemanager', 'folders.list'),
                  (pageToken) =>
                    c.folders.listFolders({ parent, pageToken: pageToken ?? '' }, callOptions) as unknown as Promise<
                      Page<{ name?: string | null; displayName?: string | null; parent?: string | null }>
                    >,
                ),
              ),
            ]);
            for (const p of ps ?? []) if (p.projectId) found.set(p.projectId, p);
            for (const f of fs ?? []) {
              if (!f.name) continue;
              folderInfo.set(f.name, { name: f.displayName ?? null, parent: f.parent ?? null });
              queue.push(f.name);
            }
          }),
        );
      }
    } else {
      const ps = await attempt(gaps, 'discovery', null, classify, () =>
        pages(
          rt,
          op('cloudresourcemanager', 'projects.search'),
          (pageToken) =>
            c.projects.searchProjects({ query: '', pageToken: pageToken ?? '' }, callOptions) as unknown as Promise<Page<RawProject>>,
        ),
      );
      for (const p of ps ?? []) if (p.projectId) found.set(p.projectId, p);
    }

    // Ancestry: folders above each project up to the organisation (getFolder for those not listed on the way down).
    const folderOf = async (name: string) => {
      const known = folderInfo.get(name);
      if (known) return known;
      const f = await cached(`folder:${name}`, () =>
        rt.call(op('cloudresourcemanager', 'folders.get'), (signal) => withSignal(c.folders.getFolder({ name }, callOptions), signal)),
      );
      return { name: f[0].displayName ?? null, parent: f[0].parent ?? null };
    };
    const ancestryGaps = new Set<string>();
    const ancestry = async (parent: string | null): Promise<ResourceNode[]> => {
      const chain: ResourceNode[] = [];
      let cur = parent;
      for (let i = 0; cur?.startsWith('folders/') && i < 20; i++) {
        const name: string = cur;
        try {
          const f = await folderOf(name);
          chain.unshift({ level: 'folder', id: name, name: f.name });
          cur = f.parent;
        } catch (err) {
          if (isInterruption(err)) throw err;
          if (!ancestryGaps.has(name)) {
            ancestryGaps.add(name);
            const g = gapFrom(err, 'discovery', null, classify);
            gaps.push({
              ...g,
              message: `ancestry above ${name} could not be read: IAM bindings, deny policies and sinks inherited from above it are not evaluated (${g.message})`,
            });
          }
          chain.unshift({ level: 'folder', id: name, name: null });
          cur = null;
        }
      }
      if (cur?.startsWith('organizations/')) chain.unshift({ level: 'organization', id: cur, name: null });
      return chain;
    };

    const contexts = await Promise.all(
      [...found.values()].map(async (p): Promise<ProjectContext> => {
        const id = p.projectId as string;
        return {
          projectId: id,
          number: p.name?.replace(/^projects\//, '') ?? null,
          name: p.displayName || id,
          ancestors: await ancestry(p.parent ?? null),
        };
      }),
    );

    // The organisation: its display name is its primary domain (the default for "inside the organisation").
    const orgIds = new Set(contexts.flatMap((x) => x.ancestors.filter((a) => a.level === 'organization').map((a) => a.id)));
    if (cfg.organizationId) orgIds.add(`organizations/${cfg.organizationId}`);
    const orgNames = new Map<string, string>();
    const customerIds: string[] = [];
    for (const orgId of [...orgIds].sort()) {
      const o = await attempt(gaps, 'discovery', null, classify, () =>
        rt.call(op('cloudresourcemanager', 'organizations.get'), (signal) =>
          withSignal(c.organizations.getOrganization({ name: orgId }, callOptions), signal),
        ),
      );
      if (o?.[0].displayName) orgNames.set(orgId, o[0].displayName);
      if (o?.[0].directoryCustomerId) customerIds.push(o[0].directoryCustomerId);
    }
    for (const ctx of contexts) for (const a of ctx.ancestors) if (a.level === 'organization') a.name = orgNames.get(a.id) ?? null;
    membership = {
      domains: cfg.domains.length > 0 ? cfg.domains.map((d) => d.toLowerCase()) : [...orgNames.values()].map((d) => d.toLowerCase()),
      orgProjects: wholeOrg && gaps.length === 0 ? new Set(contexts.map((x) => x.projectId)) : null,
      orgProjectNumbers: wholeOrg && gaps.length === 0 ? new Set(contexts.flatMap((x) => (x.number ? [x.number] : []))) : null,
      customerIds,
    };

    const scopes: DiscoveredScope[] = [...blocked];
    for (const ctx of contexts) {
      projects.set(ctx.projectId, ctx);
      const raw = found.get(ctx.projectId);
      const state = raw?.state;
      const active = state === undefined || state === null || state === 'ACTIVE' || state === 1;
      scopes.push({
        scope: projectScope(ctx, active ? 'active' : 'disabled'),
        blockedBy: active
          ? null
          : {
              code: 'suspended',
              part: 'discovery',
              operation: null,
              region: null,
              message: `project ${ctx.projectId} is ${String(state)} (pending deletion): not scanned`,
            },
      });
    }
    return { root, found: scopes.length, scopes, gaps };
  }

  function projectScope(ctx: ProjectContext, state: Scope['state'] = 'active'): Scope {
    const parents: Ancestor[] = ctx.ancestors.map((a) => ({
      kind: a.level === 'organization' ? 'organization' : 'folder',
      id: a.id,
      name: a.name,
    }));
    return {
      provider: 'gcp',
      kind: 'project',
      id: ctx.projectId,
      name: ctx.name,
      parents,
      regions: [GLOBAL],
      regionsNotEnabled: [],
      regionsExcluded: [],
      regionsOtherPartition: [],
      state,
      management: false,
    };
  }

  // ------------------------------------------------------------------------------------------------ logging

  interface RawSink {
    name?: string | null;
    resourceName?: string | null;
    destination?: string | null;
    filter?: string | null;
    disabled?: boolean | null;
    includeChildren?: boolean | null;
    interceptChildren?: boolean | null;
    exclusions?: Array<{ name?: string | null; filter?: string | null; disabled?: boolean | null }> | null;
  }

  /**
   * Sinks over REST: the installed logging client decodes LogSink without `interceptChildren` (its protos predate the
   * field), so the field the REST answer carries is read from the answer itself.
   */
  function listSinks(rt: ProviderRuntime, parent: string): Promise<SinkInfo[]> {
    return restList<RawSink>(
      rt,
      op('logging', 'sinks.list'),
      `${clients().endpoint.base('logging')}/v2/${parent}/sinks`,
      'sinks',
      'pageSize',
      '200',
    ).then((sinks) =>
      sinks.map((s) => ({
        resourceName: s.resourceName || `${parent}/sinks/${s.name}`,
        name: s.name ?? '?',
        destination: s.destination ?? '',
        filter: s.filter ?? '',
        disabled: s.disabled === true,
        includeChildren: s.includeChildren === true,
        interceptChildren: s.interceptChildren === true,
        exclusions: (s.exclusions ?? []).map((e) => ({ name: e.name ?? '?', filter: e.filter ?? '', disabled: e.disabled === true })),
      })),
    );
  }

  /** Every page of a REST list (`key` holds the items), bounded; a token that repeats ends it as a failure. */
  async function restList<T>(
    rt: ProviderRuntime,
    operation: Operation,
    url: string,
    key: string,
    sizeParam: string,
    size: string,
  ): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const q = new URLSearchParams({ [sizeParam]: size, ...(pageToken ? { pageToken } : {}) });
      const res: Record<string, unknown> = await rest(rt, operation, `${url}?${q}`);
      out.push(...((res[key] as T[] | undefined) ?? []));
      pageToken = typeof res.nextPageToken === 'string' && res.nextPageToken ? res.nextPageToken : undefined;
      if (!pageToken) return out;
      if (seen.has(pageToken)) throw new Error(`${operation.service}:${operation.name} returned a page token it had already returned`);
      seen.add(pageToken);
    }
    throw new Error(`${operation.service}:${operation.name} stopped after ${MAX_PAGES} pages`);
  }

  function bucketsOf(rt: ProviderRuntime, projectId: string): Promise<BucketInfo[]> {
    return cached(`buckets:${projectId}`, () =>
      pages(
        rt,
        op('logging', 'buckets.list'),
        (pageToken) =>
          clients().config.listBuckets(
            { parent: `projects/${projectId}/locations/-`, pageToken: pageToken ?? '' },
            callOptions,
          ) as unknown as Promise<Page<{ name?: string | null; retentionDays?: number | null; locked?: boolean | null }>>,
      ).then((bs) => bs.map((b) => ({ name: b.name ?? '?', retentionDays: b.retentionDays ?? null, locked: b.locked === true }))),
    );
  }

  async function collectLogging(
    pc: ProjectContext,
    rt: ScopeRuntime,
    gaps: Gap[],
    ok: Set<Part>,
  ): Promise<{ sources: LoggingSource[]; interception: Interception }> {
    const P = pc.projectId;
    const projectSinks = await attempt(gaps, 'logging', GLOBAL, classify, () => listSinks(rt, `projects/${P}`));
    if (projectSinks) ok.add('logging');
    // Aggregated sinks of every ancestor (read once per scan) apply when they include children.
    const inherited: Array<{ sink: SinkInfo; owner: ResourceNode; depth: number }> = [];
    await Promise.all(
      pc.ancestors.map(async (node, depth) => {
        const sinks = await attempt(gaps, 'logging', GLOBAL, classify, () => cached(`sinks:${node.id}`, () => listSinks(rt, node.id)));
        for (const sink of sinks ?? []) if (sink.includeChildren) inherited.push({ sink, owner: node, depth });
      }),
    );
    inherited.sort((a, b) => a.depth - b.depth || (a.sink.resourceName < b.sink.resourceName ? -1 : 1));

    // Buckets of the project and of every log-bucket destination (other projects' only as reasons when unreadable).
    const allSinks = [...(projectSinks ?? []), ...inherited.map((x) => x.sink)];
    const destProjects = new Set([
      P,
      ...allSinks.map((s) => parseDestination(s.destination)).flatMap((d) => (d.kind === 'log-bucket' && d.projectId ? [d.projectId] : [])),
    ]);
    const buckets = new Map<string, BucketInfo[] | string>();
    await Promise.all(
      [...destProjects].map(async (p) => {
        try {
          buckets.set(p, await bucketsOf(rt, p));
        } catch (err) {
          if (isInterruption(err)) throw err;
          const g = gapFrom(err, 'logging', GLOBAL, classify);
          if (p === P) gaps.push(g);
          buckets.set(p, `log buckets of project ${p} could not be read (${g.message})`);
        }
      }),
    );
    const ctx: LoggingContext = {
      projectId: P,
      centralProjects: cfg.centralProjects,
      buckets: (p) => buckets.get(p) ?? `log buckets of project ${p} were not read`,
    };

    const sources: LoggingSource[] = [requiredSource(ctx, projectSinks !== undefined)];
    const above = (depth: number) =>
      interception(
        inherited.filter((x) => x.depth < depth).map((x) => x.sink),
        P,
      );
    for (const x of inherited) sources.push(sinkSource(x.sink, ctx, x.owner.id, above(x.depth)));
    for (const s of projectSinks ?? []) {
      if (s.name === '_Required') continue;
      // An intercepting ancestor sink may be listed among the project's own (in_scope("ANCESTOR")): it is not one.
      if (!s.resourceName.startsWith(`projects/${P}/`)) continue;
      sources.push(sinkSource(s, ctx, null, above(pc.ancestors.length)));
    }
    return { sources, interception: above(pc.ancestors.length) };
  }

  // ------------------------------------------------------------------------------------------------ alerting

  async function collectAlerting(pc: ProjectContext, rt: ScopeRuntime, gaps: Gap[], ok: Set<Part>) {
    const P = pc.projectId;
    const [metrics, policies, channels] = await Promise.all([
      attempt(gaps, 'alerting', GLOBAL, classify, () =>
        pages(
          rt,
          op('logging', 'metrics.list'),
          (pageToken) =>
            clients().metrics.listLogMetrics({ parent: `projects/${P}`, pageToken: pageToken ?? '' }, callOptions) as unknown as Promise<
              Page<{ name?: string | null; filter?: string | null; disabled?: boolean | null }>
            >,
        ),
      ),
      attempt(gaps, 'alerting', GLOBAL, classify, () =>
        pages(
          rt,
          op('monitoring', 'alertPolicies.list'),
          (pageToken) =>
            clients().alerts.listAlertPolicies({ name: `projects/${P}`, pageToken: pageToken ?? '' }, callOptions) as unknown as Promise<
              Page<RawAlertPolicy>
            >,
        ),
      ),
      attempt(gaps, 'alerting', GLOBAL, classify, () =>
        pages(
          rt,
          op('monitoring', 'notificationChannels.list'),
          (pageToken) =>
            clients().channels.listNotificationChannels(
              { name: `projects/${P}`, pageToken: pageToken ?? '' },
              callOptions,
            ) as unknown as Promise<
              Page<{ name?: string | null; enabled?: boolean | { value?: boolean | null } | null; displayName?: string | null }>
            >,
        ),
      ),
    ]);
    if (metrics && policies && channels) ok.add('alerting');
    const channelInfo: ChannelLookup = channels
      ? new Map(channels.map((c) => [c.name ?? '?', { enabled: enabledValue(c.enabled), displayName: c.displayName ?? c.name ?? '?' }]))
      : null;
    const m: MetricInfo[] = (metrics ?? []).map((x) => ({ name: x.name ?? '?', filter: x.filter ?? '', disabled: x.disabled === true }));
    const p: AlertPolicyInfo[] = (policies ?? []).map((x) => ({
      name: x.name ?? '?',
      displayName: x.displayName ?? x.name ?? '?',
      enabled: enabledValue(x.enabled),
      notificationChannels: x.notificationChannels ?? [],
      conditions: (x.conditions ?? []).map((c) => ({
        name: c.name ?? '?',
        displayName: c.displayName ?? '?',
        filter: c.conditionThreshold?.filter ?? c.conditionAbsent?.filter ?? null,
        logMatch: c.conditionMatchedLog?.filter ?? null,
        query: c.conditionMonitoringQueryLanguage?.query ?? c.conditionPrometheusQueryLanguage?.query ?? null,
      })),
    }));
    const result = alertRoutes(P, m, p, channelInfo);
    return { routes: result.routes, complete: metrics !== undefined && policies !== undefined, undecided: result.undecided };
  }

  // ------------------------------------------------------------------------------------------------ principals

  interface RawPolicy {
    bindings?: Array<{
      role?: string | null;
      members?: string[] | null;
      condition?: { title?: string | null; expression?: string | null } | null;
    }> | null;
  }

  function iamPolicyOf(rt: ProviderRuntime, node: ResourceNode): Promise<RawPolicy> {
    const c = clients();
    const request = { resource: node.id, options: { requestedPolicyVersion: 3 } };
    const call = (signal: AbortSignal) =>
      withSignal(
        (node.level === 'organization'
          ? c.organizations.getIamPolicy(request, callOptions)
          : node.level === 'folder'
            ? c.folders.getIamPolicy(request, callOptions)
            : c.projects.getIamPolicy(request, callOptions)) as unknown as Promise<[RawPolicy]>,
        signal,
      ).then((r) => r[0]);
    const operation = op('cloudresourcemanager', 'getIamPolicy');
    return node.level === 'project' ? rt.call(operation, call) : cached(`iam:${node.id}`, () => rt.call(operation, call));
  }

  interface RawDenyPolicy {
    name?: string | null;
    rules?: Array<{
      denyRule?: {
        deniedPrincipals?: string[] | null;
        exceptionPrincipals?: string[] | null;
        deniedPermissions?: string[] | null;
        exceptionPermissions?: string[] | null;
        denialCondition?: { title?: string | null; expression?: string | null } | null;
      } | null;
    }> | null;
  }

  function denyPoliciesOf(rt: ProviderRuntime, node: ResourceNode): Promise<DenyPolicyAt[]> {
    const fetch = async () => {
      const attachment = encodeURIComponent(`cloudresourcemanager.googleapis.com/${node.id}`);
      const listed = await pages(
        rt,
        op('iam', 'policies.list'),
        (pageToken) =>
          clients().deny.listPolicies(
            { parent: `policies/${attachment}/denypolicies`, pageToken: pageToken ?? '' },
            callOptions,
          ) as unknown as Promise<Page<RawDenyPolicy>>,
      );
      // The listing omits rules: read each policy.
      return Promise.all(
        listed.map(async (l) => {
          const id = (l.name ?? '').split('/').pop() ?? '';
          const full = await rt.call(op('iam', 'policies.get'), (signal) =>
            withSignal(
              clients().deny.getPolicy({ name: `policies/${attachment}/denypolicies/${id}` }, callOptions) as unknown as Promise<
                [RawDenyPolicy]
              >,
              signal,
            ),
          );
          const p = full[0];
          return {
            node,
            name: `${node.id}/denypolicies/${id}`,
            rules: (p.rules ?? []).flatMap((r) =>
              r.denyRule
                ? [
                    {
                      deniedPrincipals: r.denyRule.deniedPrincipals ?? [],
                      exceptionPrincipals: r.denyRule.exceptionPrincipals ?? [],
                      deniedPermissions: r.denyRule.deniedPermissions ?? [],
                      exceptionPermissions: r.denyRule.exceptionPermissions ?? [],
                      denialCondition: r.denyRule.denialCondition?.expression
                        ? { title: r.denyRule.denialCondition.title ?? null, expression: r.denyRule.denialCondition.expression }
                        : null,
                    },
                  ]
                : [],
            ),
          };
        }),
      );
    };
    return node.level === 'project' ? fetch() : cached(`deny:${node.id}`, fetch);
  }

  /** roles.get always carries includedPermissions (`view=FULL` belongs to roles.list, and get rejects it). */
  function roleOf(rt: ProviderRuntime, role: string): Promise<RoleInfo> {
    return cached(`role:${role}`, async () => {
      const r = await rest<{ name?: string; title?: string; includedPermissions?: string[]; deleted?: boolean }>(
        rt,
        op('iam', 'roles.get'),
        `${clients().endpoint.base('iam')}/v1/${role}`,
      );
      return { name: role, title: r.title ?? null, permissions: r.includedPermissions ?? [], deleted: r.deleted === true };
    });
  }

  async function collectPrincipals(
    pc: ProjectContext,
    rt: ScopeRuntime,
    gaps: Gap[],
    ok: Set<Part>,
    project: ResourceNode,
  ): Promise<Principal[]> {
    const nodes = [...pc.ancestors, project];
    const allow: AllowPolicyAt[] = [];
    const deny: DenyPolicyAt[] = [];
    let allRead = true;
    await Promise.all(
      nodes.map(async (node, i) => {
        const [policy, denies] = await Promise.all([
          attempt(gaps, 'principals', GLOBAL, classify, () => iamPolicyOf(rt, node)),
          attempt(gaps, 'principals', GLOBAL, classify, () => denyPoliciesOf(rt, node)),
        ]);
        if (!policy || !denies) allRead = false;
        if (policy) {
          allow[i] = {
            node,
            bindings: (policy.bindings ?? []).map((b) => ({
              role: b.role ?? '?',
              members: b.members ?? [],
              condition: b.condition?.expression ? { title: b.condition.title ?? null, expression: b.condition.expression } : null,
            })),
          };
        }
        deny.push(...(denies ?? []));
      }),
    );
    const allowed = allow.filter((a): a is AllowPolicyAt => a !== undefined);
    const roleNames = [...new Set(allowed.flatMap((a) => a.bindings.map((b) => b.role)))].sort();
    const roles = new Map<string, RoleInfo>();
    await Promise.all(
      roleNames.map(async (name) => {
        const r = await attempt(gaps, 'principals', GLOBAL, classify, () => roleOf(rt, name));
        if (!r) allRead = false;
        roles.set(name, r ?? { name, title: null, permissions: null });
      }),
    );
    if (allowed.length > 0 && allRead) ok.add('principals');
    deny.sort((a, b) => (a.name < b.name ? -1 : 1));
    return evaluateIam({ allow: allowed, deny, roles, membership, catalogue: catalogueFor('gcp'), now: rt.now }).principals;
  }

  // ------------------------------------------------------------------------------------------------ snapshots

  async function collectSnapshots(pc: ProjectContext, rt: ScopeRuntime, gaps: Gap[], ok: Set<Part>, now: Date): Promise<Snapshot[]> {
    const P = pc.projectId;
    const c = clients();
    let raw: RawSnapshot[];
    try {
      raw = await pages(
        rt,
        op('compute', 'snapshots.list'),
        (pageToken) =>
          c.snapshots.list({ project: P, maxResults: 500, ...(pageToken ? { pageToken } : {}) }, callOptions) as unknown as Promise<
            Page<RawSnapshot>
          >,
      );
    } catch (err) {
      if (isInterruption(err)) throw err;
      const g = gapFrom(err, 'snapshots', GLOBAL, classify);
      if (g.code === 'not_enabled') {
        // A project without the Compute Engine API has no disks and no snapshots: recorded, but not an error.
        gaps.push({
          ...g,
          message: `the Compute Engine API is not enabled in project ${P}, so it has no disks or snapshots to scan (not an error; IAM and logging were still read): ${g.message}`,
        });
        ok.add('snapshots');
      } else gaps.push(g);
      return [];
    }
    ok.add('snapshots');
    raw.push(...(await regionalSnapshots(P, rt, gaps)));
    if (raw.length === 0) return [];

    const iamLimit = pLimit(cfg.snapshotIamLookup.concurrency);
    const [policies, entries, disks] = await Promise.all([
      cfg.snapshotIamLookup.enabled
        ? Promise.all(
            raw.map((s) =>
              iamLimit(() =>
                attempt(gaps, 'sharing', regionOf(s), classify, () => {
                  const region = regionOf(s);
                  if (region !== GLOBAL) {
                    const url = `${c.endpoint.base('compute')}/compute/v1/projects/${P}/regions/${region}/snapshots/${encodeURIComponent(s.name ?? '')}/getIamPolicy?optionsRequestedPolicyVersion=3`;
                    return rest<{ bindings?: RawBinding[] }>(rt, op('compute', 'regionSnapshots.getIamPolicy', region), url).then(
                      (r) => r.bindings ?? [],
                    );
                  }
                  return rt.call(op('compute', 'snapshots.getIamPolicy'), (signal) =>
                    withSignal(
                      c.snapshots.getIamPolicy(
                        { project: P, resource: s.name ?? '', optionsRequestedPolicyVersion: 3 },
                        callOptions,
                      ) as unknown as Promise<[{ bindings?: RawBinding[] | null }]>,
                      signal,
                    ).then((r) => r[0].bindings ?? []),
                  );
                }),
              ),
            ),
          )
        : Promise.resolve(raw.map(() => undefined)),
      cfg.creatorLookup
        ? attempt(gaps, 'creators', GLOBAL, classify, async () => {
            const since = new Date(now.getTime() - cfg.creatorLookbackDays * 86_400_000);
            try {
              return await readCreationEntries(P, since, (body) =>
                logReads.run(
                  () => rest<EntriesPage>(rt, op('logging', 'entries.list'), `${c.endpoint.base('logging')}/v2/entries:list`, body),
                  rt.signal,
                ),
              );
            } catch (err) {
              if (!(err instanceof PagingStoppedError)) throw err;
              gaps.push({ code: err.code, part: 'creators', operation: 'logging:entries.list', region: GLOBAL, message: err.message });
              return err.entries;
            }
          })
        : Promise.resolve(undefined),
      attempt(gaps, 'snapshots', GLOBAL, classify, async () => {
        const labels = new Map<string, Record<string, string>>();
        const disks = await readPages(listingOf(rt, op('compute', 'disks.aggregatedList')), async (pageToken) => {
          const q = new URLSearchParams({ maxResults: '500', returnPartialSuccess: 'true', ...(pageToken ? { pageToken } : {}) });
          const page: {
            items?: Record<string, { disks?: Array<{ selfLink?: string; labels?: Record<string, string> }> }>;
            nextPageToken?: string;
          } = await rest(
            rt,
            op('compute', 'disks.aggregatedList'),
            `${c.endpoint.base('compute')}/compute/v1/projects/${P}/aggregated/disks?${q}`,
          );
          return { items: Object.values(page.items ?? {}).flatMap((scoped) => scoped.disks ?? []), next: page.nextPageToken };
        });
        for (const d of disks) if (d.selfLink) labels.set(resourcePath(d.selfLink), d.labels ?? {});
        return labels;
      }),
    ]);

    const creators = entries ? creatorsFromEntries(entries) : null;
    const attachments = entries ? attachmentsFromEntries(entries) : null;
    return raw.map((s, i) => {
      const iam = policies[i];
      const created = s.creationTimestamp ? new Date(s.creationTimestamp).toISOString() : null;
      return normaliseSnapshot({
        projectId: P,
        raw: s,
        iam: iam ?? null,
        iamNote: cfg.snapshotIamLookup.enabled
          ? iam
            ? null
            : 'snapshot IAM policy could not be read'
          : 'snapshot IAM lookup is turned off',
        creator: creators ? creatorFor(creators.get(s.name ?? ''), created) : null,
        scheduleAttachedBy:
          attachments && s.sourceDisk && s.sourceSnapshotSchedulePolicy
            ? (attachments.get(`${resourcePath(s.sourceDisk)}|${resourcePath(s.sourceSnapshotSchedulePolicy)}`) ?? null)
            : null,
        diskLabels: s.sourceDisk && disks ? (disks.get(resourcePath(s.sourceDisk)) ?? null) : null,
        membership,
        ownerTagKeys: opts.policy.ownerTagKeys,
      });
    });
  }

  /**
   * Regional snapshots (`Snapshot.region` set) live under /regions/R/snapshots and are not in the global listing.
   * Compute has no aggregated listing for them, so the fewest calls are one `regions.list` and one
   * `regionSnapshots.list` per region (paged, `regionalConcurrency` at a time); a region that cannot be listed is a
   * gap of its own.
   */
  async function regionalSnapshots(P: string, rt: ScopeRuntime, gaps: Gap[]): Promise<RawSnapshot[]> {
    const base = `${clients().endpoint.base('compute')}/compute/v1/projects/${P}`;
    const regions = await attempt(gaps, 'snapshots', GLOBAL, classify, () =>
      restList<{ name?: string; status?: string }>(rt, op('compute', 'regions.list'), `${base}/regions`, 'items', 'maxResults', '500'),
    );
    if (!regions) {
      const last = gaps[gaps.length - 1];
      if (last) last.message = `regions could not be listed, so regional snapshots were not inventoried: ${last.message}`;
      return [];
    }
    const limit = pLimit(REGIONAL_CONCURRENCY);
    const { include, exclude } = cfg.regions;
    const wanted = (r: string) => (include.length === 0 || include.some((p) => globMatch(p, r))) && !exclude.some((p) => globMatch(p, r));
    const lists = await Promise.all(
      regions
        .flatMap((r) => (r.name && wanted(r.name) ? [r.name] : []))
        .sort()
        .map((region) =>
          limit(() =>
            attempt(gaps, 'snapshots', region, classify, () =>
              restList<RawSnapshot>(
                rt,
                op('compute', 'regionSnapshots.list', region),
                `${base}/regions/${region}/snapshots`,
                'items',
                'maxResults',
                '500',
              ),
            ),
          ),
        ),
    );
    return lists.flatMap((l) => l ?? []);
  }

  // ------------------------------------------------------------------------------------------------ collect

  return {
    provider: 'gcp',
    classifyError: classify,
    discover,
    async collect(scope, rt): Promise<ScopeCollection> {
      const pc = projects.get(scope.id) ?? { projectId: scope.id, number: null, name: scope.name, ancestors: [] };
      const project: ResourceNode = { level: 'project', id: `projects/${scope.id}`, name: scope.name };
      const gaps: Gap[] = [];
      const ok = new Set<Part>();
      const [logged, alerted, principals, snapshots] = await Promise.all([
        rt.needs.has('logging') ? collectLogging(pc, rt, gaps, ok) : Promise.resolve(null),
        rt.needs.has('alerting') ? collectAlerting(pc, rt, gaps, ok) : Promise.resolve(null),
        rt.needs.has('principals') ? collectPrincipals(pc, rt, gaps, ok, project) : Promise.resolve([]),
        rt.needs.has('snapshots') ? collectSnapshots(pc, rt, gaps, ok, rt.now) : Promise.resolve([]),
      ]);
      const sources = logged?.sources ?? null;
      const alerting = alerted && logged ? { ...alerted, ...interceptedRoutes(alerted, logged.interception) } : alerted;
      let logging: ScopeCollection['logging'] = { sources: [], alerts: [], regions: [] };
      if (sources) {
        const alerts: AlertRoute[] | null = alerting ? alerting.routes : null;
        const rows = regionLogging(scope.regions, sources, alerts).map((r): RegionLogging => {
          if (!alerting || r.alerted === 'exact') return r;
          if (!alerting.complete || alerting.undecided) {
            return {
              ...r,
              alerted: 'unknown',
              reasons: [
                ...r.reasons,
                alerting.complete ? 'an alert filter could not be evaluated' : 'log-based metrics or alert policies could not be read',
              ],
            };
          }
          return r;
        });
        logging = { sources, alerts: alerts ?? [], regions: rows };
      }
      const anyPart = rt.needs.size > 0;
      const failedRegions = anyPart && ok.size === 0 && gaps.length > 0 ? [...scope.regions] : [];
      return { logging, guards: [], principals, snapshots, gaps, failedRegions };
    },
    async close() {
      await clientsRef?.close();
      clientsRef = null;
    },
  };
}

interface RawAlertPolicy {
  name?: string | null;
  displayName?: string | null;
  enabled?: boolean | { value?: boolean | null } | null;
  notificationChannels?: string[] | null;
  conditions?: Array<{
    name?: string | null;
    displayName?: string | null;
    conditionThreshold?: { filter?: string | null } | null;
    conditionAbsent?: { filter?: string | null } | null;
    conditionMatchedLog?: { filter?: string | null } | null;
    conditionMonitoringQueryLanguage?: { query?: string | null } | null;
    conditionPrometheusQueryLanguage?: { query?: string | null } | null;
  }> | null;
}

/** AlertPolicy.enabled and NotificationChannel.enabled are BoolValues: absent means enabled. */
function enabledValue(v: RawAlertPolicy['enabled']): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'boolean') return v;
  return v.value !== false;
}
