/**
 * Azure PIM eligibility (issue #26): a principal *eligible* for a role (a role eligibility schedule instance) can
 * activate it in minutes and then holds what the role grants. Eligible principals are reported as capability holders
 * with `reach: 'eligible'`, their path naming the eligibility and the activation rules where they could be read.
 *
 * - The eligibility is evaluated exactly like a role assignment of the same role at the same scope (rbac.ts: role
 *   permissions, inheritance, deny assignments, ABAC conditions): an activation creates that assignment
 *   ([PIM for Azure resources](https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-resource-roles-assign-roles)).
 * - A (capability, action) the principal already holds through an active assignment stays direct.
 * - Activation rules come from the role management policy assigned to the role at the eligibility's scope, its
 *   end-user assignment rules ([rules](https://learn.microsoft.com/en-us/rest/api/authorization/role-management-policy-assignments/list-for-scope)):
 *   approval (`Approval_EndUser_Assignment`), MFA / justification / ticket (`Enablement_EndUser_Assignment`), an
 *   authentication context, and the maximum activation (`Expiration_EndUser_Assignment`). Approval by someone else
 *   makes the grant conditional; the self-served rules are listed. Unread rules are said to be unread.
 * - An eligibility whose end has passed at the scan time grants nothing.
 */
import type { Grant, PathStep, Principal } from '../../src/core/model/result.ts';
import {
  type EvaluateInput,
  evaluateSubscription,
  normaliseScope,
  type RbacAssignment,
  relationToSubscription,
  scopeLabel,
} from './rbac.ts';

export interface Eligibility {
  /** The schedule instance's resource id. */
  id: string;
  scope: string;
  principalId: string;
  principalType: string;
  /** Role definition GUID (lower case). */
  roleId: string;
  roleDefinitionId: string;
  condition: string | null;
  /** ISO time the eligibility ends; null: permanent. */
  endDateTime: string | null;
}

/** What activating the role requires, from the role management policy at the eligibility's scope. */
export interface ActivationRules {
  scope: string;
  /** Role definition GUID (lower case). */
  roleId: string;
  approval: boolean | null;
  mfa: boolean | null;
  justification: boolean | null;
  ticket: boolean | null;
  /** A Conditional Access authentication context the activation must satisfy. */
  authenticationContext: string | null;
  /** ISO 8601 duration, e.g. `PT8H`. */
  maximumDuration: string | null;
}

interface PolicyRule {
  id?: string;
  ruleType?: string;
  target?: { caller?: string; level?: string };
  setting?: { isApprovalRequired?: boolean };
  enabledRules?: string[];
  isEnabled?: boolean;
  claimValue?: string;
  maximumDuration?: string;
}

/** A role management policy assignment (as ARM returns it) → the rules an end user's activation must meet. */
export function activationRules(a: { scope?: string; roleDefinitionId?: string; effectiveRules?: readonly unknown[] }): ActivationRules {
  const rules = (a.effectiveRules ?? []) as PolicyRule[];
  const activation = rules.filter((r) => r.target?.caller === 'EndUser' && r.target?.level === 'Assignment');
  const of = (type: string) => activation.find((r) => r.ruleType === type);
  const enablement = of('RoleManagementPolicyEnablementRule');
  const enabled = (name: string) => (enablement ? (enablement.enabledRules ?? []).includes(name) : null);
  const approval = of('RoleManagementPolicyApprovalRule');
  const context = of('RoleManagementPolicyAuthenticationContextRule');
  return {
    scope: normaliseScope(a.scope ?? '/'),
    roleId: (a.roleDefinitionId ?? '').split('/').pop()?.toLowerCase() ?? '',
    approval: approval ? approval.setting?.isApprovalRequired === true : null,
    mfa: enabled('MultiFactorAuthentication'),
    justification: enabled('Justification'),
    ticket: enabled('Ticketing'),
    authenticationContext: context?.isEnabled ? (context.claimValue ?? '') || 'required' : null,
    maximumDuration: of('RoleManagementPolicyExpirationRule')?.maximumDuration ?? null,
  };
}

/** The activation requirements in words, and the conditions they put on the grant. */
export function activationText(r: ActivationRules | undefined): { text: string; conditions: string[] } {
  if (!r) return { text: 'activation rules not read', conditions: [] };
  const needs = [
    ...(r.approval ? ['approval'] : []),
    ...(r.mfa ? ['MFA'] : []),
    ...(r.justification ? ['justification'] : []),
    ...(r.ticket ? ['ticket'] : []),
    ...(r.authenticationContext ? [`authentication context ${r.authenticationContext}`] : []),
  ];
  const unknown = [r.approval, r.mfa].some((x) => x === null);
  const text = `activation needs ${needs.length ? needs.join(', ') : 'nothing more'}${unknown ? ' (some rules not read)' : ''}${r.maximumDuration ? `, at most ${r.maximumDuration}` : ''}`;
  return { text, conditions: r.approval ? ['activation needs approval by an approver'] : [] };
}

/** A role eligibility schedule instance (as ARM returns it) → an eligibility. */
export function toEligibility(i: {
  id?: string;
  name?: string;
  scope?: string;
  principalId?: string;
  principalType?: string;
  roleDefinitionId?: string;
  condition?: string;
  endDateTime?: Date | string;
}): Eligibility {
  const end = i.endDateTime instanceof Date ? i.endDateTime.toISOString() : (i.endDateTime ?? null);
  return {
    id: i.id ?? i.name ?? '',
    scope: i.scope ?? '/',
    principalId: i.principalId ?? '',
    principalType: i.principalType ?? 'Unknown',
    roleId: ((i.roleDefinitionId ?? '').split('/').pop() ?? '').toLowerCase(),
    roleDefinitionId: i.roleDefinitionId ?? '',
    condition: i.condition ? i.condition : null,
    endDateTime: end,
  };
}

/**
 * The eligibilities that apply to a subscription, from one unfiltered listing at it: those at it, above it (management
 * groups, the root) and below it (resource groups, resources: an eligibility there grants only there) — Microsoft's
 * documented example of the unfiltered listing at a subscription returns all three
 * (https://learn.microsoft.com/en-us/powershell/module/az.resources/get-azroleeligibilityscheduleinstance). One in
 * another subscription is not this one's; one listed twice counts once.
 */
export function eligibilitiesOf(listed: readonly Eligibility[], subscriptionId: string): Eligibility[] {
  const out = new Map<string, Eligibility>();
  for (const e of listed)
    if (relationToSubscription(e.scope, subscriptionId) !== 'unrelated' && !out.has(e.id.toLowerCase())) out.set(e.id.toLowerCase(), e);
  return [...out.values()].sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : a.id.toLowerCase() > b.id.toLowerCase() ? 1 : 0));
}

export function asAssignment(e: Eligibility): RbacAssignment {
  return {
    id: e.id,
    scope: e.scope,
    principalId: e.principalId,
    principalType: e.principalType,
    roleId: e.roleId,
    roleDefinitionId: e.roleDefinitionId,
    condition: e.condition,
  };
}

/** The eligibilities in force at the scan time (one that ended grants nothing). */
export function inForce(eligible: readonly Eligibility[], now: Date): Eligibility[] {
  return eligible.filter((e) => e.endDateTime === null || Date.parse(e.endDateTime) > now.getTime());
}

export interface EligibleGrant {
  principal: Principal;
  grant: Grant;
  eligibility: Eligibility;
}

/**
 * The grants eligibilities would give, evaluated with the active assignments (which may supply a second permission)
 * and the deny assignments; each with its eligibility.
 */
export function eligibleGrants(input: EvaluateInput, eligible: readonly Eligibility[]): EligibleGrant[] {
  const live = inForce(eligible, input.now);
  if (live.length === 0) return [];
  const byId = new Map(live.map((e) => [e.id, e]));
  const combined = evaluateSubscription({ ...input, assignments: [...input.assignments, ...live.map(asAssignment)] });
  const out: EligibleGrant[] = [];
  for (const p of combined.principals)
    for (const g of p.grants) {
      const step = g.path.find((s) => s.kind === 'assignment');
      const e = step ? byId.get(step.id) : undefined;
      if (e) out.push({ principal: p, grant: g, eligibility: e });
    }
  return out;
}

function ruleKey(scope: string, roleId: string): string {
  return `${normaliseScope(scope)}\u0000${roleId.toLowerCase()}`;
}

/** The direct principals plus, for each eligible grant of a (capability, action) not held directly, the eligible one. */
export function withEligibility(
  direct: readonly Principal[],
  eligible: readonly EligibleGrant[],
  rules: readonly ActivationRules[],
): Principal[] {
  const byRule = new Map(rules.map((r) => [ruleKey(r.scope, r.roleId), r]));
  const byId = new Map(direct.map((p) => [p.id.toLowerCase(), { ...p, grants: [...p.grants] }]));
  for (const { principal, grant, eligibility: e } of eligible) {
    const key = principal.id.toLowerCase();
    const p = byId.get(key) ?? { ...principal, capabilities: [], grants: [] };
    const heldDirectly = direct
      .find((d) => d.id.toLowerCase() === key)
      ?.grants.some((g) => g.capability === grant.capability && g.action === grant.action);
    if (heldDirectly) continue;
    const activation = activationText(byRule.get(ruleKey(e.scope, e.roleId)));
    const until = e.endDateTime ? ` until ${e.endDateTime}` : '';
    const step: PathStep = {
      kind: 'eligibility',
      id: e.id,
      label: `eligible (PIM) at ${scopeLabel(e.scope)}${until}; ${activation.text}`,
    };
    const conditions = [...new Set([...activation.conditions, ...grant.conditions])];
    p.grants.push({
      ...grant,
      path: grant.path.map((s) => (s.kind === 'assignment' && s.id === e.id ? step : s)),
      conditions,
      conditional: grant.conditional || activation.conditions.length > 0,
      reach: 'eligible',
      hops: 1,
    });
    byId.set(key, p);
  }
  return [...byId.values()]
    .map((p) => ({ ...p, capabilities: [...new Set(p.grants.map((g) => g.capability))].sort() }))
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** The scopes whose role management policies the eligible grants need (only those: a bounded read). */
export function policyScopes(eligible: readonly EligibleGrant[]): string[] {
  return [...new Set(eligible.map((x) => normaliseScope(x.eligibility.scope)))].sort();
}
