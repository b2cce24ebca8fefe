import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOcsfEvents } from '../../reports/ocsf.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { OcsfSchema } from '../support/ocsf.ts';

const result: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const schema = new OcsfSchema();
const events = renderOcsfEvents(result);
const findings = [...result.findings, ...result.scopes.flatMap((s) => s.findings)];

describe('OCSF 1.8 Compliance Finding events', () => {
  it('resolves compliance_finding through finding to base_event', () => {
    const cls = schema.resolveClass('compliance_finding');
    expect(cls.chain).toEqual(['base_event', 'finding', 'compliance_finding']);
    const required = Object.entries(cls.attributes)
      .filter(([, a]) => a.requirement === 'required')
      .map(([k]) => k)
      .sort();
    expect(required).toEqual(
      ['activity_id', 'category_uid', 'class_uid', 'compliance', 'finding_info', 'metadata', 'severity_id', 'time', 'type_uid'].sort(),
    );
    expect(schema.classUid('compliance_finding', 2)).toBe(2003);
  });

  it('emits one event per finding, open and suppressed', () => {
    expect(events).toHaveLength(findings.length);
    expect(new Set(events.map((e) => (e.finding_info as { uid: string }).uid))).toEqual(new Set(findings.map((f) => f.fingerprint)));
  });

  for (const [i, e] of events.entries()) {
    const fi = e.finding_info as { uid: string; types: string[] };
    it(`event ${i} (${fi.types[0]} ${fi.uid}) is a valid Compliance Finding`, () => {
      expect(schema.validateEvent(e, 'compliance_finding', 2)).toEqual([]);
    });
  }

  it('names ATT&CK T1578.001 in finding_info.attacks of every event', () => {
    for (const e of events) {
      const attacks = (e.finding_info as { attacks: Array<{ sub_technique: { uid: string }; technique: { uid: string } }> }).attacks;
      expect(attacks[0]?.sub_technique.uid).toBe('T1578.001');
      expect(attacks[0]?.technique.uid).toBe('T1578');
    }
  });

  it('maps severities, suppression and the failing standards', () => {
    const pub = events.find((e) => (e.finding_info as { types: string[] }).types[0] === 'snapshots.public')!;
    expect(pub).toMatchObject({ severity_id: 5, severity: 'Critical', status_id: 1, status: 'New', class_uid: 2003, type_uid: 200301 });
    expect((pub.compliance as { requirements: string[] }).requirements).toEqual(expect.arrayContaining(['NIST SP 800-53 Rev. 5 AC-3']));
    const suppressed = events.filter((e) => e.status_id === 3);
    expect(suppressed).toHaveLength(findings.filter((f) => f.status === 'suppressed').length);
    const cis = events.find((e) => (e.finding_info as { types: string[] }).types[0] === 'logging.all-regions-covered')!;
    expect((cis.compliance as { requirements: string[] }).requirements).toContain(
      'CIS Amazon Web Services Foundations Benchmark v7.0.0 4.1',
    );
  });

  it('the validator rejects what it should', () => {
    const good = events[0]!;
    const bad = { ...good, severity_id: 9, class_uid: 2004, time: '2026-11-26', finding_info: { title: 'x' } };
    const errors = schema.validateEvent(bad, 'compliance_finding', 2).join('\n');
    expect(errors).toMatch(/severity_id: 9 is not in the enum/);
    expect(errors).toMatch(/class_uid: expected 2003/);
    expect(errors).toMatch(/time: .* is not a timestamp_t/);
    expect(errors).toMatch(/finding_info\.uid: required/);
    const { compliance: _c, ...noCompliance } = good;
    expect(schema.validateEvent(noCompliance, 'compliance_finding', 2)).toContain('compliance: required by compliance_finding and missing');
    expect(schema.validateEvent({ ...good, severity: 'Low' }, 'compliance_finding', 2).join('\n')).toMatch(
      /severity: expected "Critical"|severity: expected "/,
    );
    expect(schema.validateEvent({ ...good, bogus: 1 }, 'compliance_finding', 2).join('\n')).toMatch(/bogus: not an attribute/);
  });
});
