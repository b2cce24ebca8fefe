/**
 * AWS Security Hub (REST-JSON, signing name `securityhub`) as the scanner reads it: DescribeHub (`GET /accounts`;
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DescribeHub.html), GetEnabledStandards
 * (`POST /standards/get`, MaxResults 1–100 and NextToken;
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetEnabledStandards.html) and
 * BatchGetStandardsControlAssociations (`POST /associations/batchGet`;
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchGetStandardsControlAssociations.html) and
 * GetFindings (`POST /findings`, MaxResults 1–100; https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetFindings.html),
 * the control findings derived from the estate as the controls judge it. An account
 * that is not subscribed in the region gets InvalidAccessException (HTTP 401) from each; errors carry the service's
 * `{Code, Message}` body and the `x-amzn-ErrorType` header.
 */
import type { LabResponse } from '../../core.ts';
import type { AwsAccount, AwsSecurityHub } from '../estate.ts';
import type { AwsHandler, AwsRequestContext } from '../handlers.ts';
import { tokenPage } from '../wire.ts';

/** REST paths → operation. */
export function securityHubRoute(method: string, path: string): { action: string; params: Record<string, string> } | null {
  const p = path.replace(/\/+$/, '');
  if (method === 'GET' && p === '/accounts') return { action: 'DescribeHub', params: {} };
  if (method === 'POST' && p === '/standards/get') return { action: 'GetEnabledStandards', params: {} };
  if (method === 'POST' && p === '/associations/batchGet') return { action: 'BatchGetStandardsControlAssociations', params: {} };
  if (method === 'POST' && p === '/findings') return { action: 'GetFindings', params: {} };
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

export interface LabHubFinding {
  control: string;
  resourceType: string;
  resourceId: string;
}

/** The controls running in the hub's region: enabled in a READY or INCOMPLETE standard. */
function runningControls(hub: AwsSecurityHub): Set<string> {
  const on = new Set<string>();
  for (const s of hub.standards)
    if (s.status === 'READY' || s.status === 'INCOMPLETE')
      for (const [id, state] of Object.entries(s.controls)) if (state === 'ENABLED') on.add(id);
  return on;
}

/**
 * The ACTIVE FAILED control findings Security Hub holds in the region, derived from the estate as the controls judge
 * it: EC2.1 on the account when one of its EBS snapshots there is public, EC2.182 on the account when snapshot block
 * public access is not `block-all-sharing`, RDS.1 per public manual DB (cluster) snapshot, RDS.4 per unencrypted one;
 * plus the estate's `staleFindings` (a state Security Hub has not re-evaluated since it changed).
 */
export function hubFindings(partition: string, a: AwsAccount, region: string, hub: AwsSecurityHub): LabHubFinding[] {
  const running = runningControls(hub);
  const here = <T extends { region: string }>(xs: readonly T[]) => xs.filter((x) => x.region === region);
  const accountId = `AWS::::Account:${a.id}`;
  const rdsArn = (kind: string, id: string) => `arn:${partition}:rds:${region}:${a.id}:${kind}:${id}`;
  const manual = [
    ...here(a.dbSnapshots)
      .filter((d) => d.type === 'manual')
      .map((d) => ({ d, type: 'AwsRdsDbSnapshot', arn: rdsArn('snapshot', d.id) })),
    ...here(a.dbClusterSnapshots)
      .filter((d) => d.type === 'manual')
      .map((d) => ({ d, type: 'AwsRdsDbClusterSnapshot', arn: rdsArn('cluster-snapshot', d.id) })),
  ];
  const out: LabHubFinding[] = [];
  if (running.has('EC2.1') && here(a.snapshots).some((s) => s.public))
    out.push({ control: 'EC2.1', resourceType: 'AwsAccount', resourceId: accountId });
  if (running.has('EC2.182') && a.blockPublicAccess[region] !== 'block-all-sharing')
    out.push({ control: 'EC2.182', resourceType: 'AwsAccount', resourceId: accountId });
  for (const m of manual) {
    if (running.has('RDS.1') && m.d.public) out.push({ control: 'RDS.1', resourceType: m.type, resourceId: m.arn });
    if (running.has('RDS.4') && !m.d.encrypted) out.push({ control: 'RDS.4', resourceType: m.type, resourceId: m.arn });
  }
  for (const f of hub.staleFindings)
    if (running.has(f.control)) out.push({ control: f.control, resourceType: f.resourceType, resourceId: f.resource });
  return out;
}

type StringFilter = { Value?: string; Comparison?: string };
/** The filters the lab applies (EQUALS only): https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFindingFilters.html */
const FILTERABLE = new Set(['ComplianceSecurityControlId', 'RecordState', 'ComplianceStatus']);

function findingJson(ctx: AwsRequestContext, f: LabHubFinding, i: number, at: string) {
  const partition = ctx.state.estate.partition;
  return {
    SchemaVersion: '2018-10-08',
    Id: `arn:${partition}:securityhub:${ctx.region}:${ctx.account.id}:security-control/${f.control}/finding/${String(i).padStart(8, '0')}`,
    ProductArn: `arn:${partition}:securityhub:${ctx.region}::product/aws/securityhub`,
    ProductName: 'Security Hub',
    CompanyName: 'AWS',
    Region: ctx.region,
    GeneratorId: `security-control/${f.control}`,
    AwsAccountId: ctx.account.id,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: at,
    UpdatedAt: at,
    Severity: { Label: 'CRITICAL', Original: 'CRITICAL' },
    Title: `${f.control} control failed`,
    Description: `Security Hub control ${f.control} failed for ${f.resourceId}`,
    Resources: [{ Type: f.resourceType, Id: f.resourceId, Partition: partition, Region: ctx.region }],
    Compliance: { Status: 'FAILED', SecurityControlId: f.control },
    WorkflowState: 'NEW',
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
  };
}

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
  GetFindings(ctx) {
    const hub = hubIn(ctx);
    if (!hub) return notSubscribed(ctx);
    const filters = (ctx.json.Filters ?? {}) as Record<string, StringFilter[]>;
    const unknown = Object.keys(filters).filter((k) => !FILTERABLE.has(k));
    if (unknown.length) return invalid(`The lab does not filter findings by ${unknown.join(', ')}`);
    if (Object.values(filters).some((list) => !Array.isArray(list) || list.some((f) => f.Comparison !== 'EQUALS')))
      return invalid('The lab applies EQUALS string filters only');
    const values = (key: string) => filters[key]?.map((f) => String(f.Value ?? '')) ?? null;
    const ids = values('ComplianceSecurityControlId');
    const record = values('RecordState');
    const compliance = values('ComplianceStatus');
    const asked = ctx.json.MaxResults;
    const n = asked === undefined ? 100 : Number(asked);
    if (!Number.isInteger(n) || n < 1 || n > 100) return invalid('MaxResults must be between 1 and 100');
    // Every finding the lab holds is ACTIVE and FAILED.
    const all = hubFindings(ctx.state.estate.partition, ctx.account, ctx.region, hub).filter(
      (f) =>
        (ids === null || ids.includes(f.control)) &&
        (record === null || record.includes('ACTIVE')) &&
        (compliance === null || compliance.includes('FAILED')),
    );
    const token = ctx.json.NextToken === undefined ? undefined : String(ctx.json.NextToken);
    const p = tokenPage(
      all.map((f, i) => ({ f, i })),
      token,
      `shf-${ctx.account.id}-${ctx.region}-${JSON.stringify(filters)}`,
      ctx.pageSize(n),
      () => invalid('Invalid NextToken'),
    );
    if ('error' in p) return p.error;
    return respond({
      Findings: p.items.map(({ f, i }) => findingJson(ctx, f, i, hub.subscribedAt)),
      ...(p.next ? { NextToken: p.next } : {}),
    });
  },
};
