/**
 * Service-account impersonation (issue #26): a principal that may act as a service account which can snapshot can
 * snapshot through it. Pure: the adapter reads the service accounts' own allow policies (only those of service
 * accounts that hold a capability, to bound the calls) and hands them here with the project's and its ancestors'
 * policies, the roles and the deny policies.
 *
 * Who may act as a service account ([impersonation](https://cloud.google.com/iam/docs/service-account-impersonation),
 * [roles](https://cloud.google.com/iam/docs/service-account-permissions)):
 * - `iam.serviceAccounts.getAccessToken`, `signJwt`, `signBlob` (roles/iam.serviceAccountTokenCreator,
 *   roles/iam.workloadIdentityUser…) mint credentials of the service account: its grants, unconditionally;
 * - `iam.serviceAccounts.actAs` (roles/iam.serviceAccountUser, Owner, Editor) attaches it to a resource that then runs
 *   as it: its grants, conditional on being able to create or update such a resource (not evaluated here);
 * - `iam.serviceAccounts.getOpenIdToken` mints an OpenID Connect ID token, which services that accept ID tokens
 *   (Cloud Run, IAP) take, not the Compute Engine API: no snapshot capability (a documented case);
 * - a binding on the service account itself, or on its project, folder or organisation (inherited by every service
 *   account of the project) grants them; deny policies on those levels are checked first; conditional bindings are
 *   conditional, and conditions on `request.time` alone are decided against the scan time.
 *
 * One hop: the grants a service account holds directly are passed on, not those it reaches itself. A (capability,
 * action) the principal holds directly stays direct; among service accounts, a token-minting path wins over actAs,
 * unconditional over conditional, then the service account's email.
 */
import type { CatalogueEntry } from '../../src/core/catalogue/index.ts';
import type { Grant, PathStep, Principal } from '../../src/core/model/result.ts';
import {
  type AllowPolicyAt,
  type Binding,
  conditionText,
  decideBinding,
  type DenyPolicyAt,
  denyVerdict,
  type GroupMembership,
  levelLabel,
  type RoleInfo,
} from './iam.ts';
import { classifyMember, type Membership } from './members.ts';

export type ImpersonationKind = 'token' | 'act-as' | 'id-token';

/** Each permission that lets a principal act as a service account, and what it gives. */
export const impersonationPermissions: ReadonlyMap<string, ImpersonationKind> = new Map([
  ['iam.serviceAccounts.getAccessToken', 'token'],
  ['iam.serviceAccounts.signJwt', 'token'],
  ['iam.serviceAccounts.signBlob', 'token'],
  ['iam.serviceAccounts.actAs', 'act-as'],
  ['iam.serviceAccounts.getOpenIdToken', 'id-token'],
]);

export interface ImpersonationInput {
  /** The project's who-can result (direct grants). */
  principals: readonly Principal[];
  /** The project the principals were evaluated for (`my-project`). */
  projectId: string;
  /** Each capable service account's own allow policy, by email; absent: could not be read (a gap elsewhere). */
  serviceAccountPolicies: ReadonlyMap<string, readonly Binding[]>;
  /** The project's and its ancestors' allow policies: they reach the service accounts of this project. */
  projectPolicies: readonly AllowPolicyAt[];
  deny: readonly DenyPolicyAt[];
  roles: ReadonlyMap<string, RoleInfo>;
  membership: Membership;
  catalogue: readonly CatalogueEntry[];
  now?: Date | null;
  /** Cloud Identity group members, when read: a deny rule on a group is then decided for the impersonator too. */
  groups?: GroupMembership;
}

export interface ImpersonationResult {
  principals: Principal[];
  notes: string[];
}

/** The service accounts of a who-can result that hold a capability: the only ones whose policies are worth reading. */
export function capableServiceAccounts(principals: readonly Principal[]): string[] {
  return principals
    .filter((p) => p.type === 'service-account' && p.grants.length > 0 && p.id.startsWith('serviceAccount:'))
    .map((p) => p.id.slice('serviceAccount:'.length))
    .sort();
}

interface Hop {
  member: string;
  email: string;
  kind: ImpersonationKind;
  conditional: boolean;
  conditions: string[];
  step: PathStep;
}

/** Every member that may act as the service account, with the binding that lets it (the best per member). */
function hopsInto(email: string, sa: Principal, input: ImpersonationInput, notes: Set<string>): Hop[] {
  const now = input.now ?? null;
  const own = input.serviceAccountPolicies.get(email);
  const inProject = email.endsWith(`@${input.projectId}.iam.gserviceaccount.com`);
  const saNode = { level: 'project' as const, id: `projects/-/serviceAccounts/${email}`, name: null };
  const sources: Array<{ where: string; node: AllowPolicyAt['node']; bindings: readonly Binding[] }> = [
    ...(own ? [{ where: `service account ${sa.name}`, node: saNode, bindings: own }] : []),
    ...(inProject ? input.projectPolicies.map((p) => ({ where: levelLabel(p.node), node: p.node, bindings: p.bindings })) : []),
  ];
  const best = new Map<string, Hop>();
  for (const source of sources) {
    for (const original of source.bindings) {
      const binding = decideBinding(original, source.node, now, notes);
      if (!binding) continue;
      const role = input.roles.get(binding.role);
      if (!role || role.permissions === null || role.deleted) continue;
      const perms = role.permissions.filter((p) => impersonationPermissions.has(p)).sort(byKind);
      for (const member of binding.members) {
        if (member.startsWith('deleted:') || member === `serviceAccount:${email}`) continue;
        for (const permission of perms) {
          const kind = impersonationPermissions.get(permission)!;
          if (kind === 'id-token') continue; // an ID token is not accepted by the Compute Engine API
          const deny = denyVerdict(member, permission, input.deny, input.membership, now, input.groups);
          if (deny.state === 'denied') continue;
          const conditions = [
            ...(binding.condition ? [conditionText(binding.condition)] : []),
            ...(deny.state === 'maybe' ? deny.notes : []),
            ...(kind === 'act-as' ? [`${permission} runs as ${sa.name} only through a resource it can attach it to`] : []),
          ];
          const hop: Hop = {
            member,
            email,
            kind,
            conditional: conditions.length > 0,
            conditions,
            step: {
              kind: 'impersonation',
              id: email,
              label: `acts as ${sa.name} (${binding.role} on ${source.where}: ${permission})`,
            },
          };
          const prev = best.get(member);
          if (!prev || rank(hop) < rank(prev)) best.set(member, hop);
          break; // perms are sorted best first
        }
      }
    }
  }
  return [...best.values()];
}

const kindRank: Record<ImpersonationKind, number> = { token: 0, 'act-as': 1, 'id-token': 2 };
function byKind(a: string, b: string): number {
  return kindRank[impersonationPermissions.get(a)!] - kindRank[impersonationPermissions.get(b)!] || a.localeCompare(b);
}
function rank(h: Hop): number {
  return kindRank[h.kind] * 2 + (h.conditional ? 1 : 0);
}

/** The project's principals plus what each one reaches by acting as a capable service account. */
export function withImpersonation(input: ImpersonationInput): ImpersonationResult {
  const notes = new Set<string>();
  const byId = new Map(input.principals.map((p) => [p.id, { ...p, grants: [...p.grants] }]));
  const hops: Array<{ hop: Hop; sa: Principal }> = [];
  for (const email of capableServiceAccounts(input.principals)) {
    const sa = input.principals.find((p) => p.id === `serviceAccount:${email}`)!;
    for (const hop of hopsInto(email, sa, input, notes)) hops.push({ hop, sa });
  }
  hops.sort((a, b) => rank(a.hop) - rank(b.hop) || a.hop.email.localeCompare(b.hop.email));
  for (const { hop, sa } of hops) {
    const info = classifyMember(hop.member, input.membership);
    const p = byId.get(hop.member) ?? {
      id: hop.member,
      type: info.type,
      name: info.name,
      external: info.external,
      capabilities: [],
      grants: [],
    };
    for (const g of sa.grants) {
      if ((g.reach ?? 'direct') !== 'direct') continue;
      if (p.grants.some((x) => x.capability === g.capability && x.action === g.action)) continue;
      p.grants.push(chained(g, p, hop));
    }
    byId.set(hop.member, p);
  }
  const order = new Map(input.catalogue.map((e, i) => [e.action, i]));
  const principals = [...byId.values()]
    .filter((p) => p.grants.length > 0)
    .map((p) => {
      const grants = [...p.grants].sort((a, b) => (order.get(a.action) ?? 0) - (order.get(b.action) ?? 0));
      return { ...p, grants, capabilities: [...new Set(grants.map((g) => g.capability))].sort() as Principal['capabilities'] };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { principals, notes: [...notes].sort() };
}

function chained(g: Grant, p: Principal, hop: Hop): Grant {
  return {
    ...g,
    external: g.external || p.external,
    conditional: g.conditional || hop.conditional,
    conditions: [...new Set([...hop.conditions, ...g.conditions])],
    path: [
      { kind: 'principal', id: p.id, label: p.name },
      hop.step,
      ...hop.conditions.map((c) => ({ kind: 'condition' as const, id: c, label: null })),
      ...g.path.slice(1),
    ],
    reach: 'indirect',
    hops: 1,
  };
}
