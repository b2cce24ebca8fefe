/**
 * The HTML report's Activity section (issue #18) on the shared fixture: counts, a timeline with one bar per day,
 * the events with the findings that quote them, hostile text as text, and the report of a large organisation that
 * keeps the counts and the worst events only.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { activityRowsOf, compareWorst, summariseActivity } from '../../reports/activity-view.ts';
import { activityTimeline } from '../../reports/html/activity.ts';
import { renderHtml } from '../../reports/html/index.ts';
import { resultSource } from '../../reports/source.ts';
import type { RenderContext } from '../../reports/types.ts';
import { summariseSource } from '../../reports/view-model.ts';
import { catalogue } from '../../checks/index.ts';
import type { ScanResult } from '../../src/core/model/result.ts';

const result: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const ctx: RenderContext = { trend: null, frameworks: [], checks: catalogue };
const html = (c: Partial<RenderContext> = {}, r = result) => String(renderHtml(r, { ...ctx, ...c })[0]!.content);
const tbody = (s: string) => s.slice(s.indexOf('<tbody>'), s.indexOf('</tbody>'));
const section = (page: string) =>
  page.slice(page.indexOf('<section id="activity">'), page.indexOf('</section>', page.indexOf('<section id="activity">')));
const events = result.scopes.flatMap((s) => s.activity ?? []);

describe('the Activity section of the HTML report', () => {
  it('lists every event once, newest first, with the findings that quote it', () => {
    const s = section(html());
    const rows = [...s.matchAll(/<tr><td>([^<]+)<\/td>/g)].map((m) => m[1]!);
    expect(rows).toHaveLength(events.length);
    expect(rows).toEqual([...rows].sort().reverse());
    // The CI role's three denied CreateSnapshot calls are quoted by denied-attempts, untrusted-source and off-hours.
    const denied = tbody(s)
      .split('<tr>')
      .filter((r) => r.includes('Client.UnauthorizedOperation'));
    expect(denied).toHaveLength(3);
    for (const r of denied) expect(r).toContain('>activity.denied-attempts, activity.untrusted-source, activity.off-hours</td>');
    // The approved backup service's event is quoted by no finding.
    const backup = tbody(s)
      .split('<tr>')
      .find((r) => r.includes('AWSBackupDefaultServiceRole'))!;
    expect(backup).toMatch(/<td><\/td><\/tr>\s*$/);
  });

  it('counts the events by outcome, effect and caller', () => {
    const s = section(html());
    expect(s).toContain(
      `${events.length} events by 7 identities in 3 scopes whose activity was read: 6 succeeded, 4 denied, 0 failed otherwise`,
    );
    expect(s).toContain('by effect: 8 create, 1 export, 1 share');
    expect(s).toContain('by caller: 1 cloud-service, 2 console, 2 other, 4 sdk, 1 terraform');
  });

  it('shows user agents, identities and addresses from the log as escaped text, never as a link or markup', () => {
    const s = section(html());
    expect(s).toContain('<td>&lt;img src=x onerror=alert(1)&gt;</td>');
    expect(s).not.toContain('<img');
    expect(s).not.toMatch(/<a\s/);
  });

  it('draws one bar per day with events, stacked by outcome, the same every time', () => {
    const days = summariseActivity(result.scopes, 0).days;
    // Every day from the first event's to the last event's, empty days included.
    expect(days[0]!.day).toBe('2026-10-20');
    expect(days.at(-1)!.day).toBe('2026-11-24');
    expect(days).toHaveLength(36);
    expect(days.find((d) => d.day === '2026-11-22')).toEqual({ day: '2026-11-22', success: 0, denied: 3, failed: 0 });
    const svg = activityTimeline(days);
    expect(svg.match(/<g>/g)).toHaveLength(days.filter((d) => d.success + d.denied + d.failed > 0).length);
    expect(svg).toContain('<title>2026-11-22: 0 succeeded, 3 denied, 0 failed</title>');
    expect(activityTimeline(days)).toBe(svg);
    expect(activityTimeline([])).toContain('No snapshot activity in the lookback window.');
  });

  it('says when the activity was not read, rather than showing an empty review', () => {
    const none: ScanResult = { ...result, scopes: result.scopes.map(({ activity: _a, ...s }) => s) };
    const s = section(html({}, none));
    expect(s).toContain('The creation activity was not read');
    expect(s).not.toContain('t-activity');
  });

  it('above the detail limit keeps the counts and timeline and lists the worst events, pointing at activity.csv', () => {
    const s = section(html({ html: { detailLimit: 0, worst: 4 } }));
    expect(s).toContain(`${events.length} events by 7 identities`);
    expect(s).toContain('<svg');
    expect(s).toContain('4 of 10 events shown');
    expect(s).toContain('<a href="activity.csv">activity.csv</a>');
    const worst = summariseActivity(result.scopes, 4).worst;
    // the worst rows, in order (each also carries the name its scope's directory gave its identity)
    expect(worst.map(({ identityName: _, ...r }) => r)).toEqual(result.scopes.flatMap(activityRowsOf).sort(compareWorst).slice(0, 4));
    // Quoted by a high finding first (the denied calls and the sensitive copy), never the approved backup.
    expect(worst.every((r) => r.findings.some((f) => f.severity === 'high'))).toBe(true);
    expect(worst.slice(0, 3).every((r) => r.outcome === 'denied')).toBe(true);
  });

  it('counts activity events towards the detail limit', () => {
    const m = summariseSource(resultSource(result), 10);
    const limit = m.counts.findings + m.counts.snapshots + m.capablePrincipals + events.length;
    expect(section(html({ html: { detailLimit: limit } }))).toContain('Every snapshot-family event');
    expect(section(html({ html: { detailLimit: limit - 1 } }))).toContain('Every snapshot-family event, the most notable first');
  });
});
