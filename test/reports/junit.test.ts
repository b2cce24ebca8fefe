import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../checks/index.ts';
import { renderJunitXml } from '../../reports/junit.ts';
import type { ScanResult } from '../../src/core/model/result.ts';

const result: ScanResult = JSON.parse(readFileSync(new URL('../fixtures/multi-cloud-result.json', import.meta.url), 'utf8'));
const xml = renderJunitXml(result, catalogue);

function testcase(check: string, nameStart: string): string {
  const re = new RegExp(`<testcase classname="${check.replace(/\./g, '\\.')}" name="${nameStart}[^"]*" time="0">([\\s\\S]*?)</testcase>`);
  const m = re.exec(xml);
  if (!m) throw new Error(`no testcase ${check} / ${nameStart}`);
  return m[1]!;
}

describe('JUnit XML', () => {
  it('has one suite per check and one case per check × scope of its providers', () => {
    expect((xml.match(/<testsuite /g) ?? []).length).toBe(result.checks.length);
    const aws = result.scopes.filter((s) => s.scope.provider === 'aws').length;
    const bpa = xml.slice(xml.indexOf('<testsuite name="snapshots.block-public-access-off"'));
    expect((bpa.slice(0, bpa.indexOf('</testsuite>')).match(/<testcase /g) ?? []).length).toBe(aws);
    const pub = xml.slice(xml.indexOf('<testsuite name="snapshots.public"'));
    expect((pub.slice(0, pub.indexOf('</testsuite>')).match(/<testcase /g) ?? []).length).toBe(result.scopes.length);
  });

  it('fails a case with open findings, skips an unreadable scope, passes a clean one', () => {
    expect(testcase('snapshots.public', 'aws account management')).toContain('<failure type="critical"');
    expect(testcase('snapshots.public', 'aws account sandbox')).toContain('<skipped message="scope failed: credentials (discovery)"/>');
    expect(testcase('snapshots.public', 'gcp project Analytics')).not.toMatch(/<failure|<skipped/);
    expect(testcase('coverage.scope-unreadable', 'aws account sandbox')).toContain('<failure type="high"');
    expect(testcase('coverage.scope-unreadable', 'gcp discovery')).toContain('<failure');
  });

  it('does not fail on info or suppressed findings, but lists them', () => {
    const stale = testcase('snapshots.stale', 'aws account management');
    expect(stale).not.toContain('<failure');
    expect(stale).toContain('<system-out>suppressed [low]');
  });

  it('totals agree with the cases and the XML is escaped', () => {
    const total = Number(/<testsuites [^>]*tests="(\d+)"/.exec(xml)![1]);
    expect(total).toBe((xml.match(/<testcase /g) ?? []).length);
    const failures = Number(/<testsuites [^>]*failures="(\d+)"/.exec(xml)![1]);
    expect(failures).toBe((xml.match(/<failure /g) ?? []).length);
    expect(xml).not.toContain('</script><script>');
    expect(xml).toContain('workloads&lt;/script&gt;');
  });
});
