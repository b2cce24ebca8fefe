/**
 * The lab's built-in roles are Azure's published definitions (lab/azure/data/, cut from a public dataset of
 * `az role definition list`): the lab serves each exactly as published, the roles that matter to snapshots are there
 * with their real permissions, and an estate naming a role the lab does not know is refused on load (exit 2), never
 * answered with a lab error mid-scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedRoles, publishedRolesSource } from '../../lab/azure/builtin-roles.ts';
import { parseEstate } from '../../lab/estate.ts';
import { type Lab, startLab } from '../../lab/server.ts';
import { grantsCatalogueOperation, namedRoles } from '../../scripts/azure-builtin-roles.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { scanEstate } from '../support/lab.ts';
import { armRequest, armToken, azureEstate, DEMO, demoAzure, grantsOf, scopeNamed } from './support.ts';

let lab: Lab;
let token: string;
beforeAll(async () => {
  lab = await startLab({ estate: parseEstate(azureEstate(), 'demo'), providers: ['azure'] });
  token = await armToken(lab);
});
afterAll(() => lab.close());

const byName = (name: string) => {
  const r = publishedRoles.find((x) => x.roleName === name);
  if (!r) throw new Error(`no published role ${name}`);
  return r;
};

describe('built-in roles from the published dataset', () => {
  it('records where they come from', () => {
    expect(publishedRolesSource.source).toBe('https://github.com/iann0036/iam-dataset/blob/main/azure/built-in-roles-raw.json');
    expect(publishedRolesSource.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(publishedRolesSource.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps exactly the roles that grant a catalogue operation, plus the named readers and administrators', () => {
    for (const r of publishedRoles) expect(namedRoles.includes(r.roleName) || grantsCatalogueOperation(r), r.roleName).toBe(true);
    for (const name of namedRoles)
      expect(
        publishedRoles.some((r) => r.roleName === name),
        name,
      ).toBe(true);
  });

  it('the lab serves every one of them exactly as published', async () => {
    for (const r of publishedRoles) {
      const got = await armRequest(lab, 'GET', `/providers/Microsoft.Authorization/roleDefinitions/${r.name}?api-version=2022-04-01`, {
        token,
      });
      expect(got.status, r.roleName).toBe(200);
      const props = got.json.properties as Record<string, unknown>;
      expect({
        name: got.json.name,
        roleName: props.roleName,
        type: props.type,
        description: props.description,
        assignableScopes: props.assignableScopes,
        permissions: props.permissions,
      }).toEqual({
        name: r.name,
        roleName: r.roleName,
        type: r.roleType,
        description: r.description,
        assignableScopes: r.assignableScopes,
        permissions: r.permissions.map((p) => ({
          actions: p.actions,
          notActions: p.notActions,
          dataActions: p.dataActions,
          notDataActions: p.notDataActions,
        })),
      });
    }
  });

  it('has the published permissions the hand-written table got wrong or lacked', () => {
    const actions = (name: string) => byName(name).permissions.flatMap((p) => p.actions);
    // Virtual Machine Contributor manages VMs and disks but cannot write snapshots; it can capture a VM image.
    expect(actions('Virtual Machine Contributor')).not.toContain('Microsoft.Compute/snapshots/write');
    expect(actions('Virtual Machine Contributor')).toContain('Microsoft.Compute/virtualMachines/*');
    expect(actions('Disk Snapshot Contributor')).toEqual(
      expect.arrayContaining([
        'Microsoft.Compute/snapshots/write',
        'Microsoft.Compute/snapshots/delete',
        'Microsoft.Compute/snapshots/beginGetAccess/action',
      ]),
    );
    expect(actions('Disk Backup Reader')).toContain('Microsoft.Compute/disks/beginGetAccess/action');
    expect(actions('Disk Restore Operator')).toContain('Microsoft.Compute/disks/beginGetAccess/action');
    expect(actions('Azure Backup Snapshot Contributor')).toContain('Microsoft.Compute/restorePointCollections/restorePoints/write');
    expect(actions('Compute Gallery Artifacts Publisher')).toContain('Microsoft.Compute/images/*');
  });
});

describe('estates and built-in roles', () => {
  it('refuses an estate naming a role the lab does not know, naming the field (exit 2, no lab error)', async () => {
    const azure = demoAzure();
    azure.roleAssignments = [
      ...(azure.roleAssignments ?? []),
      { scope: '/', principalId: DEMO.alice, principalType: 'User', role: 'Snapshot Wizard' },
    ];
    expect(() => parseEstate(azureEstate(azure), 'estate.yaml')).toThrow(
      /azure\.roleAssignments\.\d+\.role: "Snapshot Wizard" is neither a custom role of azure\.roleDefinitions nor a built-in role the lab knows/,
    );
    const dir = tempDir();
    const { writeFileSync, rmSync } = await import('node:fs');
    const { stringify } = await import('yaml');
    try {
      writeFileSync(`${dir}/estate.yaml`, stringify(azureEstate(azure)));
      const run = await runCli(['scan', '--demo', '--estate', `${dir}/estate.yaml`, '--provider', 'azure', '--out', `${dir}/out`], {
        cwd: dir,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/"Snapshot Wizard" is neither a custom role/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a parent that is not a management group of the estate, naming the field', () => {
    const azure = demoAzure();
    azure.subscriptions![0]!.parent = 'mg-nowhere';
    expect(() => parseEstate(azureEstate(azure), 'estate.yaml')).toThrow(
      /azure\.subscriptions\.0\.parent: "mg-nowhere" is not a management group of the estate/,
    );
  });

  it('scans an estate using the roles the old table lacked, with their published permissions', async () => {
    const azure = demoAzure();
    const sub = `/subscriptions/${DEMO.security}`;
    azure.roleAssignments = [
      ...(azure.roleAssignments ?? []),
      { scope: sub, principalId: DEMO.carol, principalType: 'User', role: 'Disk Backup Reader' },
      { scope: sub, principalId: DEMO.bob, principalType: 'User', role: 'Compute Gallery Artifacts Publisher' },
      { scope: sub, principalId: DEMO.ops, principalType: 'Group', role: 'Virtual Machine Contributor' },
    ];
    const { result } = await scanEstate(azureEstate(azure), { providers: ['azure'] });
    const security = scopeNamed(result, 'security');
    expect(security.coverage.status).toBe('complete');
    expect(grantsOf(security, DEMO.carol)).toEqual(['Microsoft.Compute/disks/beginGetAccess/action@*']);
    expect(grantsOf(security, DEMO.bob)).toEqual([
      'Microsoft.Compute/galleries/images/versions/delete@*',
      'Microsoft.Compute/galleries/images/versions/write@*',
      'Microsoft.Compute/images/delete@*',
      'Microsoft.Compute/images/write@*',
    ]);
    expect(grantsOf(security, DEMO.ops)).toEqual(['Microsoft.Compute/virtualMachines/capture/action@*']);
  });
});
