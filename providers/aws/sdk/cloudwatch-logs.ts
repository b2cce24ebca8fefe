// What the scanner uses of @aws-sdk/client-cloudwatch-logs (providers/aws/clients.ts): the compiled package bundles only these.
export { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
