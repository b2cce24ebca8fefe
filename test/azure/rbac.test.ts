/**
 * The Azure RBAC matcher, case by case against the documented rules: NotActions subtract within a role (not a
 * deny), wildcards anywhere and case-insensitive, DataActions apart from Actions, inheritance from the root and
 * management groups down to resource groups, deny assignments (with exclusions, scope, child scopes), conditions,
 * external principals. One generated test per case.
 */
import { describe, expect, it } from 'vitest';
import { catalogueFor } from '../../src/core/catalogue/index.ts';
import {
  broadPattern,
  EVERYONE,
  evaluateSubscription,
  operationMatches,
  type RbacAssignment,
  type RbacDeny,
  type RbacPermission,
  type RbacRole,
} from '../../providers/azure/rbac.ts';

const SUB = '11111111-0000-4000-8000-000000000001';
const OTHER_SUB = '22222222-0000-4000-8000-000000000002';
const subScope = `/subscriptions/${SUB}`;
const rg = (name: string) => `${subScope}/resourceGroups/${name}`;
const mg = (name: string) => `/providers/Microsoft.Management/managementGroups/${name}`;
const ancestors = ['/', mg('root-tenant').toLowerCase(), mg('mg-prod').toLowerCase()];

const WRITE = 'Microsoft.Compute/snapshots/write';
const DELETE = 'Microsoft.Compute/snapshots/delete';
const BEGIN = 'Microsoft.Compute/snapshots/beginGetAccess/action';
const DOWNLOAD = 'Microsoft.Compute/snapshots/download/action';
const CAPTURE = 'Microsoft.Compute/virtualMachines/capture/action';

function perm(actions: string[], notActions: string[] = [], dataActions: string[] = [], notDataActions: string[] = []): RbacPermission {
  return { actions, notActions, dataActions, notDataActions };
}

function role(id: string, name: string, permissions: RbacPermission[], custom = true): RbacRole {
  return { id, resourceId: `/providers/Microsoft.Authorization/roleDefinitions/${id}`, name, custom, permissions };
}

const roles = {
  owner: role('owner', 'Owner', [perm(['*'])], false),
  contributor: role(
    'contributor',
    'Contributor',
    [perm(['*'], ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/*/Delete'])],
    false,
  ),
  reader: role('reader', 'Reader', [perm(['*/read'])], false),
  computeNoDelete: role('compute-no-delete', 'Compute minus delete', [perm(['Microsoft.Compute/*'], [DELETE])]),
  computeNoWrite: role('compute-no-write', 'Compute minus snapshot write', [perm(['Microsoft.Compute/*'], [WRITE])]),
  snapshotWriter: role('snapshot-writer', 'Snapshot writer', [perm([WRITE])]),
  twoBlocks: role('two-blocks', 'Two blocks', [perm(['Microsoft.Compute/*'], [WRITE]), perm(['Microsoft.Compute/snapshots/*'])]),
  midWildcard: role('mid', 'Mid-string wildcard', [perm(['Microsoft.Compute/*/write'])]),
  prefixWildcard: role('prefix', 'Prefix wildcard', [perm(['Microsoft.Compute/snap*/write'])]),
  upperCase: role('upper', 'Upper case', [perm(['MICROSOFT.COMPUTE/SNAPSHOTS/WRITE'])]),
  snapshotsStar: role('snapshots-star', 'Snapshots star', [perm(['Microsoft.Compute/snapshots/*'])]),
  anyWrite: role('any-write', 'Any write', [perm(['*/write'])]),
  anyAction: role('any-action', 'Any action', [perm(['*/action'])]),
  allButCompute: role('all-but-compute', 'All but compute', [perm(['*'], ['Microsoft.Compute/*'])]),
  notActionsUpper: role('na-upper', 'NotActions upper', [perm(['Microsoft.Compute/*'], ['MICROSOFT.COMPUTE/SNAPSHOTS/WRITE'])]),
  downloader: role('downloader', 'Data Operator for Managed Disks', [perm([], [], [DOWNLOAD])], false),
  downloadAsAction: role('download-as-action', 'Download listed as an action', [perm([DOWNLOAD])]),
  dataComputeNoDownload: role('data-no-download', 'Data minus download', [perm([], [], ['Microsoft.Compute/*'], [DOWNLOAD])]),
  diskSnapshotContributor: role('dsc', 'Disk Snapshot Contributor', [perm([WRITE, DELETE, BEGIN])], false),
};

interface Case {
  name: string;
  assignments: Array<Partial<RbacAssignment> & { scope: string; principalId: string; roleId: string }>;
  denies?: Array<Partial<RbacDeny> & { scope: string; permissions: RbacPermission[]; principals: Array<{ id: string; type: string }> }>;
  actions?: string[];
  /** `null`: the hierarchy is unknown (trust the API's "applies to" answer). */
  ancestors?: string[] | null;
  external?: string[];
  /** `principal action scope [broad] [conditional] [external]`; `*` is the whole subscription. */
  expect: string[];
  unresolved?: number;
}

const cases: Case[] = [
  {
    name: 'Owner at the subscription can create snapshots (broad: wildcard)',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'owner' }],
    expect: ['p1 Microsoft.Compute/snapshots/write * broad'],
  },
  { name: 'Reader cannot create snapshots', assignments: [{ scope: subScope, principalId: 'p1', roleId: 'reader' }], expect: [] },
  {
    name: 'Microsoft.Compute/* minus snapshots/delete: write yes, delete no',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'compute-no-delete' }],
    actions: [WRITE, DELETE],
    expect: ['p1 Microsoft.Compute/snapshots/write * broad'],
  },
  {
    name: 'NotActions is subtraction, not deny: another role still grants',
    assignments: [
      { scope: subScope, principalId: 'p1', roleId: 'compute-no-write' },
      { scope: subScope, principalId: 'p1', roleId: 'snapshot-writer' },
    ],
    expect: ['p1 Microsoft.Compute/snapshots/write *'],
  },
  {
    name: 'NotActions only subtract inside their own permission block',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'two-blocks' }],
    expect: ['p1 Microsoft.Compute/snapshots/write *'],
  },
  {
    name: 'NotActions alone (no other grant) removes the operation',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'compute-no-write' }],
    actions: [WRITE, CAPTURE],
    expect: ['p1 Microsoft.Compute/virtualMachines/capture/action * broad'],
  },
  {
    name: 'mid-string wildcard Microsoft.Compute/*/write matches snapshots/write',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'mid' }],
    actions: [WRITE, DELETE],
    expect: ['p1 Microsoft.Compute/snapshots/write * broad'],
  },
  {
    name: 'wildcard inside a segment: snap*/write',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'prefix' }],
    expect: ['p1 Microsoft.Compute/snapshots/write * broad'],
  },
  {
    name: 'matching is case-insensitive',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'upper' }],
    expect: ['p1 Microsoft.Compute/snapshots/write *'],
  },
  {
    name: 'snapshots/* covers write, delete and export but is not broad',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'snapshots-star' }],
    actions: [WRITE, DELETE, BEGIN],
    expect: [
      'p1 Microsoft.Compute/snapshots/beginGetAccess/action *',
      'p1 Microsoft.Compute/snapshots/delete *',
      'p1 Microsoft.Compute/snapshots/write *',
    ],
  },
  {
    name: '*/write is a leading wildcard (broad)',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'any-write' }],
    actions: [WRITE, DELETE],
    expect: ['p1 Microsoft.Compute/snapshots/write * broad'],
  },
  {
    name: '*/action grants export and capture actions',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'any-action' }],
    actions: [WRITE, BEGIN, CAPTURE],
    expect: ['p1 Microsoft.Compute/snapshots/beginGetAccess/action * broad', 'p1 Microsoft.Compute/virtualMachines/capture/action * broad'],
  },
  {
    name: 'NotActions wildcard removes a whole provider',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'all-but-compute' }],
    actions: [WRITE, DELETE, BEGIN],
    expect: [],
  },
  {
    name: 'NotActions match case-insensitively too',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'na-upper' }],
    expect: [],
  },
  {
    name: 'a data action comes from DataActions only: Owner (Actions *) cannot download',
    assignments: [
      { scope: subScope, principalId: 'p1', roleId: 'owner' },
      { scope: subScope, principalId: 'p2', roleId: 'downloader' },
    ],
    actions: [DOWNLOAD],
    expect: ['p2 Microsoft.Compute/snapshots/download/action *'],
  },
  {
    name: 'a data action listed under Actions grants nothing',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'download-as-action' }],
    actions: [DOWNLOAD],
    expect: [],
  },
  {
    name: 'NotDataActions subtract from DataActions',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'data-no-download' }],
    actions: [DOWNLOAD],
    expect: [],
  },
  {
    name: 'inherited from a management group above the subscription',
    assignments: [{ scope: mg('mg-prod'), principalId: 'p1', roleId: 'snapshot-writer' }],
    expect: ['p1 Microsoft.Compute/snapshots/write *'],
  },
  {
    name: 'inherited from the root scope /',
    assignments: [{ scope: '/', principalId: 'p1', roleId: 'snapshot-writer' }],
    expect: ['p1 Microsoft.Compute/snapshots/write *'],
  },
  {
    name: 'a management group that is not an ancestor does not apply',
    assignments: [{ scope: mg('mg-dev'), principalId: 'p1', roleId: 'owner' }],
    expect: [],
  },
  {
    name: 'when the hierarchy is unknown, management-group assignments the API returned are trusted',
    assignments: [{ scope: mg('mg-dev'), principalId: 'p1', roleId: 'snapshot-writer' }],
    ancestors: null,
    expect: ['p1 Microsoft.Compute/snapshots/write *'],
  },
  {
    name: "another subscription's assignment does not apply",
    assignments: [{ scope: `/subscriptions/${OTHER_SUB}`, principalId: 'p1', roleId: 'owner' }],
    expect: [],
  },
  {
    name: 'resource-group Contributor can snapshot only in that resource group',
    assignments: [{ scope: rg('rg-web'), principalId: 'p1', roleId: 'contributor' }],
    expect: [`p1 Microsoft.Compute/snapshots/write ${rg('rg-web').toLowerCase()} broad`],
  },
  {
    name: 'an assignment on one disk applies to that resource only',
    assignments: [{ scope: `${rg('rg-db')}/providers/Microsoft.Compute/disks/db1`, principalId: 'p1', roleId: 'snapshot-writer' }],
    expect: [`p1 Microsoft.Compute/snapshots/write ${rg('rg-db').toLowerCase()}/providers/microsoft.compute/disks/db1`],
  },
  {
    name: 'a role listing snapshot actions by name at the subscription is not broad',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'dsc' }],
    expect: ['p1 Microsoft.Compute/snapshots/write *'],
  },
  {
    name: 'deny assignment for everyone at the subscription wins over Owner',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'owner' }],
    denies: [{ scope: subScope, permissions: [perm([WRITE])], principals: [{ id: EVERYONE, type: 'SystemDefined' }] }],
    actions: [WRITE, DELETE],
    expect: ['p1 Microsoft.Compute/snapshots/delete * broad'],
  },
  {
    name: 'an excluded principal is spared by the deny assignment',
    assignments: [
      { scope: subScope, principalId: 'p1', roleId: 'snapshot-writer' },
      { scope: subScope, principalId: 'backup', roleId: 'snapshot-writer' },
    ],
    denies: [
      {
        scope: subScope,
        permissions: [perm(['Microsoft.Compute/snapshots/*'])],
        principals: [{ id: EVERYONE, type: 'SystemDefined' }],
        excludePrincipals: [{ id: 'backup', type: 'ServicePrincipal' }],
      },
    ],
    expect: ['backup Microsoft.Compute/snapshots/write *'],
  },
  {
    name: 'a deny naming one principal leaves the others',
    assignments: [
      { scope: subScope, principalId: 'p1', roleId: 'snapshot-writer' },
      { scope: subScope, principalId: 'p2', roleId: 'snapshot-writer' },
    ],
    denies: [{ scope: subScope, permissions: [perm([WRITE])], principals: [{ id: 'P1', type: 'User' }] }],
    expect: ['p2 Microsoft.Compute/snapshots/write *'],
  },
  {
    name: 'a deny on one resource group does not remove a subscription-wide grant',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'snapshot-writer' }],
    denies: [{ scope: rg('rg-secret'), permissions: [perm([WRITE])], principals: [{ id: EVERYONE, type: 'SystemDefined' }] }],
    expect: ['p1 Microsoft.Compute/snapshots/write *'],
  },
  {
    name: 'a deny at the subscription removes a resource-group grant',
    assignments: [{ scope: rg('rg-web'), principalId: 'p1', roleId: 'snapshot-writer' }],
    denies: [{ scope: subScope, permissions: [perm([WRITE])], principals: [{ id: EVERYONE, type: 'SystemDefined' }] }],
    expect: [],
  },
  {
    name: 'a deny on the same resource group removes the grant there',
    assignments: [{ scope: rg('rg-web'), principalId: 'p1', roleId: 'snapshot-writer' }],
    denies: [{ scope: rg('RG-WEB'), permissions: [perm([WRITE])], principals: [{ id: 'p1', type: 'User' }] }],
    expect: [],
  },
  {
    name: 'a deny inherited from a management group wins',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'owner' }],
    denies: [
      {
        scope: mg('mg-prod'),
        permissions: [perm(['Microsoft.Compute/snapshots/*'])],
        principals: [{ id: EVERYONE, type: 'SystemDefined' }],
      },
    ],
    actions: [WRITE, DELETE, CAPTURE],
    expect: ['p1 Microsoft.Compute/virtualMachines/capture/action * broad'],
  },
  {
    name: 'doNotApplyToChildScopes spares the resources snapshots are',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'snapshot-writer' }],
    denies: [
      {
        scope: subScope,
        permissions: [perm([WRITE])],
        principals: [{ id: EVERYONE, type: 'SystemDefined' }],
        doNotApplyToChildScopes: true,
      },
    ],
    expect: ['p1 Microsoft.Compute/snapshots/write *'],
  },
  {
    name: "a deny's NotActions exempt operations from the deny",
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'owner' }],
    denies: [
      { scope: subScope, permissions: [perm(['Microsoft.Compute/*'], [WRITE])], principals: [{ id: EVERYONE, type: 'SystemDefined' }] },
    ],
    actions: [WRITE, DELETE],
    expect: ['p1 Microsoft.Compute/snapshots/write * broad'],
  },
  {
    name: 'a deny on DataActions blocks the data action',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'downloader' }],
    denies: [{ scope: subScope, permissions: [perm([], [], [DOWNLOAD])], principals: [{ id: EVERYONE, type: 'SystemDefined' }] }],
    actions: [DOWNLOAD],
    expect: [],
  },
  {
    name: 'a deny on Actions * does not block data actions',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'downloader' }],
    denies: [{ scope: subScope, permissions: [perm(['*'])], principals: [{ id: EVERYONE, type: 'SystemDefined' }] }],
    actions: [DOWNLOAD],
    expect: ['p1 Microsoft.Compute/snapshots/download/action *'],
  },
  {
    name: 'an assignment condition makes the grant conditional',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'snapshot-writer', condition: "@Resource[tags:env] StringEquals 'dev'" }],
    expect: ['p1 Microsoft.Compute/snapshots/write * conditional'],
  },
  {
    name: 'multiple roles: one conditional, one not, give two paths',
    assignments: [
      { scope: subScope, principalId: 'p1', roleId: 'snapshot-writer', condition: 'cond' },
      { scope: rg('rg-web'), principalId: 'p1', roleId: 'snapshots-star' },
    ],
    expect: ['p1 Microsoft.Compute/snapshots/write * conditional', `p1 Microsoft.Compute/snapshots/write ${rg('rg-web').toLowerCase()}`],
  },
  {
    name: 'a foreign group (another tenant) is external',
    assignments: [{ scope: subScope, principalId: 'partner', principalType: 'ForeignGroup', roleId: 'snapshot-writer' }],
    expect: ['partner Microsoft.Compute/snapshots/write * external'],
  },
  {
    name: 'a principal configured as external is external',
    assignments: [{ scope: subScope, principalId: 'guest-1', principalType: 'User', roleId: 'snapshot-writer' }],
    external: ['GUEST-1'],
    expect: ['guest-1 Microsoft.Compute/snapshots/write * external'],
  },
  {
    name: 'an assignment whose role definition was not read grants nothing and is reported',
    assignments: [{ scope: subScope, principalId: 'p1', roleId: 'missing-role' }],
    expect: [],
    unresolved: 1,
  },
];

function run(c: Case) {
  const actions = c.actions ?? [WRITE];
  const out = evaluateSubscription({
    subscriptionId: SUB,
    ancestors: c.ancestors === undefined ? ancestors : c.ancestors,
    roles: new Map(Object.values(roles).map((r) => [r.id, r])),
    assignments: c.assignments.map((a, i) => ({
      id: `assignment-${i}`,
      principalType: 'User',
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${a.roleId}`,
      condition: null,
      ...a,
    })),
    denies: (c.denies ?? []).map((d, i) => ({
      id: `deny-${i}`,
      name: `deny-${i}`,
      excludePrincipals: [],
      doNotApplyToChildScopes: false,
      ...d,
    })),
    catalogue: catalogueFor('azure').filter((e) => actions.includes(e.action)),
    externalPrincipals: new Set((c.external ?? []).map((x) => x.toLowerCase())),
  });
  const grants = out.principals
    .flatMap((p) =>
      p.grants.map((g) =>
        [p.id, g.action, g.resourceScope, g.broad ? 'broad' : '', g.conditional ? 'conditional' : '', g.external ? 'external' : '']
          .filter(Boolean)
          .join(' '),
      ),
    )
    .sort();
  return { out, grants };
}

describe('Azure RBAC matcher', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
  for (const c of cases) {
    it(c.name, () => {
      const { out, grants } = run(c);
      expect(grants).toEqual([...c.expect].sort());
      expect(out.unresolved.length).toBe(c.unresolved ?? 0);
    });
  }
});

describe('grant paths', () => {
  it('name principal → assignment → role → action pattern → scope (→ condition)', () => {
    const { out } = run({
      name: 'path',
      assignments: [{ scope: rg('rg-web'), principalId: 'p1', roleId: 'contributor', condition: 'c1' }],
      expect: [],
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
});

describe('operation patterns', () => {
  const table: Array<[string, string, boolean]> = [
    ['*', WRITE, true],
    ['Microsoft.Compute/*', WRITE, true],
    ['microsoft.compute/snapshots/write', WRITE, true],
    ['Microsoft.Compute/*/write', WRITE, true],
    ['Microsoft.Compute/*/write', DELETE, false],
    ['*/read', WRITE, false],
    ['Microsoft.Compute/snapshots/*/action', BEGIN, true],
    ['Microsoft.Compute/snapshots', WRITE, false],
    ['Microsoft.Compute/snapshots/write*', WRITE, true],
    ['Microsoft.Storage/*', WRITE, false],
    ['Microsoft.Compute/snap?hots/write', WRITE, false],
  ];
  for (const [pattern, op, want] of table) {
    it(`${pattern} ${want ? 'matches' : 'does not match'} ${op}`, () => expect(operationMatches(pattern, op)).toBe(want));
  }
  it('calls wildcards across resource types broad', () => {
    expect(['*', 'Microsoft.Compute/*', '*/write', 'Microsoft.Compute/*/write'].map(broadPattern)).toEqual([true, true, true, true]);
    expect(['Microsoft.Compute/snapshots/*', WRITE].map(broadPattern)).toEqual([false, false]);
  });
});
