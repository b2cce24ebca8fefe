/**
 * The Azure adapter. Discovery: every subscription the credential can list (paged), the management-group tree from
 * the tenant root group's descendants (ancestry → Scope.parents, the management-group filter, and subscriptions in
 * the tree the credential cannot read → gaps). Collection per subscription, all subscription-wide (region
 * `global`): activity-log export (diagnostic settings), activity log alerts, RBAC who-can (role assignments at,
 * above and below the subscription in one listing, deny assignments, role definitions fetched by id once per scan),
 * snapshots with owners (disks and one filtered activity-log listing for creators, only when snapshots exist).
 */
import { AuthorizationManagementClient, getContinuationToken as authzToken } from '@azure/arm-authorization';
import { ComputeManagementClient, type Disk, type DiskAccess, type Snapshot as AzSnapshot } from '@azure/arm-compute';
import { ManagementGroupsAPI, getContinuationToken as mgToken } from '@azure/arm-managementgroups';
import { MonitorClient, type EventData } from '@azure/arm-monitor';
import { SubscriptionClient, type Subscription } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/identity';
import { globMatch } from '../../src/core/glob.ts';
import { catalogueFor } from '../../src/core/catalogue/index.ts';
import type { AzureConfig, Baseline, Policy } from '../../src/core/config/schema.ts';
import { regionLogging } from '../../src/core/model/logging.ts';
import { resolveOwner } from '../../src/core/model/owner.ts';
import type { Ancestor, AlertRoute, Gap, LoggingSource, Principal, Scope, Snapshot } from '../../src/core/model/result.ts';
import { attempt, gapFrom, isInterruption } from '../gaps.ts';
import type { DiscoveredScope, Discovery, ProviderAdapter, ProviderRuntime, ScopeCollection, ScopeRuntime } from '../types.ts';
import {
  type AzureConnection,
  type ClientSecretSpec,
  classicOptions,
  createAgent,
  createCredential,
  DEFAULT_ARM_ENDPOINT,
  listAll,
  modularOptions,
  modularToken,
} from './clients.ts';
import { classifyAzureError } from './errors.ts';
import { type ActionGroupState, actionGroupKey, actionGroupState, activityLogAlertRoute } from './alerts.ts';
import { armId, subscriptionOf } from './ids.ts';
import { activityLogExport, toAssignment, toDeny, toRole } from './normalise.ts';
import { activityFacts, normaliseSnapshot } from './snapshots.ts';
import { evaluateSubscription, normaliseScope, type RbacRole } from './rbac.ts';

export const GLOBAL = 'global';
const DAY = 86_400_000;
/** Most management-group trees read when the tenant root is not readable. */
const MAX_TREES = 500;
/** The activity log keeps 90 days of events. */
const ACTIVITY_LOG_DAYS = 90;

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
}

/** What discovery learns about a subscription and collection reuses. */
interface SubscriptionContext {
  /** Normalised management-group scopes and `/` above it, when the hierarchy was read. */
  ancestors: string[] | null;
}

interface TreeNode {
  kind: 'mg' | 'subscription';
  id: string;
  name: string;
  parent: string | null;
}

const lc = (s: string) => s.toLowerCase();

export function createAzureAdapter(opts: AzureAdapterOptions): ProviderAdapter {
  const cfg = opts.config;
  const conn: AzureConnection = {
    endpoint: (cfg.endpoint ?? DEFAULT_ARM_ENDPOINT).replace(/\/+$/, ''),
    ...(cfg.authorityHost ? { authorityHost: cfg.authorityHost } : {}),
    ...(cfg.tenantId ? { tenantId: cfg.tenantId } : {}),
    ...(opts.ca ? { ca: opts.ca } : {}),
    ...(opts.credential ? { credential: opts.credential } : {}),
    ...(opts.callTimeoutMs ? { requestTimeoutMs: opts.callTimeoutMs } : {}),
    agent: createAgent(opts.ca),
  };
  let credential: TokenCredential | null = null;
  const cred = () => (credential ??= createCredential(conn));
  const contexts = new Map<string, SubscriptionContext>();
  const perSubscription = new Map<
    string,
    { compute: ComputeManagementClient; monitor: MonitorClient; authz: AuthorizationManagementClient }
  >();
  /** Action groups by lower-case id, read once per scan. */
  const actionGroups = new Map<string, Promise<ActionGroupState>>();
  /** Role definitions by GUID, shared by every subscription: built-in ids are the same everywhere, custom ids are unique. */
  const roleCache = new Map<string, Promise<RbacRole | null>>();
  const catalogue = catalogueFor('azure');
  const externalPrincipals = new Set((cfg.externalPrincipals ?? []).map(lc));

  function clients(subscriptionId: string) {
    let c = perSubscription.get(subscriptionId);
    if (!c) {
      c = {
        compute: new ComputeManagementClient(cred(), subscriptionId, modularOptions(conn)),
        monitor: new MonitorClient(cred(), subscriptionId, modularOptions(conn)),
        authz: new AuthorizationManagementClient(cred(), subscriptionId, classicOptions(conn)),
      };
      perSubscription.set(subscriptionId, c);
    }
    return c;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Discovery

  async function readTree(rt: ProviderRuntime, mgClient: ManagementGroupsAPI, groupId: string): Promise<TreeNode[]> {
    const items = await listAll(
      rt,
      { service: 'Microsoft.Management', name: 'ListManagementGroupDescendants' },
      (signal) => mgClient.managementGroups.listDescendants(groupId, { abortSignal: signal }),
      mgToken,
    );
    return items.map((d) => ({
      kind: (d.type ?? '').toLowerCase().endsWith('/subscriptions') ? 'subscription' : 'mg',
      id: d.name ?? '',
      name: d.displayName ?? d.name ?? '',
      parent: d.parent?.id ? (d.parent.id.split('/').pop() ?? null) : null,
    }));
  }

  function selected(id: string, name: string): boolean {
    const inc = cfg.subscriptions.include;
    const exc = cfg.subscriptions.exclude;
    const hit = (p: string) => globMatch(p, id) || globMatch(p, name);
    return (inc.length === 0 || inc.some(hit)) && !exc.some(hit);
  }

  async function discover(rt: ProviderRuntime): Promise<Discovery> {
    const gaps: Gap[] = [];
    const subClient = new SubscriptionClient(cred(), modularOptions(conn));
    const mgClient = new ManagementGroupsAPI(cred(), classicOptions(conn));
    const listed: Subscription[] = await listAll(
      rt,
      { service: 'Microsoft.Resources', name: 'ListSubscriptions' },
      (signal) => subClient.subscriptions.list({ abortSignal: signal }),
      modularToken,
    );
    // The tenant whose management-group tree is read: the configured one, else the one most subscriptions are in.
    const counts = new Map<string, number>();
    for (const s of listed) if (s.tenantId) counts.set(s.tenantId, (counts.get(s.tenantId) ?? 0) + 1);
    const tenants = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t);
    const tenantId = cfg.tenantId ?? tenants[0] ?? null;

    const groups = await attempt(gaps, 'discovery', null, classifyAzureError, () =>
      listAll(
        rt,
        { service: 'Microsoft.Management', name: 'ListManagementGroups' },
        (signal) => mgClient.managementGroups.list({ abortSignal: signal }),
        mgToken,
      ),
    );
    const mgNames = new Map((groups ?? []).map((g) => [lc(g.name ?? ''), g.displayName ?? g.name ?? '']));

    // The tree under the tenant root group; when that is not readable, the trees under the configured groups.
    const nodes = new Map<string, TreeNode>();
    let treeRead = false;
    const roots = tenantId ? [tenantId] : [];
    for (const root of roots) {
      const tree = await attempt(gaps, 'discovery', null, classifyAzureError, () => readTree(rt, mgClient, root));
      if (tree) {
        treeRead = true;
        for (const n of tree) nodes.set(`${n.kind}:${lc(n.id)}`, n);
      }
    }
    if (!treeRead) {
      // The root is not readable: read the trees under the configured groups, or else under every group the
      // credential can see (a group already inside a tree read is not read again). Groups above them stay unknown.
      const visible = (groups ?? [])
        .map((g) => g.name ?? '')
        .filter((g) => g && lc(g) !== lc(tenantId ?? ''))
        .sort()
        .slice(0, MAX_TREES);
      for (const mg of cfg.managementGroups.length ? cfg.managementGroups : visible) {
        if (nodes.has(`mg:${lc(mg)}`)) continue;
        const tree = await attempt(gaps, 'discovery', null, classifyAzureError, () => readTree(rt, mgClient, mg));
        for (const n of tree ?? []) nodes.set(`${n.kind}:${lc(n.id)}`, n);
        if (tree && !nodes.has(`mg:${lc(mg)}`))
          nodes.set(`mg:${lc(mg)}`, { kind: 'mg', id: mg, name: mgNames.get(lc(mg)) ?? mg, parent: null });
      }
    }

    const rootAncestor = (tenant: string | null | undefined = tenantId): Ancestor[] =>
      tenant ? [{ kind: 'tenant', id: tenant, name: mgNames.get(lc(tenant)) ?? null }] : [];
    /** Management groups from the tenant root down to the subscription's parent, or null when not in the tree read. */
    const ancestry = (subscriptionId: string): Ancestor[] | null => {
      const node = nodes.get(`subscription:${lc(subscriptionId)}`);
      if (!node) return null;
      const chain: Ancestor[] = [];
      let parent = node.parent;
      const seen = new Set<string>();
      while (parent && !seen.has(lc(parent))) {
        seen.add(lc(parent));
        if (tenantId && lc(parent) === lc(tenantId)) {
          chain.push(...rootAncestor());
          break;
        }
        const mg = nodes.get(`mg:${lc(parent)}`);
        chain.push({ kind: 'management-group', id: parent, name: mg?.name ?? mgNames.get(lc(parent)) ?? null });
        parent = mg?.parent ?? null;
      }
      return chain.reverse();
    };

    const filters = cfg.managementGroups.map(lc);
    const underFilter = (parents: Ancestor[] | null) => filters.length === 0 || (parents?.some((p) => filters.includes(lc(p.id))) ?? false);

    const scopes: DiscoveredScope[] = [];
    const seen = new Set<string>();
    const base = (id: string, name: string, parents: Ancestor[], state: Scope['state']): Scope => ({
      provider: 'azure',
      kind: 'subscription',
      id,
      name,
      parents,
      regions: [GLOBAL],
      regionsNotEnabled: [],
      regionsExcluded: [],
      regionsOtherPartition: [],
      state,
      management: false,
    });
    for (const s of listed) {
      const id = s.subscriptionId ?? (s.id ?? '').split('/').pop() ?? '';
      if (!id || seen.has(lc(id))) continue;
      seen.add(lc(id));
      const parents = treeRead || nodes.size > 0 ? ancestry(id) : null;
      if (!underFilter(parents) || !selected(id, s.displayName ?? id)) continue;
      // A subscription of another tenant (guest access, Lighthouse) sits under that tenant's root.
      const path = parents ?? rootAncestor(s.tenantId ?? tenantId);
      // Only a tree read from the root is complete enough to rule assignments out; otherwise trust the API's answer.
      contexts.set(lc(id), {
        ancestors:
          parents && treeRead
            ? ['/', ...parents.map((p) => normaliseScope(`/providers/Microsoft.Management/managementGroups/${p.id}`))]
            : null,
      });
      const state = s.state ?? 'Enabled';
      if (state === 'Disabled' || state === 'Deleted') {
        scopes.push({
          scope: base(id, s.displayName ?? id, path, 'disabled'),
          blockedBy: {
            code: 'suspended',
            part: 'discovery',
            operation: null,
            region: null,
            message: `subscription ${s.displayName ?? id} is ${state}: its resources are not scanned`,
          },
        });
        continue;
      }
      if (state !== 'Enabled') rt.log.warn('azure.subscription.state', { subscription: id, state });
      scopes.push({ scope: base(id, s.displayName ?? id, path, 'active'), blockedBy: null });
    }
    // Subscriptions in the tree that the credential cannot list: they exist, and nobody read them.
    for (const n of [...nodes.values()].filter((x) => x.kind === 'subscription').sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (seen.has(lc(n.id))) continue;
      seen.add(lc(n.id));
      const parents = ancestry(n.id);
      if (!underFilter(parents) || !selected(n.id, n.name)) continue;
      scopes.push({
        scope: base(n.id, n.name, parents ?? rootAncestor(), 'unknown'),
        blockedBy: {
          code: 'access_denied',
          part: 'discovery',
          operation: 'Microsoft.Resources:ListSubscriptions',
          region: null,
          message: `subscription ${n.name} (${n.id}) is in management group ${n.parent ?? '?'} but the credential cannot read it`,
        },
      });
    }
    const root = filters.length ? cfg.managementGroups.join(',') : tenantId;
    return { root, found: seen.size, scopes, gaps };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Collection

  async function collectLogging(scope: Scope, rt: ScopeRuntime, gaps: Gap[]): Promise<LoggingSource[] | undefined> {
    const { monitor } = clients(scope.id);
    return attempt(gaps, 'logging', null, classifyAzureError, async () => {
      const settings = await listAll(
        rt,
        { service: 'Microsoft.Insights', name: 'ListDiagnosticSettings' },
        (signal) => monitor.diagnosticSettings.list(`subscriptions/${scope.id}`, { abortSignal: signal }),
        modularToken,
      );
      return settings.map((d) => activityLogExport(d, { subscriptionId: scope.id, centralWorkspaces: cfg.centralWorkspaces }));
    });
  }

  /**
   * Who an action group notifies, read once per scan (action groups are usually shared, often from a central
   * subscription). A group that does not exist notifies nobody; one that cannot be read is a gap and stays unknown.
   */
  function actionGroup(rt: ScopeRuntime, id: string, gaps: Gap[]): Promise<ActionGroupState> {
    const key = actionGroupKey(id);
    let p = actionGroups.get(key);
    if (!p) {
      const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/microsoft\.insights\/actionGroups\/([^/]+)$/i.exec(
        armId(id),
      );
      if (!m) return Promise.resolve({ state: 'unreadable', reason: `action group ${id} is not an action group id` });
      const [, sub, rg, name] = m as unknown as [string, string, string, string];
      const monitor = new MonitorClient(cred(), sub, modularOptions(conn));
      p = rt
        .call({ service: 'Microsoft.Insights', name: 'GetActionGroup' }, (signal) =>
          monitor.actionGroups.get(rg, name, { abortSignal: signal }),
        )
        .then(actionGroupState, (err: unknown): ActionGroupState => {
          if (isInterruption(err)) throw err;
          const gap = gapFrom(err, 'alerting', null, classifyAzureError);
          if (gap.code === 'not_found') return { state: 'missing', reason: `action group ${id} does not exist: it notifies nobody` };
          gaps.push(gap);
          actionGroups.delete(key);
          return { state: 'unreadable', reason: `action group ${id} could not be read (${gap.code})` };
        });
      actionGroups.set(key, p);
    }
    return p;
  }

  async function collectAlerts(scope: Scope, rt: ScopeRuntime, gaps: Gap[]): Promise<AlertRoute[] | undefined> {
    const { monitor } = clients(scope.id);
    const ancestors = contexts.get(lc(scope.id))?.ancestors ?? null;
    return attempt(gaps, 'alerting', null, classifyAzureError, async () => {
      const alerts = await listAll(
        rt,
        { service: 'Microsoft.Insights', name: 'ListActivityLogAlerts' },
        (signal) => monitor.activityLogAlerts.listBySubscriptionId({ abortSignal: signal }),
        modularToken,
      );
      // Only the action groups of rules that could alert on snapshot creation are read.
      const wanted = new Set<string>();
      for (const a of alerts) {
        if (a.enabled === false || activityLogAlertRoute(a, scope.id, ancestors).match === 'none') continue;
        for (const g of a.actions?.actionGroups ?? []) if (g.actionGroupId) wanted.add(g.actionGroupId);
      }
      const ids = [...wanted].sort();
      const read = await Promise.all(ids.map((id) => actionGroup(rt, id, gaps)));
      const states = new Map(ids.map((id, i) => [actionGroupKey(id), read[i] as ActionGroupState]));
      return alerts.map((a) => activityLogAlertRoute(a, scope.id, ancestors, states));
    });
  }

  function roleDefinition(rt: ScopeRuntime, subscriptionId: string, roleDefinitionId: string): Promise<RbacRole | null> {
    const key = lc(roleDefinitionId.split('/').pop() ?? roleDefinitionId);
    let p = roleCache.get(key);
    if (!p) {
      const { authz } = clients(subscriptionId);
      // getById takes the id without its leading slash (the client adds one).
      const id = roleDefinitionId.replace(/^\/+/, '');
      p = rt
        .call({ service: 'Microsoft.Authorization', name: 'GetRoleDefinition' }, (signal) =>
          authz.roleDefinitions.getById(id, { abortSignal: signal }),
        )
        .then((d) => toRole(d, roleDefinitionId));
      p.catch(() => roleCache.delete(key));
      roleCache.set(key, p);
    }
    return p;
  }

  async function collectPrincipals(scope: Scope, rt: ScopeRuntime, gaps: Gap[]): Promise<Principal[] | undefined> {
    const { authz } = clients(scope.id);
    return attempt(gaps, 'principals', null, classifyAzureError, async () => {
      // Both listings run together; a failure is reported for the first in this fixed order, whichever failed first.
      const [assignmentsRead, deniesRead] = await Promise.allSettled([
        listAll(
          rt,
          { service: 'Microsoft.Authorization', name: 'ListRoleAssignments' },
          // At the subscription without a filter: assignments at, above (management groups, root) and below it.
          (signal) => authz.roleAssignments.listForSubscription({ abortSignal: signal }),
          authzToken,
        ),
        listAll(
          rt,
          { service: 'Microsoft.Authorization', name: 'ListDenyAssignments' },
          (signal) => authz.denyAssignments.list({ abortSignal: signal }),
          authzToken,
        ),
      ]);
      if (assignmentsRead.status === 'rejected') throw assignmentsRead.reason;
      const assignments = assignmentsRead.value;
      // Without the deny assignments the grants are still reported (a deny can only take some away), with the gap.
      const denies = await attempt(gaps, 'principals', null, classifyAzureError, async () => {
        if (deniesRead.status === 'rejected') throw deniesRead.reason;
        return deniesRead.value;
      });
      const roleIds = [...new Set(assignments.map((a) => a.roleDefinitionId).filter((r): r is string => !!r))].sort();
      const roles = new Map<string, RbacRole>();
      await Promise.all(
        roleIds.map(async (rid) => {
          const role = await attempt(gaps, 'principals', null, classifyAzureError, () => roleDefinition(rt, scope.id, rid));
          if (role) roles.set(role.id, role);
        }),
      );
      const out = evaluateSubscription({
        subscriptionId: scope.id,
        ancestors: contexts.get(lc(scope.id))?.ancestors ?? null,
        roles,
        assignments: assignments.map(toAssignment),
        denies: (denies ?? []).map(toDeny),
        catalogue,
        externalPrincipals,
        now: rt.now,
      });
      return out.principals;
    });
  }

  async function collectSnapshots(scope: Scope, rt: ScopeRuntime, gaps: Gap[]): Promise<Snapshot[] | undefined> {
    const { compute, monitor } = clients(scope.id);
    const raw = await attempt(gaps, 'snapshots', null, classifyAzureError, () =>
      listAll(
        rt,
        { service: 'Microsoft.Compute', name: 'ListSnapshots' },
        (signal) => compute.snapshots.list({ abortSignal: signal }),
        modularToken,
      ),
    );
    if (!raw) return undefined;
    // Source disks' tags, when some snapshot was made from a disk of this subscription.
    const needDisks = raw.some((s) => {
      const source = s.creationData?.sourceResourceId ?? '';
      return /\/providers\/Microsoft\.Compute\/disks\//i.test(source) && subscriptionOf(source) === lc(scope.id);
    });
    // Disk accesses, when some snapshot can be exported only through one of this subscription's private endpoints.
    const needAccesses = raw.some(
      (s) => s.networkAccessPolicy === 'AllowPrivate' && s.diskAccessId && subscriptionOf(s.diskAccessId) === lc(scope.id),
    );
    const to = rt.now;
    const from = new Date(to.getTime() - ACTIVITY_LOG_DAYS * DAY);
    const [disks, accesses, events] = await Promise.all([
      needDisks
        ? attempt(gaps, 'snapshots', null, classifyAzureError, () =>
            listAll(
              rt,
              { service: 'Microsoft.Compute', name: 'ListDisks' },
              (signal) => compute.disks.list({ abortSignal: signal }),
              modularToken,
            ),
          )
        : Promise.resolve([] as Disk[]),
      needAccesses
        ? attempt(gaps, 'sharing', null, classifyAzureError, () =>
            listAll(
              rt,
              { service: 'Microsoft.Compute', name: 'ListDiskAccesses' },
              (signal) => compute.diskAccesses.list({ abortSignal: signal }),
              modularToken,
            ),
          )
        : Promise.resolve([] as DiskAccess[]),
      cfg.creatorLookup && raw.length > 0
        ? attempt(gaps, 'creators', null, classifyAzureError, () =>
            listAll(
              rt,
              { service: 'Microsoft.Insights', name: 'ListActivityLogs' },
              (signal) =>
                monitor.activityLogs.list(
                  `eventTimestamp ge '${from.toISOString()}' and eventTimestamp le '${to.toISOString()}' and resourceProvider eq 'Microsoft.Compute'`,
                  { abortSignal: signal },
                ),
              modularToken,
            ),
          )
        : Promise.resolve([] as EventData[]),
    ]);
    const diskMap = new Map((disks ?? []).filter((d) => d.id).map((d) => [armId(d.id ?? '').toLowerCase(), d]));
    const diskAccesses = { byId: accesses ? new Map(accesses.filter((d) => d.id).map((d) => [armId(d.id ?? '').toLowerCase(), d])) : null };
    const facts = activityFacts(events ?? [], raw);
    return raw.map((s: AzSnapshot) => {
      const key = armId(s.id ?? '').toLowerCase();
      return normaliseSnapshot(s, {
        ownerTagKeys: opts.policy.ownerTagKeys,
        creator: facts.creators.get(key) ?? null,
        exports: facts.exports.get(key) ?? [],
        disks: diskMap,
        diskAccesses,
        // Azure tag names are case-insensitive: an `OWNER` tag is the `owner` tag.
        resolveOwner: (i) => resolveOwner({ ...i, ownerTagKeys: opts.policy.ownerTagKeys, caseInsensitiveKeys: true }),
      });
    });
  }

  async function collectSubscription(scope: Scope, rt: ScopeRuntime): Promise<ScopeCollection> {
    const gaps: Gap[] = [];
    const want = rt.needs;
    const [sources, alerts, principals, snapshots] = await Promise.all([
      want.has('logging') ? collectLogging(scope, rt, gaps) : Promise.resolve(null),
      want.has('alerting') ? collectAlerts(scope, rt, gaps) : Promise.resolve(null),
      want.has('principals') ? collectPrincipals(scope, rt, gaps) : Promise.resolve(null),
      want.has('snapshots') ? collectSnapshots(scope, rt, gaps) : Promise.resolve(null),
    ]);
    const attempted = [sources, alerts, principals, snapshots].filter((x) => x !== null);
    const failedAll = attempted.length > 0 && attempted.every((x) => x === undefined);
    let logging: ScopeCollection['logging'] = { sources: [], alerts: [], regions: [] };
    if (want.has('logging')) {
      const srcs = sources ?? [];
      const regions = regionLogging([GLOBAL], srcs, alerts ?? null).map((r) => {
        if (sources === undefined) {
          return { ...r, recorded: 'unknown' as const, reasons: ['the subscription diagnostic settings could not be read'] };
        }
        if (srcs.length === 0) {
          return {
            ...r,
            reasons: [
              'no subscription diagnostic setting exports the Activity Log: Azure keeps it for 90 days only, outside any store you control',
            ],
          };
        }
        return r;
      });
      logging = { sources: srcs, alerts: alerts ?? [], regions };
    }
    return {
      logging,
      guards: [],
      principals: principals ?? [],
      snapshots: snapshots ?? [],
      gaps,
      failedRegions: failedAll ? [GLOBAL] : [],
    };
  }

  return {
    provider: 'azure',
    classifyError: classifyAzureError,
    discover,
    async collect(scope, rt): Promise<ScopeCollection> {
      try {
        return await collectSubscription(scope, rt);
      } finally {
        // A subscription's clients are not needed once it is read: keeping them would grow memory with the tenant.
        perSubscription.delete(scope.id);
      }
    },
    async close() {
      perSubscription.clear();
      conn.agent?.destroy();
      roleCache.clear();
      actionGroups.clear();
      contexts.clear();
    },
  };
}
