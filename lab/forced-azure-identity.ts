/**
 * The identity reads an Azure result forces (lab/forced.ts): who the principals holding a snapshot capability are, who
 * is in the groups that matter, and who is eligible through PIM — computed from the estate alone, never from the
 * scanner. A principal holds a capability when a role assigned to it (or that it is eligible for, in force) allows one
 * of the catalogue's operations with every operation it requires, at, above or below a subscription the scan reads:
 * Actions minus NotActions (DataActions minus NotDataActions for data actions), `*` anywhere, case-insensitive
 * (https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#actions). A condition on an
 * assignment leaves a (conditional) grant. Deny assignments are not applied (one that takes a principal's every grant
 * away would make this count high by that principal: none of the estates the bench generates has one).
 */
import { catalogueFor } from '../src/core/catalogue/index.ts';
import { globMatch } from '../src/core/glob.ts';
import type { AzureEstate, AzurePermission } from './azure/estate.ts';
import { directoryIndex, transitiveMembers } from './azure/resources/directory.ts';
import { AzureLabState, normScope } from './azure/state.ts';

export const AZURE_IDENTITY_DOC = {
  // One unfiltered listing at a subscription returns the eligibilities at it, below it (resource groups, resources)
  // and above it (management groups): Microsoft's documented example lists all three from one call.
  eligibility: 'https://learn.microsoft.com/en-us/powershell/module/az.resources/get-azroleeligibilityscheduleinstance',
  // At most 1,000 ids per request.
  byIds: 'https://learn.microsoft.com/en-us/graph/api/directoryobject-getbyids',
  // One listing per group, nested groups' members included; $top up to 999.
  members: 'https://learn.microsoft.com/en-us/graph/api/group-list-transitivemembers',
  // The activation rules (role settings) of a scope: defined per resource, so per scope an eligibility is at.
  activation: 'https://learn.microsoft.com/en-us/rest/api/authorization/role-management-policy-assignments/list-for-scope',
} as const;

/** getByIds' documented limit. */
const BY_IDS = 1000;
/** The largest `$top` a transitiveMembers listing accepts. */
const MEMBERS_TOP = 999;

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

type Action = { action: string; data: boolean };

/** Each catalogue operation with the ones it requires: a capability needs all of them. */
const CAPABILITIES: Action[][] = catalogueFor('azure').map((e) =>
  [e.action, ...(e.requires ?? [])].map((action) => ({ action, data: e.dataAction === true })),
);

function allows(permissions: readonly AzurePermission[], { action, data }: Action): boolean {
  return permissions.some((p) => {
    const [yes, no] = data ? [p.dataActions, p.notDataActions] : [p.actions, p.notActions];
    return yes.some((x) => globMatch(x, action)) && !no.some((x) => globMatch(x, action));
  });
}

export interface AzureIdentityReads {
  /** Eligibility schedule instances per subscription read (one unfiltered listing). */
  eligibilityPages: Map<string, number>;
  /** getByIds requests for the whole tenant. */
  byIds: number;
  /** transitiveMembers pages for the whole tenant (each group once). */
  memberPages: number;
  /** Role management policy assignment pages: once per scope where an eligibility in force grants a capability. */
  activationPages: number;
}

/**
 * `subscriptions`: the ids of the subscriptions a scan reads. `now`: eligibilities that ended grant nothing.
 */
export function azureIdentityReads(azure: AzureEstate, subscriptions: readonly string[], now: number): AzureIdentityReads {
  const state = new AzureLabState(azure);
  const capable = new Map<string, boolean>();
  const grantsCapability = (role: string): boolean => {
    let yes = capable.get(role);
    if (yes === undefined) {
      const permissions = state.role(role)?.permissions ?? [];
      yes = CAPABILITIES.some((needs) => needs.every((n) => allows(permissions, n)));
      capable.set(role, yes);
    }
    return yes;
  };
  const holders = new Map<string, string>(); // principal id → type
  const denyGroups = new Set<string>();
  const eligibilityPages = new Map<string, number>();
  const policyScopes = new Set<string>();
  const inForce = azure.eligibilities.filter((e) => e.endDateTime === undefined || Date.parse(e.endDateTime) > now);
  for (const id of subscriptions) {
    const scope = `/subscriptions/${id}`;
    const eligible = state.applying(azure.eligibilities, scope, false);
    eligibilityPages.set(id, pages(eligible.length, azure.pageSize));
    const eligibleHere = state.applying(inForce, scope, false);
    const grants = [...state.applying(azure.roleAssignments, scope, false), ...eligibleHere];
    for (const g of grants) if (grantsCapability(g.role)) holders.set(g.principalId.toLowerCase(), g.principalType.toLowerCase());
    for (const e of eligibleHere) if (grantsCapability(e.role)) policyScopes.add(normScope(e.scope));
    for (const d of state.applying(azure.denyAssignments, scope, false))
      for (const p of [...d.principals, ...d.excludePrincipals]) if (p.type.toLowerCase() === 'group') denyGroups.add(p.id.toLowerCase());
  }
  const d = azure.directory;
  const can = (...any: string[]) => d.permissions.some((p) => any.includes(p));
  // A ForeignGroup is another tenant's: this directory has nothing to say about it.
  const named = [...holders.values()].filter((type) => type !== 'foreigngroup').length;
  const byIds = can('Directory.Read.All') && named > 0 ? pages(named, BY_IDS) : 0;
  let memberPages = 0;
  if (can('GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All')) {
    const index = directoryIndex(d);
    const groups = new Set([...[...holders].filter(([, type]) => type === 'group').map(([id]) => id), ...denyGroups]);
    // A group the directory does not hold has no members to list (getByIds, made anyway, says it is not there).
    for (const g of groups) {
      if (index.get(g)?.kind !== 'group') continue;
      const members = transitiveMembers(d, g).filter((m) => index.has(m)).length;
      memberPages += pages(members, Math.min(MEMBERS_TOP, azure.pageSize));
    }
  }
  const activationPages = [...policyScopes].reduce(
    (n, scope) => n + pages(azure.activationPolicies.filter((p) => normScope(p.scope) === scope).length, azure.pageSize),
    0,
  );
  return { eligibilityPages, byIds, memberPages, activationPages };
}
