import { describe, expect, it } from 'vitest';
import { checks } from '../../checks/index.ts';
import { controlChecks, controlReference, frameworks, type ReferenceKey, referencesFor } from '../../src/core/frameworks/index.ts';

const allIds = checks.map((c) => c.meta.id);
const keys: ReferenceKey[] = ['attack', 'detection', 'nist', 'cis'];

/**
 * The framework files are the one place that maps checks to controls: a check's `meta.references` is derived from
 * them. These tests keep the derivation honest and the files free of unknown check ids.
 */
describe('framework data and the references derived from it', () => {
  for (const check of checks) {
    for (const key of keys) {
      for (const ref of check.meta.references[key]) {
        it(`${check.meta.id} references ${key} ${ref}, which a framework defines and which claims the check`, () => {
          const owners = frameworks.flatMap((f) =>
            f.controls.filter((c) => {
              const r = controlReference(f, c);
              return r.key === key && r.value === ref;
            }),
          );
          expect(owners, `no framework control is referenced as ${key} "${ref}"`).toHaveLength(1);
          expect(controlChecks(owners[0]!, allIds)).toContain(check.meta.id);
        });
      }
    }
  }

  for (const f of frameworks) {
    for (const c of f.controls) {
      it(`${f.id} ${c.id} claims only registered checks, each of which then references it`, () => {
        const ref = controlReference(f, c);
        const claimed = controlChecks(c, allIds);
        expect(claimed.length).toBeGreaterThan(0);
        for (const id of claimed) {
          const check = checks.find((x) => x.meta.id === id);
          expect(check, `${f.id} ${c.id} claims unknown check "${id}"`).toBeDefined();
          expect(check!.meta.references[ref.key], `${id} does not reference ${ref.key} ${ref.value}`).toContain(ref.value);
        }
      });
    }
  }

  it("derives a check's references from the controls listing it or every check (*), in framework order", () => {
    expect(referencesFor('logging.all-regions-covered')).toEqual({
      attack: ['T1578.001'],
      detection: ['DET0423'],
      nist: ['AU-2', 'AU-12', 'SI-4'],
      cis: ['cis-aws:4.1'],
    });
    // a check no framework lists yet is still evidence against the technique
    expect(referencesFor('snapshots.not-yet-mapped')).toEqual({ attack: ['T1578.001'], detection: ['DET0423'], nist: [], cis: [] });
  });

  it('has unique framework ids and unique control ids within a framework', () => {
    expect(new Set(frameworks.map((f) => f.id)).size).toBe(frameworks.length);
    for (const f of frameworks) expect(new Set(f.controls.map((c) => c.id)).size).toBe(f.controls.length);
  });

  it('covers the NIST SP 800-53 controls the design names', () => {
    const nist = frameworks.find((f) => f.id === 'nist-800-53')!;
    for (const id of ['AU-2', 'AU-6', 'AU-9', 'AU-11', 'AU-12', 'AC-2', 'AC-6', 'CM-8', 'SI-4', 'AC-3', 'AC-21', 'SC-28']) {
      expect(nist.controls.map((c) => c.id)).toContain(id);
    }
  });
});
