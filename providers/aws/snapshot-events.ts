/**
 * The CloudTrail management events that make an EBS snapshot, as data: what a trail must record, what an alert must
 * match and what the creator lookup reads. Each names the documentation of its event. (AMIs, RDS and AWS Backup
 * recovery points are the wider snapshot family, a later step; CreateImage is read here only because the snapshots
 * of an AMI are EBS snapshots.)
 */

export interface SnapshotEvent {
  /** CloudTrail `eventName`. */
  name: string;
  /** CloudTrail `eventSource`. */
  eventSource: string;
  /** The `source` of the EventBridge event CloudTrail delivers for it. */
  busSource: string;
  /** What it does to a snapshot. */
  effect: 'create' | 'copy' | 'create-image';
  /** Where the new snapshot's id is in the event. */
  snapshotIdIn: 'responseElements.snapshotId' | 'responseElements.snapshotSet.items' | 'snapshot description (AMI id)';
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
    snapshotIdIn: 'responseElements.snapshotId',
    detection: true,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshot.html',
  },
  {
    name: 'CreateSnapshots',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'create',
    snapshotIdIn: 'responseElements.snapshotSet.items',
    detection: true,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshots.html',
  },
  {
    name: 'CopySnapshot',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'copy',
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
    snapshotIdIn: 'responseElements.snapshotId',
    detection: true,
    source: 'https://docs.aws.amazon.com/ebs/latest/userguide/logging-ebs-apis-using-cloudtrail.html',
  },
  {
    name: 'CreateImage',
    eventSource: 'ec2.amazonaws.com',
    busSource: 'aws.ec2',
    effect: 'create-image',
    snapshotIdIn: 'snapshot description (AMI id)',
    detection: false,
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html',
  },
];

/** The events a snapshot-creation detection needs recorded and matched. */
export const detectionEvents = snapshotEventCatalogue.filter((e) => e.detection);

/** The event names whose history the creator lookup reads, one LookupEvents listing per name per region. */
export const creationEventNames = snapshotEventCatalogue.map((e) => e.name);
