/** IAM who-can evaluation: one generated test per documented case (test/gcp/cases/iam-*.json, shared case format). */
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
import { describeCases } from '../support/cases.ts';

interface Input {
  allow: Record<string, Binding[]>;
  deny?: Record<string, DenyRule[]>;
  roles?: Record<string, string[] | { deleted: boolean; permissions: string[] } | null>;
  actions?: 'all';
  /** The scan clock (default: the suite's NOW). */
  now?: string;
  /** Project numbers of the organisation (service agents are judged by them). */
  orgProjectNumbers?: string[];
  /** Transitive members of the groups whose membership was read (Cloud Identity); `complete` defaults to true. */
  groups?: Record<string, { members: string[]; complete?: boolean }>;
}
interface Expect {
  principals: Record<string, Record<string, string | boolean>>;
  notes?: string[];
}

const NOW = '2026-11-26T00:00:00Z';

function node(id: string) {
  const level: Level = id.startsWith('organizations/') ? 'organization' : id.startsWith('folders/') ? 'folder' : 'project';
  return { level, id, name: null };
}

function run(c: Input & { expect?: unknown; name?: string }) {
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
    membership: {
      domains: ['example.com'],
      orgProjects: new Set(['prod-1', 'dev-1']),
      orgProjectNumbers: c.orgProjectNumbers ? new Set(c.orgProjectNumbers) : null,
      customerIds: ['C00lab000'],
    },
    catalogue: catalogueFor('gcp'),
    now: new Date(c.now ?? NOW),
    ...(c.groups
      ? {
          groups: new Map(
            Object.entries(c.groups).map(([g, v]) => [
              g.toLowerCase(),
              { members: new Set(v.members.map((m) => m.toLowerCase())), complete: v.complete ?? true },
            ]),
          ),
        }
      : {}),
  });
}

describe('GCP IAM evaluation (documented cases)', () => {
  const files = describeCases<Input, Expect>(new URL('./cases/', import.meta.url), /^iam-/, (c) => {
    const result = run(c.input);
    const summary = Object.fromEntries(
      result.principals
        .map((p) => {
          const caps: Record<string, string | boolean> = {};
          const grants = p.grants.filter((g) => c.input.actions === 'all' || g.action.startsWith('compute.snapshots.'));
          for (const g of grants) caps[g.capability] = caps[g.capability] === 'yes' || !g.conditional ? 'yes' : 'conditional';
          return [p.id, caps];
        })
        .filter(([, caps]) => Object.keys(caps as object).length > 0),
    );
    const expected = Object.fromEntries(
      Object.entries(c.expect.principals).map(([id, e]) => [
        id,
        Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'broad' && k !== 'external')),
      ]),
    );
    expect(summary).toEqual(expected);
    for (const [id, e] of Object.entries(c.expect.principals)) {
      const p = result.principals.find((x) => x.id === id);
      if (e.broad !== undefined) expect(p?.grants.some((g) => g.broad)).toBe(e.broad);
      if (e.external !== undefined) expect(p?.external).toBe(e.external);
    }
    if (c.expect.notes) expect(result.notes).toEqual(c.expect.notes);
  });
  it('has at least 60 cases', () => expect(files.reduce((n, f) => n + f.cases.length, 0)).toBeGreaterThanOrEqual(60));
});

describe('GCP IAM evaluation', () => {
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
            condition: { title: 'backups only', expression: 'resource.name.startsWith("projects/prod-1/global/snapshots/backup-")' },
          },
        ],
      },
      expect: {},
    });
    const g = result.principals[0]?.grants.find((x) => x.capability === 'create');
    expect(g?.conditions).toEqual(['backups only: resource.name.startsWith("projects/prod-1/global/snapshots/backup-")']);
    expect(g?.path.some((s) => s.kind === 'condition')).toBe(true);
  });
});
