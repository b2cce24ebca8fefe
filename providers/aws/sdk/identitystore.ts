// What the scanner uses of @aws-sdk/client-identitystore (providers/aws/clients.ts): the compiled package bundles only these.
export { DescribeGroupCommand, DescribeUserCommand, IdentitystoreClient, ListGroupMembershipsCommand } from '@aws-sdk/client-identitystore';
