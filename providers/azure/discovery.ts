/**
 * Azure discovery: every subscription the credential can list (paged), the management-group tree from the tenant
 * root group's descendants (ancestry → Scope.parents, the management-group filter, and subscriptions in the tree the
 * credential cannot read → gaps). What discovery learns about each subscription (its management-group scopes above
 * it, when the whole tree was read) is handed to collection.
 */
import type { DescendantInfo, ManagementGroupInfo } from '@azure/arm-managementgroups';
import type { Subscription } from '@azure/arm-resources-subscriptions';
import type { AzureConfig } from '../../src/core/config/schema.ts';
import { globMatch } from '../../src/core/glob.ts';
import type { Ancestor, Gap, Scope } from '../../src/core/model/result.ts';
import { attempt } from '../gaps.ts';
import type { DiscoveredScope, Discovery, ProviderRuntime } from '../types.ts';
import type { AzureClients } from './clients.ts';
import { classifyAzureError } from './errors.ts';
import { normaliseScope } from './rbac.ts';
import { descendantOf, managementGroupOf, subscriptionOf } from './arm-shapes.ts';
import { listAll, listPlain, modularToken } from './scope-io.ts';

export const GLOBAL = 'global';
/** Most management-group trees read when the tenant root is not readable. */
const MAX_TREES = 500;

/** What discovery learns about a subscription and collection reuses. */
export interface SubscriptionContext {
  /** Normalised management-group scopes and `/` above it, when the hierarchy was read from the root. */
  ancestors: string[] | null;
}

/** Who is inside the organisation: the home tenant and its subscriptions the scan found (lower case). */
export interface AzureOrganisation {
  tenantId: string | null;
  subscriptions: Set<string>;
}

export interface AzureDiscovery extends Discovery {
  /** By lower-case subscription id. */
  contexts: Map<string, SubscriptionContext>;
  organisation: AzureOrganisation;
}

interface TreeNode {
  kind: 'mg' | 'subscription';
  id: string;
  name: string;
  parent: string | null;
}

/** The management groups and subscriptions read, by `kind:lower-case id`. */
interface Hierarchy {
  nodes: Map<string, TreeNode>;
  /** Was the tree read from the tenant root (complete enough to rule inherited assignments out)? */
  fromRoot: boolean;
  /** Display names of the management groups the credential can list, by lower-case id. */
  names: Map<string, string>;
}

const lc = (s: string) => s.toLowerCase();
const nodeKey = (kind: TreeNode['kind'], id: string) => `${kind}:${lc(id)}`;

/** The api-versions the SDK clients send: @azure/arm-managementgroups, @azure/arm-resources-subscriptions. */
export const MANAGEMENT_GROUPS_API = '2021-04-01';
export const SUBSCRIPTIONS_API = '2022-12-01';

/**
 * Discovery's three listings, through the plain reader (arm.ts) or, with `plainArm: false`, the SDK clients (whose
 * modules are then loaded: clients.ts).
 */
export interface DiscoveryReads {
  subscriptions(): Promise<Subscription[]>;
  groups(): Promise<ManagementGroupInfo[]>;
  descendants(groupId: string): Promise<DescendantInfo[]>;
}

const LIST_SUBSCRIPTIONS = { service: 'Microsoft.Resources', name: 'ListSubscriptions' };
const LIST_GROUPS = { service: 'Microsoft.Management', name: 'ListManagementGroups' };
const LIST_DESCENDANTS = { service: 'Microsoft.Management', name: 'ListManagementGroupDescendants' };

export function discoveryReads(rt: Pick<ProviderRuntime, 'call' | 'maxPages'>, clients: AzureClients): DiscoveryReads {
  const arm = clients.arm();
  if (arm) {
    const groups = '/providers/Microsoft.Management/managementGroups';
    return {
      subscriptions: () => listPlain(rt, arm, LIST_SUBSCRIPTIONS, '/subscriptions', SUBSCRIPTIONS_API, subscriptionOf),
      groups: () => listPlain(rt, arm, LIST_GROUPS, groups, MANAGEMENT_GROUPS_API, managementGroupOf, 'classic'),
      descendants: (groupId) =>
        listPlain(
          rt,
          arm,
          LIST_DESCENDANTS,
          `${groups}/${encodeURIComponent(groupId)}/descendants`,
          MANAGEMENT_GROUPS_API,
          descendantOf,
          'classic',
        ),
    };
  }
  const mgToken = <T>(page: T[]) => clients.loadedSdk().managementGroupsToken(page);
  return {
    subscriptions: () =>
      listAll(
        rt,
        LIST_SUBSCRIPTIONS,
        async (signal) => (await clients.subscriptions()).subscriptions.list({ abortSignal: signal }),
        modularToken,
      ),
    groups: () =>
      listAll(
        rt,
        LIST_GROUPS,
        async (signal) => (await clients.managementGroups()).managementGroups.list({ abortSignal: signal }),
        mgToken,
      ),
    descendants: (groupId) =>
      listAll(
        rt,
        LIST_DESCENDANTS,
        async (signal) => (await clients.managementGroups()).managementGroups.listDescendants(groupId, { abortSignal: signal }),
        mgToken,
      ),
  };
}

async function readTree(mg: DiscoveryReads, groupId: string): Promise<TreeNode[]> {
  const items = await mg.descendants(groupId);
  return items.map((d) => ({
    kind: (d.type ?? '').toLowerCase().endsWith('/subscriptions') ? 'subscription' : 'mg',
    id: d.name ?? '',
    name: d.displayName ?? d.name ?? '',
    parent: d.parent?.id ? (d.parent.id.split('/').pop() ?? null) : null,
  }));
}

/** The tenant whose tree is read: the configured one, else the one most listed subscriptions are in. */
function homeTenant(cfg: AzureConfig, listed: readonly Subscription[]): string | null {
  const counts = new Map<string, number>();
  for (const s of listed) if (s.tenantId) counts.set(s.tenantId, (counts.get(s.tenantId) ?? 0) + 1);
  const tenants = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t);
  return cfg.tenantId ?? tenants[0] ?? null;
}

/**
 * The tree under the tenant root group; when that is not readable, the trees under the configured groups, or else
 * under every group the credential can see (a group already inside a tree read is not read again). Groups above
 * them stay unknown.
 */
/** A discovery read started ahead of its turn: its value (undefined: it failed) and the gaps it left, kept apart. */
type Ahead<T> = Promise<{ value: T | undefined; gaps: Gap[] }>;

function ahead<T>(fn: () => Promise<T>): Ahead<T> {
  const gaps: Gap[] = [];
  const read = attempt(gaps, 'discovery', null, classifyAzureError, fn).then((value) => ({ value, gaps }));
  // awaited later; if discovery throws before (the subscription listing failed), its outcome is not needed
  read.catch(() => undefined);
  return read;
}

/** Takes a read started ahead, its gaps in the order the reads are taken (not the order they finished). */
async function take<T>(read: Ahead<T>, gaps: Gap[]): Promise<T | undefined> {
  const { value, gaps: left } = await read;
  gaps.push(...left);
  return value;
}

/** The management groups the credential can list (names, and the trees to read without the root). */
function listGroups(mg: DiscoveryReads): Ahead<ManagementGroupInfo[]> {
  return ahead(() => mg.groups());
}

/** The reads of the hierarchy that need nothing but the tenant: started as soon as it is known. */
interface HierarchyReads {
  groups: Ahead<ManagementGroupInfo[]>;
  /** The tree under the tenant root group; null without a tenant. */
  root: Ahead<TreeNode[]> | null;
}

function hierarchyReads(mg: DiscoveryReads, groups: Ahead<ManagementGroupInfo[]>, tenantId: string | null): HierarchyReads {
  return { groups, root: tenantId ? ahead(() => readTree(mg, tenantId)) : null };
}

async function readHierarchy(
  mg: DiscoveryReads,
  cfg: AzureConfig,
  tenantId: string | null,
  reads: HierarchyReads,
  gaps: Gap[],
): Promise<Hierarchy> {
  const groups = await take(reads.groups, gaps);
  const names = new Map((groups ?? []).map((g) => [lc(g.name ?? ''), g.displayName ?? g.name ?? '']));
  const nodes = new Map<string, TreeNode>();
  let fromRoot = false;
  if (reads.root) {
    const tree = await take(reads.root, gaps);
    if (tree) {
      fromRoot = true;
      for (const n of tree) nodes.set(nodeKey(n.kind, n.id), n);
    }
  }
  if (!fromRoot) {
    const visible = (groups ?? [])
      .map((g) => g.name ?? '')
      .filter((g) => g && lc(g) !== lc(tenantId ?? ''))
      .sort()
      .slice(0, MAX_TREES);
    for (const id of cfg.managementGroups.length ? cfg.managementGroups : visible) {
      if (nodes.has(nodeKey('mg', id))) continue;
      const tree = await attempt(gaps, 'discovery', null, classifyAzureError, () => readTree(mg, id));
      for (const n of tree ?? []) nodes.set(nodeKey(n.kind, n.id), n);
      if (tree && !nodes.has(nodeKey('mg', id)))
        nodes.set(nodeKey('mg', id), { kind: 'mg', id, name: names.get(lc(id)) ?? id, parent: null });
    }
  }
  return { nodes, fromRoot, names };
}

/** Ancestry of subscriptions within the hierarchy read. */
class Ancestry {
  private readonly h: Hierarchy;
  private readonly tenantId: string | null;

  constructor(h: Hierarchy, tenantId: string | null) {
    this.h = h;
    this.tenantId = tenantId;
  }

  root(tenant: string | null | undefined = this.tenantId): Ancestor[] {
    return tenant ? [{ kind: 'tenant', id: tenant, name: this.h.names.get(lc(tenant)) ?? null }] : [];
  }

  /** Management groups from the tenant root down to the subscription's parent, or null when not in the tree read. */
  of(subscriptionId: string): Ancestor[] | null {
    const node = this.h.nodes.get(nodeKey('subscription', subscriptionId));
    if (!node) return null;
    const chain: Ancestor[] = [];
    let parent = node.parent;
    const seen = new Set<string>();
    while (parent && !seen.has(lc(parent))) {
      seen.add(lc(parent));
      if (this.tenantId && lc(parent) === lc(this.tenantId)) {
        chain.push(...this.root());
        break;
      }
      const mg = this.h.nodes.get(nodeKey('mg', parent));
      chain.push({ kind: 'management-group', id: parent, name: mg?.name ?? this.h.names.get(lc(parent)) ?? null });
      parent = mg?.parent ?? null;
    }
    return chain.reverse();
  }
}

function subscriptionScope(id: string, name: string, parents: Ancestor[], state: Scope['state']): Scope {
  return {
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
  };
}

export async function discoverSubscriptions(rt: ProviderRuntime, clients: AzureClients, cfg: AzureConfig): Promise<AzureDiscovery> {
  const gaps: Gap[] = [];
  const mg = discoveryReads(rt, clients);
  // Discovery's reads start as soon as what they need is known, not one after another: the management groups beside
  // the subscriptions, the tenant root's tree as soon as the tenant is known (configured: at once; otherwise from the
  // subscriptions listed). Each round trip saved is one less before collection starts.
  const groups = listGroups(mg);
  const early = cfg.tenantId ? hierarchyReads(mg, groups, cfg.tenantId) : null;
  const listed: Subscription[] = await mg.subscriptions();
  const tenantId = homeTenant(cfg, listed);
  const h = await readHierarchy(mg, cfg, tenantId, early ?? hierarchyReads(mg, groups, tenantId), gaps);
  const ancestry = new Ancestry(h, tenantId);
  const filters = cfg.managementGroups.map(lc);
  const underFilter = (parents: Ancestor[] | null) => filters.length === 0 || (parents?.some((p) => filters.includes(lc(p.id))) ?? false);
  const selected = (id: string, name: string) => {
    const hit = (p: string) => globMatch(p, id) || globMatch(p, name);
    return (cfg.subscriptions.include.length === 0 || cfg.subscriptions.include.some(hit)) && !cfg.subscriptions.exclude.some(hit);
  };

  const scopes: DiscoveredScope[] = [];
  const contexts = new Map<string, SubscriptionContext>();
  const seen = new Set<string>();
  const organisation: AzureOrganisation = { tenantId, subscriptions: new Set() };
  for (const s of listed) {
    const id = s.subscriptionId ?? (s.id ?? '').split('/').pop() ?? '';
    if (!id || seen.has(lc(id))) continue;
    seen.add(lc(id));
    // A subscription of another tenant the credential can see (guest access, Lighthouse) is not the organisation's.
    if (!s.tenantId || !tenantId || lc(s.tenantId) === lc(tenantId)) organisation.subscriptions.add(lc(id));
    const parents = h.fromRoot || h.nodes.size > 0 ? ancestry.of(id) : null;
    const name = s.displayName ?? id;
    if (!underFilter(parents) || !selected(id, name)) continue;
    // A subscription of another tenant (guest access, Lighthouse) sits under that tenant's root.
    const path = parents ?? ancestry.root(s.tenantId ?? tenantId);
    // Only a tree read from the root is complete enough to rule assignments out; otherwise trust the API's answer.
    contexts.set(lc(id), {
      ancestors:
        parents && h.fromRoot
          ? ['/', ...parents.map((p) => normaliseScope(`/providers/Microsoft.Management/managementGroups/${p.id}`))]
          : null,
    });
    const state = s.state ?? 'Enabled';
    if (state === 'Disabled' || state === 'Deleted') {
      const message = `subscription ${name} is ${state}: its resources are not scanned`;
      scopes.push({
        scope: subscriptionScope(id, name, path, 'disabled'),
        blockedBy: { code: 'suspended', part: 'discovery', operation: null, region: null, message },
      });
      continue;
    }
    if (state !== 'Enabled') rt.log.warn('azure.subscription.state', { subscription: id, state });
    scopes.push({ scope: subscriptionScope(id, name, path, 'active'), blockedBy: null });
  }
  // Subscriptions in the tree that the credential cannot list: they exist, and nobody read them.
  for (const n of [...h.nodes.values()].filter((x) => x.kind === 'subscription').sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (seen.has(lc(n.id))) continue;
    seen.add(lc(n.id));
    organisation.subscriptions.add(lc(n.id));
    const parents = ancestry.of(n.id);
    if (!underFilter(parents) || !selected(n.id, n.name)) continue;
    scopes.push({
      scope: subscriptionScope(n.id, n.name, parents ?? ancestry.root(), 'unknown'),
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
  return { root, found: seen.size, scopes, gaps, contexts, organisation };
}
