// What the scanner uses of @aws-sdk/client-securityhub (providers/aws/clients.ts): the compiled package bundles only these.
export {
  BatchGetStandardsControlAssociationsCommand,
  DescribeHubCommand,
  GetEnabledStandardsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
