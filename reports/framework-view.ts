/**
 * The per-control view of a framework (`--framework NAME`): for each control, pass / fail / not applicable / could
 * not assess, with the findings and scopes behind the verdict. Pure: a function of the result and the framework data.
 */
import { controlChecks, type Framework, type FrameworkControl, findFramework } from '../src/core/frameworks/index.ts';
import { sortBy } from '../src/core/model/order.ts';
import type { Finding, ScanResult } from '../src/core/model/result.ts';
import type { CatalogueCheck } from './types.ts';
import { checkAssessable, scopeLabel } from './view-model.ts';

export type ControlStatus = 'pass' | 'fail' | 'not-applicable' | 'could-not-assess';

export const controlStatusLabel: Record<ControlStatus, string> = {
  pass: 'pass',
  fail: 'fail',
  'not-applicable': 'not applicable',
  'could-not-assess': 'could not assess',
};

export interface ControlVerdict {
  control: FrameworkControl;
  status: ControlStatus;
  /** One sentence saying why. */
  reason: string;
  checks: string[];
  /** Open findings (severity above info) of the control's checks in applicable scopes. */
  failing: Finding[];
  suppressed: Finding[];
  scopesAssessed: string[];
  scopesNotAssessed: Array<{ scope: string; why: string }>;
  checksNotRun: string[];
}

export interface FrameworkView {
  framework: Framework;
  verdicts: ControlVerdict[];
  counts: Record<ControlStatus, number>;
}

export function evaluateFramework(result: ScanResult, framework: Framework, catalogue: readonly CatalogueCheck[]): FrameworkView {
  const allIds = catalogue.map((c) => c.meta.id);
  const ran = new Set(result.checks.map((c) => c.id));
  const applicable = sortBy(
    result.scopes.filter((s) => framework.providers.includes(s.scope.provider)),
    (s) => s.scope.provider,
    (s) => s.scope.id,
  );
  const discoveryGaps = result.discovery.filter((d) => framework.providers.includes(d.provider) && d.status !== 'complete');
  const findings = [...result.findings, ...result.scopes.flatMap((s) => s.findings)].filter((f) =>
    framework.providers.includes(f.provider),
  );

  const verdicts = framework.controls.map((control): ControlVerdict => {
    const ids = controlChecks(control, allIds);
    // A check restricted to other providers (e.g. AWS-only) cannot evidence this framework's scopes.
    const relevant = ids.filter((id) => {
      const meta = result.checks.find((c) => c.id === id) ?? catalogue.find((c) => c.meta.id === id)?.meta;
      return !meta || meta.providers.some((p) => framework.providers.includes(p));
    });
    const mine = findings.filter((f) => relevant.includes(f.checkId));
    const failing = mine.filter((f) => f.status === 'open' && f.severity !== 'info');
    const suppressed = mine.filter((f) => f.status === 'suppressed');
    const checksNotRun = relevant.filter((id) => !ran.has(id));
    const scopesAssessed: string[] = [];
    const scopesNotAssessed: Array<{ scope: string; why: string }> = [];
    for (const s of applicable) {
      const label = `${s.scope.provider} ${scopeLabel(s.scope)}`;
      const blocked = relevant.map((id) => checkAssessable(s, id, catalogue)).find((a) => !a.assessable);
      if (blocked) scopesNotAssessed.push({ scope: label, why: blocked.why ?? 'not read' });
      else scopesAssessed.push(label);
    }
    for (const d of discoveryGaps) scopesNotAssessed.push({ scope: `${d.provider} discovery`, why: `scope list ${d.status}` });

    let status: ControlStatus;
    let reason: string;
    if (applicable.length === 0 && discoveryGaps.length === 0) {
      status = 'not-applicable';
      reason = `no ${framework.providers.join('/')} scope in this scan`;
    } else if (relevant.length === 0) {
      status = 'not-applicable';
      reason = 'no check evidences this control for these providers';
    } else if (failing.length > 0) {
      status = 'fail';
      const scopes = new Set(failing.map((f) => `${f.provider}:${f.scopeId}`)).size;
      reason = `${failing.length} open finding${failing.length === 1 ? '' : 's'} in ${scopes} scope${scopes === 1 ? '' : 's'}`;
    } else if (checksNotRun.length > 0) {
      status = 'could-not-assess';
      reason = `check${checksNotRun.length === 1 ? '' : 's'} not run: ${checksNotRun.join(', ')}`;
    } else if (scopesNotAssessed.length > 0) {
      status = 'could-not-assess';
      reason = `${scopesNotAssessed.length} scope${scopesNotAssessed.length === 1 ? '' : 's'} not fully read; no finding there means nothing`;
    } else {
      status = 'pass';
      reason = `no open finding in ${applicable.length} scope${applicable.length === 1 ? '' : 's'}${suppressed.length ? ` (${suppressed.length} suppressed)` : ''}`;
    }
    return { control, status, reason, checks: relevant, failing, suppressed, scopesAssessed, scopesNotAssessed, checksNotRun };
  });

  const counts: Record<ControlStatus, number> = { pass: 0, fail: 0, 'not-applicable': 0, 'could-not-assess': 0 };
  for (const v of verdicts) counts[v.status]++;
  return { framework, verdicts, counts };
}

/** The views for the framework ids the caller asked for (unknown ids are the CLI's to reject). */
export function frameworkViews(result: ScanResult, ids: readonly string[], catalogue: readonly CatalogueCheck[]): FrameworkView[] {
  return ids.flatMap((id) => {
    const f = findFramework(id);
    return f ? [evaluateFramework(result, f, catalogue)] : [];
  });
}
