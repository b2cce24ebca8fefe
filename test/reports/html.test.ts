import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../reports/html/index.ts';
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

  it('states coverage, blind spots, exposure and principals outside the baseline in the summary', () => {
    const summary = html.slice(html.indexOf('id="executive"'), html.indexOf('id="technical"'));
    expect(summary).toContain('<strong>62.5%</strong> of 8 scope-regions');
    expect(summary).toContain('3 blind spots');
    expect(summary).toContain('<strong>2 public</strong>');
    expect(summary).toContain('<strong>3 externally shared</strong>');
    expect(summary).toContain('<strong>4 principals</strong> able to snapshot outside the baseline');
    expect(summary).toContain('No previous scan');
    expect(summary).toContain('This scan is incomplete');
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

  it('orders mitigations by severity × count with the remediation text', () => {
    const mit = html.slice(html.indexOf('id="mitigations"'), html.indexOf('id="framework-cis-aws"'));
    const first = mit.indexOf('No snapshot is public');
    expect(first).toBeGreaterThan(0);
    expect(mit.indexOf('No snapshot is shared outside the organisation')).toBeGreaterThan(first);
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
