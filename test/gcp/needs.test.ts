/**
 * Refined needs, proven from the lab's request log: the GCP adapter makes only the calls the selected checks need.
 * The inventory listings (global snapshots, regions, regional snapshots, images, machine images, instant snapshots)
 * serve every snapshot check; each item's IAM policy (`sharing`), the Admin Activity entries:list lookup
 * (`creators`) and the source disks' labels (`sources`) are read only for the checks that use them.
 */
import { describe, expect, it } from 'vitest';
import { scanEstate } from '../support/lab.ts';
import { demoGcpEstate } from './support.ts';

const listing = [
  'compute:images.list',
  'compute:instantSnapshots.aggregatedList',
  'compute:machineImages.list',
  'compute:regionSnapshots.list',
  'compute:regions.list',
  'compute:resourcePolicies.aggregatedList',
  'compute:snapshots.list',
];
const policies = [
  'compute:images.getIamPolicy',
  'compute:instantSnapshots.getIamPolicy',
  'compute:machineImages.getIamPolicy',
  'compute:regionInstantSnapshots.getIamPolicy',
  'compute:regionSnapshots.getIamPolicy',
  'compute:snapshots.getIamPolicy',
];
const discovery = new Set(['projects.search', 'projects.list', 'projects.get', 'folders.list', 'folders.get', 'organizations.get']);

/** The GCP operations a scan running only these checks made (discovery left out), and how many calls in all. */
async function callsFor(checks: string[] | null): Promise<{ ops: string[]; calls: number }> {
  const { lab, result } = await scanEstate(demoGcpEstate(), {
    providers: ['gcp'],
    ...(checks ? { config: { scan: { checks: { include: checks, exclude: [] } } } } : {}),
  });
  expect(result.scopes.length).toBeGreaterThan(0);
  const entries = lab.log.entries.filter((e) => !discovery.has(e.operation));
  return { ops: [...new Set(entries.map((e) => `${e.service}:${e.operation}`))].sort(), calls: entries.length };
}

describe('GCP refined needs', () => {
  it('snapshots.stale reads the snapshot listing only: no IAM policy, creator or source-disk reads', async () => {
    expect((await callsFor(['snapshots.stale'])).ops).toEqual(listing);
  });

  it('each refinement brings only its own reads', async () => {
    expect((await callsFor(['snapshots.public'])).ops).toEqual([...listing, ...policies].sort());
    expect((await callsFor(['snapshots.sensitive-source'])).ops).toEqual([...listing, 'compute:disks.aggregatedList'].sort());
    expect((await callsFor(['snapshots.unapproved-creator'])).ops).toEqual([...listing, 'logging:entries.list'].sort());
  });

  it('every check together makes every read: the listing and all three refinements', async () => {
    const { ops } = await callsFor(null);
    for (const op of [...listing, ...policies, 'compute:disks.aggregatedList', 'logging:entries.list']) expect(ops).toContain(op);
  });

  it('a check that does not need the inventory does not list it', async () => {
    const { ops } = await callsFor(['permissions.broad-grant']);
    expect(ops.filter((o) => o.startsWith('compute:') || o === 'logging:entries.list')).toEqual([]);
  });
});
