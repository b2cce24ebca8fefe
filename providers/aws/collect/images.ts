/**
 * AMIs per account × region: DescribeImages (Owners=self, paged) for the listing; with `sharing`, the public ones in
 * one filtered call (`ExecutableUsers=all`, a hint) and DescribeImageAttribute launchPermission per AMI (the
 * authority, bounded concurrency). The region's image block public access state is a guard (collect/guards.ts).
 */
import type { Image, LaunchPermission } from '@aws-sdk/client-ec2';
import type pLimit from 'p-limit';
import { type AccountIO, allPages } from '../scope-io.ts';

/** The owned AMIs of one region, every page; undefined when the listing failed (a gap is recorded). */
export function listImages(io: AccountIO, region: string): Promise<Image[] | undefined> {
  return io.part('snapshots', region, async () => {
    const items = await allPages<Image>(io.listing('ec2:DescribeImages', region), async (token) => {
      const out = await io.api.describeImages(region, { Owners: ['self'], MaxResults: 1000, NextToken: token });
      return { items: out.Images, next: out.NextToken };
    });
    io.ok.add(region);
    return items;
  });
}

/** The owned AMIs anyone may launch (`ExecutableUsers=all`): a hint on public AMIs. */
export function publicImages(io: AccountIO, region: string): Promise<Set<string> | undefined> {
  return io.part('sharing', region, async () => {
    const out = await allPages<Image>(io.listing('ec2:DescribeImages', region, 'ExecutableUsers=all'), async (token) => {
      const page = await io.api.describeImages(region, { Owners: ['self'], ExecutableUsers: ['all'], MaxResults: 1000, NextToken: token });
      return { items: page.Images, next: page.NextToken };
    });
    return new Set(out.map((i) => i.ImageId ?? ''));
  });
}

/** launchPermission of one AMI as received; null when it could not be read (a gap is recorded). */
export async function launchPermissions(
  io: AccountIO,
  region: string,
  imageId: string | undefined,
  limit: ReturnType<typeof pLimit>,
): Promise<LaunchPermission[] | null> {
  const attr = await limit(() =>
    io.part('sharing', region, () => io.api.describeImageAttribute(region, { ImageId: imageId, Attribute: 'launchPermission' })),
  );
  return attr ? (attr.LaunchPermissions ?? []) : null;
}
