/**
 * AWS Backup per account × region: ListBackupVaults (with each vault's lock), ListRecoveryPointsByBackupVault per
 * vault; with `sharing`, each vault's access policy (GetBackupVaultAccessPolicy; a vault without one answers
 * ResourceNotFoundException) and the region's copy jobs (ListCopyJobs) to find copies into other accounts. A region
 * without vaults costs the one ListBackupVaults call.
 */
import type { BackupVaultListMember, CopyJob, RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import type { Snapshot } from '../../../src/core/model/result.ts';
import { normaliseRecoveryPoint, type VaultAccess, vaultAccess } from '../normalise/backup.ts';
import type { KeyAliases } from '../normalise/keys.ts';
import type { SnapshotOptions } from '../normalise/snapshots.ts';
import { type AccountIO, allPages } from '../scope-io.ts';

const isNotFound = (err: unknown) => (err as { name?: string } | null)?.name === 'ResourceNotFoundException';

function listVaults(io: AccountIO, region: string): Promise<BackupVaultListMember[] | undefined> {
  return io.part('snapshots', region, async () => {
    const vaults = await allPages(io.listing('backup:ListBackupVaults', region), async (token) => {
      const out = await io.api.listBackupVaults(region, { MaxResults: 1000, NextToken: token });
      return { items: out.BackupVaultList, next: out.NextToken };
    });
    io.ok.add(region);
    return vaults;
  });
}

function recoveryPoints(io: AccountIO, region: string, vault: string): Promise<RecoveryPointByBackupVault[] | undefined> {
  return io.part('snapshots', region, () =>
    allPages(io.listing('backup:ListRecoveryPointsByBackupVault', region, `BackupVaultName=${vault}`), async (token) => {
      const out = await io.api.listRecoveryPointsByBackupVault(region, { BackupVaultName: vault, MaxResults: 1000, NextToken: token });
      return { items: out.RecoveryPoints, next: out.NextToken };
    }),
  );
}

/** The vault's access policy analysed; no policy → no grant; undefined when it could not be read. */
function vaultPolicy(io: AccountIO, region: string, vault: string): Promise<VaultAccess | undefined> {
  return io.part('sharing', region, async () => {
    try {
      const out = await io.api.getBackupVaultAccessPolicy(region, { BackupVaultName: vault });
      return vaultAccess(out.Policy ?? null);
    } catch (err) {
      if (isNotFound((err as { cause?: unknown }).cause ?? err)) return vaultAccess(null);
      throw err;
    }
  });
}

function copyJobs(io: AccountIO, region: string): Promise<CopyJob[] | undefined> {
  return io.part('sharing', region, () =>
    allPages(io.listing('backup:ListCopyJobs', region), async (token) => {
      const out = await io.api.listCopyJobs(region, { MaxResults: 1000, NextToken: token });
      return { items: out.CopyJobs, next: out.NextToken };
    }),
  );
}

/**
 * A region's recovery points, read; normalised once the region's KMS aliases are known (an EncryptionKeyArn of the
 * account says whether it is the AWS Backup managed key only through its aliases).
 */
export interface RecoveryPointListing {
  keys: Array<{ encrypted: boolean | undefined; keyId: string | undefined }>;
  normalise(aliases: KeyAliases | null): Snapshot[];
}

const none: RecoveryPointListing = { keys: [], normalise: () => [] };

export async function collectRecoveryPoints(io: AccountIO, region: string, o: SnapshotOptions): Promise<RecoveryPointListing> {
  const vaults = await listVaults(io, region);
  if (!vaults || vaults.length === 0) return none;
  const wantSharing = io.rt.needs.has('sharing');
  const [perVault, jobs] = await Promise.all([
    Promise.all(
      vaults.map(async (vault) => {
        const name = vault.BackupVaultName ?? '';
        const [points, access] = await Promise.all([
          recoveryPoints(io, region, name),
          wantSharing ? vaultPolicy(io, region, name) : undefined,
        ]);
        return { vault, points: points ?? [], access: access ?? null };
      }),
    ),
    wantSharing ? copyJobs(io, region) : undefined,
  ]);
  const outward = (jobs ?? []).filter(
    (j) => j.State === 'COMPLETED' && (j.DestinationBackupVaultArn?.split(':')[4] ?? io.scope.id) !== io.scope.id,
  );
  return {
    keys: perVault.flatMap(({ points }) => points.map((rp) => ({ encrypted: rp.IsEncrypted, keyId: rp.EncryptionKeyArn }))),
    normalise: (aliases) =>
      perVault.flatMap(({ vault, points, access }) =>
        points.map((rp) =>
          normaliseRecoveryPoint(
            rp,
            region,
            io.scope.id,
            { vault, access, copies: outward.filter((j) => j.SourceRecoveryPointArn === rp.RecoveryPointArn), aliases },
            o,
          ),
        ),
      ),
  };
}
