/**
 * AWS Security Hub (REST-JSON, signing name `securityhub`) as the scanner reads it: DescribeHub (`GET /accounts`;
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DescribeHub.html), GetEnabledStandards
 * (`POST /standards/get`, MaxResults 1–100 and NextToken;
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetEnabledStandards.html) and
 * BatchGetStandardsControlAssociations (`POST /associations/batchGet`;
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchGetStandardsControlAssociations.html). An account
 * that is not subscribed in the region gets InvalidAccessException (HTTP 401) from each; errors carry the service's
 * `{Code, Message}` body and the `x-amzn-ErrorType` header.
 */
import type { LabResponse } from '../../core.ts';
import type { AwsSecurityHub } from '../estate.ts';
import type { AwsHandler, AwsRequestContext } from '../handlers.ts';
import { tokenPage } from '../wire.ts';

/** REST paths → operation. */
export function securityHubRoute(method: string, path: string): { action: string; params: Record<string, string> } | null {
  const p = path.replace(/\/+$/, '');
  if (method === 'GET' && p === '/accounts') return { action: 'DescribeHub', params: {} };
  if (method === 'POST' && p === '/standards/get') return { action: 'GetEnabledStandards', params: {} };
  if (method === 'POST' && p === '/associations/batchGet') return { action: 'BatchGetStandardsControlAssociations', params: {} };
  return null;
}

function hubError(status: number, code: string, message: string): LabResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
    body: JSON.stringify({ Code: code, Message: message }),
  };
}

const respond = (body: unknown): LabResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const invalid = (message: string) => hubError(400, 'InvalidInputException', message);

const hubIn = (ctx: AwsRequestContext): AwsSecurityHub | undefined => ctx.account.securityHub.find((h) => h.region === ctx.region);
const notSubscribed = (ctx: AwsRequestContext) =>
  hubError(401, 'InvalidAccessException', `Account ${ctx.account.id} is not subscribed to AWS Security Hub`);

/** A standard's ARN: regional (`…:REGION::standards/PATH`), or the CIS v1.2.0 ruleset's global form. */
export function standardsArn(partition: string, region: string, path: string): string {
  return path.startsWith('ruleset/')
    ? `arn:${partition}:securityhub:::${path}`
    : `arn:${partition}:securityhub:${region}::standards/${path}`;
}

const subscriptionArn = (ctx: AwsRequestContext, path: string) =>
  `arn:${ctx.state.estate.partition}:securityhub:${ctx.region}:${ctx.account.id}:subscription/${path.replace(/^(ruleset|standards)\//, '')}`;

export const securityHubHandlers: Record<string, AwsHandler> = {
  DescribeHub(ctx) {
    const hub = hubIn(ctx);
    if (!hub) return notSubscribed(ctx);
    return respond({
      HubArn: `arn:${ctx.state.estate.partition}:securityhub:${ctx.region}:${ctx.account.id}:hub/default`,
      SubscribedAt: hub.subscribedAt,
      AutoEnableControls: true,
      ControlFindingGenerator: 'SECURITY_CONTROL',
    });
  },
  GetEnabledStandards(ctx) {
    const hub = hubIn(ctx);
    if (!hub) return notSubscribed(ctx);
    const asked = ctx.json.MaxResults;
    const n = asked === undefined ? 10 : Number(asked);
    if (!Number.isInteger(n) || n < 1 || n > 100) return invalid('MaxResults must be between 1 and 100');
    const token = ctx.json.NextToken === undefined ? undefined : String(ctx.json.NextToken);
    const p = tokenPage(hub.standards, token, `sh-${ctx.account.id}-${ctx.region}`, ctx.pageSize(n), () => invalid('Invalid NextToken'));
    if ('error' in p) return p.error;
    return respond({
      StandardsSubscriptions: p.items.map((s) => ({
        StandardsSubscriptionArn: subscriptionArn(ctx, s.path),
        StandardsArn: standardsArn(ctx.state.estate.partition, ctx.region, s.path),
        StandardsInput: {},
        StandardsStatus: s.status,
        StandardsControlsUpdatable: s.status === 'READY' ? 'READY_FOR_UPDATES' : 'NOT_READY_FOR_UPDATES',
      })),
      ...(p.next ? { NextToken: p.next } : {}),
    });
  },
  BatchGetStandardsControlAssociations(ctx) {
    const hub = hubIn(ctx);
    if (!hub) return notSubscribed(ctx);
    const ids = ctx.json.StandardsControlAssociationIds;
    if (!Array.isArray(ids) || ids.length === 0) return invalid('StandardsControlAssociationIds must hold at least one item');
    const partition = ctx.state.estate.partition;
    const details: unknown[] = [];
    const unprocessed: unknown[] = [];
    for (const raw of ids as Array<{ SecurityControlId?: string; StandardsArn?: string }>) {
      const id = { SecurityControlId: String(raw.SecurityControlId ?? ''), StandardsArn: String(raw.StandardsArn ?? '') };
      const standard = hub.standards.find((s) => standardsArn(partition, ctx.region, s.path) === id.StandardsArn);
      const status = standard?.controls[id.SecurityControlId];
      if (!standard || status === undefined) {
        unprocessed.push({
          StandardsControlAssociationId: id,
          ErrorCode: 'RESOURCE_NOT_FOUND',
          ErrorReason: standard ? `${id.SecurityControlId} is not part of the standard` : 'The standard is not enabled',
        });
        continue;
      }
      details.push({
        StandardsArn: id.StandardsArn,
        SecurityControlId: id.SecurityControlId,
        SecurityControlArn: `arn:${partition}:securityhub:${ctx.region}:${ctx.account.id}:security-control/${id.SecurityControlId}`,
        AssociationStatus: status === 'ENABLED' ? 'ENABLED' : 'DISABLED',
        ...(status === 'ENABLED' ? {} : { UpdatedReason: status.disabled, UpdatedAt: hub.subscribedAt }),
        RelatedRequirements: [],
      });
    }
    return respond({ StandardsControlAssociationDetails: details, UnprocessedAssociations: unprocessed });
  },
};
