/**
 * Azure RBAC, evaluated offline for the snapshot capabilities of the catalogue. Pure functions over normalised role
 * definitions, role assignments and deny assignments, following the documented rules:
 *
 * - A role's effective actions are, per permission block, Actions minus NotActions. NotActions only subtract inside
 *   that block: they are not a deny, so another block or another role can still grant the operation.
 * - `*` is a wildcard anywhere in an operation string and matching is case-insensitive.
 * - DataActions / NotDataActions apply to data actions only (e.g. `Microsoft.Compute/snapshots/download/action`),
 *   Actions / NotActions to control-plane operations only.
 * - Assignments inherit downwards: root `/` → management groups → subscription → resource group → resource. An
 *   assignment below the subscription grants only there (its scope is recorded).
 * - Deny assignments win over any role assignment for the principals they name (or everyone), minus excluded
 *   principals, at their scope and below (unless `doNotApplyToChildScopes`, which spares the child resources that
 *   snapshots are). Deny assignments apply to the members of the groups they name or exclude: when the groups'
 *   transitive membership was read (Microsoft Graph, `membership`), a deny naming or excluding a group is decided
 *   for each principal; when it was not, the grant stays conditional, never certainly removed or certainly kept. A
 *   group principal is in another group when all its members are (none: not in it; some: conditional).
 * - An assignment (or deny assignment) with a condition (ABAC) is decided where the condition can be decided offline
 *   (the operation, the scan clock: conditions.ts); otherwise it grants (or denies) conditionally.
 *
 * Results are values with an explanation, not booleans.
 */
import type { CatalogueEntry } from '../../src/core/catalogue/index.ts';
import type { Grant, PathStep, Principal, Tri } from '../../src/core/model/result.ts';
import { evaluateCondition } from './conditions.ts';
import { operationMatches } from './patterns.ts';

export { operationMatches };

export interface RbacPermission {
  actions: readonly string[];
  notActions: readonly string[];
  dataActions: readonly string[];
  notDataActions: readonly string[];
}

export interface RbacRole {
  /** Role definition GUID (lower case). */
  id: string;
  /** Full role definition id, as the assignment named it. */
  resourceId: string;
  name: string;
  custom: boolean;
  permissions: readonly RbacPermission[];
}

export interface RbacAssignment {
  id: string;
  /** ARM scope the assignment is made at. */
  scope: string;
  principalId: string;
  principalType: string;
  /** Role definition GUID (lower case). */
  roleId: string;
  /** The role definition id as the assignment spells it (tenant-level or subscription-qualified). */
  roleDefinitionId: string;
  condition: string | null;
}

export interface RbacDeny {
  id: string;
  name: string;
  scope: string;
  permissions: readonly RbacPermission[];
  principals: ReadonlyArray<{ id: string; type: string }>;
  excludePrincipals: ReadonlyArray<{ id: string; type: string }>;
  doNotApplyToChildScopes: boolean;
  /** ABAC condition limiting where the deny applies. */
  condition: string | null;
}

export const EVERYONE = '00000000-0000-0000-0000-000000000000';

export interface PermissionMatch {
  granted: boolean;
  /** The Actions / DataActions pattern that grants it. */
  pattern: string | null;
  /** Index of the permission block that grants it. */
  block: number | null;
  explains: string[];
}

/**
 * What each set of permission blocks includes, by operation: a role is evaluated for every catalogue operation, for
 * every assignment of it and in every subscription (toRole keeps one set of blocks per role definition read). Blocks
 * are never changed once built; the matches are read, never changed.
 */
const includes = new WeakMap<readonly RbacPermission[], Map<string, PermissionMatch>>();

/** Does a set of permission blocks include the operation (Actions minus NotActions, per block)? */
export function permissionsInclude(blocks: readonly RbacPermission[], operation: string, dataAction: boolean): PermissionMatch {
  let known = includes.get(blocks);
  if (!known) {
    known = new Map();
    includes.set(blocks, known);
  }
  const key = `${dataAction ? 'data:' : ''}${operation}`;
  let m = known.get(key);
  if (!m) {
    m = matchBlocks(blocks, operation, dataAction);
    known.set(key, m);
  }
  return m;
}

function matchBlocks(blocks: readonly RbacPermission[], operation: string, dataAction: boolean): PermissionMatch {
  const explains: string[] = [];
  for (const [i, b] of blocks.entries()) {
    const include = dataAction ? b.dataActions : b.actions;
    const exclude = dataAction ? b.notDataActions : b.notActions;
    const hit = include.find((p) => operationMatches(p, operation));
    if (!hit) continue;
    const minus = exclude.find((p) => operationMatches(p, operation));
    if (minus) {
      explains.push(`block ${i}: ${hit} is reduced by ${dataAction ? 'NotDataActions' : 'NotActions'} ${minus}`);
      continue;
    }
    explains.push(`block ${i}: ${dataAction ? 'DataActions' : 'Actions'} ${hit} includes ${operation}`);
    return { granted: true, pattern: hit, block: i, explains };
  }
  if (explains.length === 0) explains.push(`no ${dataAction ? 'DataActions' : 'Actions'} pattern includes ${operation}`);
  return { granted: false, pattern: null, block: null, explains };
}

export function normaliseScope(scope: string): string {
  // most scopes ARM returns are written so already (one leading slash, none trailing): only lower-cased then
  const n = scope.length;
  if (n > 1 && scope.charCodeAt(0) === 47 && scope.charCodeAt(1) !== 47 && scope.charCodeAt(n - 1) !== 47) return scope.toLowerCase();
  const s = `/${scope.replace(/^\/+/, '').replace(/\/+$/, '')}`;
  return s.toLowerCase();
}

export type Relation = 'above' | 'at' | 'below' | 'unrelated';

/** Where an ARM scope sits relative to a subscription: above it (root, management groups), at it, or below it. */
export function relationToSubscription(scope: string, subscriptionId: string, ancestors: readonly string[] | null = null): Relation {
  const s = normaliseScope(scope);
  const sub = `/subscriptions/${subscriptionId.toLowerCase()}`;
  if (s === sub) return 'at';
  if (s.startsWith(`${sub}/`)) return 'below';
  if (s.startsWith('/subscriptions/')) return 'unrelated';
  // The root scope and management groups: the API returns only those above the subscription; when the ancestry is
  // known, it is checked too.
  if (ancestors === null || s === '/' || ancestors.includes(s)) return 'above';
  return 'unrelated';
}

/** The scope (within the subscription) where a grant applies: `*` for the whole subscription, or an RG / resource. */
export function grantScope(assignmentScope: string, subscriptionId: string): string {
  const rel = relationToSubscription(assignmentScope, subscriptionId);
  return rel === 'below' ? normaliseScope(assignmentScope) : '*';
}

/** Is scope `inner` (a grant's resource scope, `*` = whole subscription) inside deny scope `outer`? */
export function scopeWithin(inner: string, outer: string, subscriptionId: string): boolean {
  const o = normaliseScope(outer);
  const rel = relationToSubscription(o, subscriptionId);
  if (rel === 'above' || rel === 'at') return true;
  if (rel === 'unrelated') return false;
  if (inner === '*') return false;
  const i = normaliseScope(inner);
  return i === o || i.startsWith(`${o}/`);
}

export interface DenyVerdict {
  /** `denied`: certainly blocked; `maybe`: blocked for some requests or some members; `allowed`: no deny applies. */
  state: 'denied' | 'maybe' | 'allowed';
  deny: RbacDeny | null;
  explains: string[];
  /** What leaves it open (`maybe`), for the grant's conditions. */
  uncertain: string[];
}

/** Principal types that can hold members: a deny naming one may reach a principal through membership. */
const groupTypes = new Set(['group', 'foreigngroup']);

/** Does a deny assignment name or exclude a group (the only place group membership changes what is granted)? */
export function denyNamesGroup(d: RbacDeny): boolean {
  return [...d.principals, ...d.excludePrincipals].some((p) => groupTypes.has(p.type.toLowerCase()));
}

/** Transitive members (lower-case object ids) of the groups whose membership was read, by lower-case group id. */
export type Membership = ReadonlyMap<string, ReadonlySet<string>>;

/** Is the principal in the group: a member (yes), not (no), or not known (membership not read, or only some members of a group principal)? */
export function memberOf(principalId: string, principalType: string, groupId: string, membership: Membership | undefined): Tri {
  const members = membership?.get(groupId.toLowerCase());
  if (!members) return 'unknown';
  const pid = principalId.toLowerCase();
  if (members.has(pid)) return 'yes';
  if (!groupTypes.has(principalType.toLowerCase())) return 'no';
  const own = membership?.get(pid);
  if (!own) return 'unknown';
  const inside = [...own].filter((m) => members.has(m)).length;
  return own.size > 0 && inside === own.size ? 'yes' : inside === 0 ? 'no' : 'unknown';
}

/** Is the principal one of these (yes), possibly a member of one of their groups (unknown), or neither (no)? */
function principalIn(list: ReadonlyArray<{ id: string; type: string }>, r: DenyRequest, everyone: boolean): Tri {
  const pid = r.principalId.toLowerCase();
  let found: Tri = 'no';
  for (const p of list) {
    if (p.id.toLowerCase() === pid || (everyone && p.id === EVERYONE)) return 'yes';
    if (!groupTypes.has(p.type.toLowerCase())) continue;
    const member = memberOf(r.principalId, r.principalType ?? 'User', p.id, r.membership);
    if (member === 'yes') return 'yes';
    if (member === 'unknown') found = 'unknown';
  }
  return found;
}

export interface DenyRequest {
  principalId: string;
  /** The principal's type as the assignment names it (`User`, `Group`…); default `User`. */
  principalType?: string;
  /** Group memberships that were read; absent: none. */
  membership?: Membership;
  operation: string;
  dataAction: boolean;
  /** The grant's resource scope (`*` = whole subscription). */
  resourceScope: string;
  subscriptionId: string;
  now: Date;
}

/** Does a deny assignment stop this principal from this operation everywhere the grant applies? */
export function denyBlocks(denies: readonly RbacDeny[], r: DenyRequest): DenyVerdict {
  const explains: string[] = [];
  const uncertain: string[] = [];
  for (const d of denies) {
    const named = principalIn(d.principals, r, true);
    if (named === 'no') continue;
    const excluded = principalIn(d.excludePrincipals, r, false);
    if (excluded === 'yes') {
      explains.push(`deny assignment ${d.name} excludes this principal`);
      continue;
    }
    if (!permissionsInclude(d.permissions, r.operation, r.dataAction).granted) continue;
    if (d.doNotApplyToChildScopes) {
      explains.push(`deny assignment ${d.name} does not apply to child scopes, where snapshots live`);
      continue;
    }
    if (!scopeWithin(r.resourceScope, d.scope, r.subscriptionId)) {
      explains.push(`deny assignment ${d.name} covers only ${d.scope}`);
      continue;
    }
    const when = d.condition ? evaluateCondition(d.condition, { operation: r.operation, now: r.now }) : null;
    if (when?.value === 'no') {
      explains.push(`deny assignment ${d.name} does not apply: its condition is false (${when.notes.join('; ')})`);
      continue;
    }
    const open: string[] = [];
    if (named === 'unknown')
      open.push(`deny assignment ${d.name} at ${d.scope} denies ${r.operation} to a group that may include this principal`);
    if (excluded === 'unknown')
      open.push(`deny assignment ${d.name} at ${d.scope} denies ${r.operation} unless this principal is in an excluded group`);
    if (when?.value === 'unknown') open.push(`deny assignment ${d.name} at ${d.scope} denies ${r.operation} when ${d.condition}`);
    if (open.length === 0) {
      explains.push(`deny assignment ${d.name} at ${d.scope} denies ${r.operation}`);
      return { state: 'denied', deny: d, explains, uncertain: [] };
    }
    uncertain.push(...open);
  }
  return { state: uncertain.length ? 'maybe' : 'allowed', deny: null, explains, uncertain };
}

export type PrincipalKind = Principal['type'];

export function principalKind(principalType: string): PrincipalKind {
  switch (principalType.toLowerCase()) {
    case 'user':
      return 'user';
    case 'group':
    case 'foreigngroup':
      return 'group';
    case 'serviceprincipal':
      return 'service-principal';
    case 'managedidentity':
    case 'msi':
      return 'managed-identity';
    default:
      return 'unknown';
  }
}

/** Owner-class roles: full control of the scope (built-in Owner, Contributor, User Access Administrator). */
const ownerClass = new Set(['owner', 'contributor', 'user access administrator']);

/** A pattern is broad when its wildcard spans resource types: `*`, `Microsoft.Compute/*`, a star before `/write`. */
export function broadPattern(pattern: string): boolean {
  const segments = pattern.split('/');
  return segments.slice(0, 2).some((s) => s.includes('*'));
}

export interface EvaluateInput {
  subscriptionId: string;
  /** Normalised MG scopes and `/` above the subscription, when the hierarchy was read. */
  ancestors: readonly string[] | null;
  roles: ReadonlyMap<string, RbacRole>;
  assignments: readonly RbacAssignment[];
  denies: readonly RbacDeny[];
  catalogue: readonly CatalogueEntry[];
  /** Principal object ids configured as external (guests, partners). */
  externalPrincipals: ReadonlySet<string>;
  /** The scan clock, for conditions on `@Environment[UtcNow]`. */
  now: Date;
  /** Transitive members of the groups whose membership was read (deny assignments naming or excluding them are decided). */
  membership?: Membership;
}

export interface EvaluateOutput {
  principals: Principal[];
  /** Assignments whose role definition could not be read (reported as a gap by the caller). */
  unresolved: RbacAssignment[];
}

export function scopeLabel(scope: string): string {
  const s = normaliseScope(scope);
  if (s === '/') return 'tenant root';
  const mg = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/.exec(s);
  if (mg) return `management group ${mg[1]}`;
  const rg = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)$/.exec(s);
  if (rg) return `resource group ${rg[1]}`;
  if (/^\/subscriptions\/[^/]+$/.test(s)) return 'subscription';
  return scope;
}

/** One way a principal holds one operation: an assignment whose role includes it, not certainly denied. */
interface Holding {
  assignment: RbacAssignment;
  role: RbacRole;
  pattern: string;
  dataAction: boolean;
  resourceScope: string;
  /** The assignment's condition decided for this operation, when it has one. */
  when: ReturnType<typeof evaluateCondition> | null;
  deny: DenyVerdict;
}

/** How `assignment` gives its principal `operation`, or null when it does not (or a deny certainly removes it). */
function holding(
  input: EvaluateInput,
  a: RbacAssignment,
  role: RbacRole,
  operation: string,
  dataAction: boolean,
  resourceScope = grantScope(a.scope, input.subscriptionId),
): Holding | null {
  const m = permissionsInclude(role.permissions, operation, dataAction);
  if (!m.granted || m.pattern === null) return null;
  const when = a.condition ? evaluateCondition(a.condition, { operation, now: input.now }) : null;
  if (when?.value === 'no') return null;
  const deny = denyBlocks(input.denies, {
    principalId: a.principalId,
    principalType: a.principalType,
    ...(input.membership ? { membership: input.membership } : {}),
    operation,
    dataAction,
    resourceScope,
    subscriptionId: input.subscriptionId,
    now: input.now,
  });
  if (deny.state === 'denied') return null;
  return { assignment: a, role, pattern: m.pattern, dataAction, resourceScope, when, deny };
}

/** What leaves a holding open: an undecided assignment condition, deny assignments that may apply. */
function openConditions(h: Holding): string[] {
  return [...(h.when?.value === 'unknown' && h.assignment.condition ? [h.assignment.condition] : []), ...h.deny.uncertain];
}

/**
 * A second permission the catalogue says the operation needs (e.g. beginGetAccess on the disk a snapshot is made
 * from, checked by ARM on the linked resource): the principal's best holding of it in this subscription, or the
 * condition that it holds it nowhere here (only sources elsewhere could be used).
 */
function required(h: Holding[] | undefined, action: string): { steps: PathStep[]; conditions: string[] } {
  const best = [...(h ?? [])].sort((x, y) => openConditions(x).length - openConditions(y).length)[0];
  if (!best) {
    const condition = `needs ${action} on the source as well, which this principal holds nowhere in this subscription`;
    return { steps: [{ kind: 'condition', id: condition, label: 'required permission not held here' }], conditions: [condition] };
  }
  return {
    steps: [
      {
        kind: 'action-pattern',
        id: best.pattern,
        label: `required too: ${action} via ${best.role.name} at ${scopeLabel(best.assignment.scope)}`,
      },
    ],
    conditions: openConditions(best),
  };
}

function grantOf(input: EvaluateInput, entry: CatalogueEntry, h: Holding, held: ReadonlyMap<string, Holding[]>, external: boolean): Grant {
  const { assignment: a, role } = h;
  const rel = relationToSubscription(a.scope, input.subscriptionId, input.ancestors);
  const broad = broadPattern(h.pattern) || (ownerClass.has(role.name.toLowerCase()) && rel !== 'below');
  const path: PathStep[] = [
    { kind: 'principal', id: a.principalId, label: `${a.principalType} ${a.principalId}` },
    { kind: 'assignment', id: a.id, label: `role assignment at ${scopeLabel(a.scope)}` },
    { kind: 'role', id: a.roleDefinitionId || role.resourceId, label: `${role.name}${role.custom ? ' (custom)' : ''}` },
    { kind: 'action-pattern', id: h.pattern, label: `${h.dataAction ? 'DataActions' : 'Actions'} ${h.pattern}` },
    {
      kind: 'scope',
      id: h.resourceScope === '*' ? `/subscriptions/${input.subscriptionId}` : h.resourceScope,
      label: h.resourceScope === '*' ? 'the whole subscription' : `${scopeLabel(a.scope)} only`,
    },
  ];
  if (a.condition) {
    const label =
      h.when?.value === 'yes'
        ? `assignment condition, true for this operation now: ${h.when.notes.join('; ') || 'it does not restrict it'}`
        : 'assignment condition';
    path.push({ kind: 'condition', id: a.condition, label });
  }
  for (const u of h.deny.uncertain) path.push({ kind: 'condition', id: u, label: 'deny assignment that may apply' });
  const needs = (entry.requires ?? []).map((r) => required(held.get(r.toLowerCase()), r));
  for (const n of needs) path.push(...n.steps);
  const conditions = [...new Set([...openConditions(h), ...needs.flatMap((n) => n.conditions)])];
  return {
    capability: entry.capability,
    action: entry.action,
    resourceScope: h.resourceScope,
    conditional: conditions.length > 0,
    external,
    broad,
    path,
    conditions,
  };
}

/** Every principal that holds a snapshot capability in the subscription, with a grant per path. */
export function evaluateSubscription(input: EvaluateInput): EvaluateOutput {
  const unresolved: RbacAssignment[] = [];
  /** Per principal (lower case): per operation (lower case), every holding. */
  const held = new Map<string, Map<string, Holding[]>>();
  // each operation with its lower case, worked out once (not per assignment and principal)
  const wanted = [
    ...new Map(
      [
        ...input.catalogue.map((e) => ({ action: e.action, dataAction: e.dataAction === true })),
        ...input.catalogue.flatMap((e) => (e.requires ?? []).map((r) => ({ action: r, dataAction: false }))),
      ].map((w) => [w.action.toLowerCase(), { ...w, op: w.action.toLowerCase() }]),
    ).values(),
  ];
  const entries = input.catalogue.map((entry) => ({ entry, op: entry.action.toLowerCase() }));
  const first = new Map<string, RbacAssignment>();
  // each principal's assignments in their order, and the principals a foreign group assignment names (one pass, not
  // one per principal)
  const byPrincipal = new Map<string, RbacAssignment[]>();
  const foreign = new Set<string>();
  for (const a of input.assignments) {
    const key = a.principalId.toLowerCase();
    const list = byPrincipal.get(key);
    if (list) list.push(a);
    else byPrincipal.set(key, [a]);
    if (a.principalType.toLowerCase() === 'foreigngroup') foreign.add(key);
  }
  for (const a of input.assignments) {
    if (relationToSubscription(a.scope, input.subscriptionId, input.ancestors) === 'unrelated') continue;
    const role = input.roles.get(a.roleId.toLowerCase());
    if (!role) {
      unresolved.push(a);
      continue;
    }
    const key = a.principalId.toLowerCase();
    if (!first.has(key)) first.set(key, a);
    const mine = held.get(key) ?? new Map<string, Holding[]>();
    held.set(key, mine);
    const resourceScope = grantScope(a.scope, input.subscriptionId);
    for (const w of wanted) {
      const h = holding(input, a, role, w.action, w.dataAction, resourceScope);
      if (!h) continue;
      const list = mine.get(w.op);
      if (list) list.push(h);
      else mine.set(w.op, [h]);
    }
  }
  const principals: Principal[] = [];
  for (const [key, mine] of held) {
    const a = first.get(key) as RbacAssignment;
    const external = foreign.has(key) || input.externalPrincipals.has(key);
    const grants: Grant[] = [];
    // Grants follow the assignments' order, then the catalogue's, as they always have.
    for (const assignment of byPrincipal.get(key) ?? []) {
      for (const { entry, op } of entries) {
        const h = mine.get(op)?.find((x) => x.assignment === assignment);
        if (h) grants.push(grantOf(input, entry, h, mine, external));
      }
    }
    if (grants.length === 0) continue;
    principals.push({
      id: a.principalId,
      type: principalKind(a.principalType),
      name: a.principalId,
      external,
      capabilities: [...new Set(grants.map((g) => g.capability))].sort(),
      grants,
    });
  }
  principals.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { principals, unresolved };
}
