/**
 * Table-driven check tests (after typescript-eslint's RuleTester): `pass` cases must produce no finding, `fail`
 * cases must produce exactly the findings they list (matched on the fields given).
 */
import { describe, expect, it } from 'vitest';
import type { Check, CheckContext, ScopeInput } from '../../checks/define-check.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import type { Finding, ProviderDiscovery } from '../../src/core/model/result.ts';
import { makeScopeInput } from './factories.ts';

export interface CheckCase {
  name: string;
  input?: ScopeInput;
  discovery?: ProviderDiscovery;
  ctx?: Partial<CheckContext>;
}

export interface FailCase extends CheckCase {
  expect: Array<Partial<Pick<Finding, 'severity' | 'region' | 'owner'>> & { resourceId?: string | null; message?: RegExp }>;
}

export function checkContext(o: Partial<CheckContext> = {}): CheckContext {
  const config = defaultConfig();
  return { now: new Date('2026-11-26T00:00:00Z'), policy: config.policy, baseline: config.baseline, previous: null, ...o };
}

function run(check: Check, c: CheckCase): Finding[] {
  const ctx = checkContext(c.ctx);
  return [
    ...(c.input || !c.discovery ? check.evaluateScope(c.input ?? makeScopeInput(), ctx) : []),
    ...(c.discovery ? check.evaluateDiscovery(c.discovery, ctx) : []),
  ];
}

export function runCheckCases(check: Check, cases: { pass: CheckCase[]; fail: FailCase[] }): void {
  describe(check.meta.id, () => {
    if (cases.pass.length === 0 || cases.fail.length === 0) throw new Error(`${check.meta.id}: give at least one pass and one fail case`);
    for (const c of cases.pass) {
      it(`passes: ${c.name}`, () => {
        expect(run(check, c)).toEqual([]);
      });
    }
    for (const c of cases.fail) {
      it(`fails: ${c.name}`, () => {
        const findings = run(check, c);
        expect(findings).toHaveLength(c.expect.length);
        c.expect.forEach((e, i) => {
          const f = findings[i] as Finding;
          expect(f.checkId).toBe(check.meta.id);
          expect(f.fingerprint).toMatch(/^[0-9a-f]{24}$/);
          if (e.severity) expect(f.severity).toBe(e.severity);
          if (e.region !== undefined) expect(f.region).toBe(e.region);
          if (e.owner !== undefined) expect(f.owner).toBe(e.owner);
          if (e.resourceId !== undefined) expect(f.resource?.id ?? null).toBe(e.resourceId);
          if (e.message) expect(f.message).toMatch(e.message);
        });
      });
    }
  });
}
