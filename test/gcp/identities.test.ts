/**
 * Identities people recognise (issue #17), GCP: Cloud Identity Groups and IAM service accounts on their real wire in
 * the lab — groups expanded to their members through nested groups (lookup, then direct memberships level by level,
 * without the Premium-only transitive search), the deny exception on a group decided from membership, service
 * accounts named with their state, and a refused directory as one gap per project naming what to grant.
 */
import { describe, expect, it } from 'vitest';
import type { Principal, ScanResult } from '../../src/core/model/result.ts';
import { assertValidResult, scanEstate } from '../support/lab.ts';
import { demoGcpEstate, ORG, scopeOf } from './support.ts';

const providers = ['gcp' as const];
const config = { providers: { gcp: { organizationId: ORG } } };
const CREATE = 'compute.snapshots.create';
const BACKUP_OPS = 'group:backup-operators@example.com';
const DEPLOY_BOT = 'serviceAccount:deploy-bot@prod-web.iam.gserviceaccount.com';
const LEGACY = 'serviceAccount:legacy-exporter@prod-web.iam.gserviceaccount.com';

const principal = (r: ScanResult, scope: string, id: string): Principal => {
  const p = scopeOf(r, scope).principals.find((x) => x.id === id);
  if (!p) throw new Error(`no principal ${id} in ${scope}`);
  return p;
};
const creates = (r: ScanResult, scope: string, id: string) =>
  scopeOf(r, scope)
    .principals.find((x) => x.id === id)
    ?.grants.filter((g) => g.action === CREATE)
    .map((g) => g.conditional);

type Directory = { readable?: boolean; groups: Array<{ email: string; members: string[] }> };

describe('GCP identities from Cloud Identity and IAM', () => {
  it('expands a group through its nested group, names service accounts and tells a disabled one', async () => {
    const { result, lab } = await scanEstate(demoGcpEstate(), { providers, config });
    assertValidResult(result);
    expect(result.scan.complete).toBe(true);
    const ops = principal(result, 'prod-payments', BACKUP_OPS);
    expect(ops.members?.map((m) => [m.id, m.type, m.name])).toEqual([
      [DEPLOY_BOT, 'service-account', 'Web deploy bot'],
      ['user:carol@example.com', 'user', 'carol@example.com'],
      ['user:dave@example.com', 'user', 'dave@example.com'],
      ['group:sre-oncall@example.com', 'group', 'sre-oncall@example.com'],
    ]);
    const bot = principal(result, 'prod-web', DEPLOY_BOT);
    expect([bot.name, bot.identity]).toEqual([
      'Web deploy bot',
      {
        source: 'iam',
        kind: 'service-account',
        displayName: 'Web deploy bot',
        login: 'deploy-bot@prod-web.iam.gserviceaccount.com',
        enabled: 'yes',
        appId: null,
      },
    ]);
    expect(bot.grants[0]?.path[0]).toEqual({ kind: 'principal', id: DEPLOY_BOT, label: 'Web deploy bot' });
    const legacy = principal(result, 'prod-web', LEGACY);
    expect([legacy.name, legacy.identity?.enabled]).toEqual(['Legacy snapshot exporter', 'no']);
    // Each group is looked up and listed once per scan, whatever the number of projects that name it.
    const ci = lab.log.entries.filter((e) => e.service === 'cloudidentity');
    const per = (op: string) => ci.filter((e) => e.operation === op).length;
    expect([per('groups.lookup'), per('groups.memberships.list')]).toEqual([4, 4]);
    expect(ci.every((e) => e.status === 200)).toBe(true);
  });

  it('decides the deny exception on a group from its members: certain answers, not conditional', async () => {
    const { result } = await scanEstate(demoGcpEstate(), { providers, config });
    // no-manual-snapshots denies create to everyone in Production but backup-operators: the deploy bot is in it
    // through sre-oncall and keeps create, certainly; Alice is not and certainly loses it.
    expect(creates(result, 'prod-web', DEPLOY_BOT)).toEqual([false]);
    expect(creates(result, 'prod-payments', 'user:alice@example.com')).toEqual([]);
    const conditions = ['prod-payments', 'prod-web'].flatMap((s) =>
      scopeOf(result, s).principals.flatMap((p) => p.grants.flatMap((g) => g.conditions)),
    );
    expect(conditions.filter((c) => /exception group/.test(c))).toEqual([]);
  });

  it('without the Groups Reader role: one gap per project naming it, deny exceptions on groups conditional', async () => {
    const estate = demoGcpEstate((gcp) => {
      (gcp.directory as Directory).readable = false;
    });
    const { result, lab } = await scanEstate(estate, { providers, config });
    assertValidResult(result);
    for (const id of ['prod-payments', 'prod-web', 'dev-sandbox']) {
      const gaps = scopeOf(result, id).coverage.gaps.filter((g) => g.operation?.startsWith('cloudidentity:'));
      expect(
        gaps.map((g) => [g.part, g.code]),
        id,
      ).toEqual([['principals', 'access_denied']]);
      expect(gaps[0]?.message).toMatch(/Groups Reader admin role/);
    }
    // Each refused group is asked once per scan, not once per project.
    const lookups = lab.log.entries.filter((e) => e.operation === 'groups.lookup');
    expect(new Set(lookups.map((e) => e.query)).size).toBe(lookups.length);
    expect(creates(result, 'prod-web', DEPLOY_BOT)).toEqual([true]);
    expect(principal(result, 'prod-payments', BACKUP_OPS).members).toBeUndefined();
    const alice = principal(result, 'prod-payments', 'user:alice@example.com').grants.filter((g) => g.action === CREATE);
    expect(alice.map((g) => g.conditional)).toEqual([true]);
    expect(alice[0]?.conditions.join(' ')).toMatch(/unless alice@example.com is in an exception group/);
  });

  it('follows nested groups to a bounded depth and through a cycle, each group once', async () => {
    const chain = Array.from({ length: 12 }, (_, i) => `level-${i}@example.com`);
    const estate = demoGcpEstate((gcp) => {
      const dir = gcp.directory as Directory;
      // backup-operators → level-0 → … → level-11, the deploy bot at the bottom; level-0 also holds backup-operators
      // (a cycle).
      const ops = dir.groups.find((g) => g.email === 'backup-operators@example.com') as Directory['groups'][number];
      ops.members = ['user:carol@example.com', `group:${chain[0]}`];
      for (const [i, email] of chain.entries()) {
        const next = chain[i + 1];
        const cycle = i === 0 ? ['group:backup-operators@example.com'] : [];
        dir.groups.push({ email, members: next ? [`group:${next}`, ...cycle] : [DEPLOY_BOT] });
      }
    });
    const { result, lab } = await scanEstate(estate, { providers, config });
    assertValidResult(result);
    // Ten levels are followed: the bot, twelve groups down, is not found, so the exception stays undecided for it.
    expect(creates(result, 'prod-web', DEPLOY_BOT)).toEqual([true]);
    const ops = principal(result, 'prod-payments', BACKUP_OPS);
    expect(ops.members?.map((m) => m.id)).toContain(`group:${chain[8]}`);
    expect(ops.members?.map((m) => m.id)).not.toContain(DEPLOY_BOT);
    const listed = lab.log.entries.filter((e) => e.operation === 'groups.memberships.list').map((e) => `${e.path}${e.query}`);
    expect(new Set(listed).size).toBe(listed.length);
  });
});
