// What the scanner uses of @aws-sdk/client-rds (providers/aws/clients.ts): the compiled package bundles only these.
export {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotAttributesCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
