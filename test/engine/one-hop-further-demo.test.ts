/**
 * One hop further (issue #26) on the demo, through the real CLI: one path of each kind — an AWS role chain inside an
 * account, an AWS role chain across accounts, GCP service-account impersonation, Azure PIM eligibility at a
 * subscription and below it — with each step's evidence, in every output.
 *
 * The cross-account chain is found after every account is read (the engine's after-all-scopes step): the scan spools
 * each finished scope, so the scopes that step may change are held back (on disk) until it is done, then checked and
 * handed on like any other — result.json, result.ndjson, principals.csv, report.html, summary.md and the state store
 * all see org-admin (management) reaching power-user's grants in production. A sharded scan reads the other shards'
 * IAM for the step, so merged shards still equal the whole scan (test/engine/shard-merge.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Grant, ScanResult, ScopeResult } from '../../src/core/model/result.ts';
import { expandScope } from '../../src/core/model/compact.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { readWrittenResult } from '../support/result.ts';
import { NOW } from '../support/lab.ts';
import { allFindings } from '../../src/core/model/order.ts';

const ORG_ADMIN = 'arn:aws:iam::111111111111:user/org-admin';
const PROD = '222222222222';
const HOP = 'assumes role power-user in account 222222222222';

let cwd = '';
let result: ScanResult;
const read = (f: string) => readFileSync(join(cwd, 'out', f), 'utf8');

beforeAll(async () => {
  cwd = tempDir();
  const run = await runCli(['scan', '--demo', '--now', NOW, '--out', 'out', '--format', 'json,ndjson,csv,html,md'], { cwd });
  expect(run.code).toBe(0);
  result = readWrittenResult(join(cwd, 'out', 'result.json'));
}, 300_000);

function grantOf(provider: string, scopeId: string, principal: string, action: string): Grant | undefined {
  return result.scopes
    .find((s) => s.scope.provider === provider && s.scope.id === scopeId)
    ?.principals.find((p) => p.id === principal || p.name === principal)
    ?.grants.find((g) => g.action === action);
}

const steps = (g: Grant | undefined) =>
  g?.path.filter((s) => ['principal', 'assume-role', 'impersonation', 'eligibility'].includes(s.kind)).map((s) => s.label ?? s.id);

describe('the demo shows one path of each kind', () => {
  it('AWS, inside an account: bob → ops-jump → power-user', () => {
    const g = grantOf('aws', PROD, 'bob', 'ec2:CopySnapshot');
    expect(g).toMatchObject({ reach: 'indirect', hops: 2 });
    expect(steps(g)).toEqual([
      'bob',
      'assumes role ops-jump (trust statement Bob)',
      'assumes role power-user (trust statement OpsJump; policy hop (inline) statement HopToPowerUser)',
    ]);
  });

  it('AWS, across accounts: org-admin (management) → power-user (production)', () => {
    const g = grantOf('aws', PROD, ORG_ADMIN, 'ec2:CreateSnapshot');
    expect(g).toMatchObject({ reach: 'indirect', hops: 1 });
    expect(steps(g)).toEqual(['org-admin', `${HOP} (trust statement #0; policy AdministratorAccess statement #0)`]);
  });

  it('GCP: dave impersonates deploy-bot', () => {
    const g = grantOf('gcp', 'prod-web', 'user:dave@example.com', 'compute.snapshots.useReadOnly');
    expect(g).toMatchObject({ reach: 'indirect', hops: 1 });
    expect(steps(g)?.[1]).toMatch(/^acts as deploy-bot@prod-web\.iam\.gserviceaccount\.com \(roles\/iam\.serviceAccountTokenCreator/);
  });

  it('Azure: dave eligible at the subscription, carol eligible on one resource group (approval needed)', () => {
    const prod = '6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c01';
    const dave = grantOf('azure', prod, 'd00e0000-0000-4000-8000-000000000008', 'Microsoft.Compute/snapshots/delete');
    expect(dave).toMatchObject({ reach: 'eligible', hops: 1, conditional: false });
    expect(steps(dave)?.[1]).toBe('eligible (PIM) at subscription; activation needs MFA, justification, at most PT4H');
    const carol = grantOf('azure', prod, 'ca401000-0000-4000-8000-000000000006', 'Microsoft.Compute/snapshots/write');
    expect(carol).toMatchObject({ reach: 'eligible', hops: 1, conditional: true });
    expect(steps(carol)?.[1]).toBe('eligible (PIM) at resource group rg-web; activation needs approval, MFA, justification, at most PT2H');
  });

  it('the Markdown summary lists them as chains, and the HTML who-can table with their reach', () => {
    const md = read('summary.md');
    const section = md.slice(
      md.indexOf('### Who can, one hop further'),
      md.indexOf('### ', md.indexOf('### Who can, one hop further') + 5),
    );
    for (const text of [
      'org-admin → assumes role power-user in account 222222222222',
      'acts as deploy-bot',
      'eligible (PIM) at resource group rg-web',
    ])
      expect(section).toContain(text);
    const html = read('report.html');
    const whoCan = html.slice(html.indexOf('id="who-can"'), html.indexOf('id="inventory"'));
    expect(whoCan).toContain(HOP);
    expect(whoCan).toContain('eligible (PIM) at resource group rg-web');
  });
});

describe('the cross-account chain in every output', () => {
  it('result.json (with its finding), result.ndjson, principals.csv and the state store', () => {
    const prod = result.scopes.find((s) => s.scope.id === PROD)!;
    const admin = prod.principals.find((p) => p.id === ORG_ADMIN)!;
    expect(admin.grants.length).toBeGreaterThan(0);
    for (const g of admin.grants) {
      expect(g).toMatchObject({ reach: 'indirect', hops: 1 });
      expect(g.path[1]).toMatchObject({ kind: 'assume-role', id: 'arn:aws:iam::222222222222:role/power-user' });
    }
    // its finding in production, with the path length
    const finding = allFindings(result).find(
      (f) => f.checkId === 'permissions.snapshot-capable-principal' && f.scopeId === PROD && f.resource?.id === ORG_ADMIN,
    );
    expect(finding?.evidence).toMatchObject({ reach: 'indirect', hops: 1 });

    const scopeRecord = read('result.ndjson')
      .split('\n')
      .filter((l) => l.startsWith('{"record":"scope"'))
      .map((l) => expandScope(JSON.parse(l)) as ScopeResult & { record: string })
      .find((s) => s.scope.id === PROD)!;
    expect(scopeRecord.principals.find((p) => p.id === ORG_ADMIN)?.grants).toEqual(admin.grants);

    const csv = read('principals.csv')
      .split('\r\n')
      .filter((l) => l.startsWith(`aws,${PROD},`) && l.includes(`,${ORG_ADMIN},`));
    expect(csv).toHaveLength(admin.grants.length);
    for (const row of csv) expect(row).toMatch(/,indirect,1,[^,]*$/); // reach, hops, then the principal's people

    const store = StateStore.open(join(cwd, '.snapaudit', 'state.sqlite'), { create: false });
    try {
      const caps = store.capabilitiesOf(store.latest()!.seq).filter((c) => c.scopeId === PROD && c.principalId === ORG_ADMIN);
      expect(caps.map((c) => c.capability).sort()).toEqual([...admin.capabilities].sort());
    } finally {
      store.close();
    }
  });
});
