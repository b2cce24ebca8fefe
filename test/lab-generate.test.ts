import { describe, expect, it } from 'vitest';
import { parseEstate } from '../lab/estate.ts';
import { generateEstate } from '../lab/generate.ts';

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

  it('keeps each cloud stable when another is added', () => {
    const awsOnly = generateEstate({ seed: 7, aws: sizes.aws });
    expect(generateEstate(sizes).aws).toEqual(awsOnly.aws);
  });
});
