/**
 * The lab's predefined roles are the published ones (iam-dataset, vendored in lab/gcp/data with its licence): served
 * over the wire exactly as generated, and the corrections that dataset brought pinned by name.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import data from '../../lab/gcp/data/predefined-roles.json' with { type: 'json' };
import { predefinedRoles, rolesSource, vendoredPermission } from '../../lab/gcp/roles.ts';
import { LAB_GCP_TOKEN } from '../../lab/gcp/wire.ts';
import { parseEstate } from '../../lab/estate.ts';
import { type Lab, startLab } from '../../lab/server.ts';
import { demoGcpEstate } from './support.ts';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ estate: parseEstate(demoGcpEstate(), 'demo'), faults: [], providers: ['gcp'] });
});
afterAll(() => lab.close());

async function servedRole(name: string): Promise<{ name: string; title: string; includedPermissions: string[] }> {
  const res = await fetch(`${lab.endpoints.gcp}/v1/${name}`, { headers: { authorization: `Bearer ${LAB_GCP_TOKEN}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { name: string; title: string; includedPermissions: string[] };
}

describe('GCP lab predefined roles', () => {
  it('names the dataset, its commit and carries its licence', () => {
    expect(rolesSource.repository).toBe('https://github.com/iann0036/iam-dataset');
    expect(rolesSource.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(rolesSource.licenceText).toMatch(/^MIT License/);
    expect(readFileSync(new URL('../../lab/gcp/data/LICENSE.iam-dataset', import.meta.url), 'utf8')).toBe(rolesSource.licenceText);
  });

  it.each(Object.keys(data.roles))('serves %s with exactly the published permissions', async (name) => {
    const published = data.roles[name as keyof typeof data.roles];
    const served = await servedRole(name);
    expect(served.title).toBe(published.title);
    expect(served.includedPermissions).toEqual(published.includedPermissions);
    expect(published.includedPermissions.every(vendoredPermission)).toBe(true);
    expect([...published.includedPermissions].sort()).toEqual(published.includedPermissions);
  });

  it('Compute Instance Admin (v1) can create, delete and share snapshots, as the real role can', () => {
    const p = predefinedRoles['roles/compute.instanceAdmin.v1']?.permissions ?? [];
    for (const x of [
      'compute.snapshots.create',
      'compute.disks.createSnapshot',
      'compute.snapshots.delete',
      'compute.snapshots.setIamPolicy',
    ])
      expect(p).toContain(x);
  });

  it('Compute Storage Admin is as published: images yes, machine images no', () => {
    const p = predefinedRoles['roles/compute.storageAdmin']?.permissions ?? [];
    expect(p).toContain('compute.images.create');
    expect(p).toContain('compute.snapshots.setIamPolicy');
    expect(p).not.toContain('compute.machineImages.create');
  });

  it('the read roles docs/gcp.md asks for hold every permission the scanner uses', () => {
    const held = new Set(
      [
        'roles/browser',
        'roles/iam.securityReviewer',
        'roles/iam.denyReviewer',
        'roles/logging.viewer',
        'roles/monitoring.viewer',
        'roles/compute.viewer',
        'roles/securitycentermanagement.viewer',
      ].flatMap((r) => predefinedRoles[r]?.permissions ?? []),
    );
    const readme = readFileSync(new URL('../../docs/gcp.md', import.meta.url), 'utf8');
    const listed = /The permissions actually used, for a custom role: ([^\n]+(?:\n[^\n]+)*?)\.\n/.exec(readme)?.[1] ?? '';
    const used = [...listed.matchAll(/`([a-z]+\.[a-zA-Z.]+)`/g)].map((m) => m[1] as string);
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((p) => !held.has(p))).toEqual([]);
  });
});
