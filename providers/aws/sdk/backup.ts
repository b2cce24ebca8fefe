// What the scanner uses of @aws-sdk/client-backup (providers/aws/clients.ts): the compiled package bundles only these.
export {
  BackupClient,
  GetBackupVaultAccessPolicyCommand,
  ListBackupVaultsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from '@aws-sdk/client-backup';
