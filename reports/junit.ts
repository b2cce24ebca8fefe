/**
 * JUnit XML for CI dashboards: one test suite per check, one test case per check × scope (account, subscription,
 * project, and each provider's discovery for the coverage check). A case fails when the check has open findings
 * above info in that scope, is skipped when the scope could not be read well enough to tell, and passes otherwise.
 * Info findings (e.g. principals approved by the baseline) and suppressed findings are listed in system-out.
 */
import type { OutputFile } from '../src/core/output-file.ts';
import { sortBy } from '../src/core/model/order.ts';
import type { Finding, Provider, ScanResult } from '../src/core/model/result.ts';
import { escapeXml as x } from './escape.ts';
import type { CatalogueCheck, RenderContext } from './types.ts';
import { buildReportModel, checkAssessable, scopeLabel } from './view-model.ts';

const COVERAGE_CHECK = 'coverage.scope-unreadable';

interface Case {
  name: string;
  outcome: 'pass' | 'fail' | 'skip';
  failing: Finding[];
  other: Finding[];
  skipReason: string | null;
}

function describe(f: Finding): string {
  return `[${f.severity}] ${f.region ? `${f.region} ` : ''}${f.resource ? `${f.resource.id} ` : ''}${f.message} (fingerprint ${f.fingerprint})`;
}

function caseXml(checkId: string, c: Case): string {
  const open = `    <testcase classname="${x(checkId)}" name="${x(c.name)}" time="0">`;
  const out: string[] = [open];
  if (c.outcome === 'fail') {
    const worst = c.failing[0]!.severity;
    const message = `${c.failing.length} open finding${c.failing.length === 1 ? '' : 's'} (worst: ${worst})`;
    out.push(`      <failure type="${x(worst)}" message="${x(message)}">${x(c.failing.map(describe).join('\n'))}</failure>`);
  } else if (c.outcome === 'skip') {
    out.push(`      <skipped message="${x(c.skipReason ?? 'not read')}"/>`);
  }
  if (c.other.length > 0) {
    out.push(
      `      <system-out>${x(c.other.map((f) => `${f.status === 'suppressed' ? 'suppressed ' : ''}${describe(f)}`).join('\n'))}</system-out>`,
    );
  }
  out.push('    </testcase>');
  return out.join('\n');
}

export function renderJunitXml(result: ScanResult, catalogue: readonly CatalogueCheck[]): string {
  const m = buildReportModel(result);
  const scopes = sortBy(
    result.scopes,
    (s) => s.scope.provider,
    (s) => s.scope.id,
  );
  const byCase = new Map<string, Finding[]>();
  for (const f of m.findings) {
    const k = `${f.checkId}\u0000${f.provider}\u0000${f.scopeId}`;
    const list = byCase.get(k);
    if (list) list.push(f);
    else byCase.set(k, [f]);
  }
  const scopeKeys = new Set(scopes.map((s) => `${s.scope.provider}\u0000${s.scope.id}`));
  const checkIds = [...new Set([...result.checks.map((c) => c.id), ...m.findings.map((f) => f.checkId)])].sort();

  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const checkId of checkIds) {
    const meta = result.checks.find((c) => c.id === checkId);
    const providers: readonly Provider[] = meta?.providers ?? result.scan.providers;
    const cases: Case[] = [];
    const classify = (name: string, findings: Finding[], assess: { assessable: boolean; why: string | null }): Case => {
      const failing = findings.filter((f) => f.status === 'open' && f.severity !== 'info');
      const failed = new Set(failing);
      const other = findings.filter((f) => !failed.has(f));
      if (failing.length > 0) return { name, outcome: 'fail', failing, other, skipReason: null };
      if (!assess.assessable && checkId !== COVERAGE_CHECK) return { name, outcome: 'skip', failing, other, skipReason: assess.why };
      return { name, outcome: 'pass', failing, other, skipReason: null };
    };
    for (const s of scopes.filter((s) => providers.includes(s.scope.provider))) {
      const findings = byCase.get(`${checkId}\u0000${s.scope.provider}\u0000${s.scope.id}`) ?? [];
      cases.push(classify(`${s.scope.provider} ${s.scope.kind} ${scopeLabel(s.scope)}`, findings, checkAssessable(s, checkId, catalogue)));
    }
    // Findings outside any scanned scope (discovery failures) and, for the coverage check, each provider's discovery.
    const extra = new Map<string, Finding[]>();
    if (checkId === COVERAGE_CHECK) {
      for (const d of sortBy(result.discovery, (d) => d.provider))
        extra.set(`${d.provider}\u0000${d.root ?? `${d.provider}:discovery`}`, []);
    }
    for (const [k, findings] of byCase) {
      const [c, provider, scopeId] = k.split('\u0000') as [string, string, string];
      if (c !== checkId || scopeKeys.has(`${provider}\u0000${scopeId}`)) continue;
      extra.set(`${provider}\u0000${scopeId}`, findings);
    }
    for (const [k, findings] of [...extra].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [provider, scopeId] = k.split('\u0000') as [string, string];
      cases.push(classify(`${provider} discovery ${scopeId}`, findings, { assessable: true, why: null }));
    }
    const f = cases.filter((c) => c.outcome === 'fail').length;
    const sk = cases.filter((c) => c.outcome === 'skip').length;
    tests += cases.length;
    failures += f;
    skipped += sk;
    suites.push(
      [
        `  <testsuite name="${x(checkId)}" tests="${cases.length}" failures="${f}" errors="0" skipped="${sk}" time="0" timestamp="${x(result.scan.finishedAt.replace(/\.\d+Z$|Z$/, ''))}">`,
        '    <properties>',
        `      <property name="title" value="${x(meta?.title ?? checkId)}"/>`,
        `      <property name="severity" value="${x(meta?.severity ?? '')}"/>`,
        `      <property name="references" value="${x(meta ? [...meta.references.attack, ...meta.references.detection, ...meta.references.nist, ...meta.references.cis].join(' ') : '')}"/>`,
        '    </properties>',
        ...cases.map((c) => caseXml(checkId, c)),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  const seconds = Math.max(0, (Date.parse(result.scan.finishedAt) - Date.parse(result.scan.startedAt)) / 1000);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="snapaudit ${x(result.scan.id)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds.toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export function renderJunit(result: ScanResult, ctx: RenderContext): OutputFile[] {
  return [{ name: 'junit.xml', content: renderJunitXml(result, ctx.checks) }];
}
