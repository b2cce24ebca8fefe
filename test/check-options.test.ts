/**
 * Per-check options: `checks.<id>` in the config, validated at load against each check's schema (exit 2 naming the
 * field), deprecated global keys still accepted (the check's own key wins), and the engine running each check with
 * its own options.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checks, findCheck, knownChecks } from '../checks/index.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import { fixedClock } from '../src/core/clock.ts';
import { type ConfigError, parseConfig } from '../src/core/config/load.ts';
import { allFindings } from '../src/core/model/order.ts';
import { runScan } from '../src/engine/scan.ts';
import { runCli, tempDir } from './support/cli.ts';
import { makeScope, makeSnapshot } from './support/factories.ts';
import { NOW } from './support/lab.ts';

const config = (data: Record<string, unknown>) => parseConfig({ version: 1, ...data }, 'cfg.yaml', knownChecks);
const options = (id: string, data: Record<string, unknown> = {}) => findCheck(id)!.resolveOptions(config(data));
const problems = (data: Record<string, unknown>) => {
  try {
    config(data);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
};

describe('check options', () => {
  it('are the defaults without config', () => {
    for (const c of checks) expect(c.resolveOptions(config({}))).toEqual(c.options.parse({}));
    expect(options('snapshots.stale')).toEqual({ maxAgeDays: 180 });
    expect(options('logging.retention')).toEqual({ minDays: 365 });
  });

  it('come from checks.<id>, keys not given keeping their defaults', () => {
    expect(options('snapshots.stale', { checks: { 'snapshots.stale': { maxAgeDays: 90 } } })).toEqual({ maxAgeDays: 90 });
    expect(options('snapshots.sensitive-source', { checks: { 'snapshots.sensitive-source': { tags: ['pii'] } } })).toEqual({
      tags: ['pii'],
    });
    expect(options('snapshots.unapproved-creator', { checks: { 'snapshots.stale': { maxAgeDays: 90 } } })).toEqual({
      changeRecordTagKey: null,
    });
  });

  // The deprecated keys each check maps in, and what they become.
  const legacy: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['logging.retention', { policy: { minRetentionDays: 400 } }, { minDays: 400 }],
    ['snapshots.stale', { policy: { maxSnapshotAgeDays: 30 } }, { maxAgeDays: 30 }],
    ['snapshots.unencrypted', { policy: { requireCustomerManagedKeys: true } }, { requireCustomerManagedKey: true }],
    ['snapshots.unapproved-creator', { baseline: { changeRecordTagKey: 'change-id' } }, { changeRecordTagKey: 'change-id' }],
    ['snapshots.sensitive-source', { baseline: { sensitiveTags: ['classification=secret'] } }, { tags: ['classification=secret'] }],
  ];
  for (const [id, old, expected] of legacy) {
    it(`${id} still accepts its deprecated key ${JSON.stringify(old)}, and its own key wins`, () => {
      expect(options(id, old)).toEqual(expected);
      const own = findCheck(id)!.options.parse({});
      expect(options(id, { ...old, checks: { [id]: own } })).toEqual(own);
    });
  }

  it('map every deprecated key docs/configuration.md lists into the option it names', () => {
    const readme = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `((?:policy|baseline)\.\w+)` +\| `checks\.([a-z]+\.[a-z0-9-]+)\.(\w+)` +\|$/gm)];
    expect(rows.length).toBe(legacy.length);
    for (const [, oldKey, id, option] of rows) {
      const byDefault = findCheck(id!)!.options.parse({})[option!];
      const sample = Array.isArray(byDefault)
        ? ['sample']
        : typeof byDefault === 'number'
          ? 7
          : typeof byDefault === 'boolean'
            ? !byDefault
            : 'sample';
      const [section, key] = oldKey!.split('.');
      expect(options(id!, { [section!]: { [key!]: sample } }), `${oldKey} → checks.${id}.${option}`).toMatchObject({ [option!]: sample });
    }
  });

  it('refuse bad values, unknown keys and unknown checks at load, naming the field', () => {
    expect(problems({ checks: { 'snapshots.stale': { maxAgeDays: 0 } } })).toEqual([
      expect.stringMatching(/^cfg\.yaml: checks\.snapshots\.stale\.maxAgeDays: .*>=1 \(got 0\)\. Fix: use a larger value\.$/),
    ]);
    expect(problems({ checks: { 'snapshots.stale': { maxAge: 90 } } })).toEqual([
      'cfg.yaml: checks.snapshots.stale.maxAge: unknown field. Fix: remove it or check its spelling against the config reference in docs/configuration.md.',
    ]);
    expect(problems({ checks: { 'snapshots.public': { maxAgeDays: 90 } } })).toEqual([
      expect.stringMatching(/^cfg\.yaml: checks\.snapshots\.public\.maxAgeDays: unknown field/),
    ]);
    expect(problems({ checks: { 'snapshot.stale': {} } })).toEqual([
      expect.stringMatching(
        /^cfg\.yaml: checks\.snapshot\.stale: no check is called "snapshot\.stale"; use an id from `snapaudit checks list`/,
      ),
    ]);
    expect(problems({ checks: { 'snapshots.stale': 90 } })).toEqual([
      expect.stringMatching(/^cfg\.yaml: checks\.snapshots\.stale: .*expected object/),
    ]);
    expect(problems({ policy: { maxSnapshotAgeDays: 0 } })).toEqual([expect.stringMatching(/policy\.maxSnapshotAgeDays/)]);
  });

  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a bad option is a config error: exit 2 before any scanning, naming the field', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nchecks:\n  logging.retention:\n    minDays: soon\n');
    const validate = await runCli(['config', 'validate', 'bad.yaml'], { cwd: dir });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(/bad\.yaml: checks\.logging\.retention\.minDays: .*\(got "soon"\)/);
    const scan = await runCli(['scan', '--config', 'bad.yaml'], { cwd: dir });
    expect(scan.code).toBe(2);
    expect(scan.stderr).toMatch(/checks\.logging\.retention\.minDays/);
  });

  it('reach each check through the engine', async () => {
    const adapter: ProviderAdapter = {
      provider: 'aws',
      classifyError: () => ({ code: 'error', retryable: false, throttle: false, retryAfterMs: null, status: null, message: 'x' }),
      discover: async () => ({ root: null, found: 1, scopes: [{ scope: makeScope(), blockedBy: null }], gaps: [] }),
      collect: async () => ({
        logging: { sources: [], alerts: [], regions: [] },
        guards: [],
        principals: [],
        snapshots: [makeSnapshot({ createdAt: '2026-10-01T00:00:00.000Z', encryption: { status: 'provider-key' } })],
        gaps: [],
        failedRegions: [],
      }),
    };
    const scan = async (data: Record<string, unknown>) =>
      allFindings(await runScan({ adapters: [adapter], checks, config: config(data), clock: fixedClock(NOW) }))
        .filter((f) => f.checkId === 'snapshots.stale' || f.checkId === 'snapshots.unencrypted')
        .map((f) => `${f.checkId} ${f.messageId}`);
    expect(await scan({})).toEqual([]);
    expect(
      await scan({
        checks: { 'snapshots.stale': { maxAgeDays: 30 }, 'snapshots.unencrypted': { requireCustomerManagedKey: true } },
        policy: { maxSnapshotAgeDays: 365 },
      }),
    ).toEqual(['snapshots.stale tooOld', 'snapshots.unencrypted providerKey']);
    expect(await scan({ policy: { maxSnapshotAgeDays: 30 } })).toEqual(['snapshots.stale tooOld']);
  });
});
