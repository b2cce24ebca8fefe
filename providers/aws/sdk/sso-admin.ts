// What the scanner uses of @aws-sdk/client-sso-admin (providers/aws/clients.ts): the compiled package bundles only these.
export {
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
