/**
 * AWS Backup as read → the model (pure). A vault's access policy is a resource policy: an Allow statement naming
 * another account (or `*`) for `backup:CopyIntoBackupVault` lets that account copy recovery points into the vault,
 * for `backup:CopyFromBackupVault` out of it
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html). A vault lock
 * (`Locked`) keeps recovery points from deletion until their retention ends
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html). A recovery point made by a backup plan
 * names the plan and the role that ran it (`CreatedBy`, `IamRoleArn`): automation recognised from the service's own
 * record, judged against the baseline by the checks.
 */
import type { BackupVaultListMember, CopyJob, RecoveryPointByBackupVault } from '@aws-sdk/client-backup';
import { resolveOwner } from '../../../src/core/model/owner.ts';
import type { Fact, Snapshot, Tri } from '../../../src/core/model/result.ts';
import { parseGlob, globMatches } from '../policy/wildcard.ts';
import { decodeDocument, parsePolicy } from '../policy/parse.ts';
import { classifyKey, type KeyAliases } from './keys.ts';
import { sharedWithEntries, type SnapshotOptions } from './snapshots.ts';

export const VAULT_POLICY = 'backup:GetBackupVaultAccessPolicy Policy';
const COPY_IN = 'backup:CopyIntoBackupVault';
const COPY_OUT = 'backup:CopyFromBackupVault';

/** One principal a vault policy lets copy in or out. */
export interface VaultGrant {
  /** An account id, or `*` (anyone). */
  account: string;
  /** The principal as written. */
  principal: string;
  actions: string[];
  conditional: boolean;
}

export interface VaultAccess {
  grants: VaultGrant[];
  /** What could not be understood (an unparsable policy, NotPrincipal / NotAction statements). */
  problems: string[];
}

const accountOf = (p: string): string | null =>
  p === '*' ? '*' : /^\d{12}$/.test(p) ? p : (/^arn:[^:]+:iam::(\d{12}):/.exec(p)?.[1] ?? null);

/** The Allow grants of copy actions in a vault access policy as received (null policy: none). */
export function vaultAccess(policy: string | null): VaultAccess {
  if (!policy) return { grants: [], problems: [] };
  let doc: ReturnType<typeof parsePolicy>;
  try {
    doc = parsePolicy(decodeDocument(policy));
  } catch (e) {
    return { grants: [], problems: [`the vault access policy could not be parsed: ${(e as Error).message}`] };
  }
  const grants: VaultGrant[] = [];
  const problems: string[] = [];
  for (const s of doc.statements) {
    if (s.effect !== 'Allow' || !s.action || !s.principal) continue;
    if (s.action.element === 'NotAction' || s.principal.element === 'NotPrincipal') {
      problems.push(`statement ${s.sid ?? s.index} uses ${s.action.element === 'NotAction' ? 'NotAction' : 'NotPrincipal'}; not evaluated`);
      continue;
    }
    const patterns = s.action.patterns.map((p) => parseGlob(p));
    const actions = [COPY_IN, COPY_OUT].filter((a) => patterns.some((p) => globMatches(p, a, true)));
    if (actions.length === 0) continue;
    const principals = s.principal.value.wildcard ? ['*'] : (s.principal.value.byType.AWS ?? []);
    for (const principal of principals) {
      const account = accountOf(principal);
      if (account) grants.push({ account, principal, actions, conditional: s.conditions.length > 0 });
    }
  }
  return { grants, problems };
}

export interface RecoveryPointReads {
  vault: BackupVaultListMember;
  /** The vault's access policy as analysed; null: not read. */
  access: VaultAccess | null;
  /** Completed copy jobs of this recovery point into another account's vault. */
  copies: CopyJob[];
  aliases: KeyAliases | null;
}

const seconds = (d: Date | undefined) => (d ? d.toISOString() : null);

export function normaliseRecoveryPoint(
  rp: RecoveryPointByBackupVault,
  region: string,
  accountId: string,
  r: RecoveryPointReads,
  o: SnapshotOptions,
): Snapshot {
  const arn = rp.RecoveryPointArn ?? 'unknown';
  const external = (r.access?.grants ?? []).filter((g) => g.account !== accountId);
  const publicGrant = external.find((g) => g.account === '*' && !g.conditional);
  const pub: Tri = r.access === null ? 'unknown' : publicGrant ? 'yes' : 'no';
  const copiedTo = r.copies.map((c) => c.DestinationBackupVaultArn ?? '').filter(Boolean);
  const copyAccounts = copiedTo.map((a) => a.split(':')[4] ?? '').filter((a) => a && a !== accountId);
  const grantAccounts = external.filter((g) => g.account !== '*').map((g) => g.account);
  const accounts = [...new Set([...grantAccounts, ...copyAccounts])].sort();
  const key = classifyKey(
    rp.IsEncrypted,
    rp.EncryptionKeyArn,
    accountId,
    r.aliases,
    'backup:ListRecoveryPointsByBackupVault IsEncrypted/EncryptionKeyArn',
    { flag: 'IsEncrypted', key: 'EncryptionKeyArn' },
  );
  const plan = rp.CreatedBy?.BackupPlanId;
  const automation: Snapshot['automation'] = plan
    ? { by: 'aws-backup', basis: `backup plan ${plan} run by ${rp.IamRoleArn ?? 'an unnamed role'}` }
    : { by: null, basis: null };
  const policyValue = r.access
    ? r.access.grants.length
      ? r.access.grants.map((g) => `${g.principal} ${g.actions.join('+')}${g.conditional ? ' (conditional)' : ''}`).join(', ')
      : 'no copy grant'
    : 'not read';
  const facts: Fact[] = [
    ...(r.access ? [{ fact: 'public' as const, source: VAULT_POLICY, value: policyValue, authoritative: true }] : []),
    ...(r.access ? [{ fact: 'shared-with' as const, source: VAULT_POLICY, value: policyValue, authoritative: true }] : []),
    ...copiedTo.map((dest) => ({
      fact: 'shared-with' as const,
      source: 'backup:ListCopyJobs DestinationBackupVaultArn',
      value: dest,
      authoritative: true,
    })),
    ...key.readings.map((k) => ({ fact: 'encryption' as const, source: k.source, value: k.value, authoritative: true })),
    ...(plan
      ? [
          {
            fact: 'automation' as const,
            source: 'backup:ListRecoveryPointsByBackupVault CreatedBy/IamRoleArn',
            value: automation.basis ?? '',
            authoritative: true,
          },
        ]
      : []),
  ];
  const vaultName = r.vault.BackupVaultName ?? rp.BackupVaultName ?? '?';
  const notes = [
    `in backup vault ${vaultName}${r.vault.Locked ? ' (vault lock on)' : ' (no vault lock)'}`,
    ...external.map((g) => `vault policy lets ${g.principal} ${g.actions.join(' and ')}${g.conditional ? ' under conditions' : ''}`),
    ...copiedTo.map((d) => `copied to ${d}`),
    ...(r.access?.problems ?? []),
    ...(r.access === null ? ['the vault access policy was not read'] : []),
  ];
  const resource = rp.ResourceArn ?? null;
  return {
    kind: 'backup-recovery-point',
    id: arn.split(':').pop() ?? arn,
    name: rp.ResourceName ?? null,
    resourceId: arn,
    region,
    createdAt: seconds(rp.CreationDate),
    sizeGiB: rp.BackupSizeInBytes !== undefined ? Math.round((rp.BackupSizeInBytes / 2 ** 30) * 100) / 100 : null,
    state: rp.Status ?? null,
    description: [rp.ResourceType, vaultName].filter(Boolean).join(' in ') || null,
    tags: {},
    encryption: key.encryption,
    sharing: { public: pub, sharedWith: sharedWithEntries(accounts, accountId, o.orgAccounts), sharesKnown: r.access !== null, notes },
    owner: resolveOwner({ tags: {}, ownerTagKeys: o.policy.ownerTagKeys, creatorFromAudit: rp.IamRoleArn ?? null }),
    creator: rp.IamRoleArn ? { identity: rp.IamRoleArn, source: 'system-data', at: seconds(rp.CreationDate) } : null,
    source: resource ? { kind: 'resource', id: resource, tags: {} } : { kind: 'unknown', id: null, tags: {} },
    automation,
    facts,
    conflicts: [],
  };
}
