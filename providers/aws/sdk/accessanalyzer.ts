// What the scanner uses of @aws-sdk/client-accessanalyzer (providers/aws/clients.ts): the compiled package bundles only these.
export { AccessAnalyzerClient, ListAnalyzersCommand, ListFindingsCommand } from '@aws-sdk/client-accessanalyzer';
