/** Inline SVG charts: no library, no fonts, no network; colours come from CSS classes so they print. */
import { escapeHtml as h } from '../escape.ts';
import type { SeverityCounts } from '../view-model.ts';
import { severities } from '../view-model.ts';

const r2 = (n: number) => Math.round(n * 100) / 100;

/** A donut: recorded / not recorded / unknown scope-regions, with the percentage in the middle. */
export function coverageDonut(recorded: number, notRecorded: number, unknown: number, label: string): string {
  const total = recorded + notRecorded + unknown;
  const radius = 52;
  const circ = 2 * Math.PI * radius;
  const parts: Array<[number, string]> = [
    [recorded, 's-ok'],
    [notRecorded, 's-bad'],
    [unknown, 's-unk'],
  ];
  let offset = 0;
  const arcs = parts
    .filter(([n]) => n > 0)
    .map(([n, cls]) => {
      const len = (n / total) * circ;
      const arc = `<circle cx="70" cy="70" r="${radius}" fill="none" class="${cls}" stroke-width="18" stroke-dasharray="${r2(len)} ${r2(circ - len)}" stroke-dashoffset="${r2(-offset)}" transform="rotate(-90 70 70)"/>`;
      offset += len;
      return arc;
    })
    .join('');
  const desc = `Logging coverage: ${recorded} of ${total} scope-regions record snapshot creation, ${notRecorded} do not, ${unknown} unknown.`;
  return `<svg width="140" height="140" viewBox="0 0 140 140" role="img" aria-label="${h(desc)}"><title>${h(desc)}</title>${
    total === 0 ? `<circle cx="70" cy="70" r="${radius}" fill="none" class="s-unk" stroke-width="18"/>` : arcs
  }<text x="70" y="76" text-anchor="middle" class="big">${h(label)}</text></svg>`;
}

/** Horizontal bars: open findings by severity. */
export function severityBars(counts: SeverityCounts): string {
  const max = Math.max(1, ...severities.map((s) => counts[s]));
  const width = 260;
  const rows = severities
    .map((s, i) => {
      const w = r2((counts[s] / max) * (width - 90));
      const y = i * 24;
      return `<text x="0" y="${y + 15}">${s}</text><rect x="62" y="${y + 3}" width="${width - 90}" height="16" class="track"/><rect x="62" y="${y + 3}" width="${w}" height="16" class="f-${s}"/><text x="${r2(66 + w)}" y="${y + 15}">${counts[s]}</text>`;
    })
    .join('');
  const desc = `Open findings by severity: ${severities.map((s) => `${counts[s]} ${s}`).join(', ')}.`;
  return `<svg width="${width}" height="${severities.length * 24}" viewBox="0 0 ${width} ${severities.length * 24}" role="img" aria-label="${h(desc)}"><title>${h(desc)}</title>${rows}</svg>`;
}

/** One stacked bar per row (e.g. per check), segments by severity. */
export function stackedBars(rows: Array<{ label: string; counts: SeverityCounts }>): string {
  const max = Math.max(1, ...rows.map((r) => severities.reduce((n, s) => n + r.counts[s], 0)));
  const labelW = 300;
  const barW = 360;
  const body = rows
    .map((r, i) => {
      const y = i * 20;
      let x = labelW;
      const segs = severities
        .filter((s) => r.counts[s] > 0)
        .map((s) => {
          const w = r2((r.counts[s] / max) * barW);
          const seg = `<rect x="${r2(x)}" y="${y + 3}" width="${w}" height="14" class="f-${s}"><title>${r.counts[s]} ${s}</title></rect>`;
          x += w;
          return seg;
        })
        .join('');
      const total = severities.reduce((n, s) => n + r.counts[s], 0);
      return `<text x="0" y="${y + 14}">${h(r.label)}</text>${segs}<text x="${r2(x + 4)}" y="${y + 14}">${total}</text>`;
    })
    .join('');
  const height = Math.max(20, rows.length * 20);
  return `<svg width="${labelW + barW + 40}" height="${height}" viewBox="0 0 ${labelW + barW + 40} ${height}" role="img" aria-label="Open findings per check, by severity"><title>Open findings per check, by severity</title>${body}</svg>`;
}

/** A single proportional bar, e.g. pass / fail / could not assess / not applicable. */
export function proportionBar(parts: Array<{ n: number; cls: string; label: string }>, width = 360): string {
  const total = parts.reduce((n, p) => n + p.n, 0);
  let x = 0;
  const segs = parts
    .filter((p) => p.n > 0)
    .map((p) => {
      const w = r2((p.n / Math.max(1, total)) * width);
      const seg = `<rect x="${r2(x)}" y="0" width="${w}" height="16" class="${p.cls}"><title>${p.n} ${h(p.label)}</title></rect>`;
      x += w;
      return seg;
    })
    .join('');
  const desc = parts.map((p) => `${p.n} ${p.label}`).join(', ');
  return `<svg width="${width}" height="16" viewBox="0 0 ${width} 16" role="img" aria-label="${h(desc)}"><title>${h(desc)}</title><rect x="0" y="0" width="${width}" height="16" class="track"/>${segs}</svg>`;
}
