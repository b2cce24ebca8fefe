/** The state store remembers who has created snapshots in each scope, across scans and past scan retention. */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { ActivityEvent } from '../../src/core/model/activity.ts';
import { StateStore } from '../../src/store/state-store.ts';
import { tempDir } from '../support/cli.ts';
import { makeActivity } from '../support/factories.ts';
import { scriptedScan } from './support.ts';

const T = (day: number) => `2026-11-${String(day).padStart(2, '0')}T12:00:00.000Z`;
const alice = 'arn:aws:iam::111111111111:user/alice';
const bob = 'arn:aws:iam::111111111111:user/bob';
const made = (who: string, at: string, id: string): ActivityEvent => makeActivity({ id, at, identity: { id: who } });
const firstTimers = (r: Awaited<ReturnType<typeof scriptedScan>>) =>
  r.scopes
    .flatMap((s) => s.findings)
    .filter((f) => f.checkId === 'activity.first-time-creator')
    .map((f) => f.resource?.id);

it('reports an identity the first time it creates in a scope, once, and remembers it past retention', async () => {
  const dir = tempDir('snapaudit-state-');
  const store = StateStore.open(join(dir, 'state.sqlite'));
  try {
    // Scan 1: no activity history yet, so nothing is a first time; alice is remembered.
    const r1 = await scriptedScan(T(1), { '111111111111': { activity: [made(alice, T(1), 'e1')] } }, { previous: store.previousScan() });
    expect(firstTimers(r1)).toEqual([]);
    store.record(r1, { retain: 1 });
    // Scan 2: bob creates for the first time; alice does not count.
    const r2 = await scriptedScan(
      T(2),
      { '111111111111': { activity: [made(alice, T(1), 'e1'), made(bob, T(2), 'e2')] } },
      { previous: store.previousScan() },
    );
    expect(firstTimers(r2)).toEqual([bob]);
    store.record(r2, { retain: 1 });
    // Scan 3 (scan 1 and 2 pruned by retain: 1): bob is known now; nothing repeats.
    const r3 = await scriptedScan(T(3), { '111111111111': { activity: [made(bob, T(3), 'e3')] } }, { previous: store.previousScan() });
    expect(firstTimers(r3)).toEqual([]);
    store.record(r3, { retain: 1 });
    expect(store.scans()).toHaveLength(1);
    expect(store.previousScan().creators?.('aws', '111111111111')).toEqual(new Set([alice, bob]));
  } finally {
    store.close();
  }
});

it('a scan that did not read the scope’s activity gives it no history', async () => {
  const dir = tempDir('snapaudit-state-');
  const store = StateStore.open(join(dir, 'state.sqlite'));
  try {
    store.record(await scriptedScan(T(1), { '111111111111': {} }), { retain: 10 });
    expect(store.previousScan().creators?.('aws', '111111111111')).toBeNull();
    const r2 = await scriptedScan(T(2), { '111111111111': { activity: [made(bob, T(2), 'e2')] } }, { previous: store.previousScan() });
    expect(firstTimers(r2)).toEqual([]);
  } finally {
    store.close();
  }
});
