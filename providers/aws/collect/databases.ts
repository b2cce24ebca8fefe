/**
 * RDS DB snapshots and DB cluster snapshots per account × region: DescribeDBSnapshots and DescribeDBClusterSnapshots
 * (the account's own: automated, manual and AWS Backup ones, and with IncludeShared those other accounts share with it;
 * Marker-paged), one listing per kind; with `sharing`,
 * the `restore` attribute of each manual snapshot (automated ones cannot be shared).
 */
import type pLimit from 'p-limit';
import { type DbArtifact, dbClusterSnapshotArtifact, dbSnapshotArtifact, restoreValues } from '../normalise/databases.ts';
import { type AccountIO, allPages } from '../scope-io.ts';

export function listDbSnapshots(io: AccountIO, region: string): Promise<DbArtifact[] | undefined> {
  return io.part('snapshots', region, async () => {
    const items = await allPages(io.listing('rds:DescribeDBSnapshots', region), async (marker) => {
      // IncludeShared: the manual snapshots other accounts share with this one come in the same listing.
      const out = await io.api.describeDBSnapshots(region, { MaxRecords: 100, Marker: marker, IncludeShared: true });
      return { items: out.DBSnapshots, next: out.Marker };
    });
    io.ok.add(region);
    return items.map(dbSnapshotArtifact);
  });
}

export function listDbClusterSnapshots(io: AccountIO, region: string): Promise<DbArtifact[] | undefined> {
  return io.part('snapshots', region, async () => {
    const items = await allPages(io.listing('rds:DescribeDBClusterSnapshots', region), async (marker) => {
      const out = await io.api.describeDBClusterSnapshots(region, { MaxRecords: 100, Marker: marker, IncludeShared: true });
      return { items: out.DBClusterSnapshots, next: out.Marker };
    });
    io.ok.add(region);
    return items.map(dbClusterSnapshotArtifact);
  });
}

/** The `restore` attribute of one manual snapshot, as received; null when it could not be read. */
export async function restoreAttribute(
  io: AccountIO,
  region: string,
  a: DbArtifact,
  limit: ReturnType<typeof pLimit>,
): Promise<string[] | null> {
  const out = await limit(() =>
    io.part('sharing', region, async () => {
      if (a.kind === 'db-snapshot') {
        const r = await io.api.describeDBSnapshotAttributes(region, { DBSnapshotIdentifier: a.id });
        return restoreValues(r.DBSnapshotAttributesResult?.DBSnapshotAttributes);
      }
      const r = await io.api.describeDBClusterSnapshotAttributes(region, { DBClusterSnapshotIdentifier: a.id });
      return restoreValues(r.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes);
    }),
  );
  return out ?? null;
}
