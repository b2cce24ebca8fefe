/**
 * One hop further (issue #26): principals that reach a snapshot capability only by becoming another identity (an
 * AWS role chain, GCP impersonation) or only once they activate an eligible role (Azure PIM) are shown distinctly
 * in every human output: the chain names each hop, the HTML who-can table has a Reach column, principals.csv has
 * `reach` and `hops` columns, and the Markdown summary counts them.
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../checks/index.ts';
import { grantChain } from '../../reports/grant-chain.ts';
import { renderers } from '../../reports/index.ts';
import type { Grant, Principal, ScanResult } from '../../src/core/model/result.ts';
import { fixtureResult } from '../fixtures/kinds.ts';
import { parseCsv } from '../support/csv.ts';

const ctx = { trend: null, frameworks: [], checks: catalogue };

const chained: Grant = {
  capability: 'copy',
  action: 'ec2:CopySnapshot',
  resourceScope: '*',
  conditional: false,
  external: false,
  broad: true,
  conditions: [],
  reach: 'indirect',
  hops: 2,
  path: [
    { kind: 'principal', id: 'arn:aws:iam::111111111111:user/chain-bob', label: 'chain-bob' },
    { kind: 'assume-role', id: 'arn:aws:iam::111111111111:role/ops-jump', label: 'assumes role ops-jump (trust statement Bob)' },
    { kind: 'assume-role', id: 'arn:aws:iam::111111111111:role/power-user', label: 'assumes role power-user (trust statement OpsJump)' },
    { kind: 'policy', id: 'arn:aws:iam::aws:policy/PowerUserAccess', label: 'policy PowerUserAccess' },
    { kind: 'action-pattern', id: 'NotAction iam:*', label: 'NotAction iam:*' },
  ],
};
const eligible: Grant = {
  capability: 'create',
  action: 'Microsoft.Compute/snapshots/write',
  resourceScope: '*',
  conditional: true,
  external: false,
  broad: true,
  conditions: ['activation requires approval'],
  reach: 'eligible',
  hops: 1,
  path: [
    { kind: 'principal', id: 'pim-carol-id', label: 'pim-carol' },
    { kind: 'eligibility', id: 'schedule-1', label: 'eligible for Contributor (activation: approval, MFA)' },
    { kind: 'role', id: 'contributor', label: 'role Contributor' },
  ],
};
const principal = (id: string, name: string, grants: Grant[]): Principal => ({
  id,
  type: 'user',
  name,
  external: false,
  capabilities: [...new Set(grants.map((g) => g.capability))],
  grants,
});

function withReach(): ScanResult {
  const result = fixtureResult();
  const aws = result.scopes.find((s) => s.scope.provider === 'aws')!;
  aws.principals.push(principal('arn:aws:iam::111111111111:user/chain-bob', 'chain-bob', [chained]));
  const azure = result.scopes.find((s) => s.scope.provider === 'azure')!;
  azure.principals.push(principal('pim-carol-id', 'pim-carol', [eligible]));
  return result;
}
const file = (format: string, name: string) => String(renderers[format]!(withReach(), ctx).find((f) => f.name === name)!.content);

describe('indirect and eligible holders', () => {
  it('a chain names each hop, and its flags say how it is held', () => {
    expect(grantChain(chained)).toBe(
      'copy: chain-bob → assumes role ops-jump (trust statement Bob) → assumes role power-user (trust statement OpsJump) → policy PowerUserAccess → ec2:CopySnapshot (via NotAction iam:*) · scope: every resource of the scope [indirect (2 hops), broad]',
    );
    expect(grantChain(eligible)).toContain('pim-carol → eligible for Contributor (activation: approval, MFA) → role Contributor →');
    expect(grantChain(eligible)).toContain('[eligible, broad, conditional: activation requires approval]');
  });

  it('HTML: the who-can table has a Reach column (a facet) with direct, indirect and eligible', () => {
    const html = file('html', 'report.html');
    const whoCan = html.slice(html.indexOf('id="who-can"'), html.indexOf('id="inventory"'));
    const facet = /<label>Reach <select data-col="\d+">(.*?)<\/select><\/label>/.exec(whoCan)?.[1] ?? '';
    const options = [...facet.matchAll(/<option>([^<]+)<\/option>/g)].map((m) => m[1]);
    expect(options).toEqual(expect.arrayContaining(['direct', 'indirect', 'eligible']));
    const row = (name: string) => whoCan.slice(whoCan.indexOf(name), whoCan.indexOf('</tr>', whoCan.indexOf(name)));
    expect(row('chain-bob')).toContain('<td>indirect</td>');
    expect(row('chain-bob')).toContain('assumes role ops-jump');
    expect(row('pim-carol')).toContain('<td>eligible</td>');
    const card = /data-question="who"[^>]*>(.*?)<\/a>/s.exec(html)![1]!.replace(/<[^>]+>/g, ' ');
    expect(card).toContain('1 only through another identity');
    expect(card).toContain('1 only as eligible (PIM)');
  });

  it('CSV: principals.csv has reach and hops columns, and the chain', () => {
    const [header, ...rows] = parseCsv(file('csv', 'principals.csv'));
    const col = (n: string) => header!.indexOf(n);
    const bob = rows.find((r) => r[col('principal_name')] === 'chain-bob')!;
    expect([bob[col('reach')], bob[col('hops')]]).toEqual(['indirect', '2']);
    expect(bob[col('grant_path')]).toContain('assume-role:assumes role ops-jump');
    const carol = rows.find((r) => r[col('principal_name')] === 'pim-carol')!;
    expect([carol[col('reach')], carol[col('hops')]]).toEqual(['eligible', '1']);
    const direct = rows.find((r) => r[col('principal_name')] !== 'chain-bob' && r[col('action')] !== '')!;
    expect([direct[col('reach')], direct[col('hops')]]).toEqual(['direct', '0']);
  });

  it('Markdown: the who-could-do-it line counts the indirect-only and eligible-only holders', () => {
    const md = file('md', 'summary.md');
    expect(md).toContain('1 only through another identity (role chain, impersonation), 1 only as eligible (PIM, once activated)');
  });
});

describe('Markdown: who can, one hop further', () => {
  it('lists the indirect and eligible holders as chains (principal → each step with its evidence → what they reach)', () => {
    const md = file('md', 'summary.md');
    const section = md.slice(md.indexOf('### Who can, one hop further'), md.indexOf('### Blind spots'));
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Scope') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(2);
    const bob = rows.find((r) => r.includes('chain-bob'))!;
    expect(bob).toContain('| indirect (2 hops) |');
    expect(bob).toContain(
      'chain-bob → assumes role ops-jump (trust statement Bob) → assumes role power-user (trust statement OpsJump) → policy PowerUserAccess → ec2:CopySnapshot (via NotAction iam:\\*)',
    );
    const carol = rows.find((r) => r.includes('pim-carol'))!;
    expect(carol).toContain('| eligible |');
    expect(carol).toContain('pim-carol → eligible for Contributor (activation: approval, MFA) → role Contributor');
    expect(carol).toContain('conditional: activation requires approval');
  });

  it('says so when nobody is reached that way', () => {
    const md = String(renderers.md!(fixtureResult(), ctx).find((f) => f.name === 'summary.md')!.content);
    expect(md).toContain('No principal reaches a snapshot capability by becoming another identity or activating an eligible role.');
  });
});
