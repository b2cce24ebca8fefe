// What the scanner uses of @aws-sdk/client-cloudtrail (providers/aws/clients.ts): the compiled package bundles only these.
export {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListEventDataStoresCommand,
  ListTrailsCommand,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
