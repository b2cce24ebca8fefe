/**
 * A large scan recorded cheaply, for tests that run a step in a child process under a small heap: one account's
 * scripted scan is the template, its first finding copied over many resources in many scopes, staged scope by scope
 * as a spooled scan stages them (only one scope's findings in memory at a time).
 */
import type { Finding, ScanResult, ScopeResult, Severity } from '../../src/core/model/result.ts';
import type { RecordOutcome, StateStore } from '../../src/store/state-store.ts';
import { scriptedScan } from './support.ts';

export interface Template {
  header: ScanResult;
  scope: ScopeResult;
}

/** The template: an account without logging (its findings are about the account, not a region). */
export async function template(at: string): Promise<Template> {
  const header = await scriptedScan(at, { '111111111111': { logging: false } });
  return { header, scope: header.scopes[0]! };
}

/** The fingerprint of copy `i` in scope `scopeId` (24 hex digits, as the model wants). */
export function fp(scopeId: string, i: number): string {
  return `${scopeId.slice(-6)}${i.toString(16).padStart(18, '0')}`;
}

/** Scope `scopeId` with copies `first`… of the template's first finding, each about its own snapshot. */
export function scopeWith(t: Template, scopeId: string, count: number, first = 0, severity?: Severity): ScopeResult {
  const f0 = t.scope.findings[0]!;
  const findings: Finding[] = [];
  for (let i = first; i < first + count; i++) {
    findings.push({
      ...f0,
      ...(severity ? { severity } : {}),
      fingerprint: fp(scopeId, i),
      scopeId,
      resource: { kind: 'snapshot', id: `snap-${i}`, name: null },
      message: `${f0.message} (copy ${i})`,
    });
  }
  return { ...t.scope, scope: { ...t.scope.scope, id: scopeId, name: `acct-${scopeId}` }, findings };
}

/** Records one scan at `at` whose scopes `scopes()` yields, staged one at a time. */
export function recordScan(store: StateStore, t: Template, at: string, scopes: Iterable<ScopeResult>): RecordOutcome {
  const stage = store.stage();
  for (const s of scopes) stage.add(s);
  const scan = { ...t.header.scan, id: `scan-${at}`, startedAt: at, finishedAt: at };
  return store.recordStaged({ ...t.header, scan, scopes: [], findings: [] }, stage, { retain: 10 });
}

/** `scopes` scopes of `perScope` findings each (ids 100000000000…). */
export function* manyScopes(t: Template, scopes: number, perScope: number, severity?: Severity): Generator<ScopeResult> {
  for (let s = 0; s < scopes; s++) yield scopeWith(t, String(100000000000 + s), perScope, 0, severity);
}
