/**
 * The Azure RBAC evaluator, case by case against Microsoft's documented rules (test/azure/cases/rbac-*.json, the
 * shared case format: every case cites the page that states its rule). Built-in roles are the published definitions
 * the lab serves (lab/azure/data/); custom roles are written in the case.
 */
import { describe, expect, it } from 'vitest';
import { builtinRole } from '../../lab/azure/builtin-roles.ts';
import {
  broadPattern,
  EVERYONE,
  evaluateSubscription,
  normaliseScope,
  operationMatches,
  type RbacPermission,
  type RbacRole,
} from '../../providers/azure/rbac.ts';
import { catalogueFor } from '../../src/core/catalogue/index.ts';
import { matchGlob, parseGlob } from '../../src/core/glob.ts';
import { describeCases } from '../support/cases.ts';

const SUB = '11111111-0000-4000-8000-000000000001';
const mg = (name: string) => `/providers/Microsoft.Management/managementGroups/${name}`.toLowerCase();
/** The subscription's ancestry in every case unless the case gives its own (`null`: not read). */
const ANCESTORS = ['/', mg('root-tenant'), mg('mg-prod')];
const NOW = '2026-11-26T00:00:00.000Z';

type Permission = Partial<RbacPermission>;

interface RbacInput {
  /** Custom roles of the case; an assignment's `role` names one of these by id, or a built-in role by name. */
  roles?: Array<{ id: string; name: string; permissions: Permission[] }>;
  assignments: Array<{ scope: string; principalId: string; principalType?: string; role: string; condition?: string }>;
  denies?: Array<{
    name?: string;
    scope: string;
    permissions: Permission[];
    principals: Array<{ id: string; type: string }>;
    excludePrincipals?: Array<{ id: string; type: string }>;
    doNotApplyToChildScopes?: boolean;
    condition?: string;
  }>;
  /** Catalogue operations to evaluate (default: snapshot write). */
  actions?: string[];
  /**
   * Apply the second permissions the catalogue says an operation needs (`requires`: beginGetAccess on the disk a
   * snapshot is made from). Off by default, so that a case about another rule is about that rule alone.
   */
  secondPermissions?: boolean;
  ancestors?: string[] | null;
  external?: string[];
  now?: string;
  /** Transitive members of the groups whose membership was read (group id → member ids). */
  membership?: Record<string, string[]>;
}

interface RbacExpect {
  /** `principal action scope [broad] [conditional] [external]`; `*` is the whole subscription. */
  grants: string[];
  /** `principal type [external]` for every principal found. */
  principals?: string[];
  /** Every condition text of every grant (sorted, deduplicated). */
  conditions?: string[];
  unresolved?: number;
}

const perm = (p: Permission): RbacPermission => ({
  actions: p.actions ?? [],
  notActions: p.notActions ?? [],
  dataActions: p.dataActions ?? [],
  notDataActions: p.notDataActions ?? [],
});

function roleFor(ref: string, custom: RbacInput['roles']): RbacRole | null {
  const own = custom?.find((r) => r.id === ref);
  if (own)
    return {
      id: own.id,
      resourceId: `/providers/Microsoft.Authorization/roleDefinitions/${own.id}`,
      name: own.name,
      custom: true,
      permissions: own.permissions.map(perm),
    };
  const b = builtinRole(ref);
  return b
    ? {
        id: b.id,
        resourceId: `/providers/Microsoft.Authorization/roleDefinitions/${b.id}`,
        name: b.name,
        custom: false,
        permissions: b.permissions.map(perm),
      }
    : null;
}

function runRbacCase(input: RbacInput) {
  const actions = input.actions ?? ['Microsoft.Compute/snapshots/write'];
  const roles = new Map<string, RbacRole>();
  const assignments = input.assignments.map((a, i) => {
    const role = roleFor(a.role, input.roles);
    if (role) roles.set(role.id, role);
    const roleId = role?.id ?? a.role;
    return {
      id: `assignment-${i}`,
      scope: a.scope,
      principalId: a.principalId,
      principalType: a.principalType ?? 'User',
      roleId,
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${roleId}`,
      condition: a.condition ?? null,
    };
  });
  const out = evaluateSubscription({
    subscriptionId: SUB,
    ancestors: input.ancestors === undefined ? ANCESTORS : input.ancestors,
    roles,
    assignments,
    denies: (input.denies ?? []).map((d, i) => ({
      id: `deny-${i}`,
      name: d.name ?? `deny-${i}`,
      scope: d.scope,
      permissions: d.permissions.map(perm),
      principals: d.principals,
      excludePrincipals: d.excludePrincipals ?? [],
      doNotApplyToChildScopes: d.doNotApplyToChildScopes ?? false,
      condition: d.condition ?? null,
    })),
    catalogue: catalogueFor('azure')
      .filter((e) => actions.includes(e.action))
      .map(({ requires, ...e }) => (input.secondPermissions && requires ? { ...e, requires } : e)),
    externalPrincipals: new Set((input.external ?? []).map((x) => x.toLowerCase())),
    now: new Date(input.now ?? NOW),
    ...(input.membership
      ? {
          membership: new Map(
            Object.entries(input.membership).map(([g, ms]) => [g.toLowerCase(), new Set(ms.map((m) => m.toLowerCase()))] as const),
          ),
        }
      : {}),
  });
  const flags = (g: { broad: boolean; conditional: boolean; external: boolean }) =>
    [g.broad ? 'broad' : '', g.conditional ? 'conditional' : '', g.external ? 'external' : ''].filter(Boolean);
  return {
    out,
    grants: out.principals.flatMap((p) => p.grants.map((g) => [p.id, g.action, g.resourceScope, ...flags(g)].join(' '))).sort(),
    principals: out.principals.map((p) => [p.id, p.type, p.external ? 'external' : ''].filter(Boolean).join(' ')).sort(),
    conditions: [...new Set(out.principals.flatMap((p) => p.grants.flatMap((g) => g.conditions)))].sort(),
  };
}

describe('Azure RBAC evaluator', () => {
  const files = describeCases<RbacInput, RbacExpect>(new URL('./cases/', import.meta.url), /^rbac-.*\.json$/, (c) => {
    const r = runRbacCase(c.input);
    expect(r.grants).toEqual([...c.expect.grants].sort());
    expect(r.out.unresolved.length).toBe(c.expect.unresolved ?? 0);
    if (c.expect.principals) expect(r.principals).toEqual([...c.expect.principals].sort());
    if (c.expect.conditions) expect(r.conditions).toEqual([...c.expect.conditions].sort());
  });
  it('has at least 50 documented cases', () => {
    expect(files.flatMap((f) => f.cases).length).toBeGreaterThanOrEqual(50);
  });
});

describe('operation patterns', () => {
  describeCases<{ pattern: string; operation: string }, { matches: boolean }>(
    new URL('./cases/', import.meta.url),
    /^operation-patterns\.json$/,
    (c) => expect(operationMatches(c.input.pattern, c.input.operation)).toBe(c.expect.matches),
  );
  it('matches as the glob matcher does, for literal, prefix and general patterns (the fast paths change nothing)', () => {
    const patterns = [
      '*',
      'Microsoft.Compute/*',
      'microsoft.compute/snapshots/read',
      'Microsoft.Compute/*/write',
      '*/read',
      'İ*',
      'Microsoft.Compute/snapshots/?',
    ];
    const operations = [
      'Microsoft.Compute/snapshots/read',
      'MICROSOFT.COMPUTE/SNAPSHOTS/READ',
      'Microsoft.Compute',
      'Microsoft.Compute/',
      'i̇x',
      'İx',
      '',
      'Microsoft.Compute/snapshots/?',
    ];
    for (const p of patterns)
      for (const o of operations)
        expect(operationMatches(p, o), `${p} ~ ${o}`).toBe(matchGlob(parseGlob(p, { question: false }), o, { ignoreCase: true }));
  });
  it('calls wildcards across resource types broad', () => {
    expect(['*', 'Microsoft.Compute/*', '*/write', 'Microsoft.Compute/*/write'].map(broadPattern)).toEqual([true, true, true, true]);
    expect(['Microsoft.Compute/snapshots/*', 'Microsoft.Compute/snapshots/write'].map(broadPattern)).toEqual([false, false]);
  });
});

describe('grant paths', () => {
  it('name principal → assignment → role → action pattern → scope (→ condition)', () => {
    const { out } = runRbacCase({
      assignments: [{ scope: `/subscriptions/${SUB}/resourceGroups/rg-web`, principalId: 'p1', role: 'Contributor', condition: 'c1' }],
    });
    const g = out.principals[0]!.grants[0]!;
    expect(g.path.map((s) => s.kind)).toEqual(['principal', 'assignment', 'role', 'action-pattern', 'scope', 'condition']);
    expect(g.path.map((s) => s.label)).toEqual([
      'User p1',
      'role assignment at resource group rg-web',
      'Contributor',
      'Actions *',
      'resource group rg-web only',
      'assignment condition',
    ]);
    expect(g.conditions).toEqual(['c1']);
  });
  it('an assignment scope written with capitals or extra slashes is the same scope as ARM writes it', () => {
    // ARM compares scopes case-insensitively; a scope with a doubled leading or a trailing slash names the same scope
    const at = (scope: string) =>
      runRbacCase({ assignments: [{ scope, principalId: 'p1', role: 'Contributor' }] }).out.principals[0]!.grants[0]!.path.map(
        (s) => s.label,
      );
    const plain = at(`/subscriptions/${SUB}/resourceGroups/rg-web`);
    expect(plain).toContain('resource group rg-web only');
    for (const scope of [
      `//subscriptions/${SUB}/resourceGroups/rg-web`,
      `/SUBSCRIPTIONS/${SUB}/resourcegroups/rg-web/`,
      `subscriptions/${SUB}/resourceGroups/rg-web`,
    ])
      expect(at(scope)).toEqual(plain);
    expect(normaliseScope('/')).toBe('/');
    expect(normaliseScope('//')).toBe('/');
    expect(normaliseScope('')).toBe('/');
    expect(normaliseScope('/Providers/Microsoft.Management/managementGroups/MG-Prod')).toBe(mg('mg-prod'));
  });
  it('the deny for everyone uses the documented all-principals id', () => {
    expect(EVERYONE).toBe('00000000-0000-0000-0000-000000000000');
  });
});
