/** IAM who-can evaluation, one generated test per JSON case (after cloud-copilot/iam-simulate's fixtures). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { predefinedRoles } from '../../lab/gcp/roles.ts';
import {
  type AllowPolicyAt,
  type Binding,
  type DenyPolicyAt,
  type DenyRule,
  evaluateIam,
  type Level,
  type RoleInfo,
} from '../../providers/gcp/iam.ts';
import { catalogueFor } from '../../src/core/catalogue/index.ts';

interface Case {
  name: string;
  allow: Record<string, Binding[]>;
  deny?: Record<string, DenyRule[]>;
  roles?: Record<string, string[] | { deleted: boolean; permissions: string[] } | null>;
  notes?: string[];
  actions?: 'all';
  expect: Record<string, Record<string, string | boolean>>;
}

const { cases } = JSON.parse(readFileSync(new URL('./fixtures/iam-cases.json', import.meta.url), 'utf8')) as { cases: Case[] };

function node(id: string) {
  const level: Level = id.startsWith('organizations/') ? 'organization' : id.startsWith('folders/') ? 'folder' : 'project';
  return { level, id, name: null };
}

function run(c: Case) {
  const roles = new Map<string, RoleInfo>(
    Object.entries(predefinedRoles).map(([name, r]) => [name, { name, title: r.title, permissions: r.permissions }]),
  );
  for (const [name, r] of Object.entries(c.roles ?? {})) {
    if (r === null) roles.set(name, { name, title: null, permissions: null });
    else if (Array.isArray(r)) roles.set(name, { name, title: name.split('/').pop() ?? name, permissions: r });
    else roles.set(name, { name, title: name, permissions: r.permissions, deleted: r.deleted });
  }
  const order = ['organizations/100', 'folders/200', 'projects/prod-1'];
  const allow: AllowPolicyAt[] = order.filter((id) => c.allow[id]).map((id) => ({ node: node(id), bindings: c.allow[id] ?? [] }));
  const deny: DenyPolicyAt[] = Object.entries(c.deny ?? {}).map(([id, rules]) => ({ node: node(id), name: `${id}/deny-1`, rules }));
  return evaluateIam({
    allow,
    deny,
    roles,
    membership: { domains: ['example.com'], orgProjects: new Set(['prod-1', 'dev-1']), customerIds: ['C00lab000'] },
    catalogue: catalogueFor('gcp'),
  });
}

describe('GCP IAM evaluation', () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = run(c);
    const summary = Object.fromEntries(
      result.principals
        .map((p) => {
          const caps: Record<string, string | boolean> = {};
          const grants = p.grants.filter((g) => c.actions === 'all' || g.action.startsWith('compute.snapshots.'));
          for (const g of grants) caps[g.capability] = caps[g.capability] === 'yes' || !g.conditional ? 'yes' : 'conditional';
          return [p.id, caps];
        })
        .filter(([, caps]) => Object.keys(caps as object).length > 0),
    );
    const expected = Object.fromEntries(
      Object.entries(c.expect).map(([id, e]) => [
        id,
        Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'broad' && k !== 'external')),
      ]),
    );
    expect(summary).toEqual(expected);
    for (const [id, e] of Object.entries(c.expect)) {
      const p = result.principals.find((x) => x.id === id);
      if (e.broad !== undefined) expect(p?.grants.some((g) => g.broad)).toBe(e.broad);
      if (e.external !== undefined) expect(p?.external).toBe(e.external);
    }
    if (c.notes) expect(result.notes).toEqual(c.notes);
  });

  it('records the path principal → binding → role → permission → required permission → resource level', () => {
    const result = run({
      name: 'path',
      allow: {
        'organizations/100': [{ role: 'organizations/100/roles/snapOnly', members: ['user:alice@example.com'] }],
        'projects/prod-1': [{ role: 'roles/compute.instanceAdmin.v1', members: ['user:alice@example.com'] }],
      },
      roles: { 'organizations/100/roles/snapOnly': ['compute.snapshots.create'] },
      expect: {},
    });
    const grant = result.principals[0]?.grants.find((g) => g.action === 'compute.snapshots.create');
    expect(grant?.path.map((s) => `${s.kind}:${s.id}`)).toEqual([
      'principal:user:alice@example.com',
      'binding:organizations/100#organizations/100/roles/snapOnly',
      'role:organizations/100/roles/snapOnly',
      'permission:compute.snapshots.create',
      'binding:projects/prod-1#roles/compute.instanceAdmin.v1',
      'permission:compute.disks.createSnapshot',
      'scope:organizations/100',
    ]);
    expect(grant).toMatchObject({ broad: true, conditional: false, external: false, resourceScope: '*' });
  });

  it('keeps the conditions of a conditional grant', () => {
    const result = run({
      name: 'cond',
      allow: {
        'projects/prod-1': [
          {
            role: 'roles/compute.storageAdmin',
            members: ['user:bob@example.com'],
            condition: { title: 'until March', expression: 'request.time < timestamp("2027-03-01T00:00:00Z")' },
          },
        ],
      },
      expect: {},
    });
    const g = result.principals[0]?.grants.find((x) => x.capability === 'create');
    expect(g?.conditions).toEqual(['until March: request.time < timestamp("2027-03-01T00:00:00Z")']);
    expect(g?.path.some((s) => s.kind === 'condition')).toBe(true);
  });
});
