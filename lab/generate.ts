/**
 * Seeded synthetic estates for benchmarks and scale tests: the same seed always gives the same estate. Each
 * provider section has its own generator; `generateEstate` combines those asked for.
 */
import { seededRandom } from '../src/engine/clock.ts';
import { awsDefaultRegions } from './aws/estate.ts';
import type { EstateInput } from './estate.ts';

export interface AwsGenerateOptions {
  accounts: number;
  regions: number;
  snapshotsPerRegion: number;
}

export interface GenerateOptions {
  seed: number;
  aws?: AwsGenerateOptions;
}

function hex(random: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

export function generateAwsSection(random: () => number, o: AwsGenerateOptions): NonNullable<EstateInput['aws']> {
  const regions = awsDefaultRegions.slice(0, Math.min(o.regions, awsDefaultRegions.length));
  const accounts = Array.from({ length: o.accounts }, (_, a) => {
    const id = String(100000000000 + a * 7919).padStart(12, '0');
    const roll = random();
    const trails =
      roll < 0.6
        ? [
            {
              name: 'main',
              homeRegion: 'us-east-1',
              multiRegion: true,
              logFileValidation: random() < 0.7,
              ...(random() < 0.5 ? { kmsKeyId: `arn:aws:kms:us-east-1:${id}:key/${hex(random, 8)}` } : {}),
            },
          ]
        : roll < 0.8
          ? [{ name: 'regional', homeRegion: regions[Math.floor(random() * regions.length)] ?? 'us-east-1' }]
          : roll < 0.9
            ? [{ name: 'stopped', homeRegion: 'us-east-1', multiRegion: true, logging: false }]
            : [];
    const snapshots = regions.flatMap((region) =>
      Array.from({ length: o.snapshotsPerRegion }, () => {
        const r = random();
        return {
          id: `snap-${hex(random, 17)}`,
          region,
          volumeId: `vol-${hex(random, 17)}`,
          sizeGiB: 8 + Math.floor(random() * 500),
          startTime: new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 690) * 86_400_000).toISOString(),
          encrypted: r > 0.15,
          public: r < 0.01,
          sharedWith: r > 0.97 ? ['999999999999'] : [],
          tags: r < 0.5 ? { owner: `team-${Math.floor(random() * 20)}` } : r < 0.7 ? { 'aws:backup:source-resource': 'generated' } : {},
        };
      }),
    );
    return {
      id,
      name: `account-${a}`,
      regions: [...regions],
      trails,
      snapshots,
      blockPublicAccess: random() < 0.5 ? Object.fromEntries(regions.map((r) => [r, 'block-all-sharing'])) : {},
    };
  });
  return { accounts } as NonNullable<EstateInput['aws']>;
}

export function generateEstate(o: GenerateOptions): EstateInput {
  const random = seededRandom(o.seed);
  return {
    estateVersion: 1,
    name: `generated-${o.seed}`,
    ...(o.aws ? { aws: generateAwsSection(random, o.aws) } : {}),
  };
}
