/**
 * The sharing reads an estate forces where IAM Access Analyzer analyzers exist (lab/forced.ts): an active external
 * access analyzer's findings (one ListAnalyzers to learn its ARN, then ListFindings pages) tell, for every EBS and
 * manual RDS snapshot it analysed, whether it is public or shared outside its zone of trust
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html); the per-item attribute is then
 * forced only for the items it reports shared (the accounts inside the zone, and the authority's confirmation, are
 * in no finding) and for those it has not analysed yet (made after its last analysis). An analyzer is counted only
 * where using it costs fewer calls than the attribute reads it replaces: the bound is the cheaper way.
 */
import type { AwsAccessAnalyzer, AwsAccount, AwsEstate } from './aws/estate.ts';
import { analyzerFindings, SNAPSHOT_RESOURCE_TYPES } from './aws/routes/accessanalyzer.ts';

const DOC = {
  analyzers: 'https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListAnalyzers.html',
  findings: 'https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListFindings.html',
} as const;

/** The page ListFindings serves when the caller names no size (the lab's, unless the estate caps it). */
const FINDINGS_PAGE = 100;

type Kind = 'ebs' | 'db' | 'cluster';
interface Item {
  kind: Kind;
  type: (typeof SNAPSHOT_RESOURCE_TYPES)[number];
  id: string;
  createdAt: string;
}

/** The items of an account × region whose sharing an attribute read would decide (automated RDS ones cannot be shared). */
function itemsOf(account: AwsAccount, region: string): Item[] {
  const here = <T extends { region: string }>(xs: readonly T[]) => xs.filter((x) => x.region === region);
  return [
    ...here(account.snapshots).map((s) => ({
      kind: 'ebs' as const,
      type: 'AWS::EC2::Snapshot' as const,
      id: s.id,
      createdAt: s.startTime,
    })),
    ...here(account.dbSnapshots)
      .filter((d) => d.type === 'manual')
      .map((d) => ({ kind: 'db' as const, type: 'AWS::RDS::DBSnapshot' as const, id: d.id, createdAt: d.createTime })),
    ...here(account.dbClusterSnapshots)
      .filter((d) => d.type === 'manual')
      .map((d) => ({ kind: 'cluster' as const, type: 'AWS::RDS::DBClusterSnapshot' as const, id: d.id, createdAt: d.createTime })),
  ];
}

interface Cover {
  analyzer: AwsAccessAnalyzer;
  /** `type|owner|id` of the items with an ACTIVE or ARCHIVED finding. */
  flagged: Set<string>;
  pages: number;
}

function coverOf(aws: AwsEstate, owner: AwsAccount, analyzer: AwsAccessAnalyzer): Cover {
  const types = new Set<string>(SNAPSHOT_RESOURCE_TYPES);
  const findings = analyzerFindings(aws, owner, analyzer).filter((f) => types.has(f.resourceType) && f.status !== 'RESOLVED');
  const ids = new Set(findings.map((f) => `${f.resourceType}|${f.resourceOwnerAccount}|${/[:/]([^:/]+)$/.exec(f.resource)?.[1] ?? ''}`));
  const size = Math.min(FINDINGS_PAGE, aws.pageLimits['access-analyzer:ListFindings'] ?? FINDINGS_PAGE);
  return { analyzer, flagged: ids, pages: Math.max(1, Math.ceil(findings.length / size)) };
}

/** The items whose attribute is still read beside the analyzer. */
function readsWith(items: readonly Item[], owner: string, c: Cover): Item[] {
  const until = c.analyzer.lastResourceAnalyzedAt;
  return items.filter((i) => (until !== undefined && i.createdAt > until) || c.flagged.has(`${i.type}|${owner}|${i.id}`));
}

const active = (a: AwsAccessAnalyzer, type: 'ACCOUNT' | 'ORGANIZATION', region: string) =>
  a.type === type && a.status === 'ACTIVE' && a.region === region;

export interface SharingPlan {
  /** The attribute reads forced in an account × region, per kind. */
  reads(account: AwsAccount, region: string): Record<Kind, number>;
  /** The analyzer calls, per operation. */
  calls: Array<{ op: string; calls: number; source: string }>;
}

const countKinds = (items: readonly Item[]): Record<Kind, number> => ({
  ebs: items.filter((i) => i.kind === 'ebs').length,
  db: items.filter((i) => i.kind === 'db').length,
  cluster: items.filter((i) => i.kind === 'cluster').length,
});

export function sharingPlan(aws: AwsEstate, regionsOf: (a: AwsAccount) => readonly string[]): SharingPlan {
  const accounts = aws.accounts.filter((a) => a.status === 'ACTIVE');
  const calls: SharingPlan['calls'] = [];
  const use = (c: Cover) => {
    calls.push({ op: 'access-analyzer:ListAnalyzers', calls: 1, source: DOC.analyzers });
    calls.push({ op: 'access-analyzer:ListFindings', calls: c.pages, source: DOC.findings });
  };
  const plan = new Map<string, Item[]>();
  // The organisation's analyzer, in the account the scanner runs as, covers every account's items in its region.
  const caller = aws.accounts.find((a) => a.id === (aws.callerAccountId ?? aws.organization?.managementAccountId));
  const regions = [...new Set(accounts.flatMap((a) => regionsOf(a)))];
  for (const region of aws.organization && caller ? regions : []) {
    const analyzer = caller?.accessAnalyzers.find((a) => active(a, 'ORGANIZATION', region));
    if (!analyzer || !caller) continue;
    const c = coverOf(aws, caller, analyzer);
    const inRegion = accounts.filter((a) => regionsOf(a).includes(region));
    const without = inRegion.reduce((n, a) => n + itemsOf(a, region).length, 0);
    const withIt = inRegion.map((a) => [a, readsWith(itemsOf(a, region), a.id, c)] as const);
    if (1 + c.pages + withIt.reduce((n, [, r]) => n + r.length, 0) >= without) continue;
    use(c);
    for (const [a, r] of withIt) plan.set(`${a.id}/${region}`, r);
  }
  // An account's own analyzer, where the organisation's does not cover it.
  for (const a of accounts) {
    for (const region of regionsOf(a)) {
      if (plan.has(`${a.id}/${region}`)) continue;
      const items = itemsOf(a, region);
      const analyzer = a.accessAnalyzers.find((x) => active(x, 'ACCOUNT', region));
      if (!analyzer) continue;
      const c = coverOf(aws, a, analyzer);
      const r = readsWith(items, a.id, c);
      if (1 + c.pages + r.length >= items.length) continue;
      use(c);
      plan.set(`${a.id}/${region}`, r);
    }
  }
  return {
    reads: (account, region) => countKinds(plan.get(`${account.id}/${region}`) ?? itemsOf(account, region)),
    calls,
  };
}
