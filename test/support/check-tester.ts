/**
 * Table-driven check tests (after typescript-eslint's RuleTester): `pass` cases must produce no finding, `fail`
 * cases must produce exactly the findings they list, matched on message id and evidence (a partial match), and on
 * severity, region, resource and owner where given. Tests assert ids and data, never prose: the wording is checked
 * once per message, by rendering every message the fail cases produce (each message id needs at least one).
 */
import { describe, expect, it } from 'vitest';
import type { Check, EvidenceOf, Messages, RunContext, ScopeInput } from '../../checks/define-check.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import type { Finding, ProviderDiscovery } from '../../src/core/model/result.ts';
import { makeScopeInput } from './factories.ts';

type DeepPartial<T> = T extends readonly (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export interface CheckCase<O> {
  name: string;
  input?: ScopeInput;
  discovery?: ProviderDiscovery;
  ctx?: Partial<RunContext>;
  /** Options besides the check's defaults. */
  options?: Partial<O>;
}

/** One expected finding: its message id and (part of) that message's evidence, plus placement where it matters. */
export type ExpectedFinding<M extends Messages> = {
  [K in keyof M & string]: { messageId: K; evidence?: DeepPartial<EvidenceOf<M[K]>> };
}[keyof M & string] &
  Partial<Pick<Finding, 'severity' | 'region' | 'owner' | 'message'>> & { resourceId?: string | null };

export interface FailCase<M extends Messages, O> extends CheckCase<O> {
  expect: ExpectedFinding<M>[];
}

export function runContext(o: Partial<RunContext> = {}): RunContext {
  return { now: new Date('2026-11-26T00:00:00Z'), baseline: defaultConfig().baseline, previous: null, ...o };
}

function run<M extends Messages, O>(check: Check<M, O>, c: CheckCase<O>): Finding[] {
  const ctx = { ...runContext(c.ctx), options: check.options.parse(c.options ?? {}) as O };
  return [
    ...(c.input || !c.discovery ? check.evaluateScope(c.input ?? makeScopeInput(), ctx) : []),
    ...(c.discovery ? check.evaluateDiscovery(c.discovery, ctx) : []),
  ];
}

/** What a rendered message must never contain: values that were missing or not text. */
const BROKEN = /undefined|\[object Object\]|NaN/;

export function runCheckCases<M extends Messages, O>(check: Check<M, O>, cases: { pass: CheckCase<O>[]; fail: FailCase<M, O>[] }): void {
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
        expect(findings.map((f) => f.messageId)).toEqual(c.expect.map((e) => e.messageId));
        c.expect.forEach((e, i) => {
          const f = findings[i] as Finding;
          expect(f.checkId).toBe(check.meta.id);
          expect(f.fingerprint).toMatch(/^[0-9a-f]{24}$/);
          if (e.evidence !== undefined) expect(f.evidence).toMatchObject(e.evidence as Record<string, unknown>);
          if (e.severity) expect(f.severity).toBe(e.severity);
          if (e.region !== undefined) expect(f.region).toBe(e.region);
          if (e.owner !== undefined) expect(f.owner).toBe(e.owner);
          if (e.message !== undefined) expect(f.message).toBe(e.message);
          if (e.resourceId !== undefined) expect(f.resource?.id ?? null).toBe(e.resourceId);
        });
      });
    }
    it('renders every message as a sentence (each message id is produced by a fail case)', () => {
      const rendered = new Map<string, string[]>();
      for (const c of cases.fail)
        for (const f of run(check, c)) rendered.set(f.messageId, [...(rendered.get(f.messageId) ?? []), f.message]);
      expect([...rendered.keys()].sort(), 'message ids without a fail case').toEqual(Object.keys(check.messages).sort());
      for (const text of [...rendered.values()].flat()) {
        expect(text).toMatch(/\S\.$/);
        expect(text).not.toMatch(BROKEN);
      }
    });
  });
}
