/**
 * Every member of the snapshot family shows in every output under its own name (issue #21: artifact kinds), and
 * grant paths read as chains (point 9): principal → group/role → policy/assignment → action, with the scope.
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../checks/index.ts';
import { groupGrants, groupLine, grantChain } from '../../reports/grant-chain.ts';
import { renderers } from '../../reports/index.ts';
import { resourceTypes } from '../../reports/resource-types.ts';
import { kindNoun } from '../../reports/view-model.ts';
import { artifactKindLabels, artifactKinds, type Grant } from '../../src/core/model/result.ts';
import { parseCsv } from '../support/csv.ts';
import { fixtureResult, resultWithEveryKind } from '../fixtures/kinds.ts';

const ctx = { trend: null, frameworks: [], checks: catalogue };
const result = resultWithEveryKind();
const file = (format: string, name: string) => String(renderers[format]!(result, ctx).find((f) => f.name === name)!.content);

describe('artifact kinds in every output', () => {
  it('HTML: the inventory has a Kind column with a drop-down of every kind, and the card counts the inventory per kind', () => {
    const html = file('html', 'report.html');
    const inventory = html.slice(html.indexOf('id="inventory"'), html.indexOf('id="mitigations"'));
    const facet = /<label>Kind <select data-col="3">(.*?)<\/select><\/label>/.exec(inventory)?.[1] ?? '';
    const options = [...facet.matchAll(/<option>([^<]+)<\/option>/g)].map((m) => m[1]);
    expect(options.sort()).toEqual(Object.values(artifactKindLabels).sort());
    const card = /data-question="what"[^>]*>(.*?)<\/a>/.exec(html)![1]!.replace(/<[^>]+>/g, ' ');
    for (const label of Object.values(artifactKindLabels)) expect(card).toContain(kindNoun(label));
  });

  it('CSV: snapshots.csv has a kind column with the kind of each item, and the exposure', () => {
    const [header, ...rows] = parseCsv(file('csv', 'snapshots.csv'));
    const kind = header!.indexOf('kind');
    expect(kind).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r[kind]))).toEqual(new Set(artifactKinds));
    expect(header).toContain('exposure');
  });

  it("OCSF: each finding's resource carries the cloud's own type name for its kind", () => {
    const events = JSON.parse(file('ocsf', 'findings.ocsf.json')) as Array<{
      resources: Array<{ type: string }>;
      cloud: { provider: string };
      unmapped: { snapaudit: { resource_kind: string | null } };
    }>;
    const provider = { AWS: 'aws', Azure: 'azure', GCP: 'gcp' } as const;
    let typed = 0;
    for (const e of events) {
      const kind = e.unmapped.snapaudit.resource_kind;
      if (!kind || !(artifactKinds as readonly string[]).includes(kind)) continue;
      const p = provider[e.cloud.provider as keyof typeof provider];
      const expected = resourceTypes[p][kind as keyof (typeof resourceTypes)['aws']] ?? kind;
      expect(e.resources[0]!.type, `${p} ${kind}`).toBe(expected);
      if (expected !== kind) typed++;
    }
    expect(typed).toBeGreaterThan(3);
  });

  it('Markdown: names the kinds of the inventory and of each risk', () => {
    const md = file('md', 'summary.md');
    const row = /\| \*\*What exists\?\*\* \| (.*) \|/.exec(md)![1]!;
    for (const label of Object.values(artifactKindLabels)) expect(row).toContain(kindNoun(label));
    expect(md).toMatch(
      /\| \*\*critical\*\* \| `snapshots\.public` \| [^|]+ \| (Snapshot|Image|Instant snapshot|Machine image|Gallery image version|Restore point|Disk restore point|Disk export|DB snapshot|DB cluster snapshot|Backup recovery point) /,
    );
  });
});

describe('grant paths as chains', () => {
  const grant = (o: Partial<Grant>): Grant => ({
    capability: 'create',
    action: 'ec2:CreateImage',
    resourceScope: '*',
    conditional: false,
    external: false,
    broad: true,
    conditions: [],
    path: [
      { kind: 'principal', id: 'arn:aws:iam::1:user/bob', label: 'bob' },
      { kind: 'group', id: 'g', label: 'group snapshot-operators' },
      { kind: 'policy', id: 'p', label: 'policy SnapshotCreators' },
      { kind: 'statement', id: 's', label: 'statement CreateAnything' },
      { kind: 'action-pattern', id: 'ec2:Create*', label: 'ec2:Create*' },
    ],
    ...o,
  });

  it('reads principal → group → policy → action (the pattern that matched), then the scope and flags', () => {
    expect(grantChain(grant({}))).toBe(
      'create: bob → group snapshot-operators → policy SnapshotCreators → ec2:CreateImage (via ec2:Create*) · scope: every resource of the scope [broad]',
    );
  });

  it('groups grants that share a chain into one line with their actions', () => {
    const lines = groupGrants([
      grant({}),
      grant({ action: 'ec2:CreateSnapshot' }),
      grant({ capability: 'copy', action: 'ec2:CopySnapshot', broad: false }),
    ]).map((g) => groupLine(g));
    expect(lines).toEqual([
      'create: bob → group snapshot-operators → policy SnapshotCreators → ec2:CreateImage (via ec2:Create*), ec2:CreateSnapshot (via ec2:Create*) · scope: every resource of the scope [broad]',
      'copy: bob → group snapshot-operators → policy SnapshotCreators → ec2:CopySnapshot (via ec2:Create*) · scope: every resource of the scope',
    ]);
  });

  it('shows chains in the who-can table and keeps check ids and fingerprints from breaking mid-word', () => {
    const html = String(renderers.html!(fixtureResult(), ctx)[0]!.content);
    const whoCan = html.slice(html.indexOf('id="who-can"'), html.indexOf('id="inventory"'));
    expect(whoCan).toMatch(/<td class="multi">[^<]*: [^<]+ → [^<]+ · scope: /);
    expect(html).toMatch(/<td class="id">permissions\.snapshot-capable-principal<\/td>/);
    expect(html).toContain('td.mono, td.id, span.mono { white-space: nowrap; overflow-wrap: normal; }');
  });
});
