/**
 * Account × region settings that block exposure: EBS snapshot block public access
 * (https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html) and AMI block public access
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html).
 */
import type { Guard } from '../../../src/core/model/result.ts';
import { imageBlockGuard, snapshotBlockGuard } from '../normalise/guards.ts';
import type { AccountIO } from '../scope-io.ts';

export async function collectGuards(io: AccountIO): Promise<Guard[]> {
  const out = await Promise.all(
    io.scope.regions.flatMap((region) => [
      io.part('guards', region, async () => {
        const r = await io.api.getSnapshotBlockPublicAccessState(region);
        io.ok.add(region);
        return snapshotBlockGuard(region, r.State);
      }),
      io.part('guards', region, async () => {
        const r = await io.api.getImageBlockPublicAccessState(region);
        io.ok.add(region);
        return imageBlockGuard(region, r.ImageBlockPublicAccessState);
      }),
    ]),
  );
  return out.filter((g): g is Guard => g !== undefined);
}
