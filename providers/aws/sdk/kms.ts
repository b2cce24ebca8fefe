// What the scanner uses of @aws-sdk/client-kms (providers/aws/clients.ts): the compiled package bundles only these.
export { KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
