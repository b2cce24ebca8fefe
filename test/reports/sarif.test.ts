import { readFileSync } from 'node:fs';
import * as ajvDraft04 from 'ajv-draft-04';
import * as ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { sarifText } from '../../reports/escape.ts';
import { FINGERPRINT_KEY, renderSarifDocument } from '../../reports/sarif.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
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
