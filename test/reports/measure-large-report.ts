/**
 * Measures the HTML report at scale: builds a synthetic result (default 10,000 snapshots, 5,000 principals),
 * renders it, and loads it in Chromium. Prints the file size, render time, and the browser's load-to-interactive
 * time (navigation start → the script's `snapaudit-ready` mark), plus filter and sort response times.
 *
 *   npm run measure-report -- [snapshots] [principals]   (node test/reports/measure-large-report.ts on the pinned Node)
 *
 * Writes test-output/large/report.html.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { renderHtmlReport } from '../../reports/html/index.ts';
import { buildLargeResult } from '../fixtures/large-result.ts';
import { catalogue } from '../../checks/index.ts';

export interface LargeReportMeasurement {
  snapshots: number;
  principals: number;
  findings: number;
  htmlBytes: number;
  renderMs: number;
  domContentLoadedMs: number;
  interactiveMs: number;
  loadMs: number;
  domNodes: number;
  tableRows: number;
  filterMs: number;
  sortMs: number;
}

export async function measureLargeReport(
  snapshots: number,
  principals: number,
  chromiumPath = '/usr/bin/chromium',
): Promise<LargeReportMeasurement> {
  const result = buildLargeResult({ snapshots, principals });
  const t0 = performance.now();
  const html = renderHtmlReport(result, { trend: null, frameworks: ['nist-800-53', 'cis-aws'], checks: catalogue });
  const renderMs = performance.now() - t0;
  const dir = fileURLToPath(new URL('../../test-output/large/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  // A browser Playwright owns: its profile is a temporary folder Playwright removes once the browser has exited.
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="1"]');
    const timing = (await page.evaluate(`(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const ready = performance.getEntriesByName('snapaudit-ready')[0];
      return { dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, ready: ready ? ready.startTime : -1,
        nodes: document.getElementsByTagName('*').length, rows: document.querySelectorAll('tbody tr').length };
    })()`)) as { dcl: number; load: number; ready: number; nodes: number; rows: number };
    const root = page.locator('[data-table="t-snapshots"]');
    const f0 = performance.now();
    await root.locator('input[type=search]').fill('onerror');
    await root.locator('.info', { hasText: 'filtered' }).waitFor();
    const filterMs = performance.now() - f0 - 120; // minus the input debounce
    await root.locator('input[type=search]').fill('');
    await root.locator('.info', { hasNotText: 'filtered' }).waitFor();
    const s0 = performance.now();
    await page.locator('#t-snapshots thead th', { hasText: 'GiB' }).click();
    await page.locator('#t-snapshots thead th[aria-sort="ascending"]').waitFor();
    const sortMs = performance.now() - s0;
    return {
      snapshots,
      principals,
      findings: result.scopes.reduce((n, s) => n + s.findings.length, 0),
      htmlBytes: Buffer.byteLength(html),
      renderMs: Math.round(renderMs),
      domContentLoadedMs: Math.round(timing.dcl),
      interactiveMs: Math.round(timing.ready),
      loadMs: Math.round(timing.load),
      domNodes: timing.nodes,
      tableRows: timing.rows,
      filterMs: Math.round(filterMs),
      sortMs: Math.round(sortMs),
    };
  } finally {
    await context.close();
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [snapshots = '10000', principals = '5000'] = process.argv.slice(2);
  const m = await measureLargeReport(Number(snapshots), Number(principals), process.env.SNAPAUDIT_CHROMIUM ?? '/usr/bin/chromium');
  process.stdout.write(`${JSON.stringify(m, null, 2)}\n`);
}
