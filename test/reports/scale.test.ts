/**
 * The HTML report stays usable at 10,000 snapshots and 5,000 principals: bounded DOM, quick to interactive, quick
 * to filter and sort (bounds are generous so a slow CI machine passes; measure-large-report.ts prints the numbers).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureLargeReport } from './measure-large-report.ts';

const CHROMIUM = process.env.SNAPAUDIT_CHROMIUM ?? '/usr/bin/chromium';

describe('HTML report at scale', () => {
  it('10,000 snapshots and 5,000 principals: bounded DOM, interactive, filterable and sortable in Chromium', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package or set SNAPAUDIT_CHROMIUM.`);
    const m = await measureLargeReport(10_000, 5_000, CHROMIUM);
    expect(m.findings).toBeGreaterThan(10_000);
    expect(m.htmlBytes).toBeLessThan(25_000_000);
    expect(m.tableRows).toBeLessThan(1_500);
    expect(m.domNodes).toBeLessThan(40_000);
    expect(m.interactiveMs).toBeLessThan(10_000);
    expect(m.filterMs).toBeLessThan(3_000);
    expect(m.sortMs).toBeLessThan(3_000);
  }, 120_000);
});
