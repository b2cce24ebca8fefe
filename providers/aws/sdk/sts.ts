// What the scanner uses of @aws-sdk/client-sts (providers/aws/clients.ts): the compiled package bundles only these.
export { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
