/**
 * Creation activity: every event of the snapshot family that made, copied, shared or exported an artifact (or tried
 * to) within the lookback window, as the provider's audit log recorded it. Providers normalise their own records
 * (a CloudTrail event, an Azure activity-log entry, a GCP LogEntry with an AuditLog payload) into these shapes at
 * their boundary; the `activity.*` checks judge them against the config (baseline, business hours, trusted
 * networks, sensitive sources). Every value is quoted from the record it came from; text from a cloud is hostile
 * and is escaped by every renderer.
 */
import { z } from 'zod';

/**
 * What the event did to an artifact of the family: the making, copying, sharing and exporting effects of the
 * per-operation coverage (`OperationEffect`); deletes and reads are not part of the activity review.
 */
export const activityEffects = ['create', 'copy', 'share', 'export'] as const;
export const ActivityEffect = z.enum(activityEffects);
export type ActivityEffect = z.infer<typeof ActivityEffect>;

/** The kind of program that made the call, classified from its user agent (or from the identity, for services). */
export const callerAgents = ['console', 'cli', 'sdk', 'terraform', 'cloud-service', 'other', 'unknown'] as const;
export const CallerAgent = z.enum(callerAgents);
export type CallerAgent = z.infer<typeof CallerAgent>;

export const ActivityIdentity = z.object({
  /** The identity type as the log names it (CloudTrail `userIdentity.type`, Azure `user`/`app`, GCP principal kind). */
  type: z.string().nullable(),
  /** The identity that acted: an ARN, an object id / UPN, an e-mail; the service that acted on its own. */
  id: z.string(),
  /** For a role session or a delegated call: the role or identity it was issued by. */
  issuer: z.string().nullable(),
  /** Was the session authenticated with MFA (where the log records it)? */
  mfa: z.enum(['yes', 'no', 'unknown']),
  /** Recognised automation (e.g. `aws-backup`), with what identified it; null when none. */
  automation: z.object({ by: z.string(), basis: z.string() }).nullable(),
});
export type ActivityIdentity = z.infer<typeof ActivityIdentity>;

export const ActivitySource = z.object({
  /** The caller's address as logged (an IP address, or the service's name when a service called). */
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  agent: CallerAgent,
  /** The VPC endpoint the call came through (CloudTrail `vpcEndpointId`). */
  vpcEndpointId: z.string().nullable(),
});
export type ActivitySource = z.infer<typeof ActivitySource>;

export const ActivityResource = z.object({ kind: z.string(), id: z.string() });
export type ActivityResource = z.infer<typeof ActivityResource>;

export const ActivityEvent = z.object({
  /** The log's own id of the event (CloudTrail eventID, Azure eventDataId, GCP insertId). */
  id: z.string(),
  region: z.string(),
  /** ISO time of the call. */
  at: z.string(),
  /** The operation as the log names it (`CreateSnapshot`, `Microsoft.Compute/snapshots/write`, `v1.compute.snapshots.insert`). */
  operation: z.string(),
  effect: ActivityEffect,
  identity: ActivityIdentity,
  source: ActivitySource,
  /** The artifact made or acted on, when the event names it. */
  resource: ActivityResource.nullable(),
  /** What it was made from (a volume, a disk, the snapshot copied, an instance), when the event names it. */
  sourceResource: ActivityResource.nullable(),
  outcome: z.enum(['success', 'failure']),
  /** The error the call failed with (`AccessDenied`, `Client.UnauthorizedOperation`, `AuthorizationFailed`, gRPC 7…). */
  errorCode: z.string().nullable(),
  /** The read the event came from (`cloudtrail:LookupEvents EventName=CreateSnapshot`). */
  read: z.string(),
});
export type ActivityEvent = z.infer<typeof ActivityEvent>;

/**
 * User agents by the program that sends them, first match wins. Sources: the user agents CloudTrail records
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html:
 * `signin.amazonaws.com`, `console.amazonaws.com`, a service's own name, `aws-cli/…`, `aws-sdk-…`; console calls
 * also appear as `AWS Console, aws-sdk-java/…` in https://docs.aws.amazon.com/neptune/latest/userguide/cloudtrail.html;
 * AWS services acting internally as `…, aws-internal/3 …`); Terraform's provider user agents
 * (`Terraform/1.x … terraform-provider-aws/…`, `terraform-provider-azurerm`, `google-api-go-client … Terraform`);
 * Azure (`Microsoft_Azure_…` portal blades, `AZURECLI/…`, `azsdk-…`); gcloud (`google-cloud-sdk gcloud/…`).
 */
const agentRules: ReadonlyArray<{ agent: CallerAgent; pattern: RegExp }> = [
  { agent: 'terraform', pattern: /terraform|HashiCorp/i },
  {
    agent: 'console',
    pattern:
      /^(AWS Internal|signin\.amazonaws\.com|console\.[a-z0-9.-]*amazonaws\.com)$|^AWS Console|Management Console|Microsoft_Azure_|^Mozilla\//i,
  },
  // A service calling on its own names itself (`backup.amazonaws.com`, `ec2.amazonaws.com`).
  { agent: 'cloud-service', pattern: /^[a-z0-9.-]+\.amazonaws\.com$|aws-internal\// },
  { agent: 'cli', pattern: /^aws-cli\/|AZURECLI\/|azure-cli|gcloud\/|google-cloud-sdk|Azure ?PowerShell|aws-powershell/i },
  { agent: 'sdk', pattern: /aws-sdk-|Boto3\/|botocore\/|azsdk-|azure-sdk|google-api-|gl-node\/|gcloud-node|grpc-|google-cloud-/i },
];

/** The program behind a call, from its user agent; `cloud-service` when a cloud service made the call itself. */
export function classifyAgent(userAgent: string | null, byService: boolean): CallerAgent {
  if (byService) return 'cloud-service';
  if (!userAgent) return 'unknown';
  return agentRules.find((r) => r.pattern.test(userAgent))?.agent ?? 'other';
}

/** Error codes that mean the caller was not allowed (a denied attempt), as each cloud spells them. */
const deniedCodes = /AccessDenied|UnauthorizedOperation|Unauthorized|AuthorizationFailed|Forbidden|PERMISSION_DENIED|^7$|^403$/i;

/** Did the event fail because the caller lacked permission? */
export function isDenied(e: Pick<ActivityEvent, 'outcome' | 'errorCode'>): boolean {
  return e.outcome === 'failure' && e.errorCode !== null && deniedCodes.test(e.errorCode);
}

/** Activity in a stable order: time, then id. */
export function sortActivity(events: readonly ActivityEvent[]): ActivityEvent[] {
  return [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
