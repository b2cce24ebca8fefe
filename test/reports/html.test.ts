import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCRIPT } from '../../reports/html/assets.ts';
import { renderHtmlReport } from '../../reports/html/index.ts';
import { type Cell, encodeRows } from '../../reports/html/table.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { HOSTILE } from '../fixtures/build-multi-cloud-result.ts';
import { sampleTrend } from '../fixtures/trend.ts';
import { catalogue } from '../../checks/index.ts';

const result: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const html = renderHtmlReport(result, { trend: null, frameworks: ['cis-aws'], checks: catalogue });

describe('HTML report', () => {
  it('is one self-contained document: no external script, style, image, font or frame, and a CSP forbidding requests', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<(script|img|iframe|link|object|embed)\b[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('opens with the executive summary, then the technical view and the limits', () => {
    const order = [
      'id="executive"',
      'id="top-risks"',
      'id="technical"',
      'id="findings"',
      'id="coverage"',
      'id="who-can"',
      'id="inventory"',
      'id="mitigations"',
      'id="framework-cis-aws"',
      'id="limits"',
    ];
    const positions = order.map((s) => html.indexOf(s));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('answers the three questions on cards that link to their sections, then blind spots and open findings', () => {
    const summary = html.slice(html.indexOf('id="executive"'), html.indexOf('id="technical"'));
    const cards = [...summary.matchAll(/<a class="card[^"]*" data-question="([a-z]+)" href="#([a-z-]+)">(.*?)<\/a>/g)].map((c) => ({
      q: c[1],
      href: c[2],
      text: c[3]!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    }));
    expect(cards.map((c) => [c.q, c.href])).toEqual([
      ['see', 'coverage'],
      ['who', 'who-can'],
      ['what', 'exposed'],
      ['blind', 'blind-spots'],
      ['findings', 'findings'],
    ]);
    for (const c of cards) expect(html).toContain(`id="${c.href}"`);
    // Would we see it: recorded *and* alerted, with the recorded share and the alerting behind it.
    expect(cards[0]!.text).toBe(
      'Would we see it? 12.5% of scope-regions record snapshot creation and alert on it 5 of 8 record it (62.5%); 1 not, 2 unknown 1 of those also alert on it; 1 only broadly; 2 alerting unknown',
    );
    expect(cards[1]!.text).toContain('6 principals can create, copy, share, export or restore snapshots');
    expect(cards[1]!.text).toContain('4 outside the baseline 2 reachable by an external identity');
    // What exists and what is exposed: the inventory size per kind, public and shared outside counted apart.
    expect(cards[2]!.text).toBe(
      'What exists, and what is exposed? 4 of 7 items exposed outside the organisation inventory: 7 snapshots 2 public, 3 shared outside the organisation, 1 public status unknown',
    );
    expect(cards[3]!.text).toContain('3 blind spots');
    expect(cards[4]!.text).toContain('2 suppressed (accepted, not counted)');
    expect(summary).toContain('No previous scan');
    expect(summary).toContain('This scan is incomplete');
  });

  it('says "shared outside", never a green "no", for a snapshot shared outside the organisation', () => {
    const exposed = html.slice(html.indexOf('id="exposed"'), html.indexOf('id="outside-baseline"'));
    const rows = [...exposed.matchAll(/<tr><td><span class="badge exposure-([a-z]+)">/g)].map((r) => r[1]);
    expect(rows).toEqual(['public', 'public', 'sharedoutside', 'sharedoutside']);
    expect(exposed).not.toContain('tri-no');
  });

  it('shows the trend when the state store supplies one', () => {
    const withTrend = renderHtmlReport(result, { trend: sampleTrend, frameworks: [], checks: catalogue });
    expect(withTrend).toContain('Previous scan prev000000000001');
    expect(withTrend).toMatch(
      /Logging coverage<\/td><td class="num">50\.0%<\/td><td class="num">62\.5%<\/td><td class="num trend-better">\+12\.5 pts/,
    );
    expect(withTrend).not.toContain('No previous scan');
  });

  it('escapes every cloud-supplied string, in markup and in the embedded data', () => {
    for (const bad of [HOSTILE.html, HOSTILE.script, '<script>alert', 'onerror=alert(1)>']) {
      expect(html.includes(bad), `raw "${bad}" in the HTML`).toBe(false);
    }
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // The only <script> elements are ours: the client and the JSON data blobs.
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.every((s) => s === '<script>' || /^<script type="application\/json" id="t-[a-z0-9-]+-data">$/.test(s))).toBe(true);
    expect(scripts.filter((s) => s === '<script>')).toHaveLength(1);
    const blobs = [...html.matchAll(/<script type="application\/json" id="[^"]+">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(blobs.length).toBeGreaterThan(3);
    for (const b of blobs) {
      expect(b).not.toMatch(/[<>]/);
      expect(() => JSON.parse(b)).not.toThrow();
    }
    expect(blobs.some((b) => JSON.parse(b).flat(2).includes(HOSTILE.html))).toBe(true);
  });

  it('lists what could not be read: gaps, unread shares, unknowns, suppressed findings', () => {
    const limits = html.slice(html.indexOf('id="limits"'));
    expect(limits).toContain('cloudtrail:DescribeTrails');
    expect(limits).toContain('role arn:aws:iam::333333333333:role/SnapauditReadOnly could not be assumed');
    expect(limits).toContain('sharesKnown=false');
    expect(limits).toContain('snapshots whose public status is unknown');
    expect(limits).toContain('legal hold until case 4711 closes');
  });

  it('orders mitigations by severity first, then count, says why, with the remediation text', () => {
    const mit = html.slice(html.indexOf('id="mitigations"'), html.indexOf('id="framework-cis-aws"'));
    const order = [...mit.matchAll(/<li data-check="([^"]+)"><span class="badge sev-([a-z]+)">/g)].map((x) => x[2]!);
    expect(order.length).toBeGreaterThan(3);
    const rank = ['critical', 'high', 'medium', 'low'];
    expect(order.map((s) => rank.indexOf(s))).toEqual([...order.map((s) => rank.indexOf(s))].sort((a, b) => a - b));
    expect(mit).toMatch(/<li data-check="snapshots\.public">/);
    expect(mit.indexOf('data-check="snapshots.public"')).toBeLessThan(mit.indexOf('data-check="snapshots.shared-outside-org"'));
    expect(mit).toContain('Here because:</strong> first: its most severe open finding is critical');
    expect(mit).toContain('remove the `all` group from createVolumePermission');
  });

  it('renders a per-control framework view with statuses', () => {
    const fw = html.slice(html.indexOf('id="framework-cis-aws"'), html.indexOf('id="limits"'));
    expect(fw).toContain('Ensure CloudTrail is enabled in all regions');
    expect(fw).toMatch(/4 fail/);
  });

  it('prints: a print style sheet hides the controls and keeps the colours', () => {
    expect(html).toContain('@media print');
    expect(html).toMatch(/@media print[\s\S]*\.controls/);
  });
});

describe("the tables' embedded rows", () => {
  // the client's own decoder, taken from the script the report embeds (reports/html/assets.ts)
  const decoderSource = /function decodeRows\(rows\) \{[\s\S]*?\n {2}\}\n/.exec(SCRIPT)?.[0] ?? '';
  const decodeRows = new Function(`${decoderSource}; return decodeRows;`)() as (rows: unknown[][]) => unknown[][];

  it('write a repeated cell once and give the client every cell back as the server drew it', () => {
    // a logging matrix: 1,000 scopes × 18 regions, a handful of verdicts each with its tooltip and colour
    const verdicts: Cell[] = [
      [
        'R+ C+ P+ A-',
        'recorded: yes\ncentral: yes\nprotected: yes\nalerted: none\nsources: arn:aws:cloudtrail:us-east-1:1:trail/org',
        'cov-bad',
      ],
      ['R? C? P? A?', 'recorded: unknown\n• trails could not be read (access denied)', 'cov-unk'],
      ['', 'not in this scope', 'cov-none'],
    ];
    const rows: Cell[][] = Array.from({ length: 1000 }, (_, i) => [
      'aws',
      `account-${i}`,
      ...Array.from({ length: 18 }, (_, r) => verdicts[(i + r) % 3] as Cell),
      i,
    ]);
    expect(decoderSource).not.toBe('');
    const written = JSON.stringify(encodeRows(rows));
    expect(written.length).toBeLessThan(JSON.stringify(rows).length / 10);
    expect(decodeRows(JSON.parse(written))).toEqual(JSON.parse(JSON.stringify(rows)));
    expect(encodeRows([[null, 7, 'x', ['only text']]])).toEqual([[null, 7, 'x', ['only text']]]);
  });
});
