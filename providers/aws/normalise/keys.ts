/**
 * Which KMS key encrypts a snapshot. DescribeSnapshots returns `KmsKeyId` as the key's ARN, never an alias
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Snapshot.html), so whether it is the AWS managed key
 * (`alias/aws/ebs`) or a customer managed key can only be told from the account's aliases: kms:ListAliases, once per
 * region that holds encrypted snapshots, paged. AWS managed keys carry aliases of the form `aws/<service>`
 * (https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html), and a snapshot encrypted with one cannot be
 * shared (https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html), so a key of
 * another account is customer managed.
 */
import type { AliasListEntry } from '@aws-sdk/client-kms';
import type { SourcedReading } from '../../../src/core/model/provenance.ts';
import type { Snapshot } from '../../../src/core/model/result.ts';

/** Key id (the UUID) → the aliases that target it, for one account × region. */
export type KeyAliases = ReadonlyMap<string, readonly string[]>;

const awsManagedAlias = /^alias\/aws\//;

/** ListAliases entries → key id → its aliases (sorted). */
export function aliasesByKey(aliases: readonly AliasListEntry[]): KeyAliases {
  const byKey = new Map<string, string[]>();
  for (const a of aliases) {
    if (!a.TargetKeyId || !a.AliasName) continue;
    byKey.set(a.TargetKeyId, [...(byKey.get(a.TargetKeyId) ?? []), a.AliasName].sort());
  }
  return byKey;
}

interface KeyArn {
  account: string;
  region: string;
  keyId: string;
}

function parseKeyArn(value: string): KeyArn | null {
  const m = /^arn:[^:]+:kms:([^:]+):(\d{12}):key\/(.+)$/.exec(value);
  return m ? { region: m[1] as string, account: m[2] as string, keyId: m[3] as string } : null;
}

export interface KeyVerdict {
  encryption: Snapshot['encryption'];
  /** The readings that decided it, quoted. */
  readings: Array<SourcedReading<Snapshot['encryption']['status']>>;
}

const SNAPSHOT_FIELD = 'ec2:DescribeSnapshots Encrypted/KmsKeyId';

/**
 * @param encrypted the snapshot's `Encrypted` flag as received (undefined: absent)
 * @param kmsKeyId  its `KmsKeyId` as received
 * @param accountId the account the snapshot belongs to
 * @param aliases   the region's aliases; null when not read
 */
export function classifyKey(
  encrypted: boolean | undefined,
  kmsKeyId: string | undefined,
  accountId: string,
  aliases: KeyAliases | null,
  field: string = SNAPSHOT_FIELD,
  /** How the read names the two fields it quotes (AWS Backup: IsEncrypted / EncryptionKeyArn). */
  fields: { flag: string; key: string } = { flag: 'Encrypted', key: 'KmsKeyId' },
): KeyVerdict {
  const keyId = kmsKeyId ?? null;
  const own = (status: Snapshot['encryption']['status'], value: string) => ({
    encryption: { status, keyId },
    readings: [{ source: field, value, verdict: status }],
  });
  if (encrypted === false) return own('unencrypted', `${fields.flag}=false`);
  if (encrypted !== true) return own('unknown', `${fields.flag} absent`);
  if (!kmsKeyId) return own('unknown', `${fields.flag}=true, no ${fields.key}`);
  // Not what AWS sends, but what some compatible endpoints do: the alias itself says which kind of key it is.
  if (kmsKeyId.startsWith('alias/'))
    return own(awsManagedAlias.test(kmsKeyId) ? 'provider-key' : 'customer-key', `${fields.key}=${kmsKeyId}`);
  const arn = parseKeyArn(kmsKeyId);
  if (arn && arn.account !== accountId) return own('customer-key', `${fields.key}=${kmsKeyId} (account ${arn.account})`);
  if (!aliases) return own('unknown', `${fields.key}=${kmsKeyId}`);
  const names = aliases.get(arn?.keyId ?? kmsKeyId) ?? [];
  const status = names.some((n) => awsManagedAlias.test(n)) ? 'provider-key' : 'customer-key';
  return {
    encryption: { status, keyId },
    readings: [
      { source: field, value: `${fields.key}=${kmsKeyId}`, verdict: status },
      { source: 'kms:ListAliases', value: names.length ? `aliases ${names.join(', ')}` : 'no alias targets this key', verdict: status },
    ],
  };
}
