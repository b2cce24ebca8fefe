import { describe, expect, it } from 'vitest';
import { catalogue, catalogueFor } from '../src/core/catalogue/index.ts';

describe('snapshot capability catalogue', () => {
  it('has a source for every entry and no duplicates', () => {
    for (const e of catalogue) expect(e.source).toMatch(/^https:\/\//);
    expect(new Set(catalogue.map((e) => `${e.provider}:${e.action}`)).size).toBe(catalogue.length);
  });

  it('covers the DESIGN.md starting set, including the two-permission rule for GCP', () => {
    expect(catalogueFor('aws').map((e) => e.action)).toEqual(
      expect.arrayContaining(['ec2:CreateSnapshot', 'ec2:CopySnapshot', 'ec2:ModifySnapshotAttribute', 'ec2:DeleteSnapshot']),
    );
    expect(catalogueFor('azure').find((e) => e.action === 'Microsoft.Compute/snapshots/download/action')?.dataAction).toBe(true);
    expect(catalogueFor('gcp').find((e) => e.action === 'compute.snapshots.create')?.requires).toEqual(['compute.disks.createSnapshot']);
  });
});
