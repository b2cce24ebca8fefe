/**
 * Who can snapshot in a project, as pure functions of the IAM policies the adapter read:
 *
 * - the allow policy is the union of the project's bindings and those of every ancestor folder and the organisation;
 * - deny policies attached at any of those points are checked first: a rule denies a principal a permission unless
 *   the principal is an exception, the permission an exception permission, or the rule's denial condition is false;
 * - roles carry permissions (predefined, basic and custom roles alike; deleted custom roles carry none);
 * - creating a snapshot needs every permission the catalogue `requires` together (compute.snapshots.create AND
 *   compute.disks.createSnapshot), from any binding of the same principal;
 * - a conditional binding, a deny rule with a condition, or a deny rule naming a group the principal may belong to
 *   (membership not read) makes the grant conditional rather than absent — except conditions the scan clock decides (`request.time`
 *   against a timestamp): false grants (or denies) nothing, true is no condition;
 * - `deleted:` members hold nothing (the binding no longer applies to anyone).
 *
 * Deny rules apply to the members of the groups they deny or except: when a group's transitive membership was read
 * (Cloud Identity, `groups`), a rule naming it is decided for each principal; when it was not, the grant stays
 * conditional. A group principal is in another group when it is nested in it or when all its members are (none: not
 * in it; some: conditional); a membership read only part of the way down (nesting deeper than followed) decides
 * "member" but never "not a member".
 */
import type { CatalogueEntry } from '../../src/core/catalogue/index.ts';
import { matchGlob, parseGlob } from '../../src/core/glob.ts';
import type { Capability, Grant, PathStep, Principal, Tri } from '../../src/core/model/result.ts';
import { conditionAt } from './condition.ts';
import { classifyMember, type MemberInfo, type Membership } from './members.ts';

export type Level = 'organization' | 'folder' | 'project';

export interface ResourceNode {
  level: Level;
  /** `organizations/123`, `folders/456`, `projects/my-project`. */
  id: string;
  name: string | null;
}

export interface Condition {
  title?: string | null;
  expression: string;
}

export interface Binding {
  role: string;
  members: readonly string[];
  condition?: Condition | null;
  /** A condition already true at the scan time: shown on the path, but the grant is not conditional. */
  heldCondition?: Condition | null;
}

export interface AllowPolicyAt {
  node: ResourceNode;
  bindings: readonly Binding[];
}

export interface DenyRule {
  deniedPrincipals: readonly string[];
  exceptionPrincipals?: readonly string[];
  deniedPermissions: readonly string[];
  exceptionPermissions?: readonly string[];
  denialCondition?: Condition | null;
}

export interface DenyPolicyAt {
  node: ResourceNode;
  /** Policy resource name or id. */
  name: string;
  rules: readonly DenyRule[];
}

export interface RoleInfo {
  name: string;
  title: string | null;
  /** Null when the role could not be read: its bindings are reported, not evaluated. */
  permissions: readonly string[] | null;
  deleted?: boolean;
}

/**
 * Transitive members (lower-case emails) of the groups whose membership was read, by lower-case group email;
 * `complete` is false when nesting went deeper than was followed.
 */
export type GroupMembership = ReadonlyMap<string, { members: ReadonlySet<string>; complete: boolean }>;

const groupSet = 'principalSet://goog/group/';

/** Is the principal in the group: a member (yes), not (no), or not known (membership not read or incomplete)? */
export function memberOfGroup(info: MemberInfo, groupEmail: string, groups: GroupMembership | undefined): Tri {
  const group = groupEmail.toLowerCase();
  const g = groups?.get(group);
  if (!g) return 'unknown';
  const email = info.name.toLowerCase();
  if (g.members.has(email)) return 'yes';
  if (!g.complete) return 'unknown';
  if (info.type !== 'group') return 'no';
  const own = groups?.get(email);
  if (!own) return 'unknown';
  const inside = [...own.members].filter((m) => g.members.has(m)).length;
  if (own.members.size > 0 && inside === own.members.size) return 'yes';
  return inside === 0 && own.complete ? 'no' : 'unknown';
}

export interface IamInput {
  allow: readonly AllowPolicyAt[];
  deny: readonly DenyPolicyAt[];
  roles: ReadonlyMap<string, RoleInfo>;
  membership: Membership;
  catalogue: readonly CatalogueEntry[];
  /** The scan clock: conditions on `request.time` alone are decided against it (none: left conditional). */
  now?: Date | null;
  /** Members of the groups whose membership was read (deny rules denying or excepting them are decided). */
  groups?: GroupMembership;
}

export interface IamResult {
  principals: Principal[];
  /** Things the evaluation could not decide (unreadable roles…), for reasons and gaps. */
  notes: string[];
}

export const basicRoles = new Set(['roles/owner', 'roles/editor', 'roles/viewer']);

/** `compute.snapshots.create` → `compute.googleapis.com/snapshots.create` (the v2 form deny rules use). */
export function v2Permission(permission: string): string {
  const dot = permission.indexOf('.');
  return `${permission.slice(0, dot)}.googleapis.com/${permission.slice(dot + 1)}`;
}

/** A deny rule's permission pattern: `*` matches within one `/`-separated segment, `?` is a literal. */
function permissionPatternMatches(pattern: string, v2: string): boolean {
  if (pattern === '*' || pattern === v2) return true;
  if (!pattern.includes('*')) return false;
  return matchGlob(parseGlob(pattern, { question: false }), v2, { separator: '/' });
}

export interface DenyVerdict {
  state: 'denied' | 'maybe' | 'allowed';
  /** What makes it uncertain (conditional deny, group membership), or which rule denied it. */
  notes: string[];
  steps: PathStep[];
}

/** Does any deny rule at any attachment point deny `member` the `permission`? Checked before any allow. */
export function denyVerdict(
  member: string,
  permission: string,
  deny: readonly DenyPolicyAt[],
  membership: Membership,
  now: Date | null = null,
  groups?: GroupMembership,
): DenyVerdict {
  const info = classifyMember(member, membership);
  const v2 = v2Permission(permission);
  const maybe: string[] = [];
  const steps: PathStep[] = [];
  const principalMatch = (ids: readonly string[]): Tri => {
    let r: Tri = 'no';
    for (const id of ids) {
      if (id === 'principalSet://goog/public:all') return 'yes';
      if (info.v2 !== null && id === info.v2) return 'yes';
      // A group may contain this principal (users, service accounts and groups can be members): its membership decides.
      if (id.startsWith(groupSet) && ['user', 'service-account', 'group'].includes(info.type)) {
        const member = memberOfGroup(info, id.slice(groupSet.length), groups);
        if (member === 'yes') return 'yes';
        if (member === 'unknown') r = 'unknown';
      }
      // Every account of a Cloud Identity / Workspace customer: users and groups of the organisation's own domains.
      const customer = /^principalSet:\/\/goog\/cloudIdentityCustomerId\/(.+)$/.exec(id);
      if (customer && (info.type === 'user' || info.type === 'group')) {
        const own = (membership.customerIds ?? []).includes(customer[1] as string);
        if (own && info.inOrganization === 'yes') return 'yes';
        if (!own || info.inOrganization === 'unknown') r = 'unknown';
      }
    }
    return r;
  };
  for (const policy of deny) {
    policy.rules.forEach((rule, i) => {
      if (!rule.deniedPermissions.some((p) => permissionPatternMatches(p, v2))) return;
      if ((rule.exceptionPermissions ?? []).some((p) => permissionPatternMatches(p, v2))) return;
      const who = principalMatch(rule.deniedPrincipals);
      if (who === 'no') return;
      const except = principalMatch(rule.exceptionPrincipals ?? []);
      if (except === 'yes') return;
      const where = `deny policy ${policy.name} rule ${i + 1} at ${policy.node.id}`;
      // A denial condition already false at the scan time denies nothing; one already true is no condition.
      const when = rule.denialCondition ? conditionAt(rule.denialCondition.expression, now) : 'true';
      if (when === 'false') return;
      const uncertain: string[] = [];
      if (who === 'unknown') uncertain.push(`${where} denies ${v2} to a group that may include ${info.name}`);
      if (except === 'unknown') uncertain.push(`${where} denies ${v2} unless ${info.name} is in an exception group`);
      if (rule.denialCondition && when === 'unknown') uncertain.push(`${where} denies ${v2} when ${rule.denialCondition.expression}`);
      if (uncertain.length === 0) {
        steps.push({ kind: 'policy', id: policy.name, label: `${where} denies ${v2}` });
        return;
      }
      maybe.push(...uncertain);
    });
  }
  if (steps.length > 0) return { state: 'denied', notes: steps.map((s) => s.label ?? s.id), steps };
  if (maybe.length > 0) return { state: 'maybe', notes: maybe, steps: [] };
  return { state: 'allowed', notes: [], steps: [] };
}

interface Source {
  member: string;
  permission: string;
  node: ResourceNode;
  binding: Binding;
  role: RoleInfo;
  deny: DenyVerdict;
}

function levelLabel(node: ResourceNode): string {
  return `${node.level} ${node.name ?? node.id.split('/')[1]}`;
}

function conditionText(c: Condition): string {
  return c.title ? `${c.title}: ${c.expression}` : c.expression;
}

function isConditional(s: Source): boolean {
  return !!s.binding.condition || s.deny.state === 'maybe';
}

function sourcePath(s: Source, role: boolean): PathStep[] {
  const steps: PathStep[] = [
    {
      kind: 'binding',
      id: `${s.node.id}#${s.binding.role}`,
      label: `${s.binding.role} on ${levelLabel(s.node)}${s.binding.condition ? ` if ${s.binding.condition.title ?? s.binding.condition.expression}` : ''}${s.binding.heldCondition ? ` (condition ${s.binding.heldCondition.title ?? s.binding.heldCondition.expression} holds at the scan time)` : ''}`,
    },
  ];
  if (role) steps.push({ kind: 'role', id: s.role.name, label: s.role.title });
  steps.push({ kind: 'permission', id: s.permission, label: null });
  if (s.binding.condition) steps.push({ kind: 'condition', id: s.binding.condition.expression, label: s.binding.condition.title ?? null });
  for (const n of s.deny.state === 'maybe' ? s.deny.notes : []) steps.push({ kind: 'condition', id: n, label: null });
  return steps;
}

/** The best source of a permission: unconditional before conditional, then the narrowest level, then by name. */
function best(sources: readonly Source[]): Source | undefined {
  const rank = (s: Source) => (isConditional(s) ? 10 : 0) + (s.node.level === 'project' ? 0 : s.node.level === 'folder' ? 1 : 2);
  return [...sources].sort((a, b) => rank(a) - rank(b) || (a.binding.role < b.binding.role ? -1 : 1))[0];
}

/**
 * The binding as it stands at the scan time: null when its condition is already false (an expired grant), without
 * its condition when that is already true, unchanged when the condition depends on the request.
 */
function decideBinding(binding: Binding, node: ResourceNode, now: Date | null, notes: Set<string>): Binding | null {
  if (!binding.condition) return binding;
  const value = conditionAt(binding.condition.expression, now);
  if (value === 'false') {
    notes.add(
      `${binding.role} on ${node.id}: condition "${conditionText(binding.condition)}" is false at the scan time, so it grants nothing`,
    );
    return null;
  }
  if (value === 'true') return { ...binding, condition: null, heldCondition: binding.condition };
  return binding;
}

export function evaluateIam(input: IamInput): IamResult {
  const notes = new Set<string>();
  const wanted = new Set(input.catalogue.flatMap((e) => [e.action, ...(e.requires ?? [])]));
  /** member → permission → sources */
  const held = new Map<string, Map<string, Source[]>>();
  const deniedCache = new Map<string, DenyVerdict>();
  const verdict = (member: string, permission: string) => {
    const key = `${member}\u0000${permission}`;
    let v = deniedCache.get(key);
    if (!v) deniedCache.set(key, (v = denyVerdict(member, permission, input.deny, input.membership, input.now ?? null, input.groups)));
    return v;
  };

  for (const policy of input.allow) {
    for (const original of policy.bindings) {
      const binding = decideBinding(original, policy.node, input.now ?? null, notes);
      if (!binding) continue;
      const role = input.roles.get(binding.role);
      if (!role || role.permissions === null) {
        notes.add(`permissions of ${binding.role} could not be read: its bindings on ${policy.node.id} were not evaluated`);
        continue;
      }
      if (role.deleted) continue;
      const perms = role.permissions.filter((p) => wanted.has(p));
      for (const permission of perms) {
        for (const member of binding.members) {
          // A deleted principal holds nothing: the binding no longer applies to anyone, not even a new principal
          // created with the same name (it shows as `deleted:…?uid=…` until the binding is removed).
          if (member.startsWith('deleted:')) continue;
          const deny = verdict(member, permission);
          if (deny.state === 'denied') continue;
          let byPerm = held.get(member);
          if (!byPerm) held.set(member, (byPerm = new Map()));
          const list = byPerm.get(permission) ?? [];
          list.push({ member, permission, node: policy.node, binding, role, deny });
          byPerm.set(permission, list);
        }
      }
    }
  }

  const principals: Principal[] = [];
  for (const [member, byPerm] of held) {
    const info = classifyMember(member, input.membership);
    const grants: Grant[] = [];
    for (const entry of input.catalogue) {
      const primary = byPerm.get(entry.action) ?? [];
      if (primary.length === 0) continue;
      const required = (entry.requires ?? []).map((r) => ({ permission: r, source: best(byPerm.get(r) ?? []) }));
      if (required.some((r) => r.source === undefined)) continue;
      for (const s of primary) {
        const support = required.map((r) => r.source as Source);
        const all = [s, ...support];
        const conditions = [
          ...new Set(
            all.flatMap((x) => [
              ...(x.binding.condition ? [conditionText(x.binding.condition)] : []),
              ...(x.deny.state === 'maybe' ? x.deny.notes : []),
            ]),
          ),
        ];
        const path: PathStep[] = [
          { kind: 'principal', id: member, label: info.name },
          ...sourcePath(s, true),
          ...support.flatMap((x) =>
            sourcePath(x, false).map((step) =>
              step.kind === 'permission' ? { ...step, label: `required too, via ${x.binding.role} on ${levelLabel(x.node)}` } : step,
            ),
          ),
          { kind: 'scope', id: s.node.id, label: levelLabel(s.node) },
        ];
        grants.push({
          capability: entry.capability,
          action: entry.action,
          resourceScope: '*',
          conditional: all.some(isConditional),
          external: info.external,
          broad: basicRoles.has(s.binding.role) || s.node.level !== 'project',
          path,
          conditions,
        });
      }
    }
    if (grants.length === 0) continue;
    principals.push({
      id: member,
      type: info.type,
      name: info.name,
      external: info.external,
      capabilities: [...new Set(grants.map((g) => g.capability))].sort() as Capability[],
      grants,
    });
  }
  principals.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { principals, notes: [...notes].sort() };
}
