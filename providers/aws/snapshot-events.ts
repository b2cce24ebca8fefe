/**
 * The CloudTrail management events of the snapshot family, as data: what makes, copies, shares or exports an EBS
 * snapshot, an AMI, an RDS DB / cluster snapshot or an AWS Backup recovery point. `detection` marks the EBS creation
 * events a trail must record and an alert must match for snapshot creation to count as recorded / alerted; every
 * event is shown per region in the alerting matrix; the creation and copy events are what the creator lookup reads,
 * per kind present. Each names the documentation of its event.
 */
import type { ArtifactKind, OperationEffect } from '../../src/core/model/result.ts';

export interface SnapshotEvent {
  /** CloudTrail `eventName`. */
  name: string;
  /** CloudTrail `eventSource`. */
  eventSource: string;
  /** The `source` of the EventBridge event CloudTrail delivers for it. */
  busSource: string;
  /** What it does to an artifact (CreateImage creates an AMI and the EBS snapshots behind it). */
  effect: OperationEffect;
  /** The kinds of artifact it acts on. */
  kinds: ArtifactKind[];
  /** Where the new artifact's id is in the event (`none`: the event does not make one). */
  snapshotIdIn:
    | 'responseElements.snapshotId'
    | 'responseElements.snapshotSet.items'
    | 'snapshot description (AMI id)'
    | 'responseElements.imageId'
    | 'responseElements.dBSnapshotIdentifier'
    | 'responseElements.dBClusterSnapshotIdentifier'
    | 'none';
  /** Must a trail record it and an alert match it for snapshot creation to count as recorded / alerted? */
  detection: boolean;
  source: string;
}

export const snapshotEventCatalogue: readonly SnapshotEvent[] = [
  {
    name: 'CreateSnapshot',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'create',
    kinds: ['disk-snapshot'],
    snapshotIdIn: 'responseElements.snapshotId',
    detection: true,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshot.html',
  },
  {
    name: 'CreateSnapshots',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'create',
    kinds: ['disk-snapshot'],
    snapshotIdIn: 'responseElements.snapshotSet.items',
    detection: true,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshots.html',
  },
  {
    name: 'CopySnapshot',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'copy',
    kinds: ['disk-snapshot'],
    snapshotIdIn: 'responseElements.snapshotId',
    detection: true,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopySnapshot.html',
  },
  {
    // The EBS direct APIs create a snapshot from any data the caller writes (StartSnapshot … CompleteSnapshot).
    name: 'StartSnapshot',
    eventSource: 'ebs.amazonaws.com',
    busSource: 'aws.ebs',
    effect: 'create',
    kinds: ['disk-snapshot'],
    snapshotIdIn: 'responseElements.snapshotId',
    detection: true,
    source: 'https://docs.aws.amazon.com/ebs/latest/userguide/logging-ebs-apis-using-cloudtrail.html',
  },
  {
    name: 'CreateImage',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'create',
    kinds: ['disk-snapshot', 'image'],
    snapshotIdIn: 'snapshot description (AMI id)',
    detection: false,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html',
  },
  {
    name: 'CopyImage',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'copy',
    kinds: ['image'],
    snapshotIdIn: 'responseElements.imageId',
    detection: false,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html',
  },
  {
    name: 'RegisterImage',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'create',
    kinds: ['image'],
    snapshotIdIn: 'responseElements.imageId',
    detection: false,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RegisterImage.html',
  },
  {
    name: 'CreateDBSnapshot',
    eventSource: 'rds.amazonaws.com',
    busSource: 'aws.rds',
    effect: 'create',
    kinds: ['db-snapshot'],
    snapshotIdIn: 'responseElements.dBSnapshotIdentifier',
    detection: false,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSnapshot.html',
  },
  {
    name: 'CopyDBSnapshot',
    eventSource: 'rds.amazonaws.com',
    busSource: 'aws.rds',
    effect: 'copy',
    kinds: ['db-snapshot'],
    snapshotIdIn: 'responseElements.dBSnapshotIdentifier',
    detection: false,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBSnapshot.html',
  },
  {
    name: 'CreateDBClusterSnapshot',
    eventSource: 'rds.amazonaws.com',
    busSource: 'aws.rds',
    effect: 'create',
    kinds: ['db-cluster-snapshot'],
    snapshotIdIn: 'responseElements.dBClusterSnapshotIdentifier',
    detection: false,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBClusterSnapshot.html',
  },
  {
    name: 'CopyDBClusterSnapshot',
    eventSource: 'rds.amazonaws.com',
    busSource: 'aws.rds',
    effect: 'copy',
    kinds: ['db-cluster-snapshot'],
    snapshotIdIn: 'responseElements.dBClusterSnapshotIdentifier',
    detection: false,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CopyDBClusterSnapshot.html',
  },
  {
    name: 'ModifySnapshotAttribute',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'share',
    kinds: ['disk-snapshot'],
    snapshotIdIn: 'none',
    detection: false,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySnapshotAttribute.html',
  },
  {
    name: 'ModifyImageAttribute',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'share',
    kinds: ['image'],
    snapshotIdIn: 'none',
    detection: false,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyImageAttribute.html',
  },
  {
    name: 'ModifyDBSnapshotAttribute',
    eventSource: 'rds.amazonaws.com',
    busSource: 'aws.rds',
    effect: 'share',
    kinds: ['db-snapshot'],
    snapshotIdIn: 'none',
    detection: false,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBSnapshotAttribute.html',
  },
  {
    name: 'ModifyDBClusterSnapshotAttribute',
    eventSource: 'rds.amazonaws.com',
    busSource: 'aws.rds',
    effect: 'share',
    kinds: ['db-cluster-snapshot'],
    snapshotIdIn: 'none',
    detection: false,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBClusterSnapshotAttribute.html',
  },
  {
    name: 'StartExportTask',
    eventSource: 'rds.amazonaws.com',
    busSource: 'aws.rds',
    effect: 'export',
    kinds: ['db-snapshot', 'db-cluster-snapshot'],
    snapshotIdIn: 'none',
    detection: false,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StartExportTask.html',
  },
  {
    name: 'ExportImage',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'export',
    kinds: ['image'],
    snapshotIdIn: 'none',
    detection: false,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ExportImage.html',
  },
  {
    name: 'CreateStoreImageTask',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'export',
    kinds: ['image'],
    snapshotIdIn: 'none',
    detection: false,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateStoreImageTask.html',
  },
  {
    name: 'StartCopyJob',
    eventSource: 'backup.amazonaws.com',
    busSource: 'aws.backup',
    effect: 'copy',
    kinds: ['backup-recovery-point'],
    snapshotIdIn: 'none',
    detection: false,
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartCopyJob.html',
  },
  {
    name: 'PutBackupVaultAccessPolicy',
    eventSource: 'backup.amazonaws.com',
    busSource: 'aws.backup',
    effect: 'share',
    kinds: ['backup-recovery-point'],
    snapshotIdIn: 'none',
    detection: false,
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultAccessPolicy.html',
  },
];

/** The events a snapshot-creation detection needs recorded and matched. */
export const detectionEvents = snapshotEventCatalogue.filter((e) => e.detection);

const makes = (e: SnapshotEvent) => e.effect === 'create' || e.effect === 'copy';

/** The EBS snapshot creation events whose history the creator lookup reads, one LookupEvents listing per name per region. */
export const creationEventNames = snapshotEventCatalogue.filter((e) => makes(e) && e.kinds.includes('disk-snapshot')).map((e) => e.name);

/** The creation events to look up in a region holding these kinds (the EBS set first, in catalogue order). */
export function creationEventsFor(kinds: ReadonlySet<ArtifactKind>): string[] {
  return snapshotEventCatalogue
    .filter((e) => makes(e) && e.snapshotIdIn !== 'none' && e.kinds.some((k) => kinds.has(k)))
    .map((e) => e.name);
}

/** The family as the per-operation coverage judges it (every event, in catalogue order). */
export const familyOperations = snapshotEventCatalogue.map((e) => ({ operation: e.name, effect: e.effect }));
