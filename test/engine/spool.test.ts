import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../checks/index.ts';
import { renderJson } from '../../reports/json.ts';
import { defaultConfig } from '../../src/core/config/load.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { runScan } from '../../src/engine/scan.ts';
import { SpoolSink, writeSpooledResult } from '../../src/engine/spool.ts';
import type { ProviderAdapter } from '../../providers/types.ts';
import { tempDir } from '../support/cli.ts';
import { makeScope, makeSnapshot } from '../support/factories.ts';
import { NOW } from '../support/lab.ts';

const adapter: ProviderAdapter = {
  provider: 'aws',
  classifyError: () => ({ code: 'error', retryable: false, throttle: false, retryAfterMs: null, status: null, message: 'x' }),
  discover: async () => ({
    root: null,
    found: 3,
    scopes: ['333333333333', '111111111111', '222222222222'].map((id) => ({ scope: makeScope({ id, name: `n-${id}` }), blockedBy: null })),
    gaps: [],
  }),
  collect: async (scope) => ({
    logging: { sources: [], alerts: [], regions: [] },
    guards: [],
    principals: [],
    snapshots: [
      makeSnapshot({ id: `snap-${scope.id}`, resourceId: `arn:aws:ec2:us-east-1::snapshot/snap-${scope.id}`, sharing: { public: 'yes' } }),
    ],
    gaps: [],
    failedRegions: [],
  }),
};

describe('spooled results', () => {
  it('writes byte-for-byte the same JSON as the in-memory result, without keeping scopes in memory', async () => {
    const config = defaultConfig();
    const inMemory = await runScan({ adapters: [adapter], checks, config, clock: fixedClock(NOW) });
    const spool = new SpoolSink();
    const header = await runScan({ adapters: [adapter], checks, config, clock: fixedClock(NOW), sink: spool });
    expect(header.scopes).toEqual([]);
    expect(header.stats).toEqual(inMemory.stats);
    const path = join(tempDir(), 'result.json');
    await writeSpooledResult(path, header, spool);
    spool.close();
    expect(readFileSync(path, 'utf8')).toBe(renderJson(inMemory));
  });
});
