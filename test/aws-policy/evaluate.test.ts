/**
 * Table-driven evaluator cases in the shared case format (test/support/cases.ts): every `fixtures/evaluate-*.json`
 * file holds cases, one generated test per case, each citing the AWS documentation of the rule it encodes. A case
 * states its input (policies as documents, JSON strings or URL-encoded strings; a bare document gets an id from its
 * position) and the expected decision, conditional flag and, where it matters, the explaining grant/denial.
 */
import { describe, expect, it } from 'vitest';
import { type EvaluateInput, evaluate, type PolicyInput, type StatementMatch } from '../../providers/aws/policy/evaluate.ts';
import { timeContext } from '../../providers/aws/policy/account-principals.ts';
import { type DocumentedCase, describeCases } from '../support/cases.ts';

interface MatchExpectation {
  policy?: string;
  statement?: string;
  /** The matched Action pattern; null for NotAction. */
  pattern?: string | null;
  element?: 'Action' | 'NotAction';
  conditional?: boolean;
  layer?: string;
  group?: string;
  resource?: string[];
  coverage?: 'full' | 'partial';
}

type CaseInput = Omit<Partial<EvaluateInput>, 'identityPolicies'> & Record<string, unknown>;
interface CaseExpect {
  decision: 'allowed' | 'explicit-deny' | 'implicit-deny';
  conditional: boolean;
  grant?: MatchExpectation;
  denial?: MatchExpectation;
  grants?: number;
  reason?: string;
}
type Case = DocumentedCase<CaseInput, CaseExpect>;

function isDocument(p: unknown): boolean {
  return typeof p === 'string' || (typeof p === 'object' && p !== null && ('Statement' in p || 'Version' in p));
}

function policies(list: unknown, prefix: string): PolicyInput[] {
  return ((list as unknown[] | undefined) ?? []).map((p, i) =>
    isDocument(p) ? { id: `${prefix}-${i}`, document: p as object } : (p as PolicyInput),
  );
}

/** `scanTime` in a case: the injected scan clock, as the account analysis passes it (aws:CurrentTime, aws:EpochTime). */
function toInput(c: Case): EvaluateInput {
  const { scanTime, ...i } = c.input;
  const clock = typeof scanTime === 'string' ? timeContext(new Date(scanTime)) : {};
  return {
    ...(i as object),
    ...(scanTime !== undefined ? { knownContext: { ...clock, ...(i.knownContext as object | undefined) } } : {}),
    principal: (i.principal as EvaluateInput['principal']) ?? 'arn:aws:iam::111111111111:user/alice',
    action: i.action ?? 'ec2:CreateSnapshot',
    resource: i.resource ?? 'arn:aws:ec2:us-east-1::snapshot/snap-0123',
    identityPolicies: policies(i.identityPolicies, 'identity'),
    ...(i.permissionBoundaries ? { permissionBoundaries: policies(i.permissionBoundaries, 'boundary') } : {}),
    ...(i.resourcePolicies ? { resourcePolicies: policies(i.resourcePolicies, 'resource') } : {}),
    ...(i.serviceControlPolicies
      ? { serviceControlPolicies: (i.serviceControlPolicies as unknown[][]).map((level, n) => policies(level, `scp${n}`)) }
      : {}),
  } as EvaluateInput;
}

function matches(m: StatementMatch, e: MatchExpectation): boolean {
  return (
    (e.policy === undefined || m.policyId === e.policy) &&
    (e.statement === undefined || m.statement.label === e.statement) &&
    (e.pattern === undefined || m.action.pattern === e.pattern) &&
    (e.element === undefined || m.action.element === e.element) &&
    (e.conditional === undefined || m.conditional === e.conditional) &&
    (e.layer === undefined || m.layer === e.layer) &&
    (e.group === undefined || m.group?.name === e.group) &&
    (e.resource === undefined || JSON.stringify(m.resource?.matched) === JSON.stringify(e.resource)) &&
    (e.coverage === undefined || m.resource?.coverage === e.coverage)
  );
}

function show(list: StatementMatch[]): string {
  return JSON.stringify(
    list.map((m) => ({
      layer: m.layer,
      policy: m.policyId,
      statement: m.statement.label,
      pattern: m.action.pattern,
      element: m.action.element,
      conditional: m.conditional,
      resource: m.resource,
    })),
  );
}

const files = describeCases<CaseInput, CaseExpect>(new URL('./fixtures/', import.meta.url), /^evaluate-.*\.json$/, (c) => {
  const r = evaluate(toInput(c));
  const ctx = `reason: ${r.explains.reason}\ngrants: ${show(r.grants)}\ndenials: ${show(r.denials)}`;
  expect(r.decision, ctx).toBe(c.expect.decision);
  expect(r.conditional, ctx).toBe(c.expect.conditional);
  const grant = c.expect.grant;
  if (grant)
    expect(
      r.grants.some((g) => matches(g, grant)),
      `expected grant ${JSON.stringify(grant)}\n${ctx}`,
    ).toBe(true);
  const denial = c.expect.denial;
  if (denial)
    expect(
      r.denials.some((d) => matches(d, denial)),
      `expected denial ${JSON.stringify(denial)}\n${ctx}`,
    ).toBe(true);
  if (c.expect.grants !== undefined) expect(r.grants.length, ctx).toBe(c.expect.grants);
  if (c.expect.reason) expect(r.explains.reason).toContain(c.expect.reason);
});
const total = files.reduce((n, f) => n + f.cases.length, 0);

describe('fixture inventory', () => {
  it('holds at least 60 evaluator cases across several files', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(total).toBeGreaterThanOrEqual(60);
  });
});
