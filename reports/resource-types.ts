/**
 * The cloud's own name for the type of each artifact kind, for formats that carry a resource type (OCSF
 * `resources[].type`): the name a SIEM already knows from the cloud's inventory services. Data, not logic.
 * - AWS: CloudFormation / AWS Config type names (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html,
 *   https://docs.aws.amazon.com/config/latest/developerguide/resource-config-reference.html)
 * - Azure: ARM resource types (https://learn.microsoft.com/en-us/azure/templates/microsoft.compute/allversions)
 * - GCP: Cloud Asset Inventory asset types (https://cloud.google.com/asset-inventory/docs/asset-types)
 */
import type { ArtifactKind, Provider } from '../src/core/model/result.ts';

export const resourceTypes: Record<Provider, Partial<Record<ArtifactKind, string>>> = {
  aws: {
    'disk-snapshot': 'AWS::EC2::Snapshot',
    image: 'AWS::EC2::Image',
    'db-snapshot': 'AWS::RDS::DBSnapshot',
    'db-cluster-snapshot': 'AWS::RDS::DBClusterSnapshot',
    'backup-recovery-point': 'AWS::Backup::RecoveryPoint',
  },
  azure: {
    'disk-snapshot': 'Microsoft.Compute/snapshots',
    image: 'Microsoft.Compute/images',
    'gallery-image-version': 'Microsoft.Compute/galleries/images/versions',
    'restore-point': 'Microsoft.Compute/restorePointCollections/restorePoints',
    'disk-restore-point': 'Microsoft.Compute/restorePointCollections/restorePoints/diskRestorePoints',
    'disk-export': 'Microsoft.Compute/disks',
    'backup-recovery-point': 'Microsoft.DataProtection/backupVaults/backupInstances/recoveryPoints',
  },
  gcp: {
    'disk-snapshot': 'compute.googleapis.com/Snapshot',
    'instant-snapshot': 'compute.googleapis.com/InstantSnapshot',
    image: 'compute.googleapis.com/Image',
    'machine-image': 'compute.googleapis.com/MachineImage',
  },
};

/** The cloud's type name for a finding's resource kind; other kinds (principals, settings) keep their own name. */
export function resourceType(provider: Provider, kind: string): string {
  return resourceTypes[provider][kind as ArtifactKind] ?? kind;
}
