/**
 * Sharing through IAM Access Analyzer: where an active external access analyzer covers an account's region, its
 * findings for the snapshot family (ListFindings filtered to the three resource types and to ACTIVE and ARCHIVED
 * findings; https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-filter-keys.html) replace the
 * per-item attribute reads for the items it analysed. ListFindings (not ListFindingsV2) because its summaries carry
 * each finding's principal and `isPublic` (https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListFindings.html).
 * Analyzers are regional:
 * - the organisation's analyzer (type ORGANIZATION) lives in the management account or the delegated administrator,
 *   and only there does ListAnalyzers show it: it is looked for in the account the scanner runs as, once per region
 *   per scan (the cache), and covers every account of the organisation;
 * - an account's own analyzer (type ACCOUNT) is looked for only where it can save calls (a region with at least
 *   ACCOUNT_PROBE_MIN items to read): first in the account's region with the most, then — if that region has one —
 *   in its other such regions.
 * An analyzer that cannot be read (not allowed, not offered by the endpoint) is no analyzer: the attribute reads stand.
 */
import type { AnalyzerSummary, FindingSummary } from '@aws-sdk/client-accessanalyzer';
import type { AnalyzerReading, AnalyzerZone } from '../normalise/analyzer.ts';
import { type AccountIO, type AwsApi, allPages } from '../scope-io.ts';

/** The snapshot family's resource types Access Analyzer supports (AMIs are not among them). */
export const ANALYZED_TYPES = ['AWS::EC2::Snapshot', 'AWS::RDS::DBSnapshot', 'AWS::RDS::DBClusterSnapshot'] as const;
export type AnalyzedType = (typeof ANALYZED_TYPES)[number];

/** Looking for an account's own analyzer costs a call: only a region with this many items to read can repay it. */
export const ACCOUNT_PROBE_MIN = 3;

/** One active analyzer of a region and its findings on the snapshot family. */
export interface AnalyzerCoverage {
  zone: AnalyzerZone;
  arn: string;
  /** lastResourceAnalyzedAt: an item created after it has not been analysed yet; null when not reported. */
  analysedUntil: Date | null;
  /** ACTIVE and ARCHIVED findings by findingKey. */
  findings: Map<string, FindingSummary[]>;
}

/** The organisation analyzer per region (null: none, or unreadable), read once per scan. */
export type AnalyzerCache = Map<string, Promise<AnalyzerCoverage | null>>;

export function analyzerCache(): AnalyzerCache {
  return new Map();
}

export interface AnalyzerOptions {
  cache: AnalyzerCache;
  /** The account the scanner runs as (where an organisation analyzer is listed); null when not known. */
  caller: string | null;
  /** Its enabled regions (an analyzer can live only there); null when not known. */
  callerRegions: readonly string[] | null;
  /** Is the account a member of the organisation (in an organisation analyzer's zone of trust)? */
  inOrganization: boolean;
}

export const findingKey = (type: string, owner: string, id: string) => `${type}|${owner}|${id}`;

/** The id at the end of a resource ARN (`…::snapshot/snap-1`, `…:snapshot:db-1`, `…:cluster-snapshot:c-1`). */
const idOfArn = (arn: string) => /[:/]([^:/]+)$/.exec(arn)?.[1] ?? arn;

async function activeAnalyzer(
  io: AccountIO,
  api: AwsApi,
  region: string,
  type: 'ACCOUNT' | 'ORGANIZATION',
): Promise<AnalyzerSummary | null> {
  const analyzers = await allPages(io.listing('access-analyzer:ListAnalyzers', region), async (token) => {
    const out = await api.listAnalyzers(region, { type, nextToken: token });
    return { items: out.analyzers, next: out.nextToken };
  });
  const active = analyzers
    .filter((a) => a.type === type && a.status === 'ACTIVE' && a.arn)
    .sort((a, b) => ((a.arn ?? '') < (b.arn ?? '') ? -1 : 1));
  return active[0] ?? null;
}

/** The region's active analyzer of a type and its findings; null when there is none or it cannot be read. */
async function coverageIn(io: AccountIO, api: AwsApi, region: string, type: 'ACCOUNT' | 'ORGANIZATION'): Promise<AnalyzerCoverage | null> {
  try {
    const analyzer = await activeAnalyzer(io, api, region, type);
    const arn = analyzer?.arn;
    if (!arn) return null;
    const filter = { resourceType: { eq: [...ANALYZED_TYPES] }, status: { eq: ['ACTIVE', 'ARCHIVED'] } };
    const findings = await allPages(io.listing('access-analyzer:ListFindings', region), async (token) => {
      const out = await api.listFindings(region, { analyzerArn: arn, filter, nextToken: token });
      return { items: out.findings, next: out.nextToken };
    });
    const byItem = new Map<string, FindingSummary[]>();
    for (const f of findings) {
      if (!f.resource || !f.resourceType || !f.resourceOwnerAccount) continue;
      const key = findingKey(f.resourceType, f.resourceOwnerAccount, idOfArn(f.resource));
      byItem.set(key, [...(byItem.get(key) ?? []), f]);
    }
    return {
      zone: type === 'ACCOUNT' ? 'account' : 'organization',
      arn,
      analysedUntil: analyzer.lastResourceAnalyzedAt ?? null,
      findings: byItem,
    };
  } catch (err) {
    // An interrupted scan stops here too; any other failure leaves the attribute reads to decide.
    if (io.rt.signal.aborted) throw err;
    io.rt.log.debug('aws.analyzer.unreadable', { account: io.scope.id, region, type, error: err instanceof Error ? err.name : 'error' });
    return null;
  }
}

function cached(cache: AnalyzerCache, key: string, make: () => Promise<AnalyzerCoverage | null>): Promise<AnalyzerCoverage | null> {
  let p = cache.get(key);
  if (!p) {
    p = make();
    cache.set(key, p);
  }
  return p;
}

/**
 * The analyzer covering each region of the account where it has items whose sharing would be read (`counts`: such
 * items per region); regions without one are left out.
 */
export async function analyzerCoverage(
  io: AccountIO,
  counts: ReadonlyMap<string, number>,
  o: AnalyzerOptions,
): Promise<Map<string, AnalyzerCoverage>> {
  const out = new Map<string, AnalyzerCoverage>();
  const regions = [...counts]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([r]) => r);
  const callerApi = o.inOrganization && o.caller ? io.as(o.caller) : null;
  if (callerApi && o.caller) {
    const caller = o.caller;
    const enabled = (r: string) => o.callerRegions === null || o.callerRegions.includes(r);
    await Promise.all(
      regions.filter(enabled).map(async (region) => {
        const c = await cached(o.cache, `${caller}/${region}`, () => coverageIn(io, callerApi, region, 'ORGANIZATION'));
        if (c) out.set(region, c);
      }),
    );
  }
  const [first, ...others] = regions.filter((r) => !out.has(r) && (counts.get(r) ?? 0) >= ACCOUNT_PROBE_MIN);
  if (!first) return out;
  const own = await coverageIn(io, io.api, first, 'ACCOUNT');
  if (!own) return out;
  out.set(first, own);
  await Promise.all(
    others.map(async (region) => {
      const c = await coverageIn(io, io.api, region, 'ACCOUNT');
      if (c) out.set(region, c);
    }),
  );
  return out;
}

/**
 * What the region's analyzer says about one item: analysed when it is not newer than the analyzer's last analysis
 * and no finding on it is an error finding (the analyzer could not analyse it). Null without an analyzer.
 */
export function readingFor(
  coverage: AnalyzerCoverage | undefined,
  type: AnalyzedType,
  owner: string,
  id: string | undefined,
  createdAt: Date | undefined,
): AnalyzerReading | null {
  if (!coverage || !id) return null;
  const findings = (coverage.findings.get(findingKey(type, owner, id)) ?? []).map((f) => ({
    status: f.status,
    isPublic: f.isPublic,
    principal: f.principal,
    error: f.error,
  }));
  const tooNew = coverage.analysedUntil !== null && (!createdAt || createdAt > coverage.analysedUntil);
  return { zone: coverage.zone, analysed: !tooNew && !findings.some((f) => f.error), findings };
}

/**
 * Is the item's attribute read? Yes without an analyzer's analysis, and where the analyzer reports it shared: the
 * attribute then confirms the finding (it decides, and a disagreement is a conflict) and names every account,
 * those inside the zone of trust too.
 */
export const attributeNeeded = (r: AnalyzerReading | null): boolean => r?.analysed !== true || r.findings.some((f) => !f.error);
