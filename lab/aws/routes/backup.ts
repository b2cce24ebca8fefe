/**
 * AWS Backup (REST-JSON) operations the scanner reads: vaults, their access policies, the recovery points in each
 * and the account's copy jobs. Lists page with `maxResults` / `nextToken` query parameters; timestamps are epoch
 * seconds; a vault without an access policy answers ResourceNotFoundException
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetBackupVaultAccessPolicy.html).
 */
import type { AwsBackupVault } from '../estate.ts';
import { snapshotKeyArn } from './kms.ts';
import type { AwsHandler, AwsRequestContext } from '../handlers.ts';
import { awsError, jsonResponse, tokenPage } from '../wire.ts';

const epoch = (iso: string) => Date.parse(iso) / 1000;

/** REST paths → operation and path parameters. */
export function backupRoute(method: string, path: string): { action: string; params: Record<string, string> } | null {
  if (method !== 'GET') return null;
  const p = path.replace(/\/+$/, '');
  if (p === '/backup-vaults') return { action: 'ListBackupVaults', params: {} };
  if (p === '/copy-jobs') return { action: 'ListCopyJobs', params: {} };
  const m = /^\/backup-vaults\/([^/]+)(\/access-policy|\/recovery-points)?$/.exec(p);
  if (!m) return null;
  const params = { BackupVaultName: decodeURIComponent(m[1] ?? '') };
  if (m[2] === '/access-policy') return { action: 'GetBackupVaultAccessPolicy', params };
  if (m[2] === '/recovery-points') return { action: 'ListRecoveryPointsByBackupVault', params };
  return { action: 'DescribeBackupVault', params };
}

function pageOf<T>(ctx: AwsRequestContext, items: readonly T[], salt: string) {
  const asked = ctx.params.get('maxResults');
  const size = asked === null ? 1000 : Number(asked);
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    return { error: awsError('json', 400, 'InvalidParameterValueException', 'maxResults must be between 1 and 1000') };
  return tokenPage(items, ctx.params.get('nextToken'), salt, ctx.pageSize(size), () =>
    awsError('json', 400, 'InvalidParameterValueException', 'The nextToken is not valid.'),
  );
}

const vaultArn = (ctx: AwsRequestContext, name: string) =>
  `arn:${ctx.state.estate.partition}:backup:${ctx.region}:${ctx.account.id}:backup-vault:${name}`;
/** Recovery point ARNs as AWS Backup names them: an EBS snapshot's own ARN, otherwise a backup recovery point. */
const pointArn = (ctx: AwsRequestContext, rp: { id: string; resourceType: string }) =>
  rp.resourceType === 'EBS'
    ? `arn:${ctx.state.estate.partition}:ec2:${ctx.region}::snapshot/${rp.id}`
    : `arn:${ctx.state.estate.partition}:backup:${ctx.region}:${ctx.account.id}:recovery-point:${rp.id}`;

function vaultOf(ctx: AwsRequestContext): AwsBackupVault | undefined {
  const name = String(ctx.json.BackupVaultName ?? '');
  return ctx.account.backupVaults.find((v) => v.region === ctx.region && v.name === name);
}

const noVault = (ctx: AwsRequestContext) =>
  awsError('json', 404, 'ResourceNotFoundException', `Backup vault ${String(ctx.json.BackupVaultName ?? '')} does not exist`);

export const backupHandlers: Record<string, AwsHandler> = {
  ListBackupVaults(ctx) {
    const vaults = ctx.account.backupVaults.filter((v) => v.region === ctx.region).sort((a, b) => (a.name < b.name ? -1 : 1));
    const p = pageOf(ctx, vaults, `lbv-${ctx.account.id}-${ctx.region}`);
    if ('error' in p) return p.error;
    return jsonResponse({
      BackupVaultList: p.items.map((v) => ({
        BackupVaultName: v.name,
        BackupVaultArn: vaultArn(ctx, v.name),
        CreationDate: epoch('2024-03-01T00:00:00Z'),
        NumberOfRecoveryPoints: v.recoveryPoints.length,
        Locked: v.locked,
        ...(v.locked ? { MinRetentionDays: 7, LockDate: epoch('2024-03-04T00:00:00Z') } : {}),
      })),
      NextToken: p.next,
    });
  },

  GetBackupVaultAccessPolicy(ctx) {
    const v = vaultOf(ctx);
    if (!v) return noVault(ctx);
    if (v.policy === undefined) return awsError('json', 404, 'ResourceNotFoundException', `Backup vault ${v.name} has no access policy`);
    return jsonResponse({
      BackupVaultName: v.name,
      BackupVaultArn: vaultArn(ctx, v.name),
      Policy: typeof v.policy === 'string' ? v.policy : JSON.stringify(v.policy),
    });
  },

  ListRecoveryPointsByBackupVault(ctx) {
    const v = vaultOf(ctx);
    if (!v) return noVault(ctx);
    const points = [...v.recoveryPoints].sort((a, b) => (a.id < b.id ? -1 : 1));
    const p = pageOf(ctx, points, `lrp-${ctx.account.id}-${ctx.region}-${v.name}`);
    if ('error' in p) return p.error;
    return jsonResponse({
      RecoveryPoints: p.items.map((rp) => ({
        RecoveryPointArn: pointArn(ctx, rp),
        BackupVaultName: v.name,
        BackupVaultArn: vaultArn(ctx, v.name),
        ResourceArn: rp.resourceArn,
        ResourceType: rp.resourceType,
        ...(rp.resourceName ? { ResourceName: rp.resourceName } : {}),
        ...(rp.backupPlanId ? { CreatedBy: { BackupPlanId: rp.backupPlanId, BackupRuleId: 'daily' } } : {}),
        ...(rp.iamRoleArn ? { IamRoleArn: rp.iamRoleArn } : {}),
        Status: rp.status,
        CreationDate: epoch(rp.createdAt),
        BackupSizeInBytes: rp.sizeBytes,
        IsEncrypted: rp.encrypted,
        // The key that protects it (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RecoveryPointByBackupVault.html).
        EncryptionKeyArn: snapshotKeyArn(ctx.state.estate.partition, ctx.account, {
          region: ctx.region,
          encrypted: rp.encrypted,
          kmsKeyId: rp.kmsKeyId ?? 'alias/aws/backup',
        }),
      })),
      NextToken: p.next,
    });
  },

  ListCopyJobs(ctx) {
    const jobs = ctx.account.copyJobs.filter((j) => j.region === ctx.region).sort((a, b) => (a.id < b.id ? -1 : 1));
    const p = pageOf(ctx, jobs, `lcj-${ctx.account.id}-${ctx.region}`);
    if ('error' in p) return p.error;
    return jsonResponse({
      CopyJobs: p.items.map((j) => {
        const vault = ctx.account.backupVaults.find(
          (v) => v.region === j.region && v.recoveryPoints.some((rp) => rp.id === j.recoveryPoint),
        );
        const point = vault?.recoveryPoints.find((rp) => rp.id === j.recoveryPoint) ?? { id: j.recoveryPoint, resourceType: 'EBS' };
        return {
          AccountId: ctx.account.id,
          CopyJobId: j.id,
          SourceBackupVaultArn: vault ? vaultArn(ctx, vault.name) : undefined,
          SourceRecoveryPointArn: pointArn(ctx, point),
          DestinationBackupVaultArn: j.destinationVaultArn,
          State: j.state,
          CreationDate: epoch(j.createdAt),
          ResourceType: point.resourceType,
        };
      }),
      NextToken: p.next,
    });
  },
};
