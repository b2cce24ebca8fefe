// What the scanner uses of @aws-sdk/client-eventbridge (providers/aws/clients.ts): the compiled package bundles only these.
export { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
