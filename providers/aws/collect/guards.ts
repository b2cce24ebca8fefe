/**
 * Account × region settings that block exposure: EBS snapshot block public access
 * (https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html).
 */
import type { Guard } from '../../../src/core/model/result.ts';
import { snapshotBlockGuard } from '../normalise/guards.ts';
import type { AccountIO } from '../scope-io.ts';

export async function collectGuards(io: AccountIO): Promise<Guard[]> {
  const out = await Promise.all(
    io.scope.regions.map((region) =>
      io.part('guards', region, async () => {
        const r = await io.api.getSnapshotBlockPublicAccessState(region);
        io.ok.add(region);
        return snapshotBlockGuard(region, r.State);
      }),
    ),
  );
  return out.filter((g): g is Guard => g !== undefined);
}
