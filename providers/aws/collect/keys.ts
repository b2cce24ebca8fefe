/**
 * KMS aliases per account × region (kms:ListAliases, paged): the only read that tells an AWS managed key from a
 * customer managed one (normalise/keys.ts explains why). Read only where an encrypted artifact's key is in the account.
 */
import { aliasesByKey, type KeyAliases } from '../normalise/keys.ts';
import { type AccountIO, allPages } from '../scope-io.ts';

/** The aliases of one account × region (every page); undefined when they could not be read (a gap is recorded). */
export function keyAliases(io: AccountIO, region: string): Promise<KeyAliases | undefined> {
  return io.part('snapshots', region, async () => {
    const aliases = await allPages(io.listing('kms:ListAliases', region), async (token) => {
      const out = await io.api.listAliases(region, { Limit: 100, Marker: token });
      return { items: out.Aliases, next: out.Truncated ? out.NextMarker : undefined };
    });
    return aliasesByKey(aliases);
  });
}
