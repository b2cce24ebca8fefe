/**
 * The HTML report of the demo scan in a real browser (Debian's Chromium through playwright-core): no console error,
 * no network request, the executive view answers the three questions on the first screen, the filter, facet and sort
 * controls work, a hostile snapshot name (from the shared fixture: the demo organisation has realistic names) renders
 * as text, and it prints to PDF. Leaves screenshots and the PDF in test-output/ (and the executive view as
 * SNAPAUDIT_SCREENSHOT, when set). Chromium is required: without it this fails.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.ts';
import { NOW } from '../support/lab.ts';

const CHROMIUM = process.env.SNAPAUDIT_CHROMIUM ?? '/usr/bin/chromium';
const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
const HOSTILE = '<img src=x onerror=alert(1)>';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const requests: string[] = [];
const dialogs: string[] = [];
let reportUrl = '';
let fixtureUrl = '';
const FIXTURE = fileURLToPath(new URL('../fixtures/multi-cloud-result.json', import.meta.url));

async function rowsOf(table: string): Promise<string[][]> {
  // The test's tsconfig has no DOM types: describe the little of the DOM this callback touches.
  type Row = { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
  return page.$$eval(`#${table} tbody tr`, (trs) =>
    (trs as unknown as Row[]).map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
  );
}

describe('HTML report in Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: the browser test needs it. Install Debian's chromium package (apt-get install chromium; .ci/run does) or set SNAPAUDIT_CHROMIUM to a Chromium binary.`,
      );
    }
    const cwd = tempDir();
    const run = await runCli(['scan', '--demo', '--out', 'out', '--now', NOW, '--format', 'html', '--quiet'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const file = join(cwd, 'out', 'report.html');
    reportUrl = `file://${file}`;
    const fixture = await runCli(['report', '--from', FIXTURE, '--out', 'fixture', '--format', 'html', '--quiet'], { cwd });
    expect(fixture.code, fixture.stderr).toBe(0);
    fixtureUrl = `file://${join(cwd, 'fixture', 'report.html')}`;
    // A browser Playwright owns (its profile is a temporary folder it removes once the browser has exited).
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    page.on('request', (r) => {
      if (r.url() !== reportUrl) requests.push(r.url());
    });
    await page.goto(reportUrl, { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="1"]', { timeout: 10_000 });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('loads without console errors, dialogs or any network request', async () => {
    await page.waitForTimeout(200);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('answers the three questions on the first screen, each card linking to its section', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    const cards = page.locator('#executive a.card[data-question]');
    expect(await cards.evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { question: string } }).dataset.question))).toEqual([
      'see',
      'who',
      'what',
      'blind',
      'findings',
    ]);
    const viewport = page.viewportSize()!;
    for (const q of ['see', 'who', 'what']) {
      const box = (await page.locator(`a.card[data-question="${q}"]`).boundingBox())!;
      expect(box.y + box.height, `${q} card below the first screen`).toBeLessThanOrEqual(viewport.height);
    }
    expect(await page.locator('a.card[data-question="see"] .k').textContent()).toBe('Would we see it?');
    expect(await page.locator('a.card[data-question="see"]').textContent()).toMatch(
      /of scope-regions record snapshot creation and alert on it/,
    );
    expect(await page.locator('a.card[data-question="who"] .k').textContent()).toBe('Who could do it?');
    expect(await page.locator('a.card[data-question="what"]').textContent()).toMatch(/inventory: \d+ snapshots/);
    expect(await page.locator('a.card[data-question="what"]').textContent()).toMatch(/\d+ public, \d+ shared outside the organisation/);
    const fixFirst = page.locator('.fix-first li').first();
    expect(await fixFirst.textContent()).toMatch(/^critical No snapshot is public/);
    mkdirSync(OUTPUT, { recursive: true });
    const shot = join(OUTPUT, 'executive.png');
    await page.screenshot({ path: shot });
    if (process.env.SNAPAUDIT_SCREENSHOT) await page.screenshot({ path: process.env.SNAPAUDIT_SCREENSHOT });
    await page.locator('a.card[data-question="who"]').click();
    await expect.poll(() => page.evaluate('location.hash')).toBe('#who-can');
    await page.evaluate('window.scrollTo(0, 0)');
  });

  it('ranks mitigation priorities by severity first', async () => {
    const severities = await page.$$eval('ol.mitigations > li > .badge', (els) => els.map((e) => e.textContent ?? ''));
    const rank = ['critical', 'high', 'medium', 'low'];
    expect(severities[0]).toBe('critical');
    expect(severities.map((s) => rank.indexOf(s))).toEqual([...severities.map((s) => rank.indexOf(s))].sort((a, b) => a - b));
  });

  it('renders the snapshot named <img src=x onerror=alert(1)> as text', async () => {
    const other = await context.newPage();
    try {
      await other.goto(fixtureUrl, { waitUntil: 'load' });
      await other.waitForSelector('html[data-ready="1"]', { timeout: 10_000 });
      type Row = { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
      const names = await other.$$eval('#t-snapshots tbody tr', (trs) =>
        (trs as unknown as Row[]).map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')[4]),
      );
      expect(names).toContain(HOSTILE);
      expect(await other.locator('img').count()).toBe(0);
      expect(await other.locator('#executive').textContent()).toContain(HOSTILE);
    } finally {
      await other.close();
    }
    expect(dialogs).toEqual([]);
  });

  it('filters the inventory by text and by the exposure and kind facets', async () => {
    const root = page.locator('[data-table="t-snapshots"]');
    const total = (await rowsOf('t-snapshots')).length;
    await root.locator('input[type=search]').fill('migration-scratch');
    await expect.poll(async () => (await rowsOf('t-snapshots')).length).toBe(1);
    expect((await rowsOf('t-snapshots'))[0]![4]).toBe('migration-scratch');
    expect(await root.locator('.info').textContent()).toBe(`rows 1–1 of 1 (filtered from ${total})`);
    await root.locator('input[type=search]').fill('');
    await expect.poll(async () => (await rowsOf('t-snapshots')).length).toBe(total);
    const exposure = root.locator('select[data-col="7"]');
    await exposure.selectOption('shared outside');
    const rows = await rowsOf('t-snapshots');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r[7] === 'shared outside')).toBe(true);
    await exposure.selectOption('');
    expect(await page.locator('#t-snapshots thead th').nth(3).textContent()).toBe('Kind');
    const kinds = root.locator('select[data-col="3"]');
    if ((await kinds.count()) > 0) {
      const first = (await kinds.locator('option').allTextContents())[1]!;
      await kinds.selectOption(first);
      expect((await rowsOf('t-snapshots')).every((r) => r[3] === first)).toBe(true);
      await kinds.selectOption('');
    }
  });

  it('shows the snapshot activity: a timeline, and a table filtered by text and by the outcome and caller facets', async () => {
    expect(await page.locator('nav.toc a[href="#activity"]').count()).toBe(1);
    expect(await page.locator('#activity svg[role="img"] rect.f-ok').count()).toBeGreaterThan(0);
    const root = page.locator('[data-table="t-activity"]');
    const all = await rowsOf('t-activity');
    const total = Number(await root.getAttribute('data-total'));
    expect(total).toBeGreaterThan(1);
    const header = (await page.locator('#t-activity thead th').allTextContents()).map((t) => t.trim());
    const col = (label: string) => header.indexOf(label);
    const outcome = root.locator(`select[data-col="${col('Outcome')}"]`);
    await outcome.selectOption('denied');
    const denied = await rowsOf('t-activity');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.length).toBeLessThan(all.length);
    expect(denied.every((r) => r[col('Outcome')] === 'denied' && r[col('Error')] !== '')).toBe(true);
    expect(denied.some((r) => r[col('Findings')]!.includes('activity.denied-attempts'))).toBe(true);
    await outcome.selectOption('');
    const caller = root.locator(`select[data-col="${col('Caller')}"]`);
    await caller.selectOption('console');
    expect((await rowsOf('t-activity')).every((r) => r[col('Caller')] === 'console')).toBe(true);
    await caller.selectOption('');
    await root.locator('input[type=search]').fill('activity.off-hours');
    // The filter waits for typing to pause: poll until the rows are the matching ones.
    await expect
      .poll(async () => (await rowsOf('t-activity')).filter((r) => !r[col('Findings')]!.includes('activity.off-hours')).length)
      .toBe(0);
    expect((await rowsOf('t-activity')).length).toBeGreaterThan(0);
    await root.locator('input[type=search]').fill('');
    await expect.poll(async () => (await rowsOf('t-activity')).length).toBe(all.length);
  });

  it('shows a hostile user agent in the activity table as text', async () => {
    const other = await context.newPage();
    try {
      await other.goto(fixtureUrl, { waitUntil: 'load' });
      await other.waitForSelector('html[data-ready="1"]', { timeout: 10_000 });
      expect(await other.locator('#t-activity tbody td', { hasText: HOSTILE }).count()).toBeGreaterThan(0);
      expect(await other.locator('#activity a').count()).toBe(0);
      expect(await other.locator('img').count()).toBe(0);
    } finally {
      await other.close();
    }
    expect(dialogs).toEqual([]);
  });

  it('sorts a table by a column, both ways', async () => {
    const header = page.locator('#t-findings thead th', { hasText: 'Check' });
    await header.click();
    const asc = (await rowsOf('t-findings')).map((r) => r[2]!);
    expect(asc).toEqual([...asc].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.click();
    const desc = (await rowsOf('t-findings')).map((r) => r[2]!);
    for (let i = 1; i < desc.length; i++) expect(desc[i - 1]!.toLowerCase() >= desc[i]!.toLowerCase()).toBe(true);
    expect(desc[0]).not.toBe(asc[0]);
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const sev = page.locator('#t-findings thead th', { hasText: 'Severity' });
    await sev.click();
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    const ranks = (await rowsOf('t-findings')).map((r) => order.indexOf(r[0]!));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('draws the logging matrix from its data as the server drew it: every repeated verdict with its tooltip and colour', async () => {
    // the embedded rows write a repeated [text, tooltip, class] cell once and refer back to it (reports/html/table.ts)
    type Cell = { textContent: string | null; title: string; className: string };
    const cells = () =>
      page.$$eval('#t-coverage tbody td', (tds) =>
        (tds as unknown as Cell[]).map((td) => `${td.textContent}\u0001${td.title}\u0001${td.className}`).sort(),
      );
    const drawn = await cells();
    expect(drawn.filter((c) => c.includes('not in this scope')).length).toBeGreaterThan(1);
    const header = page.locator('#t-coverage thead th', { hasText: 'Provider' });
    await header.click(); // re-rendered by the client from the embedded rows
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    expect(await cells()).toEqual(drawn);
  });

  it('stays readable without JavaScript: every section and the first page of each table are there', async () => {
    // Playwright gives a non-persistent browser a fresh temporary profile of its own.
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const noJs = await browser.newContext({ javaScriptEnabled: false });
      const p = await noJs.newPage();
      await p.goto(reportUrl);
      expect(await p.locator('html.js').count()).toBe(0);
      expect(await p.locator('.controls').first().isVisible()).toBe(false);
      expect(await p.locator('#t-snapshots tbody tr').count()).toBeGreaterThan(0);
      expect(await p.locator('#executive').textContent()).toContain('Would we see it?');
      expect(await p.locator('#limits').textContent()).toContain('What could not be read');
    } finally {
      await browser.close();
    }
  });

  it('saves a screenshot and prints to PDF', async () => {
    mkdirSync(OUTPUT, { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(OUTPUT, 'report.png'), fullPage: true });
    expect(readFileSync(join(OUTPUT, 'report.png')).length).toBeGreaterThan(10_000);
    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: true });
    writeFileSync(join(OUTPUT, 'report.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
