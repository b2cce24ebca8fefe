/**
 * The demo shows the creation-activity review (issue #18): one `scan --demo` reports unapproved creators, off-hours
 * and untrusted-source activity, copies of sensitive resources and denied attempts in each of the three clouds; the
 * first-time creator needs the state store's history, so a night before is recorded from the demo estate without
 * mallory's calls, and the next demo scan reports mallory as a first-time creator in each cloud.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ScanResult } from '../../src/core/model/result.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { readWrittenResult } from '../support/result.ts';
import { NOW } from '../support/lab.ts';
import { allFindings } from '../../src/core/model/order.ts';

const DEMO = fileURLToPath(new URL('../../lab/estates/demo/', import.meta.url));
const YESTERDAY = new Date(Date.parse(NOW) - 86_400_000).toISOString();
const REVIEW = [
  'activity.unapproved-creator',
  'activity.off-hours',
  'activity.untrusted-source',
  'activity.sensitive-source',
  'activity.denied-attempts',
];

/** Every audit event of the estate (a CloudTrail event, an activity-log entry, a GCP audit event) whose caller matches. */
function withoutCaller(node: unknown, who: RegExp): unknown {
  if (Array.isArray(node)) {
    return node
      .filter(
        (x) =>
          !(
            x &&
            typeof x === 'object' &&
            ['userArn', 'caller', 'principal'].some((k) => who.test(String((x as Record<string, unknown>)[k] ?? '')))
          ),
      )
      .map((x) => withoutCaller(x, who));
  }
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withoutCaller(v, who)]));
  return node;
}

async function demoScan(cwd: string, now: string, estate?: string): Promise<ScanResult> {
  const out = `out-${now.slice(0, 10)}`;
  const args = ['scan', '--demo', '--out', out, '--now', now, '--format', 'json', '--quiet', '--state', 'state.sqlite'];
  const run = await runCli(estate ? [...args, '--estate', estate] : args, { cwd });
  expect(run.code, run.stderr).toBe(0);
  return readWrittenResult(join(cwd, out, 'result.json'));
}

const byProvider = (r: ScanResult, checkId: string) =>
  new Set(
    allFindings(r)
      .filter((f) => f.checkId === checkId && f.status === 'open')
      .map((f) => f.provider),
  );

describe('the demo shows each activity finding', { timeout: 300_000 }, () => {
  it('in each cloud, the first-time creator once the state store has a night of history', async () => {
    const cwd = tempDir();
    const before = join(cwd, 'estate-before-mallory');
    cpSync(DEMO, before, { recursive: true });
    for (const f of readdirSync(before).filter((x) => x.endsWith('.yaml'))) {
      const path = join(before, f);
      writeFileSync(path, stringify(withoutCaller(parse(readFileSync(path, 'utf8')), /mallory/)));
    }
    const night1 = await demoScan(cwd, YESTERDAY, before);
    // The first night has no history: nothing is a first time.
    expect(byProvider(night1, 'activity.first-time-creator')).toEqual(new Set());

    const night2 = await demoScan(cwd, NOW);
    for (const id of REVIEW) expect([id, byProvider(night2, id)]).toEqual([id, new Set(['aws', 'azure', 'gcp'])]);
    const first = allFindings(night2).filter((f) => f.checkId === 'activity.first-time-creator');
    expect(new Set(first.map((f) => f.provider))).toEqual(new Set(['aws', 'azure', 'gcp']));
    expect(first.every((f) => /mallory/.test(f.resource?.id ?? ''))).toBe(true);
  });
});
