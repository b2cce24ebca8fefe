/**
 * JUnit XML for CI dashboards: one test suite per check, one test case per check × scope (account, subscription,
 * project, and each provider's discovery for the coverage check). A case fails when the check has open findings
 * above info in that scope, is skipped when the scope could not be read well enough to tell, and passes otherwise.
 * Info findings (e.g. principals approved by the baseline) and suppressed findings are listed in system-out.
 */
import type { OutputFile } from '../src/core/output-file.ts';
import type { Finding, Provider, ScanResult } from '../src/core/model/result.ts';
import { escapeXml as x } from './escape.ts';
import type { CatalogueCheck, RenderContext } from './types.ts';
import { collect, type ResultSource, resultSource, type ScopeHead, scopeHeads, type StreamedFile, wholeFiles } from './source.ts';
import { checkAssessable, scopeLabel } from './view-model.ts';

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

type Outcome = Case['outcome'];

function outcomeOf(checkId: string, failing: number, assess: { assessable: boolean }): Outcome {
  if (failing > 0) return 'fail';
  return !assess.assessable && checkId !== COVERAGE_CHECK ? 'skip' : 'pass';
}

function isFailing(f: Finding): boolean {
  return f.status === 'open' && f.severity !== 'info';
}

function caseOf(checkId: string, name: string, findings: Finding[], assess: { assessable: boolean; why: string | null }): Case {
  const failing = findings.filter(isFailing);
  const other = findings.filter((f) => !isFailing(f));
  const outcome = outcomeOf(checkId, failing.length, assess);
  return { name, outcome, failing, other, skipReason: outcome === 'skip' ? assess.why : null };
}

/** Findings of one check in one scope (provider, scope id), as consecutive runs of the by-check order give them. */
interface Group {
  checkId: string;
  key: string;
  findings: Finding[];
}

/** Groups consecutive findings of the same check and scope. */
function* groupsOf(findings: Iterable<Finding>): Generator<Group> {
  let current: Group | null = null;
  for (const f of findings) {
    const key = `${f.provider}\u0000${f.scopeId}`;
    if (current && current.checkId === f.checkId && current.key === key) current.findings.push(f);
    else {
      if (current) yield current;
      current = { checkId: f.checkId, key, findings: [f] };
    }
  }
  if (current) yield current;
}

/** An iterator whose next item can be looked at before it is taken. */
class Peekable<T> {
  private readonly it: Iterator<T>;
  private head: IteratorResult<T>;
  constructor(items: Iterable<T>) {
    this.it = items[Symbol.iterator]();
    this.head = this.it.next();
  }
  peek(): T | undefined {
    return this.head.done ? undefined : this.head.value;
  }
  take(): T | undefined {
    const v = this.peek();
    if (!this.head.done) this.head = this.it.next();
    return v;
  }
}

interface Plan {
  heads: ScopeHead[];
  scopeKeys: Set<string>;
  checkIds: string[];
  /** Per check: the scopes it applies to (canonical order) and its suite's counts. */
  suites: Map<string, { scopes: ScopeHead[]; tests: number; failures: number; skipped: number }>;
}

const headKey = (s: ScopeHead) => `${s.scope.provider}\u0000${s.scope.id}`;

/**
 * The first pass: which cases each suite has and how they end, from the count of failing findings per check and
 * scope (the document states every count before its cases).
 */
function planJunit(source: ResultSource, catalogue: readonly CatalogueCheck[]): Plan {
  const { header } = source;
  const heads = scopeHeads(source);
  const scopeKeys = new Set(heads.map(headKey));
  const failing = new Map<string, number>();
  const outside = new Map<string, Set<string>>();
  for (const g of groupsOf(source.findings('by-check'))) {
    failing.set(`${g.checkId}\u0000${g.key}`, g.findings.filter(isFailing).length);
    if (!scopeKeys.has(g.key)) {
      const set = outside.get(g.checkId) ?? new Set<string>();
      set.add(g.key);
      outside.set(g.checkId, set);
    }
  }
  const checkIds = [...new Set([...header.checks.map((c) => c.id), ...[...failing.keys()].map((k) => k.split('\u0000')[0]!)])].sort();
  const suites: Plan['suites'] = new Map();
  for (const checkId of checkIds) {
    const providers: readonly Provider[] = header.checks.find((c) => c.id === checkId)?.providers ?? header.scan.providers;
    const scopes = heads.filter((s) => providers.includes(s.scope.provider));
    const outcomes = scopes.map((s) =>
      outcomeOf(checkId, failing.get(`${checkId}\u0000${headKey(s)}`) ?? 0, checkAssessable(s, checkId, catalogue)),
    );
    for (const k of extraKeys(header, checkId, outside.get(checkId)))
      outcomes.push(outcomeOf(checkId, failing.get(`${checkId}\u0000${k}`) ?? 0, { assessable: true }));
    suites.set(checkId, {
      scopes,
      tests: outcomes.length,
      failures: outcomes.filter((o) => o === 'fail').length,
      skipped: outcomes.filter((o) => o === 'skip').length,
    });
  }
  return { heads, scopeKeys, checkIds, suites };
}

/** Cases outside any scanned scope (discovery failures) and, for the coverage check, each provider's discovery: sorted keys. */
function extraKeys(header: ScanResult, checkId: string, outside: ReadonlySet<string> | undefined): string[] {
  const keys = new Set(outside ?? []);
  if (checkId === COVERAGE_CHECK) for (const d of header.discovery) keys.add(`${d.provider}\u0000${d.root ?? `${d.provider}:discovery`}`);
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function suiteOpen(header: ScanResult, checkId: string, counts: { tests: number; failures: number; skipped: number }): string {
  const meta = header.checks.find((c) => c.id === checkId);
  return [
    `  <testsuite name="${x(checkId)}" tests="${counts.tests}" failures="${counts.failures}" errors="0" skipped="${counts.skipped}" time="0" timestamp="${x(header.scan.finishedAt.replace(/\.\d+Z$|Z$/, ''))}">`,
    '    <properties>',
    `      <property name="title" value="${x(meta?.title ?? checkId)}"/>`,
    `      <property name="severity" value="${x(meta?.severity ?? '')}"/>`,
    `      <property name="references" value="${x(meta ? [...meta.references.attack, ...meta.references.detection, ...meta.references.nist, ...meta.references.cis].join(' ') : '')}"/>`,
    '    </properties>',
  ].join('\n');
}

/** One suite's cases: its scopes' in canonical order, then the extra ones; `groups` is the by-check stream. */
function* suiteCases(
  checkId: string,
  plan: Plan,
  groups: Peekable<Group>,
  header: ScanResult,
  catalogue: readonly CatalogueCheck[],
): Generator<string> {
  const extras = new Map<string, Finding[]>();
  const takeUpTo = (key: string | null): Finding[] => {
    for (;;) {
      const g = groups.peek();
      if (!g || g.checkId !== checkId || (key !== null && g.key > key)) return [];
      groups.take();
      if (g.key === key) return g.findings;
      if (!plan.scopeKeys.has(g.key)) extras.set(g.key, g.findings);
    }
  };
  for (const s of plan.suites.get(checkId)!.scopes) {
    const findings = takeUpTo(headKey(s));
    const c = caseOf(
      checkId,
      `${s.scope.provider} ${s.scope.kind} ${scopeLabel(s.scope)}`,
      findings,
      checkAssessable(s, checkId, catalogue),
    );
    yield `\n${caseXml(checkId, c)}`;
  }
  takeUpTo(null);
  for (const k of extraKeys(header, checkId, new Set(extras.keys()))) {
    const [provider, scopeId] = k.split('\u0000') as [string, string];
    yield `\n${caseXml(checkId, caseOf(checkId, `${provider} discovery ${scopeId}`, extras.get(k) ?? [], { assessable: true, why: null }))}`;
  }
}

function* junitChunks(source: ResultSource, catalogue: readonly CatalogueCheck[]): Generator<string> {
  const { header } = source;
  const plan = planJunit(source, catalogue);
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const s of plan.suites.values()) {
    tests += s.tests;
    failures += s.failures;
    skipped += s.skipped;
  }
  const seconds = Math.max(0, (Date.parse(header.scan.finishedAt) - Date.parse(header.scan.startedAt)) / 1000);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="snapaudit ${x(header.scan.id)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds.toFixed(3)}">`;
  const groups = new Peekable(groupsOf(source.findings('by-check')));
  for (const checkId of plan.checkIds) {
    yield `\n${suiteOpen(header, checkId, plan.suites.get(checkId)!)}`;
    yield* suiteCases(checkId, plan, groups, header, catalogue);
    yield '\n  </testsuite>';
  }
  yield '\n</testsuites>\n';
}

export function renderJunitXml(result: ScanResult, catalogue: readonly CatalogueCheck[]): string {
  return collect(streamJunit(resultSource(result), { trend: null, frameworks: [], checks: catalogue })[0]!);
}

/** junit.xml, streamed suite by suite: a first pass counts, a second writes the cases with their findings. */
export function streamJunit(source: ResultSource, ctx: RenderContext): StreamedFile[] {
  return [{ name: 'junit.xml', chunks: () => junitChunks(source, ctx.checks) }];
}

export function renderJunit(result: ScanResult, ctx: RenderContext): OutputFile[] {
  return wholeFiles(streamJunit(resultSource(result), ctx));
}
