import { readFileSync } from 'node:fs';
import * as ajvDraft04 from 'ajv-draft-04';
import * as ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { sarifText } from '../../reports/escape.ts';
import { artifactUri, FINGERPRINT_KEY, renderSarifDocument, SARIF_MAX_RESULTS, SARIF_MAX_TAGS } from '../../reports/sarif.ts';
import { artifactKinds, type ScanResult } from '../../src/core/model/result.ts';
import { resultWithEveryKind } from '../fixtures/kinds.ts';
import { githubSarifProblems } from '../support/github-sarif.ts';
import { sharedFixture } from '../support/shared-fixtures.ts';

const result: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const findings = [...result.findings, ...result.scopes.flatMap((s) => s.findings)];

interface SarifRun {
  tool: { driver: { rules: Array<{ id: string; shortDescription: { text: string }; properties: { tags: string[] } }> } };
  results: Array<{
    ruleId: string;
    ruleIndex: number;
    level: string;
    partialFingerprints: Record<string, string>;
    locations: Array<{ logicalLocations: Array<{ index: number; fullyQualifiedName: string; kind: string }> }>;
    suppressions?: Array<{ kind: string; status: string; justification: string }>;
  }>;
  logicalLocations: Array<{ fullyQualifiedName: string; kind: string; parentIndex?: number }>;
  invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: unknown[] }>;
}

describe('SARIF 2.1.0', () => {
  const doc = renderSarifDocument(result) as { runs: SarifRun[] };
  const run = doc.runs[0]!;

  it('validates against the official SARIF 2.1.0 schema', () => {
    const schema = JSON.parse(readFileSync(sharedFixture('sarif', 'sarif-schema-2.1.0.json'), 'utf8'));
    // CommonJS packages: the class / plugin is the default export.
    type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
    const Ajv04 = ajvDraft04.default as unknown as new (opts: object) => { compile(schema: object): Validate };
    const addFormats = ajvFormats.default as unknown as (ajv: unknown) => void;
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(doc);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('has one rule per check, from the check metadata', () => {
    expect(run.tool.driver.rules.map((r) => r.id).sort()).toEqual(result.checks.map((c) => c.id).sort());
    const pub = run.tool.driver.rules.find((r) => r.id === 'snapshots.public')!;
    expect(pub.shortDescription.text).toBe('No snapshot is public');
    expect(pub.properties.tags).toEqual(expect.arrayContaining(['T1578.001', 'DET0423', 'NIST-AC-3']));
  });

  it('gives every result the finding fingerprint as a stable partial fingerprint and the right rule index', () => {
    expect(run.results).toHaveLength(findings.length);
    expect(run.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]).sort()).toEqual(findings.map((f) => f.fingerprint).sort());
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
  });

  it('locates results logically: scope › region › resource', () => {
    const pub = run.results.find(
      (r) => r.ruleId === 'snapshots.public' && r.locations[0]!.logicalLocations[0]!.fullyQualifiedName.startsWith('aws/'),
    )!;
    const loc = pub.locations[0]!.logicalLocations[0]!;
    expect(loc.fullyQualifiedName).toBe('aws/111111111111/eu-west-1/arn:aws:ec2:eu-west-1::snapshot/snap-0a1b2c3d4e5f60002');
    expect(loc.kind).toBe('resource');
    const region = run.logicalLocations[run.logicalLocations[loc.index]!.parentIndex!]!;
    expect(region.fullyQualifiedName).toBe('aws/111111111111/eu-west-1');
    expect(run.logicalLocations[region.parentIndex!]!.fullyQualifiedName).toBe('aws/111111111111');
  });

  it('marks suppressed findings as externally suppressed, and reports gaps as notifications', () => {
    const suppressed = run.results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(findings.filter((f) => f.status === 'suppressed').length);
    expect(suppressed.map((r) => r.suppressions![0]!.status).sort()).toEqual(['accepted', 'underReview']);
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications.length).toBeGreaterThan(0);
  });

  it('is stable: the same result gives the same document', () => {
    expect(JSON.stringify(renderSarifDocument(result))).toBe(JSON.stringify(doc));
  });
});

describe('SARIF message text from a cloud', () => {
  // SARIF 2.1.0 §3.11.6: `[text](target)` in a plain-text message is an embedded link; literal brackets are escaped.
  it('escapes square brackets and backslashes, so a name cannot become an embedded link', () => {
    expect(sarifText('[link](https://evil.example) a\\b')).toBe('\\[link\\](https://evil.example) a\\\\b');
  });
});

describe('SARIF for GitHub code scanning', () => {
  it("passes GitHub's published code-scanning subset (a location with a repository-relative artifact uri and a line)", () => {
    const doc = renderSarifDocument(result);
    expect(githubSarifProblems(doc)).toEqual([]);
  });

  it('the validator rejects a result with logical locations only, as code scanning does', () => {
    const doc = renderSarifDocument(result) as { runs: Array<{ results: Array<{ locations: unknown[] }> }> };
    const first = doc.runs[0]!.results[0]!;
    first.locations = [{ logicalLocations: [{ name: 'x' }] }];
    expect(githubSarifProblems(doc)).toEqual([expect.stringContaining('no physicalLocation')]);
    first.locations = [];
    expect(githubSarifProblems(doc)).toEqual([expect.stringContaining('expected at least one location')]);
  });

  it('gives each resource a stable pseudo-path under cloud/ that names its artifact kind', () => {
    const doc = renderSarifDocument(resultWithEveryKind()) as { runs: SarifRunWithUris[] };
    expect(githubSarifProblems(doc)).toEqual([]);
    const uris = doc.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    for (const u of uris) expect(u).toMatch(/^cloud\/(aws|azure|gcp)\/[^/]+\/[^/]+\/[^/]+(\/[^/]+)?$/);
    for (const kind of artifactKinds)
      expect(
        uris.some((u) => u.split('/')[4] === kind),
        kind,
      ).toBe(true);
    const pub = findings.find((f) => f.checkId === 'snapshots.public' && f.provider === 'aws')!;
    expect(artifactUri(pub)).toBe(
      'cloud/aws/111111111111/eu-west-1/disk-snapshot/arn%3Aaws%3Aec2%3Aeu-west-1%3A%3Asnapshot%2Fsnap-0a1b2c3d4e5f60002',
    );
    expect(artifactUri({ ...findings[0]!, resource: { kind: 'image', id: '..', name: null } })).not.toMatch(/\/\.\.$/);
  });

  it(`keeps at most ${SARIF_MAX_RESULTS} results (the most severe) and says how many it left out`, () => {
    const big = structuredClone(result);
    for (const s of big.scopes.slice(1)) s.findings = [];
    big.findings = [];
    const template = big.scopes[0]!.findings[0]!;
    big.scopes[0]!.findings = Array.from({ length: SARIF_MAX_RESULTS + 5 }, (_, i) => ({
      ...template,
      severity: i < 5 ? 'critical' : 'low',
      fingerprint: i.toString(16).padStart(24, '0'),
    }));
    const doc = renderSarifDocument(big) as { runs: Array<SarifRun & { results: Array<{ level: string }> }> };
    const run = doc.runs[0]!;
    expect(githubSarifProblems(doc)).toEqual([]);
    expect(run.results).toHaveLength(SARIF_MAX_RESULTS);
    expect(run.results.filter((r) => r.level === 'error')).toHaveLength(5);
    const notes = run.invocations[0]!.toolExecutionNotifications as Array<{ message: { text: string } }>;
    expect(notes.map((n) => n.message.text)).toContainEqual(
      expect.stringMatching(/^\d+ of \d+ findings \(the least severe\) are left out/),
    );
  });

  it(`keeps rule tags within what GitHub shows (${SARIF_MAX_TAGS})`, () => {
    const doc = renderSarifDocument(result) as { runs: SarifRun[] };
    for (const r of doc.runs[0]!.tool.driver.rules) expect(r.properties.tags.length).toBeLessThanOrEqual(SARIF_MAX_TAGS);
  });
});

interface SarifRunWithUris {
  results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
}
