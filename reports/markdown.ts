/**
 * A Markdown summary short enough for a pull-request comment or a ticket body (GitHub, GitLab, Jira's Markdown
 * import): the executive summary, top risks, mitigation priorities, blind spots and limits. Every cloud-supplied
 * string is escaped (escape.ts): names cannot inject HTML, links, mentions or table breaks.
 */
import type { OutputFile } from '../src/core/output-file.ts';
import type { Finding, ScanResult } from '../src/core/model/result.ts';
import { severities } from '../src/core/model/result.ts';
import { escapeMarkdown as md } from './escape.ts';
import { controlStatusLabel, type FrameworkView, frameworkViews } from './framework-view.ts';
import { findingsResult, type ResultSource, resultSource, type StreamedFile, wholeFiles } from './source.ts';
import { NO_PREVIOUS_SCAN, trendRows, trendSummary } from './trend.ts';
import type { CatalogueCheck, RenderContext } from './types.ts';
import { formatPct, inventoryText, type ReportSummary, resourceLabel, scopeLabel, summariseSource } from './view-model.ts';

const MAX_ROWS = 10;

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function more(n: number, shown: number, what: string): string[] {
  return n > shown ? ['', `_… and ${n - shown} more ${what} in the HTML report and the CSV files._`] : [];
}

function findingRow(m: Pick<ReportSummary, 'scopeName'>, f: Finding): string[] {
  return [
    `**${f.severity}**`,
    `\`${f.checkId}\``,
    md(`${f.provider} ${scopeLabel({ id: f.scopeId, name: m.scopeName(f.provider, f.scopeId) })}`),
    md(resourceLabel(f)),
    md(f.owner && f.ownerIdentity ? `${f.ownerIdentity.name} (${f.owner})` : (f.owner ?? 'unassigned')),
    md(f.message),
  ];
}

/** The three questions of the technique, then what could not be read and what is open, one row each. */
function questionRows(m: ReportSummary): string[][] {
  const cov = m.coverage;
  const kinds = m.kinds.map((k) => `${k.label} ${k.public} public, ${k.shared} shared`).join('; ');
  return [
    [
      '**Would we see it?** (recorded and alerted)',
      `${formatPct(cov.alertedPct)} of ${cov.total} scope-regions record snapshot creation and alert on it; ${cov.recorded} record it (${formatPct(cov.pct)}), ${cov.notRecorded} not, ${cov.unknown} unknown; ${cov.alertedBroadly} alert only broadly${cov.detected ? `; ${cov.detected} run a detective control for exposed snapshots (it finds them, it does not alert on creation)` : ''}`,
    ],
    [
      '**Who could do it?**',
      `${m.capablePrincipals} principals can create, copy, share, export or restore snapshots; ${m.counts.outsideBaseline} outside the baseline, ${m.counts.externalPaths} reachable by an external identity${reachText(m)}`,
    ],
    ['**What exists?**', `${m.counts.snapshots} items: ${inventoryText(m)}`],
    [
      '**What is exposed?**',
      `${m.counts.public} public${m.counts.publicUnknown ? ` (+${m.counts.publicUnknown} unknown)` : ''}, ${m.counts.shared} shared outside the organisation${m.kinds.length > 1 ? ` (${kinds})` : ''}`,
    ],
    ['Blind spots (scopes or discovery not fully read)', String(m.blindSpots.length)],
    ['Open findings', severities.map((x) => `${m.openBySeverity[x]} ${x}`).join(' · ')],
    [
      'Suppressions',
      `${m.counts.suppressed} suppressed (accepted, not counted) · ${m.counts.expired} open again: suppression expired (counted)`,
    ],
  ];
}

/** `; 2 only through another identity (role chain, impersonation), 1 only as eligible (PIM)`, or '' when none. */
function reachText(m: ReportSummary): string {
  const parts = [
    ...(m.indirectOnly ? [`${m.indirectOnly} only through another identity (role chain, impersonation)`] : []),
    ...(m.eligibleOnly ? [`${m.eligibleOnly} only as eligible (PIM, once activated)`] : []),
  ];
  return parts.length ? `; ${parts.join(', ')}` : '';
}

/** summary.md from the summary of a result (its lists need at most MAX_ROWS entries) and the framework views asked for. */
function markdownSummary(m: ReportSummary, views: readonly FrameworkView[], ctx: RenderContext): string {
  const result = m.result;
  const lines: string[] = [];
  const s = result.scan;
  lines.push('## snapaudit: snapshot-evasion posture (MITRE ATT&CK T1578.001)', '');
  lines.push(
    `Scan ${md(s.id)} · finished ${md(s.finishedAt)} · ${md(s.providers.join(', ') || 'no providers')} · ${result.stats.scopes.total} scope${result.stats.scopes.total === 1 ? '' : 's'}${s.shard ? ` · shard ${s.shard.index + 1}/${s.shard.count}` : ''}`,
  );
  if (!s.complete) {
    lines.push(
      '',
      `> **Incomplete scan${s.interrupted ? ' (interrupted)' : ''}:** ${m.blindSpots.length} blind spot${m.blindSpots.length === 1 ? '' : 's'}. Findings below cannot be all of them.`,
    );
  }
  lines.push('');
  lines.push(...table(['Question', 'Answer'], questionRows(m)));
  lines.push('', '### Trend', '');
  if (ctx.trend) {
    lines.push(`Against scan ${md(ctx.trend.previous.scanId)} (${md(ctx.trend.previous.finishedAt)}): ${trendSummary(ctx.trend)}.`, '');
    lines.push(
      ...table(
        ['Measure', 'Previous', 'Now', 'Change'],
        trendRows(ctx.trend, m).map((r) => [r.label, r.previous, r.now, r.change]),
      ),
    );
  } else {
    lines.push(NO_PREVIOUS_SCAN);
  }

  lines.push('', '### Top risks', '');
  if (m.topRisks.length === 0) lines.push('No open finding above info.');
  else {
    lines.push(
      ...table(
        ['Severity', 'Check', 'Scope', 'Resource', 'Owner', 'Finding'],
        m.topRisks.map((f) => findingRow(m, f)),
      ),
    );
    lines.push(...more(m.counts.openAboveInfo, m.topRisks.length, 'open findings'));
  }

  lines.push('', '### Mitigation priorities', '');
  if (m.mitigations.length === 0) lines.push('Nothing to mitigate.');
  m.mitigations.slice(0, MAX_ROWS).forEach((x, i) => {
    lines.push(
      `${i + 1}. **${x.severity}** · **${md(x.title)}** (\`${x.checkId}\`): ${x.count} open finding${x.count === 1 ? '' : 's'} in ${x.scopes} scope${x.scopes === 1 ? '' : 's'}. _Here because:_ ${md(x.why)}. ${md(x.remediation)}`,
    );
  });
  lines.push(...more(m.mitigations.length, MAX_ROWS, 'mitigations'));

  lines.push('', '### Who can, one hop further', '');
  if (m.reachedCount === 0)
    lines.push('No principal reaches a snapshot capability by becoming another identity or activating an eligible role.');
  else {
    lines.push(
      'Principals that reach a snapshot capability by becoming another identity (an AWS role chain, GCP impersonation: _indirect_) or by activating a role (Azure PIM: _eligible_), each with its shortest chain: principal → each step with the statement, binding or rule that allows it → what it reaches.',
      '',
    );
    lines.push(
      ...table(
        ['Scope', 'Principal', 'Reach', 'Chain'],
        m.reachedFirst
          .slice(0, MAX_ROWS)
          .map((r) => [
            md(`${r.provider} ${scopeLabel({ id: r.scopeId, name: r.scopeName })}`),
            md(r.principalName),
            r.reach,
            `${md(r.chain)}${r.more ? ` _(+${r.more} more)_` : ''}`,
          ]),
      ),
    );
    lines.push(...more(m.reachedCount, Math.min(MAX_ROWS, m.reachedFirst.length), 'principals'));
  }

  if (m.counts.expired) {
    lines.push('', '### Suppressions that expired', '');
    lines.push(
      ...table(
        ['Severity', 'Check', 'Scope', 'Resource', 'Accepted by', 'Expired'],
        m.expiredFirst
          .slice(0, MAX_ROWS)
          .map((f) => [
            `**${f.severity}**`,
            `\`${f.checkId}\``,
            md(`${f.provider} ${scopeLabel({ id: f.scopeId, name: m.scopeName(f.provider, f.scopeId) })}`),
            md(resourceLabel(f)),
            md(f.suppression?.owner ?? ''),
            md(f.suppression?.expires ?? ''),
          ]),
      ),
      ...more(m.counts.expired, MAX_ROWS, 'expired suppressions'),
    );
  }

  lines.push('', '### Blind spots', '');
  if (m.blindSpots.length === 0) lines.push('None: every selected scope and region was read.');
  for (const b of m.blindSpots.slice(0, MAX_ROWS)) {
    lines.push(
      `- ${md(`${b.provider} ${b.kind === 'discovery' ? b.scopeName : scopeLabel({ id: b.scopeId, name: b.scopeName })}`)}: ${md(b.status)}, ${md(b.summary)}`,
    );
  }
  lines.push(...more(m.blindSpots.length, MAX_ROWS, 'blind spots'));

  lines.push('', '### Limits of this scan', '');
  const limits: string[] = [];
  if (m.counts.sharesUnknown) limits.push(`${m.counts.sharesUnknown} snapshot(s) whose specific shares were not read`);
  for (const u of m.limits.unknowns) if (u.count) limits.push(`${u.count} ${u.what}`);
  if (m.counts.suppressed) limits.push(`${m.counts.suppressed} suppressed finding(s) not counted above`);
  if (m.counts.expired) limits.push(`${m.counts.expired} finding(s) open again because their suppression expired (counted above)`);
  const excluded = m.limits.regionsExcluded.reduce((n, x) => n + x.regions.length, 0);
  if (excluded) limits.push(`${excluded} region(s) left out by the config's region filter`);
  if (limits.length === 0) lines.push('Nothing: every value this report relies on was read.');
  for (const l of limits) lines.push(`- ${md(l)}`);

  for (const view of views) lines.push('', ...frameworkSummaryLines(view));
  lines.push(
    '',
    `<sub>snapaudit ${md(result.tool.version)} · scan ${md(s.id)} · every finding, snapshot and grant path: snapaudit report --from result.json --format html,csv</sub>`,
  );
  return `${lines.join('\n')}\n`;
}

function frameworkSummaryLines(view: FrameworkView): string[] {
  const c = view.counts;
  return [
    `### ${md(view.framework.name)} ${md(view.framework.version)}`,
    '',
    `${c.pass} pass · ${c.fail} fail · ${c['could-not-assess']} could not assess · ${c['not-applicable']} not applicable`,
  ];
}

/** The per-control view as its own Markdown document (`--framework NAME`). */
export function renderFrameworkMarkdown(result: ScanResult, frameworkId: string, catalogue: readonly CatalogueCheck[]): string {
  const [view] = frameworkViews(result, [frameworkId], catalogue);
  return view ? frameworkMarkdown(view) : '';
}

function frameworkMarkdown(view: FrameworkView): string {
  const f = view.framework;
  const lines = [`## ${md(f.name)} ${md(f.version)}: snapaudit evidence`, '', md(f.note), '', `Source: ${f.source}`, ''];
  lines.push(...frameworkSummaryLines(view).slice(2), '');
  lines.push(
    ...table(
      ['Control', 'Title', 'Status', 'Why', 'Checks'],
      view.verdicts.map((v) => [
        `**${md(v.control.id)}**`,
        md(v.control.title),
        `**${controlStatusLabel[v.status]}**`,
        md(v.reason),
        v.checks.map((c) => `\`${c}\``).join(' '),
      ]),
    ),
  );
  for (const v of view.verdicts.filter((x) => x.failing.length > 0 || x.scopesNotAssessed.length > 0)) {
    lines.push('', `#### ${md(v.control.id)} ${md(v.control.title)}: ${controlStatusLabel[v.status]}`, '');
    for (const x of v.failing.slice(0, 25)) {
      lines.push(`- **${x.severity}** \`${x.checkId}\` ${md(`${x.provider} ${x.scopeId}`)}: ${md(x.message)} (\`${x.fingerprint}\`)`);
    }
    if (v.failing.length > 25) lines.push(`- … and ${v.failing.length - 25} more findings (framework-${f.id}.csv lists them all)`);
    for (const x of v.scopesNotAssessed.slice(0, 25)) lines.push(`- not assessed: ${md(x.scope)}: ${md(x.why)}`);
    if (v.scopesNotAssessed.length > 25) lines.push(`- … and ${v.scopesNotAssessed.length - 25} more scopes not assessed`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderMarkdownSummary(result: ScanResult, ctx: RenderContext): string {
  return markdownSummary(summariseSource(resultSource(result), MAX_ROWS), frameworkViews(result, ctx.frameworks, ctx.checks), ctx);
}

/**
 * summary.md (and a framework-NAME.md per --framework) streamed from a source: the summary reads the scopes and the
 * findings once and keeps at most MAX_ROWS of each list; framework views (--framework only) hold the findings.
 */
export function streamMarkdown(source: ResultSource, ctx: RenderContext): StreamedFile[] {
  let views: FrameworkView[] | null = null;
  const frameworks = () => {
    views ??= ctx.frameworks.length ? frameworkViews(findingsResult(source), ctx.frameworks, ctx.checks) : [];
    return views;
  };
  return [
    { name: 'summary.md', chunks: () => [markdownSummary(summariseSource(source, MAX_ROWS), frameworks(), ctx)] },
    ...ctx.frameworks.map((id) => ({
      name: `framework-${id}.md`,
      chunks: () =>
        frameworks()
          .filter((v) => v.framework.id === id)
          .map(frameworkMarkdown),
    })),
  ];
}

export function renderMarkdown(result: ScanResult, ctx: RenderContext): OutputFile[] {
  return wholeFiles(streamMarkdown(resultSource(result), ctx));
}
