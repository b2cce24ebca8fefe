import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Check } from '../checks/define-check.ts';
import { checks, knownChecks } from '../checks/index.ts';

const dir = new URL('../checks/', import.meta.url);
/** Every file in checks/ whose default export is a check (the others are the framework: define-check, support, index). */
const checkFiles = await Promise.all(
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map(async (file) => ({ file, mod: (await import(new URL(file, dir).href)) as { default?: unknown } })),
).then((all) =>
  all
    .filter(({ mod }) => typeof mod.default === 'object' && mod.default !== null && 'meta' in mod.default)
    .map(({ file, mod }) => ({ file, check: mod.default as Check })),
);

describe('check registry', () => {
  it('registers exactly the checks in checks/, each file named after its id', () => {
    expect(checks.map((c) => c.meta.id).sort()).toEqual(checkFiles.map((f) => f.check.meta.id).sort());
    for (const { file, check } of checkFiles) expect(file).toBe(`${check.meta.id.replace('.', '-')}.ts`);
  });

  it('has one test file per check', () => {
    const tests = readdirSync(new URL('./checks/', import.meta.url)).filter((f) => f.endsWith('.test.ts'));
    expect(tests.map((t) => t.replace('.test.ts', '.ts')).sort()).toEqual(checkFiles.map((f) => f.file).sort());
  });

  it('gives every check ATT&CK T1578.001, DET0423, a rationale, a remediation and at least one message', () => {
    for (const c of checks) {
      expect(c.meta.references.attack).toContain('T1578.001');
      expect(c.meta.references.detection).toContain('DET0423');
      expect(c.meta.rationale.length).toBeGreaterThan(40);
      expect(c.meta.remediation.length).toBeGreaterThan(20);
      expect(Object.keys(c.messages).length).toBeGreaterThan(0);
    }
  });

  it('uses unique ids', () => {
    expect(new Set(checks.map((c) => c.meta.id)).size).toBe(checks.length);
  });

  it('gives every check a strict options schema whose every option has a default and a description', () => {
    for (const c of checks) {
      const defaults = c.options.parse({});
      expect(c.options.safeParse({ noSuchOption: 1 }).success, `${c.meta.id} accepts unknown options`).toBe(false);
      for (const [key, field] of Object.entries(c.options.shape)) {
        expect(defaults, `${c.meta.id}.${key} has no default`).toHaveProperty(key);
        expect(field.description, `${c.meta.id}.${key} has no description (.describe)`).toMatch(/\w{3}/);
      }
    }
  });

  it('tells the config every check and its options schema', () => {
    expect(knownChecks.ids).toEqual(checks.map((c) => c.meta.id));
    for (const c of checks) expect(knownChecks.options[c.meta.id]).toBe(c.options);
  });
});
