/**
 * A data table that stays usable at 10,000 rows: the first page is rendered as plain HTML (readable and printable
 * without JavaScript), and every row travels as an embedded JSON blob that the inline script pages, sorts and
 * filters on demand (parsed only on first use; a repeated cell is written once, then referenced: encodeRows). Cells
 * are text; the client sets them with textContent, never HTML.
 */
import { escapeHtml as h, jsonForScript } from '../escape.ts';

/** `id`: an identifier (check id, fingerprint) that never breaks mid-word; `exposure`: public / shared outside / … badges. */
export type ColumnType = 'text' | 'num' | 'sev' | 'tri' | 'status' | 'exposure' | 'cov' | 'multi' | 'id';

/** Column types drawn as a coloured badge. */
export const BADGE_TYPES: readonly ColumnType[] = ['sev', 'tri', 'status', 'exposure'];

export interface Column {
  label: string;
  type?: ColumnType;
  /** Offer a drop-down filter with the column's distinct values (when there are few). */
  facet?: boolean;
}

/** A cell: its text, or [text, tooltip, css class]. */
export type Cell = string | number | null | [string, string?, string?];

export interface TableSpec {
  id: string;
  caption: string;
  columns: Column[];
  rows: Cell[][];
  pageSize?: number;
  empty: string;
  /** Words for the rows, e.g. "snapshots". */
  noun: string;
}

export const DEFAULT_PAGE_SIZE = 100;
const MAX_FACET_VALUES = 40;

export function cellText(c: Cell): string {
  if (c === null) return '';
  if (Array.isArray(c)) return c[0];
  return String(c);
}

/** The class suffix for a badge value: letters, digits and dashes only. */
export function badgeSuffix(v: string): string {
  return v.toLowerCase().replace(/[^a-z0-9-]/g, '');
}

const covClass: Record<string, string> = { '+': 'ok', '-': 'bad', '?': 'unk', '~': 'weak' };

/** Server-side twin of the client's cell renderer (assets.ts): keep both in step. */
export function cellHtml(col: Column, c: Cell): string {
  const v = cellText(c);
  const title = Array.isArray(c) && c[1] ? ` title="${h(c[1])}"` : '';
  const classes = [Array.isArray(c) && c[2] ? c[2] : '', col.type === 'num' || col.type === 'id' ? col.type : ''].filter(Boolean).join(' ');
  const cls = classes ? ` class="${h(classes)}"` : '';
  let inner: string;
  if (col.type && BADGE_TYPES.includes(col.type) && v) {
    inner = `<span class="badge ${col.type}-${badgeSuffix(v)}">${h(v)}</span>`;
  } else if (col.type === 'cov') {
    inner = v
      .split(' ')
      .filter(Boolean)
      .map((part) => `<span class="cv cv-${covClass[part.slice(-1)] ?? 'unk'}">${h(part)}</span>`)
      .join(' ');
  } else {
    inner = h(v);
  }
  return `<td${title}${cls}>${inner}</td>`;
}

/**
 * The rows as the embedded JSON carries them: a cell with a tooltip or a class (`[text, tooltip, class]`) that equals
 * an earlier one of the table is written as `[n]`, n counting the table's tuple cells written out in full, row by row
 * (the client's `decodeRows` in assets.ts resolves them in the same order). A logging matrix repeats a handful of
 * verdicts, each with its tooltip, over every scope and region: at 3,500 scopes × 18 regions the blob took 8.4 MB of a
 * 10.4 MB report, written out in full.
 */
export function encodeRows(rows: readonly Cell[][]): unknown[][] {
  const seen = new Map<string, number>();
  return rows.map((row) =>
    row.map((c) => {
      if (!Array.isArray(c)) return c;
      const key = JSON.stringify(c);
      const ref = seen.get(key);
      if (ref !== undefined) return [ref];
      seen.set(key, seen.size);
      return c;
    }),
  );
}

export function renderTable(spec: TableSpec): string {
  const size = spec.pageSize ?? DEFAULT_PAGE_SIZE;
  const total = spec.rows.length;
  const facets = spec.columns
    .map((col, i) => ({ col, i }))
    .filter(({ col }) => col.facet)
    .map(({ col, i }) => {
      const values = [...new Set(spec.rows.map((r) => cellText(r[i] ?? null)).filter(Boolean))].sort();
      if (values.length < 2 || values.length > MAX_FACET_VALUES) return '';
      return `<label>${h(col.label)} <select data-col="${i}"><option value="">all</option>${values.map((v) => `<option>${h(v)}</option>`).join('')}</select></label>`;
    })
    .filter(Boolean)
    .join(' ');
  const head = spec.columns
    .map((col, i) => `<th scope="col" data-col="${i}" data-type="${col.type ?? 'text'}" aria-sort="none">${h(col.label)}</th>`)
    .join('');
  const body =
    total === 0
      ? `<tr><td colspan="${spec.columns.length}" class="empty">${h(spec.empty)}</td></tr>`
      : spec.rows
          .slice(0, size)
          .map((r) => `<tr>${spec.columns.map((col, i) => cellHtml(col, r[i] ?? null)).join('')}</tr>`)
          .join('\n');
  const note =
    total > size
      ? `Showing the first ${size} of ${total} ${spec.noun}. With JavaScript on, page, sort and filter all of them here; the CSV files hold every row.`
      : `${total} ${spec.noun}.`;
  return [
    `<div class="tbl" data-table="${h(spec.id)}" data-page-size="${size}" data-total="${total}">`,
    total > 0
      ? `<div class="controls"><label>Filter <input type="search" placeholder="text in any column" aria-label="Filter ${h(spec.noun)}"></label> ${facets} <span class="pager"><button type="button" data-act="prev" aria-label="previous page">‹ prev</button> <span class="info" aria-live="polite"></span> <button type="button" data-act="next" aria-label="next page">next ›</button> <select data-act="size" aria-label="rows per page">${[
          25, 100, 500,
        ]
          .map((n) => `<option${n === size ? ' selected' : ''}>${n}</option>`)
          .join('')}</select></span></div>`
      : '',
    `<table id="${h(spec.id)}"><caption>${h(spec.caption)}</caption><thead><tr>${head}</tr></thead>`,
    `<tbody>\n${body}\n</tbody></table>`,
    `<p class="tbl-note">${h(note)}</p>`,
    total > 0 ? `<script type="application/json" id="${h(spec.id)}-data">${jsonForScript(encodeRows(spec.rows))}</script>` : '',
    '</div>',
  ]
    .filter(Boolean)
    .join('\n');
}
