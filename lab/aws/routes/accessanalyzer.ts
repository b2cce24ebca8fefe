/**
 * IAM Access Analyzer (REST-JSON, signing name `access-analyzer`) as the scanner reads it: ListAnalyzers
 * (`GET /analyzer`, query `type`, `maxResults`, `nextToken`;
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListAnalyzers.html) and ListFindings
 * (`POST /finding`, a JSON body with `analyzerArn`, `filter`, `maxResults`, `nextToken`;
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListFindings.html). Timestamps are ISO 8601
 * strings (the service's `date-time` format). Findings are derived from the estate's sharing as an external access
 * analyzer reports it: one finding per resource and principal outside the zone of trust (the account, or the
 * organisation), `isPublic` for a public resource, ARCHIVED where the estate archived it, none for a resource the
 * analyzer has not analysed yet (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html).
 */
import { createHash } from 'node:crypto';
import type { AwsAccessAnalyzer, AwsAccount, AwsEstate } from '../estate.ts';
import type { AwsHandler, AwsRequestContext } from '../handlers.ts';
import { awsError, jsonResponse, tokenPage } from '../wire.ts';

/** REST paths → operation. */
export function accessAnalyzerRoute(method: string, path: string): { action: string; params: Record<string, string> } | null {
  const p = path.replace(/\/+$/, '');
  if (method === 'GET' && p === '/analyzer') return { action: 'ListAnalyzers', params: {} };
  if (method === 'POST' && p === '/finding') return { action: 'ListFindings', params: {} };
  if (method === 'POST' && p === '/findingv2') return { action: 'ListFindingsV2', params: {} };
  return null;
}

/** The resource types whose findings the lab derives (the snapshot family Access Analyzer supports). */
export const SNAPSHOT_RESOURCE_TYPES = ['AWS::EC2::Snapshot', 'AWS::RDS::DBSnapshot', 'AWS::RDS::DBClusterSnapshot'] as const;

interface LabFinding {
  id: string;
  resource: string;
  resourceType: string;
  resourceOwnerAccount: string;
  principal: Record<string, string>;
  isPublic: boolean;
  status: 'ACTIVE' | 'ARCHIVED' | 'RESOLVED';
  condition: Record<string, string>;
  createdAt: string;
  analyzedAt: string;
  updatedAt: string;
}

const arnOf = (estate: AwsEstate, owner: AwsAccount, a: AwsAccessAnalyzer) =>
  `arn:${estate.partition}:access-analyzer:${a.region}:${owner.id}:analyzer/${a.name}`;
const analyzerArn = (ctx: AwsRequestContext, a: AwsAccessAnalyzer) => arnOf(ctx.state.estate, ctx.account, a);

const findingId = (...parts: string[]) => {
  const h = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

interface Shareable {
  id: string;
  arn: string;
  type: (typeof SNAPSHOT_RESOURCE_TYPES)[number];
  owner: string;
  public: boolean;
  sharedWith: readonly string[];
}

/** Manual RDS snapshots of one kind as shareable resources, named by their ARNs. */
function manualRds(
  list: ReadonlyArray<{ id: string; region: string; type: string; public: boolean; sharedWith: readonly string[] }>,
  type: Shareable['type'],
  arnKind: string,
  partition: string,
  owner: string,
): Shareable[] {
  return list
    .filter((d) => d.type === 'manual')
    .map((d) => ({
      id: d.id,
      arn: `arn:${partition}:rds:${d.region}:${owner}:${arnKind}:${d.id}`,
      type,
      owner,
      public: d.public,
      sharedWith: d.sharedWith,
    }));
}

/** The region's shareable resources of one account, with their ARNs as the services name them. */
function shareables(partition: string, account: AwsAccount, region: string): Shareable[] {
  const here = <T extends { region: string }>(xs: readonly T[]) => xs.filter((x) => x.region === region);
  return [
    ...here(account.snapshots).map((s) => ({
      id: s.id,
      arn: `arn:${partition}:ec2:${region}::snapshot/${s.id}`,
      type: 'AWS::EC2::Snapshot' as const,
      owner: account.id,
      public: s.public,
      sharedWith: s.sharedWith,
    })),
    // Automated RDS snapshots cannot be shared: nothing to analyse.
    ...manualRds(here(account.dbSnapshots), 'AWS::RDS::DBSnapshot', 'snapshot', partition, account.id),
    ...manualRds(here(account.dbClusterSnapshots), 'AWS::RDS::DBClusterSnapshot', 'cluster-snapshot', partition, account.id),
  ];
}

/** Every finding an analyzer of `owner` holds, derived from the estate (sorted by id). */
export function analyzerFindings(estate: AwsEstate, owner: AwsAccount, a: AwsAccessAnalyzer): LabFinding[] {
  const organisation = a.type === 'ORGANIZATION' && estate.organization;
  const zone = new Set(organisation ? estate.accounts.map((x) => x.id) : [owner.id]);
  const accounts = organisation ? estate.accounts : [owner];
  const at = a.lastResourceAnalyzedAt ?? a.createdAt;
  const out: LabFinding[] = [];
  const arn = arnOf(estate, owner, a);
  const add = (r: Shareable, principal: string, isPublic: boolean, status: LabFinding['status']) =>
    out.push({
      id: findingId(arn, r.arn, principal),
      resource: r.arn,
      resourceType: r.type,
      resourceOwnerAccount: r.owner,
      principal: { AWS: principal },
      isPublic,
      status,
      condition: {},
      createdAt: a.createdAt,
      analyzedAt: at,
      updatedAt: at,
    });
  for (const account of accounts) {
    for (const r of shareables(estate.partition, account, a.region)) {
      if (a.unanalysed.includes(r.id)) continue;
      const status = a.archived.includes(r.id) ? 'ARCHIVED' : 'ACTIVE';
      if (r.public) add(r, '*', true, status);
      for (const id of r.sharedWith) if (!zone.has(id)) add(r, id, false, status);
      for (const f of a.formerShares) if (f.resource === r.id && !zone.has(f.account)) add(r, f.account, false, f.status);
    }
  }
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

const invalid = (message: string) => awsError('rest-json', 400, 'ValidationException', message);

function pageSizeOf(ctx: AwsRequestContext, asked: unknown): number | null {
  if (asked === undefined || asked === null || asked === '') return ctx.pageSize(100);
  const n = Number(asked);
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? ctx.pageSize(n) : null;
}

/** The filter keys the lab applies (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-filter-keys.html). */
const filterFields: Record<string, (f: LabFinding) => string> = {
  resourceType: (f) => f.resourceType,
  status: (f) => f.status,
  resourceOwnerAccount: (f) => f.resourceOwnerAccount,
  isPublic: (f) => String(f.isPublic),
  resource: (f) => f.resource,
};

type Criterion = { eq?: string[]; neq?: string[] };

function matches(f: LabFinding, filter: Record<string, Criterion>): boolean {
  return Object.entries(filter).every(([key, c]) => {
    const value = filterFields[key]?.(f) ?? '';
    const equal = c.eq === undefined || c.eq.includes(value);
    return equal && !c.neq?.includes(value);
  });
}

export const accessAnalyzerHandlers: Record<string, AwsHandler> = {
  ListAnalyzers(ctx) {
    const type = ctx.params.get('type');
    const size = pageSizeOf(ctx, ctx.params.get('maxResults'));
    if (size === null) return invalid('maxResults must be between 1 and 1000');
    const analyzers = ctx.account.accessAnalyzers
      .filter((a) => a.region === ctx.region && (type === null || a.type === type))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const p = tokenPage(analyzers, ctx.params.get('nextToken'), `aa-${ctx.account.id}-${ctx.region}-${type ?? ''}`, size, () =>
      invalid('Invalid pagination token'),
    );
    if ('error' in p) return p.error;
    return jsonResponse({
      analyzers: p.items.map((a) => ({
        arn: analyzerArn(ctx, a),
        name: a.name,
        type: a.type,
        createdAt: a.createdAt,
        status: a.status,
        ...(a.lastResourceAnalyzedAt ? { lastResourceAnalyzedAt: a.lastResourceAnalyzedAt } : {}),
      })),
      ...(p.next ? { nextToken: p.next } : {}),
    });
  },
  ListFindings(ctx) {
    const arn = String(ctx.json.analyzerArn ?? '');
    const analyzer = ctx.account.accessAnalyzers.find((a) => a.region === ctx.region && analyzerArn(ctx, a) === arn);
    if (!analyzer) return awsError('rest-json', 404, 'ResourceNotFoundException', `Analyzer ${arn} not found`);
    if (!['ACCOUNT', 'ORGANIZATION'].includes(analyzer.type))
      return invalid('ListFindings is supported only for external access analyzers; use ListFindingsV2');
    const filter = (ctx.json.filter ?? {}) as Record<string, Criterion>;
    const unknown = Object.keys(filter).filter((k) => !(k in filterFields));
    if (unknown.length) return invalid(`The lab does not filter findings by ${unknown.join(', ')}`);
    const size = pageSizeOf(ctx, ctx.json.maxResults);
    if (size === null) return invalid('maxResults must be between 1 and 1000');
    // derived once per analyzer: an organisation analyzer's findings cover every account of the estate
    const all = ctx.state.once(`analyzer-findings ${arn}`, () => analyzerFindings(ctx.state.estate, ctx.account, analyzer));
    const findings = all.filter((f) => matches(f, filter));
    const salt = `af-${arn}-${JSON.stringify(filter)}`;
    const token = ctx.json.nextToken === undefined ? undefined : String(ctx.json.nextToken);
    const p = tokenPage(findings, token, salt, size, () => invalid('Invalid pagination token'));
    if ('error' in p) return p.error;
    return jsonResponse({ findings: p.items, ...(p.next ? { nextToken: p.next } : {}) });
  },
};
