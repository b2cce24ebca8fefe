/**
 * The resources each snapshot action is authorised against, as ARN patterns of "any resource of that type in the
 * account" (Service Authorization Reference, resource types column; the required ones). A principal holds the
 * action only when every listed resource type is allowed — e.g. ec2:CreateSnapshot needs both the volume and the
 * snapshot. The first pattern is the primary one: the grant's resource scope is read from it. `{partition}` and
 * `{account}` are filled in; snapshot and image ARNs of EC2 carry no account id. Actions not listed are evaluated
 * against `*` (actions without resource-level permissions).
 */

const ec2Snapshot = 'arn:{partition}:ec2:*::snapshot/*';
const ec2Image = 'arn:{partition}:ec2:*::image/*';
const ec2Volume = 'arn:{partition}:ec2:*:{account}:volume/*';
const ec2Instance = 'arn:{partition}:ec2:*:{account}:instance/*';
const rdsSnapshot = 'arn:{partition}:rds:*:{account}:snapshot:*';
const rdsClusterSnapshot = 'arn:{partition}:rds:*:{account}:cluster-snapshot:*';

export const actionResources: Readonly<Record<string, readonly string[]>> = {
  'ec2:createsnapshot': [ec2Snapshot, ec2Volume],
  'ec2:createsnapshots': [ec2Snapshot, ec2Instance],
  'ec2:createimage': [ec2Image, ec2Instance, ec2Snapshot],
  'ec2:copysnapshot': [ec2Snapshot],
  'ec2:copyimage': [ec2Image],
  'ec2:modifysnapshotattribute': [ec2Snapshot],
  'ec2:modifyimageattribute': [ec2Image],
  'ec2:deletesnapshot': [ec2Snapshot],
  'ebs:startsnapshot': [ec2Snapshot],
  'ebs:getsnapshotblock': [ec2Snapshot],
  'ebs:listsnapshotblocks': [ec2Snapshot],
  'rds:createdbsnapshot': [rdsSnapshot, 'arn:{partition}:rds:*:{account}:db:*'],
  'rds:createdbclustersnapshot': [rdsClusterSnapshot, 'arn:{partition}:rds:*:{account}:cluster:*'],
  'rds:copydbsnapshot': [rdsSnapshot],
  'rds:copydbclustersnapshot': [rdsClusterSnapshot],
  'rds:modifydbsnapshotattribute': [rdsSnapshot],
  'rds:deletedbsnapshot': [rdsSnapshot],
  'backup:startbackupjob': ['arn:{partition}:backup:*:{account}:backup-vault:*'],
  'backup:startcopyjob': ['arn:{partition}:backup:*:{account}:recovery-point:*'],
  'backup:putbackupvaultaccesspolicy': ['arn:{partition}:backup:*:{account}:backup-vault:*'],
  'backup:startrestorejob': ['arn:{partition}:backup:*:{account}:recovery-point:*'],
  'backup:deleterecoverypoint': ['arn:{partition}:backup:*:{account}:recovery-point:*'],
  'ec2:exportimage': [ec2Image],
  'ec2:createstoreimagetask': [ec2Image],
  'ec2:createinstanceexporttask': [ec2Instance],
  'ec2:createvolume': [ec2Snapshot, ec2Volume],
  'ec2:deregisterimage': [ec2Image],
  'ebs:listchangedblocks': [ec2Snapshot],
  'rds:modifydbclustersnapshotattribute': [rdsClusterSnapshot],
  'rds:restoredbinstancefromdbsnapshot': ['arn:{partition}:rds:*:{account}:db:*', rdsSnapshot],
  'rds:restoredbclusterfromsnapshot': ['arn:{partition}:rds:*:{account}:cluster:*', rdsClusterSnapshot],
  'rds:deletedbclustersnapshot': [rdsClusterSnapshot],
  'rds:startexporttask': [rdsSnapshot],
  'iam:passrole': ['arn:{partition}:iam::{account}:role/*'],
};

/** The resource patterns to evaluate an action against, for one account. */
export function resourcesFor(action: string, account: string, partition = 'aws'): string[] {
  const patterns = actionResources[action.toLowerCase()] ?? ['*'];
  return patterns.map((p) => p.replaceAll('{partition}', partition).replaceAll('{account}', account));
}
