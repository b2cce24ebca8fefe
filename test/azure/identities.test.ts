/**
 * Identities people recognise (issue #17), Azure: Microsoft Graph on its real wire in the lab — names, kinds and
 * account state for every principal (getByIds), a group expanded to its transitive members, deny assignments on
 * groups decided from membership, and a refused directory as one gap per subscription naming the permission.
 */
import { describe, expect, it } from 'vitest';
import { allFindings } from '../../src/core/model/order.ts';
import type { Principal, ScanResult } from '../../src/core/model/result.ts';
import { assertValidResult, scanEstate } from '../support/lab.ts';
import { azureEstate, DEMO, demoAzure, grantsOf, scopeNamed } from './support.ts';

const providers = ['azure' as const];
const EXPORT = 'Microsoft.Compute/snapshots/beginGetAccess/action';

const principal = (r: ScanResult, scope: string, id: string): Principal => {
  const p = scopeNamed(r, scope).principals.find((x) => x.id === id);
  if (!p) throw new Error(`no principal ${id} in ${scope}`);
  return p;
};

describe('Azure identities from Microsoft Graph', () => {
  it('names every principal, tells guests, disabled accounts and managed identities apart, and expands groups', async () => {
    const { result } = await scanEstate(azureEstate(), { providers });
    assertValidResult(result);
    expect(result.scan.complete).toBe(true);
    const alice = principal(result, 'prod-payments', DEMO.alice);
    expect(alice.name).toBe('Alice Martin');
    expect(alice.identity).toEqual({
      source: 'microsoft-graph',
      kind: 'member',
      displayName: 'Alice Martin',
      login: 'alice@contoso.com',
      // getByIds returns only a subset of user properties in v1.0: accountEnabled is not among them.
      enabled: 'unknown',
      appId: null,
    });
    expect(alice.grants[0]?.path[0]).toEqual({ kind: 'principal', id: DEMO.alice, label: 'User Alice Martin' });

    const backup = principal(result, 'prod-payments', DEMO.backup);
    expect([backup.type, backup.name, backup.identity?.kind, backup.identity?.appId, backup.identity?.enabled]).toEqual([
      'managed-identity',
      'vault-payments-backup',
      'managed-identity',
      'bac0b000-aaaa-4000-8000-000000000004',
      'yes',
    ]);

    // Cloud Ops, expanded through its nested group: a disabled account and a guest among the people who can snapshot.
    const ops = principal(result, 'prod-payments', DEMO.ops);
    expect(ops.name).toBe('Cloud Ops');
    expect(ops.members?.map((m) => [m.name, m.type, m.identity?.kind, m.identity?.enabled])).toEqual([
      ['Eve Novak', 'user', 'member', 'no'],
      ['Oscar Silva', 'user', 'member', 'yes'],
      ['Pat Quinn (Fabrikam)', 'user', 'guest', 'yes'],
      ['SRE Contractors', 'group', 'group', 'unknown'],
    ]);
    // A foreign group is another tenant's: nothing to read here, it keeps its id.
    const partner = principal(result, 'dev-sandbox', DEMO.partner);
    expect([partner.name, partner.identity, partner.members]).toEqual([DEMO.partner, undefined, undefined]);
  });

  it('decides a deny assignment that excludes a group from the group members: certain answers, not conditional', async () => {
    const { result } = await scanEstate(azureEstate(), { providers });
    const prod = scopeNamed(result, 'prod-payments');
    // Bob is in Backup Operators, excluded from deny-snapshot-export: he keeps export, certainly.
    const bobExport = principal(result, 'prod-payments', DEMO.bob).grants.filter((g) => g.action === EXPORT);
    expect(bobExport.map((g) => g.conditional)).toEqual([false]);
    // Alice and Cloud Ops' members are not: the deny certainly removes export for them.
    expect(grantsOf(prod, DEMO.alice).some((g) => g.startsWith(EXPORT))).toBe(false);
    expect(grantsOf(prod, DEMO.ops).some((g) => g.startsWith(EXPORT))).toBe(false);
    // No grant is left hanging on the deny: what stays conditional is only a second permission (beginGetAccess on the
    // source disk) that the deny certainly takes away in this subscription (carol's eligible grants wait on an
    // approver: PIM, not the deny).
    const open = prod.principals
      .flatMap((p) => p.grants)
      .filter((g) => g.reach !== 'eligible')
      .flatMap((g) => g.conditions);
    expect(open.filter((c) => !c.startsWith('needs Microsoft.Compute/disks/beginGetAccess/action on the source'))).toEqual([]);
    expect(
      prod.principals
        .flatMap((p) => p.grants)
        .flatMap((g) => g.path)
        .filter((s) => s.label === 'deny assignment that may apply'),
    ).toEqual([]);
  });

  it('a group the directory no longer holds has no members: no gap, and the other groups still decide the deny', async () => {
    // A role assignment outlives the group it names (Graph answers its member listing 404 Request_ResourceNotFound).
    const gone = '0d0d0d0d-0000-4000-8000-00000000dead';
    const azure = demoAzure() as { roleAssignments: unknown[] };
    azure.roleAssignments.push({ scope: `/subscriptions/${DEMO.prod}`, principalId: gone, principalType: 'Group', role: 'Contributor' });
    const { result, lab } = await scanEstate(azureEstate(azure as ReturnType<typeof demoAzure>), { providers });
    const prod = scopeNamed(result, 'prod-payments');
    expect(lab.log.entries.some((e) => e.operation === 'ListGroupTransitiveMembers' && e.status === 404)).toBe(true);
    expect(prod.coverage.gaps.filter((g) => g.operation?.startsWith('Microsoft.Graph:'))).toEqual([]);
    // Its grant stands, under its id, with no members claimed.
    const group = principal(result, 'prod-payments', gone);
    expect([group.name, group.members]).toEqual([gone, undefined]);
    // Membership of the groups that exist was still read: Bob keeps export certainly, Cloud Ops is expanded.
    const bobExport = principal(result, 'prod-payments', DEMO.bob).grants.filter((g) => g.action === EXPORT);
    expect(bobExport.map((g) => g.conditional)).toEqual([false]);
    expect(principal(result, 'prod-payments', DEMO.ops).members?.length).toBe(4);
  });

  it('without the Graph permission: one gap per subscription naming it, ids as names, the deny on a group conditional', async () => {
    const azure = demoAzure() as { directory: { permissions: string[] } };
    azure.directory.permissions = [];
    const { result, lab } = await scanEstate(azureEstate(azure as ReturnType<typeof demoAzure>), { providers });
    assertValidResult(result);
    for (const name of ['prod-payments', 'dev-sandbox', 'security']) {
      const graphGaps = scopeNamed(result, name).coverage.gaps.filter((g) => g.operation?.startsWith('Microsoft.Graph:'));
      expect(
        graphGaps.map((g) => [g.part, g.code]),
        name,
      ).toEqual([['principals', 'access_denied']]);
      expect(graphGaps[0]?.message).toMatch(/Authorization_RequestDenied.*Directory\.Read\.All/);
    }
    // The permission is tenant-wide: a kind of read, once refused, is not asked again in this scan (only requests
    // already in flight from other subscriptions come back refused too): never one per group or per batch.
    const graphCalls = lab.log.entries.filter((e) => e.service === 'Microsoft.Graph');
    expect(graphCalls.length).toBeGreaterThanOrEqual(1);
    expect(graphCalls.length).toBeLessThanOrEqual(3);
    expect(graphCalls.every((e) => e.status === 403)).toBe(true);
    const alice = principal(result, 'prod-payments', DEMO.alice);
    expect([alice.name, alice.identity]).toEqual([DEMO.alice, undefined]);
    const bobExport = principal(result, 'prod-payments', DEMO.bob).grants.filter((g) => g.action === EXPORT);
    expect(bobExport.map((g) => g.conditional)).toEqual([true]);
    expect(bobExport[0]?.conditions.join(' ')).toMatch(/unless this principal is in an excluded group/);
  });

  it('with GroupMember.Read.All only: members of types it does not cover come back as id and type, names from getByIds are refused', async () => {
    const azure = demoAzure() as { directory: { permissions: string[] } };
    azure.directory.permissions = ['GroupMember.Read.All'];
    const { result } = await scanEstate(azureEstate(azure as ReturnType<typeof demoAzure>), { providers });
    const ops = principal(result, 'prod-payments', DEMO.ops);
    expect(ops.members?.find((m) => m.id === DEMO.eve)).toMatchObject({
      name: DEMO.eve,
      type: 'user',
      identity: { displayName: null, enabled: 'unknown' },
    });
    expect(ops.members?.find((m) => m.type === 'group')?.name).toBe('SRE Contractors');
    // Membership was read, so the deny on Backup Operators is still decided.
    expect(
      principal(result, 'prod-payments', DEMO.bob)
        .grants.filter((g) => g.action === EXPORT)
        .map((g) => g.conditional),
    ).toEqual([false]);
  });

  it('marks a guest who holds a capability as external, and reads nothing from Graph when directoryLookup is off', async () => {
    const azure = demoAzure() as { roleAssignments: unknown[] };
    azure.roleAssignments.push({
      scope: `/subscriptions/${DEMO.dev}`,
      principalId: DEMO.guest,
      principalType: 'User',
      role: 'Disk Snapshot Contributor',
    });
    const estate = azureEstate(azure as ReturnType<typeof demoAzure>);
    const { result } = await scanEstate(estate, { providers });
    const guest = principal(result, 'dev-sandbox', DEMO.guest);
    expect([guest.name, guest.external, guest.identity?.kind, guest.identity?.login]).toEqual([
      'Pat Quinn (Fabrikam)',
      true,
      'guest',
      'pat_fabrikam.com#EXT#@contoso.onmicrosoft.com',
    ]);
    expect(guest.grants.every((g) => g.external)).toBe(true);
    const external = allFindings(result).filter((f) => f.checkId === 'permissions.external-path' && f.resource?.id === DEMO.guest);
    expect(external.map((f) => f.message)).toEqual([expect.stringContaining('Pat Quinn (Fabrikam)')]);

    const off = await scanEstate(estate, { providers, config: { providers: { azure: { directoryLookup: false } } } });
    expect(off.lab.log.entries.filter((e) => e.service === 'Microsoft.Graph')).toEqual([]);
    expect(principal(off.result, 'dev-sandbox', DEMO.guest).external).toBe(false);
    expect(off.result.scan.complete).toBe(true);
  });
});
