/**
 * KMS (JSON 1.1, `TrentService.*`) as the scanner reads it: ListAliases, and the key ARNs DescribeSnapshots returns.
 * EC2 names a snapshot's key by its ARN, never by an alias; the AWS managed key of EBS has the alias `alias/aws/ebs`.
 * Like the real service, ListAliases also lists predefined AWS aliases that no key is associated with yet (no
 * TargetKeyId): https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html
 */
import { createHash } from 'node:crypto';
import type { AwsAccount } from '../estate.ts';
import type { AwsHandler } from '../handlers.ts';
import { awsError, jsonResponse, tokenPage } from '../wire.ts';

/** Predefined aliases of AWS managed keys a region lists before any service has created its key. */
const predefinedAliases = ['alias/aws/backup', 'alias/aws/ebs', 'alias/aws/rds', 'alias/aws/s3'];

/** A deterministic key id (UUID form) for an alias of an account × region. */
function keyIdFor(accountId: string, region: string, alias: string): string {
  const h = createHash('sha256').update(`${accountId}/${region}/${alias}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function keyArn(partition: string, region: string, accountId: string, keyId: string): string {
  return `arn:${partition}:kms:${region}:${accountId}:key/${keyId}`;
}

/** The key ARN EC2 reports for a snapshot of the estate (an alias or no key resolves to the key it names). */
export function snapshotKeyArn(
  partition: string,
  account: AwsAccount,
  s: { region: string; encrypted: boolean; kmsKeyId?: string | undefined },
): string | undefined {
  if (!s.encrypted) return undefined;
  const ref = s.kmsKeyId ?? 'alias/aws/ebs';
  if (!ref.startsWith('alias/')) return ref;
  const declared = account.kmsAliases.find((a) => a.region === s.region && a.name === ref);
  return keyArn(partition, s.region, account.id, declared?.targetKeyId ?? keyIdFor(account.id, s.region, ref));
}

interface AliasEntry {
  AliasName: string;
  AliasArn: string;
  TargetKeyId?: string;
}

/** Every alias of the account × region: declared ones, those the snapshots' aliases imply, the predefined AWS ones. */
export function aliasesOf(partition: string, account: AwsAccount, region: string): AliasEntry[] {
  const byName = new Map<string, string | undefined>();
  for (const name of predefinedAliases) byName.set(name, undefined);
  const encrypted = [
    ...account.snapshots.map((s) => ({ ...s, ref: s.kmsKeyId ?? 'alias/aws/ebs' })),
    ...account.images.map((s) => ({ ...s, ref: s.kmsKeyId ?? 'alias/aws/ebs' })),
    ...[...account.dbSnapshots, ...account.dbClusterSnapshots].map((s) => ({ ...s, ref: s.kmsKeyId ?? 'alias/aws/rds' })),
    ...account.backupVaults.flatMap((v) =>
      v.recoveryPoints.map((rp) => ({ region: v.region, encrypted: rp.encrypted, ref: rp.kmsKeyId ?? 'alias/aws/backup' })),
    ),
  ];
  for (const s of encrypted) {
    if (s.region !== region || !s.encrypted) continue;
    if (s.ref.startsWith('alias/')) byName.set(s.ref, keyIdFor(account.id, region, s.ref));
  }
  for (const a of account.kmsAliases) if (a.region === region) byName.set(a.name, a.targetKeyId);
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, target]) => ({
      AliasName: name,
      AliasArn: `arn:${partition}:kms:${region}:${account.id}:${name}`,
      ...(target ? { TargetKeyId: target } : {}),
    }));
}

export const kmsHandlers: Record<string, AwsHandler> = {
  ListAliases(ctx) {
    const body = ctx.json as { Limit?: number; Marker?: string; KeyId?: string };
    const limit = body.Limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return awsError(
        'json',
        400,
        'ValidationException',
        `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint`,
      );
    let aliases = aliasesOf(ctx.state.estate.partition, ctx.account, ctx.region);
    if (body.KeyId) aliases = aliases.filter((a) => a.TargetKeyId === body.KeyId);
    const salt = `la-${ctx.account.id}-${ctx.region}`;
    const p = tokenPage(aliases, body.Marker, salt, ctx.pageSize(limit), () =>
      awsError('json', 400, 'InvalidMarkerException', 'The request was rejected because the marker is not valid.'),
    );
    if ('error' in p) return p.error;
    return jsonResponse({
      Aliases: p.items,
      Truncated: p.next !== undefined,
      ...(p.next === undefined ? {} : { NextMarker: p.next }),
    });
  },
};
