import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../checks/index.ts';
import { evaluateFramework } from '../../reports/framework-view.ts';
import { findFramework } from '../../src/core/frameworks/index.ts';
import type { ScanResult } from '../../src/core/model/result.ts';

const result: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const view = (id: string, r: ScanResult = result) => evaluateFramework(r, findFramework(id)!, catalogue);
const status = (id: string, control: string, r: ScanResult = result) => view(id, r).verdicts.find((v) => v.control.id === control)!;

describe('per-control framework view', () => {
  it('fails a control with open findings and shows them as evidence', () => {
    const v = status('cis-aws', '4.1');
    expect(v.status).toBe('fail');
    expect(v.failing.map((f) => f.checkId)).toEqual(['logging.all-regions-covered']);
  });

  it('cannot assess a control when a scope it covers was not fully read and nothing failed', () => {
    const v = status('cis-gcp', '2.3');
    expect(v.status).toBe('could-not-assess');
    expect(v.scopesNotAssessed.map((s) => s.scope)).toEqual(['gcp discovery']);
  });

  it('passes a control with no open finding in fully read scopes', () => {
    const v = status('cis-azure', '6.1.1.2');
    expect(v.status).toBe('pass');
    expect(v.scopesAssessed).toEqual(['azure prod-subscription (00000000-0000-0000-0000-000000000001)']);
  });

  it('is not applicable when the scan has no scope of the framework’s providers', () => {
    const awsOnly: ScanResult = {
      ...result,
      scopes: result.scopes.filter((s) => s.scope.provider === 'aws'),
      discovery: result.discovery.filter((d) => d.provider === 'aws'),
    };
    expect(view('cis-azure', awsOnly).verdicts.every((v) => v.status === 'not-applicable')).toBe(true);
  });

  it('cannot assess a control whose check was not run', () => {
    const noRetention: ScanResult = {
      ...result,
      checks: result.checks.filter((c) => c.id !== 'logging.retention'),
      scopes: result.scopes.map((s) => ({ ...s, findings: s.findings.filter((f) => f.checkId !== 'logging.retention') })),
    };
    const v = status('nist-800-53', 'AU-11', noRetention);
    expect(v.status).toBe('could-not-assess');
    expect(v.checksNotRun).toEqual(['logging.retention']);
  });

  it('does not count suppressed or info findings as failures', () => {
    const v = status('nist-800-53', 'CM-8');
    expect(v.failing.every((f) => f.status === 'open' && f.severity !== 'info')).toBe(true);
    expect(v.suppressed.map((f) => f.checkId)).toContain('snapshots.stale');
  });
});
