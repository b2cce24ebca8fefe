/**
 * The HTML report's "Activity" section (issue #18): who made, copied, shared or exported snapshots in the lookback
 * window, from where and with what outcome. A timeline (events per day, stacked by outcome; inline SVG) and a
 * filterable table of the events with the findings that quote them. In the report of a large organisation (above
 * `output.html.detailLimit`) the same counts and timeline, and the worst events only; activity.csv lists every one.
 * Everything in an event came from the cloud's audit log and is hostile (user agents, ARNs, addresses): it reaches the
 * page as escaped text in cells and tooltips, never as a link or markup.
 */
import type { ActivityEvent } from '../../src/core/model/activity.ts';
import type { Provider } from '../../src/core/model/result.ts';
import { type ActivityDay, type ActivityRow, type ActivitySummary, outcomeClasses, resourceText } from '../activity-view.ts';
import { escapeHtml as h } from '../escape.ts';
import { scopeLabel } from '../view-model.ts';
import { type Cell, renderTable } from './table.ts';

const r2 = (n: number) => Math.round(n * 100) / 100;
const outcomeFill: Record<(typeof outcomeClasses)[number], string> = { success: 'f-ok', failed: 'f-bad', denied: 'f-critical' };
const outcomeWord: Record<(typeof outcomeClasses)[number], string> = { success: 'succeeded', failed: 'failed', denied: 'denied' };

function dayText(d: ActivityDay): string {
  return `${d.day}: ${outcomeClasses.map((o) => `${d[o]} ${outcomeWord[o]}`).join(', ')}`;
}

/** Events per UTC day from the first to the last, each bar stacked succeeded (bottom), denied, failed (top). */
export function activityTimeline(days: readonly ActivityDay[]): string {
  const width = 720;
  const plot = 110;
  const height = plot + 34;
  const max = Math.max(1, ...days.map((d) => d.success + d.failed + d.denied));
  const slot = days.length ? width / days.length : width;
  const barW = r2(Math.max(1, slot > 4 ? slot - 1 : slot));
  const bars = days
    .map((d, i) => {
      let y = plot;
      const segs = outcomeClasses
        .filter((o) => d[o] > 0)
        .map((o) => {
          const hgt = r2((d[o] / max) * (plot - 14));
          y = r2(y - hgt);
          return `<rect x="${r2(i * slot)}" y="${y}" width="${barW}" height="${hgt}" class="${outcomeFill[o]}"/>`;
        })
        .join('');
      return segs ? `<g><title>${h(dayText(d))}</title>${segs}</g>` : '';
    })
    .join('');
  const total = days.reduce((n, d) => n + d.success + d.failed + d.denied, 0);
  const desc = days.length
    ? `Snapshot activity per day from ${days[0]!.day} to ${days[days.length - 1]!.day}: ${total} events, at most ${max} on one day.`
    : 'No snapshot activity in the lookback window.';
  const axis = days.length
    ? `<text x="0" y="${plot + 16}">${h(days[0]!.day)}</text><text x="${width}" y="${plot + 16}" text-anchor="end">${h(days[days.length - 1]!.day)}</text>`
    : '';
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${h(desc)}"><title>${h(desc)}</title><rect x="0" y="0" width="${width}" height="${plot}" class="track"/><text x="4" y="12">${max} per day</text>${bars}<line x1="0" y1="${plot}" x2="${width}" y2="${plot}" class="axis"/>${axis}<text x="0" y="${plot + 32}"><tspan class="f-ok">■</tspan> succeeded <tspan class="f-critical">■</tspan> denied <tspan class="f-bad">■</tspan> failed</text></svg>`;
}

/** The identity as a cell: the directory's name when the scan read one, with the id, type, issuer and MFA on hover. */
function identityCell(e: ActivityEvent, name: string | null): Cell {
  const i = e.identity;
  const detail = [
    i.id,
    i.type ? `type ${i.type}` : '',
    i.issuer ? `issued by ${i.issuer}` : '',
    `MFA ${i.mfa}`,
    i.automation ? `automation ${i.automation.by} (${i.automation.basis})` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return [name ?? i.id, detail];
}

function sourceText(e: ActivityEvent): string {
  const ip = e.source.ip ?? 'unknown';
  return e.source.vpcEndpointId ? `${ip} via ${e.source.vpcEndpointId}` : ip;
}

/**
 * A resource as `kind:name`, its full id on hover: the name is the last segment of a path-like id (an ARM id names its
 * subscription by GUID, a GCP one its project), so the cell names what was made rather than where.
 */
function resourceCell(r: ActivityEvent['resource']): Cell {
  if (!r) return '';
  const name = r.id.replace(/\/+$/, '').split('/').pop() || r.id;
  return name === r.id ? resourceText(r) : [`${r.kind}:${name}`, resourceText(r)];
}

export type IdentityName = (provider: Provider, id: string) => string | null;

function activityRow(r: ActivityRow, nameOf: IdentityName): Cell[] {
  const e = r.event;
  return [
    e.at,
    r.provider,
    scopeLabel({ id: r.scopeId, name: r.scopeName }),
    e.region,
    identityCell(e, nameOf(r.provider, e.identity.id)),
    e.operation,
    e.effect,
    [r.outcome, e.errorCode ?? undefined],
    e.errorCode,
    sourceText(e),
    e.source.agent,
    e.source.userAgent,
    resourceCell(e.resource),
    resourceCell(e.sourceResource),
    [
      r.findings.map((f) => (f.status === 'open' ? f.checkId : `${f.checkId} (suppressed)`)).join(', '),
      r.findings.map((f) => `${f.severity} ${f.checkId} ${f.fingerprint}`).join('\n'),
    ],
  ];
}

const columns = [
  { label: 'Time (UTC)' },
  { label: 'Provider', facet: true },
  { label: 'Scope', facet: true },
  { label: 'Region', facet: true },
  { label: 'Identity', facet: true },
  { label: 'Operation', facet: true },
  { label: 'Effect', facet: true },
  { label: 'Outcome', type: 'status' as const, facet: true },
  { label: 'Error', facet: true },
  { label: 'Source' },
  { label: 'Caller', facet: true },
  { label: 'User agent' },
  { label: 'Artifact' },
  { label: 'Made from' },
  { label: 'Findings', facet: true },
];

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function countsText(counts: ReadonlyArray<[string, number]>): string {
  return counts.map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
}

/** The counts above the table, one line each. */
function aggregates(a: ActivitySummary): string {
  const lines = [
    `${plural(a.total, 'event')} by ${plural(a.identities, 'identity', 'identities')} in ${plural(a.scopesRead, 'scope')} whose activity was read: ${a.byOutcome.success} succeeded, ${a.byOutcome.denied} denied, ${a.byOutcome.failed} failed otherwise`,
    `${a.flagged} quoted by an open activity finding`,
    `by effect: ${countsText(a.byEffect)}`,
    `by caller: ${countsText(a.byAgent)}`,
    `by provider: ${countsText(a.byProvider)}`,
  ];
  return `<ul class="activity-counts">${lines.map((l) => `<li>${h(l)}</li>`).join('')}</ul>`;
}

export interface ActivitySectionInput {
  summary: ActivitySummary;
  /** The rows to list: every event newest first (`full`), or the worst first (`summary`: at most `worst` of them). */
  rows: readonly ActivityRow[];
  mode: 'full' | 'summary';
  nameOf: IdentityName;
}

/** `<section id="activity">`: counts, timeline and the events table. */
export function activitySection({ summary: a, rows, mode, nameOf }: ActivitySectionInput): string {
  const cut = rows.length < a.total;
  const out = ['<section id="activity"><h2>Snapshot activity</h2>'];
  if (a.scopesRead === 0) {
    out.push(
      '<p>The creation activity was not read: no <code>activity.*</code> check ran, or no scope could be read. Select them with <code>--checks activity.*</code> (or the default checks) to review who made, copied, shared or exported snapshots.</p>',
      '</section>',
    );
    return out.join('\n');
  }
  out.push(
    '<p>Every event that made, copied, shared or exported an item of the snapshot family (or tried to) in the lookback window, as the audit log recorded it: who, from where, with which program, and what came of it. The findings column names the <code>activity.*</code> findings that quote the event. Values from the log (user agents, identities, addresses) are shown as text.</p>',
    aggregates(a),
    `<figure>${activityTimeline(a.days)}<figcaption>Snapshot-family events per day (UTC), by outcome</figcaption></figure>`,
  );
  if (cut) {
    out.push(
      `<h3 id="activity-worst">The ${rows.length} most notable events</h3>`,
      `<p class="tbl-note">${rows.length} of ${a.total} events shown (those quoted by the most severe findings first, then denied and failed ones, newest first): <a href="activity.csv">activity.csv</a> lists every one (written with <code>--format activity-csv</code>, or later with <code>snapaudit report --from result.json --format activity-csv</code>).</p>`,
    );
  }
  out.push(
    renderTable({
      id: 't-activity',
      caption: cut
        ? `The ${rows.length} most notable of ${a.total} snapshot-family events`
        : mode === 'summary'
          ? 'Every snapshot-family event, the most notable first'
          : 'Every snapshot-family event, newest first',
      noun: 'events',
      empty: 'No snapshot-family event in the lookback window.',
      columns,
      rows: rows.map((r) => activityRow(r, nameOf)),
    }),
    '</section>',
  );
  return out.join('\n');
}
