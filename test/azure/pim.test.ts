/**
 * Azure PIM eligibility (providers/azure/pim.ts), case by case against Microsoft's documented rules
 * (test/azure/cases/pim-*.json, the shared case format). Built-in roles are the published definitions the lab serves.
 */
import { expect } from 'vitest';
import { builtinRole } from '../../lab/azure/builtin-roles.ts';
import { activationPolicyBody } from '../../lab/azure/resources/authorization.ts';
import { AzureEstate } from '../../lab/azure/estate.ts';
import { AzureLabState } from '../../lab/azure/state.ts';
import { activationRules, eligibilitiesOf, eligibleGrants, toEligibility, withEligibility } from '../../providers/azure/pim.ts';
import { evaluateSubscription, type RbacPermission, type RbacRole } from '../../providers/azure/rbac.ts';
import { catalogueFor } from '../../src/core/catalogue/index.ts';
import { Principal } from '../../src/core/model/result.ts';
import { describeCases } from '../support/cases.ts';

const SUB = '11111111-0000-4000-8000-000000000001';
const mg = (name: string) => `/providers/Microsoft.Management/managementGroups/${name}`.toLowerCase();
const NOW = new Date('2026-11-26T00:00:00.000Z');

interface Input {
  eligibilities: Array<{
    scope: string;
    principalId: string;
    principalType?: string;
    role: string;
    endDateTime?: string;
    condition?: string;
  }>;
  assignments: Array<{ scope: string; principalId: string; role: string }>;
  activation?: Array<{
    scope: string;
    role: string;
    approval?: boolean;
    mfa?: boolean;
    justification?: boolean;
    ticket?: boolean;
    maximumDuration?: string;
  }>;
  denies?: Array<{
    name: string;
    scope: string;
    permissions: Array<Partial<RbacPermission>>;
    principals: Array<{ id: string; type: string }>;
  }>;
}
type Expect = Record<string, { reach: 'eligible' | 'direct'; conditional: boolean; activation?: string; scope?: string } | null>;

const perm = (p: Partial<RbacPermission>): RbacPermission => ({
  actions: p.actions ?? [],
  notActions: p.notActions ?? [],
  dataActions: p.dataActions ?? [],
  notDataActions: p.notDataActions ?? [],
});

function role(name: string): RbacRole {
  const b = builtinRole(name)!;
  return {
    id: b.id,
    resourceId: `/providers/Microsoft.Authorization/roleDefinitions/${b.id}`,
    name: b.name,
    custom: false,
    permissions: b.permissions.map(perm),
  };
}

/** The lab's own wire shapes, so the case runs through the same normalisers as a scan. */
const lab = new AzureLabState(
  AzureEstate.parse({ subscriptions: [{ id: SUB, name: 'prod' }], managementGroups: [{ id: 'mg-prod', name: 'Production' }] }),
);

describeCases<Input, Expect>(new URL('./cases/', import.meta.url), /^pim-/, ({ input, expect: want }) => {
  const names = [...new Set([...input.eligibilities.map((e) => e.role), ...input.assignments.map((a) => a.role)])];
  const roles = new Map(names.map((n) => [role(n).id, role(n)]));
  const assignments = input.assignments.map((a, i) => ({
    id: `a${i}`,
    scope: a.scope,
    principalId: a.principalId,
    principalType: 'User',
    roleId: role(a.role).id,
    roleDefinitionId: role(a.role).resourceId,
    condition: null,
  }));
  // One unfiltered listing at the subscription returns every eligibility of the case.
  const listed = input.eligibilities.map((e, i) =>
    toEligibility({
      id: `e${i}`,
      scope: e.scope,
      principalId: e.principalId,
      principalType: e.principalType ?? 'User',
      roleDefinitionId: role(e.role).resourceId,
      ...(e.condition ? { condition: e.condition } : {}),
      ...(e.endDateTime ? { endDateTime: new Date(e.endDateTime) } : {}),
    }),
  );
  const eligible = eligibilitiesOf(listed, SUB);
  const base = {
    subscriptionId: SUB,
    ancestors: ['/', mg('root-tenant'), mg('mg-prod')],
    roles,
    assignments,
    denies: (input.denies ?? []).map((d) => ({
      id: d.name,
      name: d.name,
      scope: d.scope,
      permissions: d.permissions.map(perm),
      principals: d.principals,
      excludePrincipals: [],
      doNotApplyToChildScopes: false,
      condition: null,
    })),
    catalogue: catalogueFor('azure'),
    externalPrincipals: new Set<string>(),
    now: NOW,
  };
  const rules = (input.activation ?? []).map((a) =>
    activationRules(
      activationPolicyBody({ approval: false, mfa: true, justification: true, ticket: false, maximumDuration: 'PT8H', ...a }, lab)
        .properties,
    ),
  );
  const principals = withEligibility(evaluateSubscription(base).principals, eligibleGrants(base, eligible), rules);
  for (const p of principals) Principal.parse(p);
  for (const [id, expected] of Object.entries(want)) {
    const grant = principals.find((p) => p.id === id)?.grants.find((g) => g.action === 'Microsoft.Compute/snapshots/write');
    if (expected === null) {
      expect(grant, `${id} should not hold snapshots/write`).toBeUndefined();
      continue;
    }
    expect(grant, `${id} should hold snapshots/write`).toBeDefined();
    expect(grant!.reach ?? 'direct').toBe(expected.reach);
    expect(grant!.conditional).toBe(expected.conditional);
    const step = grant!.path.find((s) => s.kind === 'eligibility');
    expect(step !== undefined).toBe(expected.reach === 'eligible');
    if (expected.activation) expect(step?.label).toContain(expected.activation);
    if (expected.scope) expect(grant!.resourceScope.toLowerCase()).toBe(expected.scope);
  }
});
