import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checks } from '../checks/index.ts';

const dir = new URL('../checks/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !['define-check.ts', 'support.ts', 'index.ts'].includes(f));

describe('check registry', () => {
  it('registers exactly the checks in checks/, each file named after its id', () => {
    const fromIds = checks.map((c) => `${c.meta.id.replace('.', '-')}.ts`).sort();
    expect(fromIds).toEqual(files.sort());
  });

  it('has one test file per check', () => {
    const tests = readdirSync(new URL('./checks/', import.meta.url)).filter((f) => f.endsWith('.test.ts'));
    expect(tests.map((t) => t.replace('.test.ts', '.ts')).sort()).toEqual(files.sort());
  });

  it('gives every check ATT&CK T1578.001, DET0423, a rationale and a remediation', () => {
    for (const c of checks) {
      expect(c.meta.references.attack).toContain('T1578.001');
      expect(c.meta.references.detection).toContain('DET0423');
      expect(c.meta.rationale.length).toBeGreaterThan(40);
      expect(c.meta.remediation.length).toBeGreaterThan(20);
    }
  });

  it('uses unique ids', () => {
    expect(new Set(checks.map((c) => c.meta.id)).size).toBe(checks.length);
  });
});
