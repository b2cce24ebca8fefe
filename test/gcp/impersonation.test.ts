/**
 * Service-account impersonation: one generated test per documented case (test/gcp/cases/impersonation-*.json, the
 * shared case format), through evaluateIam (direct grants) and withImpersonation (one hop further).
 */
import { expect, it } from 'vitest';
import { predefinedRoles } from '../../lab/gcp/roles.ts';
import { type Binding, type DenyPolicyAt, type DenyRule, evaluateIam, type Level, type RoleInfo } from '../../providers/gcp/iam.ts';
import { capableServiceAccounts, withImpersonation } from '../../providers/gcp/impersonation.ts';
import { catalogueFor } from '../../src/core/catalogue/index.ts';
import { Principal } from '../../src/core/model/result.ts';
import { describeCases } from '../support/cases.ts';

interface Input {
  project: Binding[];
  serviceAccounts: Record<string, Binding[]>;
  deny?: Record<string, DenyRule[]>;
  roles?: Record<string, string[]>;
}
type Expect = Record<string, { via: string | null; conditional: boolean; external?: boolean } | null>;

const NOW = new Date('2026-11-26T00:00:00Z');
const membership = { domains: ['example.com'], orgProjects: new Set(['prod-1', 'dev-1']), customerIds: ['C00lab000'] };

function node(id: string) {
  const level: Level = id.startsWith('organizations/') ? 'organization' : id.startsWith('folders/') ? 'folder' : 'project';
  return { level, id, name: null };
}

function run(input: Input) {
  const roles = new Map<string, RoleInfo>(
    Object.entries(predefinedRoles).map(([name, r]) => [name, { name, title: r.title, permissions: r.permissions }]),
  );
  for (const [name, permissions] of Object.entries(input.roles ?? {})) roles.set(name, { name, title: name, permissions });
  const allow = [{ node: node('projects/prod-1'), bindings: input.project }];
  const deny: DenyPolicyAt[] = Object.entries(input.deny ?? {}).map(([id, rules]) => ({ node: node(id), name: `${id}/deny-1`, rules }));
  const base = { allow, deny, roles, membership, catalogue: catalogueFor('gcp'), now: NOW };
  const direct = evaluateIam(base).principals;
  const policies = new Map(Object.entries(input.serviceAccounts));
  // the adapter reads the policies of the capable service accounts only
  for (const email of policies.keys()) expect(capableServiceAccounts(direct)).toContain(email);
  return withImpersonation({ ...base, principals: direct, projectId: 'prod-1', serviceAccountPolicies: policies, projectPolicies: allow });
}

describeCases<Input, Expect>(new URL('./cases/', import.meta.url), /^impersonation-/, ({ input, expect: want }) => {
  const { principals } = run(input);
  for (const p of principals) Principal.parse(p);
  for (const [member, expected] of Object.entries(want)) {
    const p = principals.find((x) => x.id === member);
    const grant = p?.grants.find((g) => g.action === 'compute.snapshots.create');
    if (expected === null) {
      expect(grant, `${member} should not hold compute.snapshots.create`).toBeUndefined();
      continue;
    }
    expect(grant, `${member} should hold compute.snapshots.create`).toBeDefined();
    const via = grant!.path.filter((s) => s.kind === 'impersonation').map((s) => s.id);
    expect(via).toEqual(expected.via ? [expected.via] : []);
    expect(grant!.conditional).toBe(expected.conditional);
    expect(grant!.reach ?? 'direct').toBe(expected.via ? 'indirect' : 'direct');
    expect(grant!.hops ?? 0).toBe(expected.via ? 1 : 0);
    if (expected.external !== undefined) expect(grant!.external).toBe(expected.external);
  }
});

it('the impersonation step names the role, where it is bound and the permission; the service account path follows', () => {
  const { principals } = run({
    project: [{ role: 'roles/compute.storageAdmin', members: ['serviceAccount:snapper@prod-1.iam.gserviceaccount.com'] }],
    serviceAccounts: {
      'snapper@prod-1.iam.gserviceaccount.com': [{ role: 'roles/iam.serviceAccountTokenCreator', members: ['user:alice@example.com'] }],
    },
  });
  const g = principals.find((p) => p.id === 'user:alice@example.com')!.grants.find((x) => x.action === 'compute.snapshots.create')!;
  expect(g.path.map((s) => `${s.kind}:${s.label ?? s.id}`)).toEqual([
    'principal:alice@example.com',
    'impersonation:acts as snapper@prod-1.iam.gserviceaccount.com (roles/iam.serviceAccountTokenCreator on service account snapper@prod-1.iam.gserviceaccount.com: iam.serviceAccounts.getAccessToken)',
    'binding:roles/compute.storageAdmin on project prod-1',
    'role:Compute Storage Admin',
    'permission:compute.snapshots.create',
    'binding:roles/compute.storageAdmin on project prod-1',
    'permission:required too, via roles/compute.storageAdmin on project prod-1',
    'scope:project prod-1',
  ]);
});
