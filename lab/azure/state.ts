/**
 * The Azure lab's view of the estate: the management-group tree with the tenant root group, subscriptions by id,
 * role definitions (built-in and custom), and ARM scope arithmetic (which scopes are at, above or below another).
 * ARM ids compare case-insensitively, so every lookup lower-cases.
 */
import { randomBytes } from 'node:crypto';
import { builtinRoles } from './builtin-roles.ts';
import type { AzureEstate, AzureManagementGroup, AzureRoleDefinition, AzureSubscription } from './estate.ts';

export const LAB_CLIENT_ID = '5a5a0000-1ab0-4000-8000-00000000c11e';
/** The service principal's object id (what ARM error messages name). */
export const LAB_PRINCIPAL_ID = '5a5a0000-1ab0-4000-8000-0000000000b1';
/**
 * The lab client's home tenant: it signs in there (or in the estate's tenant) and ARM accepts its tokens for the
 * estate. Keeping it apart from the estate's tenant keeps every value of the lab's credentials out of scan outputs.
 */
export const LAB_SIGNIN_TENANT = '5a5a0000-1ab0-4000-8000-00000000e1d0';
/** A lab-only client secret: useless anywhere else. */
export const LAB_CLIENT_SECRET = 'lab-client-secret-never-real-0000000000';

export const MG_PREFIX = '/providers/Microsoft.Management/managementGroups/';

export function mgScope(id: string): string {
  return `${MG_PREFIX}${id}`;
}

export function normScope(scope: string): string {
  const s = `/${scope.replace(/^\/+/, '').replace(/\/+$/, '')}`;
  return s.toLowerCase();
}

/** A list's positions by the scope each item sits at (`at`) and by every scope at or above it (`under`). */
interface ScopeIndex {
  at: Map<string, number[]>;
  under: Map<string, number[]>;
}

export class AzureLabState {
  readonly estate: AzureEstate;
  readonly tenantId: string;
  readonly subscriptions = new Map<string, AzureSubscription>();
  readonly managementGroups = new Map<string, AzureManagementGroup>();
  readonly roles: AzureRoleDefinition[];
  private readonly tokens = new Set<string>();

  constructor(estate: AzureEstate) {
    this.estate = estate;
    this.tenantId = estate.tenantId;
    this.managementGroups.set(estate.tenantId.toLowerCase(), { id: estate.tenantId, name: estate.rootName });
    for (const mg of estate.managementGroups) this.managementGroups.set(mg.id.toLowerCase(), mg);
    for (const s of estate.subscriptions) this.subscriptions.set(s.id.toLowerCase(), s);
    const custom = new Set(estate.roleDefinitions.map((r) => r.id.toLowerCase()));
    this.roles = [...builtinRoles.filter((r) => !custom.has(r.id.toLowerCase())), ...estate.roleDefinitions];
  }

  issueToken(): string {
    const token = `lab-azure-token-${randomBytes(12).toString('hex')}`;
    this.tokens.add(token);
    return token;
  }

  validToken(token: string): boolean {
    return this.tokens.has(token);
  }

  isCustom(role: AzureRoleDefinition): boolean {
    return this.estate.roleDefinitions.includes(role);
  }

  /** A role by GUID, name (case-insensitive) or role-definition id. */
  role(ref: string): AzureRoleDefinition | undefined {
    const key = (ref.split('/').pop() ?? ref).toLowerCase();
    return this.roles.find((r) => r.id.toLowerCase() === key) ?? this.roles.find((r) => r.name.toLowerCase() === ref.toLowerCase());
  }

  parentOfMg(id: string): string | null {
    if (id.toLowerCase() === this.tenantId.toLowerCase()) return null;
    return this.managementGroups.get(id.toLowerCase())?.parent ?? this.tenantId;
  }

  parentOfSubscription(s: AzureSubscription): string {
    return s.parent ?? this.tenantId;
  }

  /** The management groups from `id` up to the tenant root group (inclusive). */
  mgChain(id: string): string[] {
    const out: string[] = [];
    let cur: string | null = id;
    while (cur !== null && out.length < 64) {
      out.push(cur);
      cur = this.parentOfMg(cur);
    }
    return out;
  }

  /** Normalised scopes from `scope` itself up to `/`: resource → resource group → subscription → MGs → root `/`. */
  chain(scope: string): string[] {
    const s = normScope(scope);
    if (s === '/') return ['/'];
    if (s.startsWith(MG_PREFIX.toLowerCase())) {
      const id = s.slice(MG_PREFIX.length);
      return [...this.mgChain(id).map((m) => normScope(mgScope(m))), '/'];
    }
    const m = /^\/subscriptions\/([^/]+)(\/resourcegroups\/([^/]+)(\/.+)?)?$/.exec(s);
    if (!m) return [s, '/'];
    const sub = this.subscriptions.get(m[1] ?? '');
    const subScope = `/subscriptions/${m[1]}`;
    const above = sub ? this.mgChain(this.parentOfSubscription(sub)).map((x) => normScope(mgScope(x))) : [];
    const out: string[] = [];
    if (m[4]) out.push(s);
    if (m[2]) out.push(`${subScope}/resourcegroups/${m[3]}`);
    out.push(subScope, ...above, '/');
    return out;
  }

  /** Is `a` at or above `b`? */
  atOrAbove(a: string, b: string): boolean {
    return this.chain(b).includes(normScope(a));
  }

  /** Each list's index by scope, built on first use (the estate does not change while the lab serves it). */
  private readonly scopeIndexes = new WeakMap<readonly { scope: string }[], ScopeIndex>();

  /**
   * The items (role or deny assignments) that apply to `scope` — at or above it, and unless `atScopeOnly` below it
   * too — in the list's order. Looked up through an index of the list by scope, not by walking every assignment of
   * the tenant for each request (which made a scan of N subscriptions cost N²).
   */
  applying<T extends { scope: string }>(items: readonly T[], scope: string, atScopeOnly: boolean): T[] {
    let index = this.scopeIndexes.get(items);
    if (!index) {
      index = { at: new Map(), under: new Map() };
      const add = (map: Map<string, number[]>, key: string, i: number) => {
        const list = map.get(key);
        if (list) list.push(i);
        else map.set(key, [i]);
      };
      for (const [i, item] of items.entries()) {
        add(index.at, normScope(item.scope), i);
        for (const above of new Set(this.chain(item.scope))) add(index.under, above, i);
      }
      this.scopeIndexes.set(items, index);
    }
    const hits = new Set<number>();
    for (const above of this.chain(scope)) for (const i of index.at.get(above) ?? []) hits.add(i);
    if (!atScopeOnly) for (const i of index.under.get(normScope(scope)) ?? []) hits.add(i);
    return [...hits].sort((a, b) => a - b).map((i) => items[i] as T);
  }

  subscriptionOf(scope: string): string | null {
    return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1]?.toLowerCase() ?? null;
  }
}
