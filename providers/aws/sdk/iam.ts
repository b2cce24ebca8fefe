// What the scanner uses of @aws-sdk/client-iam (providers/aws/clients.ts): the compiled package bundles only these.
export { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
