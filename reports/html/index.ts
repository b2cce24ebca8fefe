/**
 * The HTML compliance report: one self-contained file (inline CSS, JS and SVG; a Content Security Policy that
 * forbids every network request), readable without JavaScript and printable to PDF. An executive summary a risk
 * owner can act on comes first; the technical view, the framework views and the limits of the scan follow.
 */
import { createHash } from 'node:crypto';
import { attackTechnique } from '../../src/core/frameworks/index.ts';
import type { OutputFile } from '../../src/core/output-file.ts';
import { sortBy } from '../../src/core/model/order.ts';
import type { Finding, Principal, ScanResult } from '../../src/core/model/result.ts';
import { groupGrants, groupLine, principalReach } from '../grant-chain.ts';
import { escapeHtml as h } from '../escape.ts';
import { controlStatusLabel, type FrameworkView, frameworkViews } from '../framework-view.ts';
import { findingsResult, type ResultSource, resultSource, type StreamedFile, wholeFiles } from '../source.ts';
import { NO_PREVIOUS_SCAN, trendRows, trendSummary } from '../trend.ts';
import type { RenderContext } from '../types.ts';
import {
  buildReportModel,
  CAPABLE_PRINCIPAL_CHECK,
  type CoverageCell,
  formatPct,
  inventoryText,
  kindLabel,
  type ReportModel,
  type ReportSummary,
  resourceLabel,
  scopeLabel,
  severities,
  type SnapshotRow,
  summariseSource,
} from '../view-model.ts';
import { type ActivityRow, activityRowsOf, type ActivitySummary, compareNewest, summariseActivity } from '../activity-view.ts';
import { activitySection, type IdentityName } from './activity.ts';
import { CSS, SCRIPT } from './assets.ts';
import { coverageDonut, proportionBar, severityBars, stackedBars } from './charts.ts';
import { peopleLines } from '../people.ts';
import { type Cell, renderTable } from './table.ts';

const LIST_MAX = 10;

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('base64');
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function scopeText(m: Pick<ReportSummary, 'scopeName'>, provider: string, scopeId: string): string {
  return `${provider} ${scopeLabel({ id: scopeId, name: m.scopeName(provider as never, scopeId) })}`;
}

/**
 * An identity as a cell: the name a directory gave it, with the id (and `detail`) on hover; else the id as read.
 */
function identityCell(m: ReportModel, provider: string, id: string | null, detail = ''): Cell {
  const name = id ? m.identityName(provider as never, id) : null;
  if (!name || !id) return [id ?? 'unknown', detail];
  return [name, detail ? `${id}: ${detail}` : id];
}

/**
 * The owner with where it came from; a named identity with its id on hover. The summary-only report (above the detail
 * limit) has no provider-wide names: the name its own scope's directory gave (SnapshotRow.ownerName).
 */
function ownerTd(m: Partial<Pick<ReportModel, 'identityName'>>, x: SnapshotRow): string {
  const o = x.snapshot.owner;
  const name = (o.value && m.identityName ? m.identityName(x.provider, o.value) : null) ?? x.ownerName;
  const text = `${name ?? o.value ?? 'unknown'} (${o.source})`;
  return name ? `<td title="${h(o.value ?? '')}">${h(text)}</td>` : td(text);
}

function resourceText(f: Finding): string {
  if (!f.resource) return f.region ?? '';
  return f.resource.name && f.resource.name !== f.resource.id ? f.resource.name : f.resource.id;
}

/** A card that answers one question and links to the section that shows the evidence. */
function questionCard(q: {
  id: string;
  question: string;
  value: string;
  what: string;
  lines: string[];
  href: string;
  tone: 'bad' | 'ok' | '';
}): string {
  return `<a class="card q${q.tone ? ` ${q.tone}` : ''}" data-question="${h(q.id)}" href="#${h(q.href)}"><div class="k">${h(q.question)}</div><div class="v">${h(q.value)}</div><div class="w">${h(q.what)}</div><ul class="d">${q.lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul></a>`;
}

function simpleTable(caption: string, header: string[], rows: string[][]): string {
  return `<table><caption>${h(caption)}</caption><thead><tr>${header.map((x) => `<th scope="col">${h(x)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const td = (v: unknown, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${h(v)}</td>`;
const badge = (kind: string, v: string) =>
  `<td><span class="badge ${kind}-${v.toLowerCase().replace(/[^a-z0-9-]/g, '')}">${h(v)}</span></td>`;

function more(n: number, shown: number, what: string, where: string): string {
  return n > shown ? `<p class="tbl-note">… and ${n - shown} more ${h(what)}: see ${h(where)}.</p>` : '';
}

// ───────────────────────────── executive summary ─────────────────────────────

function exposedRow(m: Pick<ReportSummary, 'scopeName'> & Partial<Pick<ReportModel, 'identityName'>>): (x: SnapshotRow) => string[] {
  return (x) => [
    badge('exposure', x.exposure),
    td(kindLabel(x.snapshot.kind)),
    `<td title="${h(x.snapshot.resourceId)}">${h(x.snapshot.name ?? x.snapshot.id)}</td>`,
    td(scopeText(m, x.provider, x.scopeId)),
    td(x.snapshot.region),
    td(x.externalShares.join(', ') || (x.exposure === 'public' ? 'everyone' : '')),
    ownerTd(m, x),
    td(x.snapshot.sizeGiB ?? '', 'num'),
  ];
}

/** The three questions of the technique, one card each, plus what could not be read and what is open. */
function questionCards(m: ReportSummary): string {
  const cov = m.coverage;
  const suppressedLine = [
    m.counts.expired ? `${m.counts.expired} open again: their suppression expired` : '',
    m.counts.suppressed ? `${m.counts.suppressed} suppressed (accepted, not counted)` : '',
  ].filter(Boolean);
  return [
    '<div class="cards questions">',
    questionCard({
      id: 'see',
      question: 'Would we see it?',
      value: formatPct(cov.alertedPct),
      what: 'of scope-regions record snapshot creation and alert on it',
      lines: [
        `${cov.recorded} of ${cov.total} record it (${formatPct(cov.pct)}); ${cov.notRecorded} not${cov.unknown ? `, ${cov.unknown} unknown` : ''}`,
        `${cov.recordedAndAlerted} of those also alert on it${cov.alertedBroadly ? `; ${cov.alertedBroadly} only broadly` : ''}${cov.alertUnknown ? `; ${cov.alertUnknown} alerting unknown` : ''}`,
      ],
      href: 'coverage',
      tone: cov.total === 0 ? '' : cov.recordedAndAlerted === cov.total ? 'ok' : 'bad',
    }),
    questionCard({
      id: 'who',
      question: 'Who could do it?',
      value: String(m.capablePrincipals),
      what: `principals can create, copy, share, export or restore snapshots (of ${m.principalsTotal} read)`,
      lines: [
        `${m.counts.outsideBaseline} outside the baseline`,
        `${m.counts.externalPaths} reachable by an external identity`,
        ...(m.indirectOnly ? [`${m.indirectOnly} only through another identity`] : []),
        ...(m.eligibleOnly ? [`${m.eligibleOnly} only as eligible (PIM)`] : []),
      ],
      href: 'who-can',
      tone: m.counts.outsideBaseline + m.counts.externalPaths ? 'bad' : 'ok',
    }),
    questionCard({
      id: 'what',
      question: 'What exists, and what is exposed?',
      value: String(m.counts.exposed),
      what: `of ${m.counts.snapshots} items exposed outside the organisation`,
      lines: [
        `inventory: ${inventoryText(m)}`,
        `${m.counts.public} public, ${m.counts.shared} shared outside the organisation${m.counts.publicUnknown ? `, ${m.counts.publicUnknown} public status unknown` : ''}`,
      ],
      href: 'exposed',
      tone: m.counts.exposed ? 'bad' : m.counts.publicUnknown ? '' : 'ok',
    }),
    '</div>',
    '<div class="cards minor">',
    questionCard({
      id: 'blind',
      question: 'What could not be read?',
      value: String(m.blindSpots.length),
      what: `blind spot${m.blindSpots.length === 1 ? '' : 's'}: scopes or discovery not fully read`,
      lines: [],
      href: 'blind-spots',
      tone: m.blindSpots.length ? 'bad' : 'ok',
    }),
    questionCard({
      id: 'findings',
      question: 'Open findings',
      value: String(m.counts.open),
      what: severities.map((x) => `${m.openBySeverity[x]} ${x}`).join(', '),
      lines: suppressedLine,
      href: 'findings',
      tone: m.openBySeverity.critical + m.openBySeverity.high ? 'bad' : '',
    }),
    '</div>',
  ].join('');
}

/** The first few mitigation priorities, in the summary: what to fix first and why it is first. */
function fixFirst(m: ReportSummary): string {
  if (m.mitigations.length === 0) return '';
  const top = m.mitigations.slice(0, 3);
  return `<div class="fix-first"><strong>Fix first</strong> (<a href="#mitigations">all ${m.mitigations.length} priorities</a>):<ol>${top
    .map(
      (x) =>
        `<li><span class="badge sev-${x.severity}">${h(x.severity)}</span> ${h(x.title)} — ${plural(x.count, 'finding')} in ${plural(x.scopes, 'scope')}</li>`,
    )
    .join('')}</ol></div>`;
}

function executive(m: ReportSummary, ctx: RenderContext): string {
  const r = m.result;
  const out: string[] = ['<section id="executive"><h2>Executive summary</h2>'];
  if (!r.scan.complete) {
    out.push(
      `<div class="banner">This scan is incomplete${r.scan.interrupted ? ' (interrupted)' : ''}: ${plural(m.blindSpots.length, 'blind spot')} could not be read. Absence of findings there means nothing.</div>`,
    );
  }
  out.push(questionCards(m), fixFirst(m));
  out.push(
    '<div class="charts">',
    `<figure>${coverageDonut(m.coverage.recorded, m.coverage.notRecorded, m.coverage.unknown, formatPct(m.coverage.pct))}<figcaption>Scope-regions recording snapshot creation (green), not (red), unknown (grey)</figcaption></figure>`,
    `<figure>${severityBars(m.openBySeverity)}<figcaption>Open findings by severity</figcaption></figure>`,
    '</div>',
  );

  out.push('<h3 id="trend">Trend against the previous scan</h3>');
  if (ctx.trend) {
    out.push(
      `<p>Previous scan ${h(ctx.trend.previous.scanId)} finished ${h(ctx.trend.previous.finishedAt)}: ${h(trendSummary(ctx.trend))}.</p>`,
    );
    out.push(
      simpleTable(
        'Change since the previous scan',
        ['Measure', 'Previous', 'Now', 'Change'],
        trendRows(ctx.trend, m).map((t) => [
          td(t.label),
          td(t.previous, 'num'),
          td(t.now, 'num'),
          `<td class="num trend-${t.direction}">${h(t.change)}${t.direction === 'same' ? '' : ` (${t.direction})`}</td>`,
        ]),
      ),
    );
  } else {
    out.push(`<p>${h(NO_PREVIOUS_SCAN)}</p>`);
  }

  out.push('<h3 id="top-risks">Top risks and their owners</h3>');
  if (m.topRisks.length === 0) out.push('<p>No open finding above info.</p>');
  else {
    out.push(
      simpleTable(
        `The ${m.topRisks.length} most severe open findings`,
        ['Severity', 'Risk', 'Scope', 'Resource', 'Owner', 'Check'],
        m.topRisks.map((f) => [
          badge('sev', f.severity),
          td(f.message),
          td(scopeText(m, f.provider, f.scopeId)),
          td(resourceLabel(f)),
          f.owner && f.ownerIdentity ? `<td title="${h(f.owner)}">${h(f.ownerIdentity.name)}</td>` : td(f.owner ?? 'unassigned'),
          `<td class="mono">${h(f.checkId)}</td>`,
        ]),
      ),
    );
  }

  out.push('<h3 id="blind-spots">Blind spots</h3>');
  if (m.blindSpots.length === 0) out.push('<p>None: every selected scope and region was read.</p>');
  else {
    out.push(
      simpleTable(
        'Scopes and discovery that could not be fully read',
        ['Provider', 'Scope', 'Status', 'Regions affected', 'What failed'],
        m.blindSpots
          .slice(0, LIST_MAX * 2)
          .map((b) => [
            td(b.provider),
            td(b.kind === 'discovery' ? b.scopeName : scopeLabel({ id: b.scopeId, name: b.scopeName })),
            badge('status', b.status),
            td(b.regions.join(', ') || (b.kind === 'discovery' ? 'scope list' : 'all')),
            td(b.summary),
          ]),
      ),
      more(m.blindSpots.length, LIST_MAX * 2, 'blind spots', 'Analyst notes and limits'),
    );
  }

  out.push('<h3 id="exposed">Public and externally shared snapshots</h3>');
  const exposed = m.exposedFirst;
  if (m.counts.exposed === 0)
    out.push(`<p>None found${m.counts.publicUnknown ? ` (${m.counts.publicUnknown} snapshots' public status is unknown)` : ''}.</p>`);
  else {
    out.push(
      simpleTable(
        'Snapshots and images restorable by anyone or by someone outside the organisation',
        ['Exposure', 'Kind', 'Name', 'Scope', 'Region', 'Shared outside with', 'Owner', 'Size (GiB)'],
        exposed.slice(0, LIST_MAX).map(exposedRow(m)),
      ),
      more(m.counts.exposed, LIST_MAX, 'exposed items', 'the inventory (filter on the Exposure column)'),
    );
  }

  out.push('<h3 id="outside-baseline">Principals able to snapshot outside the baseline</h3>');
  if (m.counts.outsideBaseline === 0)
    out.push('<p>None: every principal with a snapshot capability is approved by the baseline (or none could be read).</p>');
  else {
    out.push(
      simpleTable(
        'Identities that can create, copy or share snapshots and are not in the baseline',
        ['Principal', 'Scope', 'Finding'],
        m.outsideBaselineFirst
          .slice(0, LIST_MAX)
          .map((f) => [
            `<td title="${h(f.resource?.id ?? '')}">${h(f.resource?.name ?? f.resource?.id ?? '')}</td>`,
            td(scopeText(m, f.provider, f.scopeId)),
            td(f.message),
          ]),
      ),
      more(m.counts.outsideBaseline, LIST_MAX, 'principals', 'the who-can table'),
    );
  }
  out.push('</section>');
  return out.join('\n');
}

// ───────────────────────────── technical view ─────────────────────────────

/** `open`, `suppressed`, or `open again` when a suppression expired (accepted once, counted again). */
function findingStatus(f: Finding): string {
  return f.status === 'open' && f.suppression?.expired ? 'open again' : f.status;
}

/** Findings by check, then every finding — or, when the summary cut the list, the most severe with a pointer to the rest. */
function findingsSection(m: ReportSummary): string {
  const cut = m.counts.findings > m.worst.length;
  const withFindings = m.byCheck.filter((c) => c.openTotal > 0);
  const byCheckRows: Cell[][] = m.byCheck.map((c) => [c.checkId, c.title, ...severities.map((s) => c.open[s]), c.openTotal, c.suppressed]);
  const rows: Cell[][] = m.worst.map((f) => [
    f.severity,
    findingStatus(f),
    f.checkId,
    scopeText(m, f.provider, f.scopeId),
    f.region,
    f.resource ? [resourceText(f), f.resource.id] : '',
    f.owner && f.ownerIdentity ? [f.ownerIdentity.name, f.owner] : (f.owner ?? ''),
    f.suppression
      ? [
          f.message,
          `${f.suppression.expired ? 'suppression expired' : 'suppressed'}: ${f.suppression.reason} (${f.suppression.owner}, until ${f.suppression.expires})`,
        ]
      : f.message,
    f.fingerprint,
  ]);
  return [
    '<section id="findings"><h2>Findings by check and severity</h2>',
    withFindings.length
      ? `<figure>${stackedBars(withFindings.map((c) => ({ label: c.checkId, counts: c.open })))}<figcaption>Open findings per check</figcaption></figure>`
      : '<p>No open finding.</p>',
    renderTable({
      id: 't-by-check',
      caption: 'Open findings per check and severity',
      noun: 'checks',
      empty: 'No check ran.',
      columns: [
        { label: 'Check', type: 'id' },
        { label: 'Title' },
        ...severities.map((s) => ({ label: s, type: 'num' as const })),
        { label: 'Open', type: 'num' },
        { label: 'Suppressed', type: 'num' },
      ],
      rows: byCheckRows,
    }),
    cut ? `<h3 id="all-findings">The ${m.worst.length} most severe findings</h3>` : '<h3 id="all-findings">All findings</h3>',
    ...(cut ? [moreInCsv(m.counts.findings, m.worst.length, 'findings', 'findings.csv')] : []),
    renderTable({
      id: 't-findings',
      caption: cut ? `The ${m.worst.length} most severe of ${m.counts.findings} findings` : 'Every finding, most severe first',
      noun: 'findings',
      empty: 'No finding.',
      columns: [
        { label: 'Severity', type: 'sev', facet: true },
        { label: 'Status', type: 'status', facet: true },
        { label: 'Check', type: 'id', facet: true },
        { label: 'Scope', facet: true },
        { label: 'Region' },
        { label: 'Resource' },
        { label: 'Owner' },
        { label: 'Message' },
        { label: 'Fingerprint', type: 'id' },
      ],
      rows,
    }),
    '</section>',
  ].join('\n');
}

const triMark: Record<string, string> = { yes: '+', no: '-', unknown: '?' };
const alertMark: Record<string, string> = { exact: '+', broad: '~', none: '-', unknown: '?' };

function coverageCell(c: CoverageCell): Cell {
  const v = `R${triMark[c.recorded]} C${triMark[c.central]} P${triMark[c.protected]} A${alertMark[c.alerted]}`;
  const title = [
    `${c.region}: read ${c.status}`,
    `recorded: ${c.recorded}`,
    `central: ${c.central}`,
    `protected: ${c.protected}`,
    `retention: ${c.retentionDays === null ? 'unknown' : `${c.retentionDays} days`}`,
    `alerted: ${c.alerted}`,
    c.sources.length ? `sources: ${c.sources.join(', ')}` : 'sources: none',
    ...c.reasons.map((x) => `• ${x}`),
    ...c.detectors.map((x) => `detective control (exposure, not an alert): ${x}`),
  ].join('\n');
  const tone =
    c.recorded === 'no'
      ? 'cov-bad'
      : c.recorded === 'unknown'
        ? 'cov-unk'
        : c.central === 'no' || c.protected === 'no' || c.alerted === 'none'
          ? 'cov-bad'
          : 'cov-ok';
  return [v, title, tone];
}

function coverageSection(m: ReportSummary, reasons = true): string {
  const regions = [...new Set(m.coverage.cells.map((c) => c.region))].sort();
  const scopes = sortBy(
    [...new Map(m.coverage.cells.map((c) => [`${c.provider}\u0000${c.scopeId}`, c] as const)).values()],
    (c) => c.provider,
    (c) => c.scopeId,
  );
  const byKey = new Map(m.coverage.cells.map((c) => [`${c.provider}\u0000${c.scopeId}\u0000${c.region}`, c] as const));
  const rows: Cell[][] = scopes.map((s) => [
    s.provider,
    scopeLabel({ id: s.scopeId, name: s.scopeName }),
    ...regions.map((r): Cell => {
      const c = byKey.get(`${s.provider}\u0000${s.scopeId}\u0000${r}`);
      return c ? coverageCell(c) : ['', 'not in this scope', 'cov-none'];
    }),
  ]);
  const reasonRows: Cell[][] = m.coverage.cells.map((c) => [
    c.provider,
    scopeLabel({ id: c.scopeId, name: c.scopeName }),
    c.region,
    c.recorded,
    c.central,
    c.protected,
    c.alerted,
    c.retentionDays,
    c.reasons.join('\n'),
    c.detectors.join('\n'),
  ]);
  return [
    '<section id="coverage"><h2>Logging coverage matrix</h2>',
    '<p class="legend">Each cell is one scope-region. <strong>R</strong> snapshot creation recorded, <strong>C</strong> delivered to a central store, <strong>P</strong> tamper-protected (integrity validation, locked or separate store), <strong>A</strong> alerted on. <span class="cv cv-ok">+</span> yes, <span class="cv cv-bad">-</span> no, <span class="cv cv-weak">~</span> only a broad alert, <span class="cv cv-unk">?</span> could not be read. Hover a cell for the sources and reasons; the table below lists them too.</p>',
    renderTable({
      id: 't-coverage',
      caption: 'Scope × region: recorded / central / protected / alerted',
      noun: 'scopes',
      empty: 'No logging configuration was read.',
      columns: [{ label: 'Provider', facet: true }, { label: 'Scope' }, ...regions.map((r) => ({ label: r, type: 'cov' as const }))],
      rows,
    }),
    ...(reasons
      ? []
      : [
          `<p class="tbl-note">The reasons behind each of the ${m.coverage.total} scope-regions: <a href="coverage.csv">coverage.csv</a> (reasons column).</p>`,
        ]),
    ...(reasons ? coverageReasons(reasonRows) : []),
    '</section>',
  ].join('\n');
}

function coverageReasons(reasonRows: Cell[][]): string[] {
  return [
    '<h3 id="coverage-reasons">Why, per scope-region</h3>',
    renderTable({
      id: 't-coverage-reasons',
      caption: 'Logging verdicts with their reasons',
      noun: 'scope-regions',
      empty: 'No logging configuration was read.',
      columns: [
        { label: 'Provider', facet: true },
        { label: 'Scope' },
        { label: 'Region' },
        { label: 'Recorded', type: 'status', facet: true },
        { label: 'Central', type: 'status', facet: true },
        { label: 'Protected', type: 'status', facet: true },
        { label: 'Alerted', type: 'status', facet: true },
        { label: 'Retention (days)', type: 'num' },
        { label: 'Reasons', type: 'multi' },
        { label: 'Detective controls (exposure)', type: 'multi' },
      ],
      rows: reasonRows.map((r) => r.map((c, i) => (i >= 8 ? [String(c ?? ''), undefined, 'multi'] : c)) as Cell[]),
    }),
  ];
}

/** PEOPLE_MAX lines of who is behind a principal (a group's members, an Identity Center role's assignees), ids on hover. */
const PEOPLE_MAX = 6;
function peopleCell(p: Principal): Cell {
  const lines = peopleLines(p);
  if (!lines) return '';
  const members = p.members ?? [];
  const shown = lines.slice(0, PEOPLE_MAX);
  if (lines.length > PEOPLE_MAX) shown.push(`… ${lines.length - PEOPLE_MAX} more (principals.csv)`);
  if (lines.length === 0) shown.push('nobody');
  return [shown.join('\n'), members.map((x) => `${x.name}: ${x.id}`).join('\n'), 'multi'];
}

function principalsSection(m: ReportModel): string {
  const verdict = new Map<string, Finding>();
  for (const f of m.findings) {
    if (f.checkId === CAPABLE_PRINCIPAL_CHECK && f.resource) verdict.set(`${f.provider}\u0000${f.scopeId}\u0000${f.resource.id}`, f);
  }
  const rows: Cell[][] = [];
  for (const s of sortBy(
    m.result.scopes,
    (x) => x.scope.provider,
    (x) => x.scope.id,
  )) {
    for (const p of s.principals as Principal[]) {
      if (p.capabilities.length === 0) continue;
      const f = verdict.get(`${s.scope.provider}\u0000${s.scope.id}\u0000${p.id}`);
      const baseline = !f
        ? p.capabilities.every((c) => c === 'delete')
          ? 'delete only'
          : 'not assessed'
        : f.severity === 'info'
          ? 'approved'
          : f.status === 'suppressed'
            ? 'suppressed'
            : 'outside baseline';
      const flags = [
        p.external ? 'external' : '',
        p.grants.some((g) => g.broad) ? 'broad' : '',
        p.grants.some((g) => g.external) ? 'external path' : '',
        p.grants.every((g) => g.conditional) ? 'conditional only' : '',
      ]
        .filter(Boolean)
        .join(', ');
      const paths = groupGrants(p.grants).map((g) => groupLine(g));
      rows.push([
        s.scope.provider,
        scopeLabel(s.scope),
        [p.name, p.id],
        p.type,
        p.capabilities.join(', '),
        principalReach(p.grants),
        flags,
        baseline,
        peopleCell(p),
        [
          paths.slice(0, 4).join('\n') + (paths.length > 4 ? `\n… ${paths.length - 4} more grant paths (principals.csv)` : ''),
          undefined,
          'multi',
        ],
      ]);
    }
  }
  return [
    '<section id="who-can"><h2>Who can snapshot</h2>',
    `<p>${plural(rows.length, 'principal')} can create, copy, share or delete snapshots, out of ${m.principalsTotal} read. Each grant path is a chain: principal → group or trust → policy, assignment, role or binding → the actions it allows (the pattern that matched, in brackets), then the scope it applies to; grants sharing a chain are one line. Reach says how a principal holds them: <em>direct</em> (its own grants), <em>indirect</em> (by becoming another identity: an AWS role it can assume, in its account or another account of the organisation, a GCP service account it can impersonate — the chain names each hop and what allows it) or <em>eligible</em> (an Azure PIM role it can activate, at a subscription or on a resource group or resource below it, with the activation rules).</p>`,
    renderTable({
      id: 't-principals',
      caption: 'Principals with a snapshot capability and how they got it',
      noun: 'principals',
      empty: 'No principal with a snapshot capability was found (or permissions were not read).',
      columns: [
        { label: 'Provider', facet: true },
        { label: 'Scope', facet: true },
        { label: 'Principal' },
        { label: 'Type', facet: true },
        { label: 'Capabilities', facet: true },
        { label: 'Reach', facet: true },
        { label: 'Flags', facet: true },
        { label: 'Baseline', type: 'status', facet: true },
        { label: 'People', type: 'multi' },
        { label: 'Grant paths', type: 'multi' },
      ],
      rows,
    }),
    '</section>',
  ].join('\n');
}

function snapshotRow(m: ReportModel, x: SnapshotRow): Cell[] {
  const s = x.snapshot;
  return [
    x.provider,
    scopeLabel({ id: x.scopeId, name: x.scopeName }),
    s.region,
    kindLabel(s.kind),
    [s.name ?? s.id, s.resourceId],
    s.createdAt ? s.createdAt.slice(0, 10) : '',
    s.sizeGiB,
    x.exposure,
    [
      x.externalShares.join(', '),
      [
        s.sharing.sharesKnown
          ? s.sharing.notes.join('; ')
          : `shares not read${s.sharing.notes.length ? `: ${s.sharing.notes.join('; ')}` : ''}`,
        ...s.conflicts.map((c) => `conflict: ${c.note}`),
      ]
        .filter(Boolean)
        .join('; '),
    ],
    s.encryption.status,
    identityCell(m, x.provider, s.owner.value, s.owner.detail ?? ''),
    s.owner.source,
    s.creator ? identityCell(m, x.provider, s.creator.identity, `${s.creator.source}${s.creator.at ? ` at ${s.creator.at}` : ''}`) : '',
    s.automation.by ?? '',
  ];
}

function inventorySection(m: ReportModel): string {
  return [
    '<section id="inventory"><h2>Snapshot inventory</h2>',
    `<p>${plural(m.snapshots.length, 'item')} of the snapshot family: ${h(inventoryText(m))}. Filter by kind or exposure with the drop-downs. The owner comes from, in order: an owner tag, the creating identity in the audit log, Azure system data, the source volume's owner tag; the source column says which.</p>`,
    renderTable({
      id: 't-snapshots',
      caption: 'Every snapshot, image and backup copy with its exposure and owner',
      noun: 'items',
      empty: 'No snapshot was found (or snapshots were not read).',
      columns: [
        { label: 'Provider', facet: true },
        { label: 'Scope', facet: true },
        { label: 'Region', facet: true },
        { label: 'Kind', facet: true },
        { label: 'Name' },
        { label: 'Created' },
        { label: 'GiB', type: 'num' },
        { label: 'Exposure', type: 'exposure', facet: true },
        { label: 'Shared outside' },
        { label: 'Encryption', facet: true },
        { label: 'Owner' },
        { label: 'Owner source', facet: true },
        { label: 'Creator' },
        { label: 'Automation', facet: true },
      ],
      rows: m.snapshots.map((x) => snapshotRow(m, x)),
    }),
    '</section>',
  ].join('\n');
}

function mitigationsSection(m: ReportSummary): string {
  if (m.mitigations.length === 0)
    return '<section id="mitigations"><h2>Mitigation priorities</h2><p>Nothing to mitigate: no open finding above info.</p></section>';
  return [
    '<section id="mitigations"><h2>Mitigation priorities</h2>',
    '<p>One entry per check with open findings above info, ordered by the most severe open finding first (critical exposure before a crowd of medium findings), then by how many findings there are. Each entry says why it is where it is.</p>',
    '<ol class="mitigations">',
    ...m.mitigations.map(
      (x) =>
        `<li data-check="${h(x.checkId)}"><span class="badge sev-${x.severity}">${h(x.severity)}</span> <strong>${h(x.title)}</strong> <span class="mono">${h(x.checkId)}</span> — ${plural(x.count, 'open finding')} in ${plural(x.scopes, 'scope')} (${severities
          .filter((s) => x.counts[s])
          .map((s) => `${x.counts[s]} ${s}`)
          .join(
            ', ',
          )}).<br><span class="rank"><strong>Here because:</strong> ${h(x.why)}.</span><br><strong>Do:</strong> ${h(x.remediation)}<br><span class="why"><strong>Risk:</strong> ${h(x.rationale)}</span></li>`,
    ),
    '</ol></section>',
  ].join('\n');
}

function frameworkSection(view: FrameworkView): string {
  const f = view.framework;
  const c = view.counts;
  const rows: Cell[][] = view.verdicts.map((v) => [
    v.control.id,
    v.control.title,
    controlStatusLabel[v.status],
    v.reason,
    v.checks.join('\n'),
    [
      [
        ...v.failing.slice(0, 6).map((x) => `${x.severity} ${x.provider} ${x.scopeId}: ${x.message}`),
        ...(v.failing.length > 6 ? [`… ${v.failing.length - 6} more (framework-${f.id}.csv)`] : []),
        ...v.scopesNotAssessed.slice(0, 6).map((x) => `not assessed: ${x.scope}: ${x.why}`),
        ...(v.scopesNotAssessed.length > 6 ? [`… ${v.scopesNotAssessed.length - 6} more scopes not assessed`] : []),
        ...(v.suppressed.length ? [`${v.suppressed.length} suppressed`] : []),
        ...(v.status === 'pass' ? [`assessed: ${v.scopesAssessed.join(', ')}`] : []),
      ].join('\n'),
      undefined,
      'multi',
    ],
  ]);
  return [
    `<section id="framework-${h(f.id)}"><h2>${h(f.name)} ${h(f.version)}</h2>`,
    `<p>${h(f.note)} Source: <a href="${h(f.source)}">${h(f.source)}</a>.</p>`,
    `<figure>${proportionBar([
      { n: c.pass, cls: 'f-ok', label: 'pass' },
      { n: c.fail, cls: 'f-bad', label: 'fail' },
      { n: c['could-not-assess'], cls: 'f-weak', label: 'could not assess' },
      { n: c['not-applicable'], cls: 'f-unk', label: 'not applicable' },
    ])}<figcaption>${c.pass} pass · ${c.fail} fail · ${c['could-not-assess']} could not assess · ${c['not-applicable']} not applicable</figcaption></figure>`,
    renderTable({
      id: `t-framework-${f.id}`,
      caption: `${f.name} ${f.version}: per-control verdict and evidence`,
      noun: 'controls',
      empty: 'No control.',
      columns: [
        { label: 'Control' },
        { label: 'Title' },
        { label: 'Status', type: 'status', facet: true },
        { label: 'Why' },
        { label: 'Checks', type: 'multi' },
        { label: 'Evidence', type: 'multi' },
      ],
      rows: rows.map((r) => r.map((cell, i) => (i === 4 ? [String(cell ?? ''), undefined, 'multi'] : cell)) as Cell[]),
    }),
    '</section>',
  ].join('\n');
}

function suppressionRow(m: Pick<ReportSummary, 'scopeName'>): (f: Finding) => Cell[] {
  return (f) => [
    f.severity,
    f.suppression?.expired ? 'open again' : 'suppressed',
    f.checkId,
    scopeText(m, f.provider, f.scopeId),
    resourceText(f),
    f.suppression?.reason ?? '',
    f.suppression?.owner ?? '',
    f.suppression ? `${f.suppression.expires}${f.suppression.expired ? ' (expired)' : ''}` : '',
  ];
}

function limitsSection(m: ReportSummary): string {
  const l = m.limits;
  const out: string[] = ['<section id="limits"><h2>Analyst notes and limits</h2>'];
  const notes: string[] = [];
  if (l.interrupted) notes.push('The scan was interrupted: what was not reached is missing from every section.');
  else if (l.incomplete) notes.push('The scan is incomplete: some scopes, regions or APIs could not be read (below).');
  if (l.shard) notes.push(`This is shard ${l.shard.index + 1} of ${l.shard.count}: other shards hold the other scopes.`);
  notes.push('"No finding" means "nothing wrong was seen in what could be read": read this section before concluding a scope is clean.');
  out.push(`<ul>${notes.map((n) => `<li>${h(n)}</li>`).join('')}</ul>`);

  out.push('<h3>What could not be read</h3>');
  out.push(
    renderTable({
      id: 't-gaps',
      caption: 'Coverage gaps: scopes, regions and APIs that failed',
      noun: 'gaps',
      empty: 'None: every call the scan needed succeeded.',
      columns: [
        { label: 'Provider', facet: true },
        { label: 'Scope' },
        { label: 'Part', facet: true },
        { label: 'Code', facet: true },
        { label: 'Operation' },
        { label: 'Region' },
        { label: 'Message' },
      ],
      rows: l.gaps.map((g) => [
        g.provider,
        g.scopeId === 'discovery' ? g.scopeName : scopeLabel({ id: g.scopeId, name: g.scopeName }),
        g.gap.part,
        g.gap.code,
        g.gap.operation,
        g.gap.region,
        g.gap.message,
      ]),
    }),
  );

  out.push('<h3>Values that are unknown</h3>');
  const unknown = l.unknowns.filter((u) => u.count > 0);
  out.push(
    unknown.length === 0
      ? '<p>None: every tri-state value this report relies on was read as yes or no.</p>'
      : simpleTable(
          'Unknown is not "no": these could not be read',
          ['Count', 'What', 'So'],
          unknown.map((u) => [td(u.count, 'num'), td(u.what), td(u.meaning)]),
        ),
  );

  out.push('<h3>Snapshots whose specific shares were not read</h3>');
  if (m.counts.sharesUnknown === 0) out.push('<p>None: per-snapshot sharing was read for every snapshot.</p>');
  else {
    out.push(
      `<p>${plural(m.counts.sharesUnknown, 'snapshot')} could be shared with specific accounts without this report knowing (sharesKnown=false); public sharing is still checked where the provider has a filtered list.</p>`,
      simpleTable(
        'Snapshots with unread shares',
        ['Snapshot', 'Scope', 'Region', 'Why'],
        m.sharesUnknownFirst
          .slice(0, LIST_MAX * 2)
          .map((x) => [
            `<td title="${h(x.snapshot.resourceId)}">${h(x.snapshot.name ?? x.snapshot.id)}</td>`,
            td(scopeText(m, x.provider, x.scopeId)),
            td(x.snapshot.region),
            td(x.snapshot.sharing.notes.join('; ') || 'not read'),
          ]),
      ),
      more(m.counts.sharesUnknown, LIST_MAX * 2, 'snapshots', 'snapshots.csv (shares_known=false)'),
    );
  }

  out.push('<h3 id="suppressions">Suppressed findings and expired suppressions</h3>');
  out.push(
    `<p>${plural(m.counts.suppressed, 'finding')} suppressed (accepted risks, not counted above); ${plural(m.counts.expired, 'finding')} open again because the suppression expired (counted above).</p>`,
    renderTable({
      id: 't-suppressed',
      caption: 'Accepted risks and suppressions that expired',
      noun: 'suppressions',
      empty: 'None.',
      columns: [
        { label: 'Severity', type: 'sev', facet: true },
        { label: 'Status', type: 'status', facet: true },
        { label: 'Check', type: 'id', facet: true },
        { label: 'Scope' },
        { label: 'Resource' },
        { label: 'Reason' },
        { label: 'Accepted by' },
        { label: 'Expires' },
      ],
      rows: [...m.suppressedFirst, ...m.expiredFirst].map(suppressionRow(m)),
    }),
  );
  const suppressionsLeft = moreInCsv(
    m.counts.suppressed + m.counts.expired,
    m.suppressedFirst.length + m.expiredFirst.length,
    'suppressions',
    'findings.csv',
  );
  if (suppressionsLeft) out.push(suppressionsLeft);

  out.push('<h3>Regions not scanned</h3>');
  const unscanned = [...l.regionsNotEnabled, ...l.regionsExcluded, ...l.regionsOtherPartition];
  if (unscanned.length === 0) out.push('<p>None: every region of every scope was selected and enabled.</p>');
  else {
    const regionsOf = (list: typeof unscanned, provider: string, scopeId: string) =>
      list.find((x) => x.provider === provider && x.scopeId === scopeId)?.regions.join(', ') ?? '';
    out.push(
      simpleTable(
        'Regions not enabled in the scope, left out by the config, or in another partition',
        ['Provider', 'Scope', 'Not enabled', 'Excluded by config', 'Other partition'],
        sortBy([...new Set(unscanned.map((x) => `${x.provider}\u0000${x.scopeId}`))], (k) => k).map((k) => {
          const [provider, scopeId] = k.split('\u0000') as [string, string];
          return [
            td(provider),
            td(scopeText(m, provider, scopeId)),
            td(regionsOf(l.regionsNotEnabled, provider, scopeId)),
            td(regionsOf(l.regionsExcluded, provider, scopeId)),
            td(regionsOf(l.regionsOtherPartition, provider, scopeId)),
          ];
        }),
      ),
      '<p>Regions that are not enabled cannot hold snapshots but an attacker who enables one is not seen until the next scan; excluded regions are blind spots by choice; regions of another partition (AWS China, GovCloud…) need credentials of that partition: scan them with a separate run.</p>',
    );
  }
  const st = m.result.stats;
  out.push(
    '<h3>About this scan</h3>',
    `<dl class="kv"><dt>Scan id</dt><dd class="mono">${h(m.result.scan.id)}</dd><dt>Started</dt><dd>${h(m.result.scan.startedAt)}</dd><dt>Finished</dt><dd>${h(m.result.scan.finishedAt)}</dd><dt>Providers</dt><dd>${h(m.result.scan.providers.join(', '))}</dd><dt>Scopes</dt><dd>${st.scopes.total} (${st.scopes.complete} complete, ${st.scopes.partial} partial, ${st.scopes.failed} failed, ${st.scopes.interrupted} interrupted)</dd><dt>API calls</dt><dd>${st.apiCalls} (${st.throttles} throttled, ${st.retries} retried, ${st.errors} failed)</dd><dt>Checks run</dt><dd>${m.result.checks.length}</dd><dt>Technique</dt><dd><a href="${h(attackTechnique.url)}">${h(attackTechnique.subTechniqueId)} ${h(attackTechnique.name)}: ${h(attackTechnique.subTechniqueName)}</a>, detection strategy DET0423</dd></dl>`,
    '</section>',
  );
  return out.join('\n');
}

// ───────────────────────────── summary report ─────────────────────────────

/** A note pointing at the CSV file that holds what a table left out. */
function moreInCsv(total: number, shown: number, what: string, csv: string): string {
  return total > shown
    ? `<p class="tbl-note">${shown} of ${total} ${h(what)} shown: <a href="${h(csv)}">${h(csv)}</a> lists every one (written with <code>--format csv</code>, or later with <code>snapaudit report --from result.json --format csv</code>).</p>`
    : '';
}

function principalsSummarySection(m: ReportSummary): string {
  return [
    '<section id="who-can"><h2>Who can snapshot</h2>',
    `<p>${plural(m.capablePrincipals, 'principal')} can create, copy, share or delete snapshots, out of ${m.principalsTotal} read; ${m.counts.outsideBaseline} outside the baseline, ${m.counts.externalPaths} reachable by an external identity. Every principal with its grant paths: <a href="principals.csv">principals.csv</a>.</p>`,
    renderTable({
      id: 't-principals',
      caption: 'Principals able to snapshot outside the baseline, most severe first',
      noun: 'principals',
      empty: 'None: every principal with a snapshot capability is approved by the baseline (or none could be read).',
      columns: [
        { label: 'Severity', type: 'sev', facet: true },
        { label: 'Scope', facet: true },
        { label: 'Principal' },
        { label: 'Finding' },
      ],
      rows: m.outsideBaselineFirst.map((f) => [
        f.severity,
        scopeText(m, f.provider, f.scopeId),
        [f.resource?.name ?? f.resource?.id ?? '', f.resource?.id ?? ''],
        f.message,
      ]),
    }),
    moreInCsv(m.counts.outsideBaseline, m.outsideBaselineFirst.length, 'principals outside the baseline', 'findings.csv'),
    '</section>',
  ].join('\n');
}

function inventorySummarySection(m: ReportSummary): string {
  return [
    '<section id="inventory"><h2>Snapshot inventory</h2>',
    `<p>${plural(m.counts.snapshots, 'item')} of the snapshot family: ${h(inventoryText(m))}. The exposed ones are below; every item with its owner, creator and encryption: <a href="snapshots.csv">snapshots.csv</a>.</p>`,
    simpleTable(
      'The inventory per kind',
      ['Kind', 'Items', 'Public', 'Shared outside'],
      m.kinds.map((k) => [td(k.label), td(k.count, 'num'), td(k.public, 'num'), td(k.shared, 'num')]),
    ),
    renderTable({
      id: 't-snapshots',
      caption: 'Public and externally shared items, public first',
      noun: 'items',
      empty: 'None found.',
      columns: [
        { label: 'Provider', facet: true },
        { label: 'Scope', facet: true },
        { label: 'Region', facet: true },
        { label: 'Kind', facet: true },
        { label: 'Name' },
        { label: 'Exposure', type: 'exposure', facet: true },
        { label: 'Shared outside with' },
        { label: 'Owner' },
      ],
      rows: m.exposedFirst.map((x) => [
        x.provider,
        scopeLabel({ id: x.scopeId, name: x.scopeName }),
        x.snapshot.region,
        kindLabel(x.snapshot.kind),
        [x.snapshot.name ?? x.snapshot.id, x.snapshot.resourceId],
        x.exposure,
        x.externalShares.join(', ') || (x.exposure === 'public' ? 'everyone' : ''),
        x.ownerName
          ? [`${x.ownerName} (${x.snapshot.owner.source})`, x.snapshot.owner.value ?? '']
          : `${x.snapshot.owner.value ?? 'unknown'} (${x.snapshot.owner.source})`,
      ]),
    }),
    moreInCsv(m.counts.exposed, m.exposedFirst.length, 'exposed items', 'snapshots.csv'),
    '</section>',
  ].join('\n');
}

// ───────────────────────────── page ─────────────────────────────

/** The page around its technical sections: head, executive summary, framework views, limits. */
function page(m: ReportSummary, ctx: RenderContext, views: readonly FrameworkView[], technical: readonly string[]): string {
  const result = m.result;
  const css = CSS;
  const js = SCRIPT;
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(js)}'`,
    `style-src 'sha256-${sha256(css)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const toc: Array<[string, string]> = [
    ['executive', 'Summary'],
    ['top-risks', 'Top risks'],
    ['findings', 'Findings'],
    ['coverage', 'Coverage'],
    ['who-can', 'Who can'],
    ['inventory', 'Inventory'],
    ['activity', 'Activity'],
    ['mitigations', 'Mitigations'],
    ...views.map((v): [string, string] => [`framework-${v.framework.id}`, v.framework.name.replace(/ Benchmark$/, '')]),
    ['limits', 'Limits'],
  ];
  const title = `snapaudit report · ${result.scan.id}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="snapaudit ${h(result.tool.version)}">`,
    `<title>${h(title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    '<header class="top">',
    '<h1>Snapshot-evasion posture report</h1>',
    `<div class="meta">MITRE ATT&amp;CK ${h(attackTechnique.subTechniqueId)} (${h(attackTechnique.subTechniqueName)}) · scan <span class="mono">${h(result.scan.id)}</span> · finished ${h(result.scan.finishedAt)} · ${h(result.scan.providers.join(', ') || 'no providers')} · ${plural(result.stats.scopes.total, 'scope')} · ${result.scan.complete ? 'complete' : '<strong>incomplete</strong>'}</div>`,
    '</header>',
    `<nav class="toc" aria-label="Sections">${toc.map(([id, label]) => `<a href="#${h(id)}">${h(label)}</a>`).join('')}</nav>`,
    '<main>',
    executive(m, ctx),
    '<section id="technical"><h2>Technical view</h2><p>Everything behind the summary: findings, logging coverage, identities, snapshots, and what to fix first.</p></section>',
    ...technical,
    ...views.map(frameworkSection),
    limitsSection(m),
    '</main>',
    `<footer>Generated by snapaudit ${h(result.tool.version)} from scan ${h(result.scan.id)} (schema ${h(result.schemaVersion)}). Self-contained: this file makes no network requests. Print it to PDF from the browser; tables print the rows on screen, the CSV files hold every row.</footer>`,
    `<script>${js}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The full report: every finding, scope-region, principal and snapshot, from a result held in memory. */
export function renderHtmlReport(result: ScanResult, ctx: RenderContext): string {
  const m = buildReportModel(result);
  const views = frameworkViews(result, ctx.frameworks, ctx.checks);
  const activity = activitySection({
    summary: summariseActivity(result.scopes, 0),
    rows: result.scopes.flatMap(activityRowsOf).sort(compareNewest),
    mode: 'full',
    nameOf: m.identityName,
  });
  return page(m, ctx, views, [
    findingsSection(m),
    coverageSection(m),
    principalsSection(m),
    inventorySection(m),
    activity,
    mitigationsSection(m),
  ]);
}

/**
 * The report for an organisation too large to list row by row (more findings, snapshots and capable principals than
 * `detailLimit`): the same summary, coverage matrix, mitigations and limits, with the `worst` most severe findings,
 * the exposed items and the principals outside the baseline in filterable tables, and the CSV files for the rest.
 */
/** Names for the summary's worst events, from what each row's scope named (the summary holds no provider-wide names). */
function summaryNames(rows: readonly ActivityRow[]): IdentityName {
  const named = new Map<string, string>();
  for (const r of rows) if (r.identityName) named.set(`${r.provider}\u0000${r.event.identity.id}`, r.identityName);
  return (provider, id) => named.get(`${provider}\u0000${id}`) ?? null;
}

function summaryReport(m: ReportSummary, activity: ActivitySummary, ctx: RenderContext, views: readonly FrameworkView[]): string {
  return page(m, ctx, views, [
    findingsSection(m),
    coverageSection(m, false),
    principalsSummarySection(m),
    inventorySummarySection(m),
    // The worst events carry the names their own scopes' directories gave their identities.
    activitySection({ summary: activity, rows: activity.worst, mode: 'summary', nameOf: summaryNames(activity.worst) }),
    mitigationsSection(m),
  ]);
}

/** How many rows the full report may list, and how many findings the summary report keeps (RenderContext.html). */
export const HTML_DETAIL_LIMIT = 10_000;
export const HTML_WORST = 500;

/**
 * report.html from a source. The summary (one pass over the scopes, one over the findings) says how large the
 * organisation is: up to `detailLimit` rows (findings + snapshots + capable principals + activity events) the full report is rendered
 * from the result read back whole (bounded by that limit); above it, the summary report, from the summary alone.
 */
export function streamHtml(source: ResultSource, ctx: RenderContext): StreamedFile[] {
  const detailLimit = ctx.html?.detailLimit ?? HTML_DETAIL_LIMIT;
  const worst = ctx.html?.worst ?? HTML_WORST;
  return [
    {
      name: 'report.html',
      chunks: () => {
        const m = summariseSource(source, Math.max(worst, LIST_MAX * 2));
        const activity = summariseActivity(source.scopes(), worst);
        if (m.counts.findings + m.counts.snapshots + m.capablePrincipals + activity.total <= detailLimit) {
          return [renderHtmlReport({ ...source.header, scopes: [...source.scopes()] }, ctx)];
        }
        const views = ctx.frameworks.length ? frameworkViews(findingsResult(source), ctx.frameworks, ctx.checks) : [];
        return [summaryReport({ ...m, worst: m.worst.slice(0, worst) }, activity, ctx, views)];
      },
    },
  ];
}

export function renderHtml(result: ScanResult, ctx: RenderContext): OutputFile[] {
  return wholeFiles(streamHtml(resultSource(result), ctx));
}
