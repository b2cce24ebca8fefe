/**
 * The HTML report's only style sheet and script, inlined into the page (no network requests; the page's Content
 * Security Policy allows exactly these two by hash). The script is progressive enhancement: without it every
 * section is readable and the tables show their first page.
 */

export const CSS = `
:root { --fg:#1b1f24; --muted:#5b6470; --bg:#fff; --line:#d8dde3; --soft:#f4f6f8; --accent:#0b5cad;
  --critical:#8e0b0b; --high:#c0392b; --medium:#b9770e; --low:#2874a6; --info:#6c757d;
  --ok:#1e7e34; --bad:#b3261e; --unk:#7a7f87; --weak:#b9770e; }
* { box-sizing: border-box; }
html { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
body { margin: 0; }
header.top { padding: 20px 28px 12px; border-bottom: 1px solid var(--line); }
header.top h1 { margin: 0 0 4px; font-size: 22px; }
header.top .meta { color: var(--muted); }
nav.toc { position: sticky; top: 0; z-index: 5; background: var(--bg); border-bottom: 1px solid var(--line); padding: 6px 28px; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav.toc a { color: var(--accent); text-decoration: none; font-size: 13px; }
main { padding: 0 28px 40px; max-width: 1600px; }
section { margin-top: 28px; }
h2 { font-size: 19px; border-bottom: 2px solid var(--fg); padding-bottom: 4px; margin: 28px 0 12px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
p.lead { font-size: 16px; max-width: 980px; }
.banner { border: 2px solid var(--bad); background: #fdecea; padding: 10px 14px; margin: 14px 0; font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; background: var(--soft); break-inside: avoid; }
.card .k { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.card .v { font-size: 28px; font-weight: 700; margin: 2px 0; }
.card .d { font-size: 12px; color: var(--muted); }
.card.bad .v { color: var(--bad); } .card.ok .v { color: var(--ok); }
a.card { display: block; color: inherit; text-decoration: none; } a.card:hover, a.card:focus { border-color: var(--accent); }
.cards.questions { grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); }
.cards.questions .k { font-size: 14px; font-weight: 700; color: var(--fg); text-transform: none; letter-spacing: 0; }
.card .w { font-size: 13px; } .card ul.d { margin: 4px 0 0; padding-left: 16px; }
.cards.minor { grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); } .cards.minor .v { font-size: 22px; }
.fix-first { margin: 8px 0 4px; } .fix-first ol { margin: 4px 0; padding-left: 22px; }
.exposure-public { background: var(--critical); } .exposure-sharedoutside { background: var(--high); }
.exposure-publicunknown { background: var(--unk); } .exposure-none { background: var(--ok); }
.status-openagain { background: var(--bad); }
.charts { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
figure { margin: 0; } figcaption { font-size: 12px; color: var(--muted); }
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
svg .f-critical { fill: var(--critical); } svg .f-high { fill: var(--high); } svg .f-medium { fill: var(--medium); }
svg .f-low { fill: var(--low); } svg .f-info { fill: var(--info); } svg .f-ok { fill: var(--ok); } svg .f-bad { fill: var(--bad); }
svg .f-unk { fill: #c5c9ce; } svg .f-weak { fill: var(--weak); } svg .track { fill: var(--soft); }
svg .s-ok { stroke: var(--ok); } svg .s-bad { stroke: var(--bad); } svg .s-unk { stroke: #c5c9ce; }
svg .big { font-size: 22px; font-weight: 700; }
svg .axis { stroke: var(--muted); } .activity-counts { margin: 4px 0 8px; padding-left: 18px; }
.status-success { background: var(--ok); } .status-denied { background: var(--critical); }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--soft); position: relative; white-space: nowrap; }
td.mono, td.id, span.mono { white-space: nowrap; overflow-wrap: normal; }
td.id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
td.num, th[data-type="num"] { text-align: right; white-space: nowrap; }
td.empty { color: var(--muted); font-style: italic; }
td.multi, td.pre { white-space: pre-line; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; font-weight: 600; color: #fff; background: var(--info); white-space: nowrap; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); } .sev-medium { background: var(--medium); }
.sev-low { background: var(--low); } .sev-info { background: var(--info); }
.tri-yes { background: var(--bad); } .tri-no { background: var(--ok); } .tri-unknown { background: var(--unk); }
.status-pass { background: var(--ok); } .status-fail { background: var(--bad); } .status-couldnotassess { background: var(--weak); }
.status-notapplicable { background: var(--unk); } .status-open { background: var(--bad); } .status-suppressed { background: var(--unk); }
.status-yes, .status-exact, .status-approved { background: var(--ok); } .status-no, .status-none, .status-outsidebaseline, .status-expired { background: var(--bad); }
.status-unknown, .status-notassessed { background: var(--unk); } .status-broad { background: var(--weak); }
.trend-worse { color: var(--bad); font-weight: 600; } .trend-better { color: var(--ok); font-weight: 600; }
.status-complete, .status-scanned { background: var(--ok); } .status-partial { background: var(--weak); } .status-failed, .status-interrupted { background: var(--bad); }
.cv { display: inline-block; min-width: 2.2em; text-align: center; border-radius: 3px; font-size: 12px; font-weight: 600; color: #fff; margin: 1px 0; }
.cv-ok { background: var(--ok); } .cv-bad { background: var(--bad); } .cv-unk { background: var(--unk); } .cv-weak { background: var(--weak); }
td.cov-ok { background: #eaf5ec; } td.cov-bad { background: #fdecea; } td.cov-unk { background: #f1f2f4; } td.cov-none { background: #fff; color: var(--muted); }
.legend { font-size: 12px; color: var(--muted); }
.controls { display: none; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 8px 0 2px; font-size: 13px; }
.js .controls { display: flex; }
.controls input[type=search] { width: 240px; padding: 3px 6px; }
.controls select { max-width: 240px; }
.pager { margin-left: auto; display: inline-flex; gap: 6px; align-items: center; }
.js th { cursor: pointer; user-select: none; }
.js th[aria-sort="ascending"]::after { content: " ▲"; font-size: 10px; }
.js th[aria-sort="descending"]::after { content: " ▼"; font-size: 10px; }
.tbl-note { font-size: 12px; color: var(--muted); margin: 2px 0 10px; }
ol.mitigations > li { margin: 0 0 12px; break-inside: avoid; }
ol.mitigations .why { color: var(--muted); }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; }
.kv dt { color: var(--muted); } .kv dd { margin: 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
footer { color: var(--muted); font-size: 12px; padding: 20px 28px; border-top: 1px solid var(--line); }
.print-only { display: none; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  html { font-size: 10pt; }
  nav.toc, .controls, .no-print { display: none !important; }
  .print-only { display: block; }
  main { padding: 0; max-width: none; }
  header.top { padding: 0 0 8px; }
  section#technical { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, .card, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .badge, .cv, td.cov-ok, td.cov-bad, td.cov-unk, .card { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

/** The client: pages, sorts and filters the data tables. Plain ES5-style so any browser runs it. */
export const SCRIPT = `
(function () {
  'use strict';
  var SEV = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
  var COV = { '+': 'ok', '-': 'bad', '?': 'unk', '~': 'weak' };
  function text(c) { return c === null || c === undefined ? '' : (typeof c === 'object' ? String(c[0]) : String(c)); }
  function suffix(v) { return v.toLowerCase().replace(/[^a-z0-9-]/g, ''); }
  function td(type, c) {
    var el = document.createElement('td');
    var v = text(c);
    var cls = [];
    if (c && typeof c === 'object') { if (c[1]) el.title = c[1]; if (c[2]) cls.push(c[2]); }
    if (type === 'num' || type === 'id') cls.push(type);
    if (cls.length) el.className = cls.join(' ');
    if ((type === 'sev' || type === 'tri' || type === 'status' || type === 'exposure') && v) {
      var b = document.createElement('span'); b.className = 'badge ' + type + '-' + suffix(v); b.textContent = v; el.appendChild(b);
    } else if (type === 'cov') {
      v.split(' ').forEach(function (p, i) {
        if (!p) return;
        if (i) el.appendChild(document.createTextNode(' '));
        var s = document.createElement('span'); s.className = 'cv cv-' + (COV[p.slice(-1)] || 'unk'); s.textContent = p; el.appendChild(s);
      });
    } else { el.textContent = v; }
    return el;
  }
  function key(type, c) {
    var v = text(c);
    if (type === 'num') { var n = parseFloat(v); return isNaN(n) ? Infinity : n; }
    if (type === 'sev') { return v in SEV ? SEV[v] : 9; }
    return v.toLowerCase();
  }
  // table.ts encodeRows: [n] stands for the n-th cell written out in full as [text, tooltip, class], row by row
  function decodeRows(rows) {
    var full = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      for (var j = 0; j < r.length; j++) {
        var c = r[j];
        if (c && typeof c === 'object') {
          if (c.length === 1 && typeof c[0] === 'number') r[j] = full[c[0]] || null;
          else full.push(c);
        }
      }
    }
    return rows;
  }
  function Table(root) {
    var table = root.querySelector('table');
    var tbody = table.tBodies[0];
    var ths = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var types = ths.map(function (th) { return th.getAttribute('data-type') || 'text'; });
    var dataEl = document.getElementById(table.id + '-data');
    var note = root.querySelector('.tbl-note');
    var info = root.querySelector('.info');
    var search = root.querySelector('input[type=search]');
    var facets = Array.prototype.slice.call(root.querySelectorAll('select[data-col]'));
    var sizeSel = root.querySelector('select[data-act=size]');
    var size = parseInt(root.getAttribute('data-page-size'), 10) || 100;
    var total = parseInt(root.getAttribute('data-total'), 10) || 0;
    var rows = null, hay = null, view = null, page = 0, sortCol = -1, sortDir = 1, timer = 0;
    if (!dataEl || total === 0) return;
    function load() {
      if (rows) return;
      rows = decodeRows(JSON.parse(dataEl.textContent));
      hay = rows.map(function (r) { return r.map(text).join('\\u0001').toLowerCase(); });
    }
    function compute() {
      load();
      var terms = (search ? search.value : '').toLowerCase().split(/\\s+/).filter(Boolean);
      var chosen = facets.map(function (s) { return [parseInt(s.getAttribute('data-col'), 10), s.value]; }).filter(function (f) { return f[1] !== ''; });
      var idx = [];
      for (var i = 0; i < rows.length; i++) {
        var ok = true, j;
        for (j = 0; ok && j < terms.length; j++) ok = hay[i].indexOf(terms[j]) >= 0;
        for (j = 0; ok && j < chosen.length; j++) ok = text(rows[i][chosen[j][0]]) === chosen[j][1];
        if (ok) idx.push(i);
      }
      if (sortCol >= 0) {
        var t = types[sortCol];
        var keys = {};
        idx.forEach(function (i) { keys[i] = key(t, rows[i][sortCol]); });
        idx.sort(function (a, b) { var x = keys[a], y = keys[b]; return x < y ? -sortDir : x > y ? sortDir : a - b; });
      }
      view = idx;
    }
    function render() {
      var pages = Math.max(1, Math.ceil(view.length / size));
      if (page >= pages) page = pages - 1;
      var frag = document.createDocumentFragment();
      var start = page * size, end = Math.min(view.length, start + size);
      for (var k = start; k < end; k++) {
        var r = rows[view[k]], tr = document.createElement('tr');
        for (var c = 0; c < types.length; c++) tr.appendChild(td(types[c], r[c] === undefined ? null : r[c]));
        frag.appendChild(tr);
      }
      if (end === start) {
        var tr0 = document.createElement('tr'), cell = document.createElement('td');
        cell.colSpan = types.length; cell.className = 'empty'; cell.textContent = 'No row matches the filter.';
        tr0.appendChild(cell); frag.appendChild(tr0);
      }
      tbody.textContent = '';
      tbody.appendChild(frag);
      status(start, end, view.length);
    }
    function status(start, end, n) {
      var msg = n === 0 ? '0 rows' : 'rows ' + (start + 1) + '–' + end + ' of ' + n + (n !== total ? ' (filtered from ' + total + ')' : '');
      if (info) info.textContent = msg;
      if (note) note.textContent = 'Showing ' + msg + '. The CSV files hold every row.';
      var prev = root.querySelector('[data-act=prev]'), next = root.querySelector('[data-act=next]');
      if (prev) prev.disabled = start === 0;
      if (next) next.disabled = end >= n;
    }
    function update() { compute(); render(); }
    status(0, Math.min(size, total), total);
    ths.forEach(function (th, i) {
      th.tabIndex = 0;
      function go() {
        if (sortCol === i) sortDir = -sortDir; else { sortCol = i; sortDir = 1; }
        ths.forEach(function (o) { o.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', sortDir === 1 ? 'ascending' : 'descending');
        page = 0; update();
      }
      th.addEventListener('click', go);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
    });
    if (search) search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { page = 0; update(); }, 120); });
    facets.forEach(function (s) { s.addEventListener('change', function () { page = 0; update(); }); });
    if (sizeSel) sizeSel.addEventListener('change', function () { size = parseInt(sizeSel.value, 10) || 100; page = 0; update(); });
    root.addEventListener('click', function (e) {
      var act = e.target && e.target.getAttribute && e.target.getAttribute('data-act');
      if (act !== 'prev' && act !== 'next') return;
      if (!view) compute();
      page += act === 'next' ? 1 : -1;
      if (page < 0) page = 0;
      render();
    });
  }
  document.documentElement.className += ' js';
  Array.prototype.forEach.call(document.querySelectorAll('[data-table]'), Table);
  document.documentElement.setAttribute('data-ready', '1');
  if (window.performance && performance.mark) performance.mark('snapaudit-ready');
})();
`;
