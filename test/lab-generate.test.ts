import { describe, expect, it } from 'vitest';
import { parseEstate } from '../lab/estate.ts';
import { generateEstate } from '../lab/generate.ts';
import { readWrittenResult } from './support/result.ts';

const sizes = {
  seed: 7,
  aws: { accounts: 5, regions: 3, snapshotsPerRegion: 4, principalsPerAccount: 10 },
  azure: { subscriptions: 3, snapshotsPerSubscription: 5, assignmentsPerSubscription: 4 },
  gcp: { projects: 4, snapshotsPerProject: 3, bindingsPerProject: 5 },
};

describe('seeded estate generator', () => {
  it('gives a valid estate of the requested size, the same for the same seed', () => {
    const a = parseEstate(generateEstate(sizes), 'generated');
    expect(a.aws?.accounts).toHaveLength(5);
    expect(a.aws?.accounts[1]?.snapshots).toHaveLength(12);
    const iam = a.aws?.accounts[1]?.iam;
    expect((iam?.users.length ?? 0) + (iam?.roles.length ?? 0)).toBe(10);
    expect(a.azure?.subscriptions).toHaveLength(3);
    expect(a.gcp?.projects).toHaveLength(4);
    expect(generateEstate(sizes)).toEqual(generateEstate(sizes));
    expect(generateEstate({ ...sizes, seed: 8 })).not.toEqual(generateEstate(sizes));
  });

  it('adds the rest of the Azure snapshot family on request, as a valid estate', () => {
    const e = parseEstate(generateEstate({ seed: 7, azure: { ...sizes.azure, familyPerSubscription: 4 } }), 'generated');
    const sub = e.azure?.subscriptions[0];
    expect(sub?.images).toHaveLength(4);
    expect(sub?.disks.filter((d) => d.diskState === 'ActiveSAS')).toHaveLength(1);
    expect(sub?.galleries[0]?.images[0]?.versions).toHaveLength(4);
    expect(sub?.restorePointCollections[0]?.restorePoints).toHaveLength(4);
    // Without it, the estate is what it was.
    expect(generateEstate({ seed: 7, azure: sizes.azure }).azure?.subscriptions[0]).not.toHaveProperty('images');
  });

  it('keeps each cloud stable when another is added', () => {
    const awsOnly = generateEstate({ seed: 7, aws: sizes.aws });
    expect(generateEstate(sizes).aws).toEqual(awsOnly.aws);
  });
});

describe('estate reference time', () => {
  it('moves every timestamp with the clock, so ages and 90-day histories stay the same', async () => {
    const { loadEstate, shiftEstate } = await import('../lab/estate.ts');
    const { DEMO_ESTATE } = await import('../src/cli/scan-command.ts');
    const demo = loadEstate(DEMO_ESTATE);
    expect(shiftEstate(demo, new Date('2026-11-26T00:00:00Z'))).toEqual(demo);
    const later = shiftEstate(demo, new Date('2027-03-06T00:00:00Z'));
    const snap = (e: typeof demo) => e.aws?.accounts[0]?.snapshots[0]?.startTime ?? '';
    expect(Date.parse(snap(later)) - Date.parse(snap(demo))).toBe(100 * 86_400_000);
    const az = (e: typeof demo) => e.azure?.subscriptions[0]?.snapshots[0]?.timeCreated ?? '';
    expect(az(later)).toMatch(/\+00:00$/);
    expect(Date.parse(az(later)) - Date.parse(az(demo))).toBe(100 * 86_400_000);
    expect(later.aws?.accounts[0]?.name).toBe(demo.aws?.accounts[0]?.name);
  });

  it('moves in whole days: two clocks minutes or hours apart on the same day serve the same estate', async () => {
    const { loadEstate, shiftEstate } = await import('../lab/estate.ts');
    const { DEMO_ESTATE } = await import('../src/cli/scan-command.ts');
    const demo = loadEstate(DEMO_ESTATE);
    const morning = shiftEstate(demo, new Date('2027-03-06T02:15:00Z'));
    expect(shiftEstate(demo, new Date('2027-03-06T02:22:41.123Z'))).toEqual(morning);
    expect(shiftEstate(demo, new Date('2027-03-06T23:59:59.999Z'))).toEqual(morning);
    expect(morning.referenceTime).toBe('2027-03-06T00:00:00.000Z');
    expect(shiftEstate(demo, new Date('2027-03-07T00:00:00Z'))).not.toEqual(morning);
  });

  it('gives the same demo findings a year later', async () => {
    const { runCli, tempDir } = await import('./support/cli.ts');
    const cwd = tempDir();
    const findings = async (now: string, out: string) => {
      await runCli(['scan', '--demo', '--now', now, '--format', 'json', '--no-state', '--quiet', '--out', out], { cwd });
      const r = readWrittenResult(`${cwd}/${out}/result.json`);
      return r.scopes
        .flatMap((s: { findings: Array<{ fingerprint: string; message: string }> }) => s.findings.map((f) => f.fingerprint))
        .sort();
    };
    const a = await findings('2026-11-26T00:00:00Z', 'a');
    expect(a.length).toBeGreaterThan(20);
    expect(await findings('2027-11-26T00:00:00Z', 'b')).toEqual(a);
  });
});
