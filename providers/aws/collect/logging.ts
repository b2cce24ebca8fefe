/**
 * Logging per account × region: trails (own, shadow and organisation trails), their status and event selectors,
 * where they deliver (central bucket? CloudWatch Logs retention) and, when alerts are wanted, the metric filters on
 * the trails' log groups (EventBridge rules are collect/alerting.ts).
 */
import type { Trail } from '@aws-sdk/client-cloudtrail';
import type { MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { globMatch } from '../../../src/core/glob.ts';
import type { AwsConfig } from '../../../src/core/config/schema.ts';
import type { AlertRoute, LoggingSource, Tri } from '../../../src/core/model/result.ts';
import { cached } from '../../cached.ts';
import { type AccountIO, type AwsApi, allPages } from '../scope-io.ts';
import { metricFilterRoute } from '../normalise/alerts.ts';
import {
  accountOfArn,
  advancedSelectorsRecord,
  basicSelectorsRecord,
  blockReadsRecord,
  bucketPlacement,
  type LogGroupFacts,
  type SelectorVerdict,
  trailSource,
} from '../normalise/trails.ts';
import { type TrailHealth, trailHealth } from '../normalise/trail-health.ts';

interface TrailDetail {
  isLogging: Tri;
  verdict: SelectorVerdict;
  /** Does it record EBS direct API block reads (data events)? */
  blockReads: SelectorVerdict;
  /** Delivery health from GetTrailStatus. */
  health: TrailHealth;
}

interface LogGroupDetail {
  facts: LogGroupFacts;
  filters: MetricFilter[] | null;
}

/** Caches shared by every scope of one scan: an organisation trail and its log group are read once, not per member. */
export interface LoggingCaches {
  trails: Map<string, Promise<TrailDetail>>;
  logGroups: Map<string, Promise<LogGroupDetail>>;
}

export function loggingCaches(): LoggingCaches {
  return { trails: new Map(), logGroups: new Map() };
}

export interface TrailView {
  trail: Trail;
  source: LoggingSource;
  /** Enabled and records snapshot creation. */
  recording: boolean;
  /** Records EBS direct API block reads (data events), as far as known. */
  blockReads: SelectorVerdict;
}

async function trailDetail(io: AccountIO, api: AwsApi, trail: Trail, region: string): Promise<TrailDetail> {
  const arn = trail.TrailARN;
  const status = await io.part('logging', region, () => api.getTrailStatus(region, arn));
  const selectors = await io.part('logging', region, () => api.getEventSelectors(region, arn));
  const unread: SelectorVerdict = { records: 'unknown', reasons: [`event selectors of trail ${trail.Name} could not be read`] };
  let verdict = unread;
  if (selectors?.AdvancedEventSelectors?.length) verdict = advancedSelectorsRecord(selectors.AdvancedEventSelectors);
  else if (selectors) verdict = basicSelectorsRecord(selectors.EventSelectors ?? []);
  const blockReads = selectors ? blockReadsRecord(selectors.AdvancedEventSelectors ?? null) : unread;
  const health = trailHealth(trail.Name ?? '?', status ?? null);
  return { isLogging: status ? (status.IsLogging ? 'yes' : 'no') : 'unknown', verdict, blockReads, health };
}

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*` → its parts. */
function parseLogGroupArn(arn: string): { region: string; account: string; name: string } | null {
  const m = /^arn:[^:]+:logs:([^:]+):(\d{12}):log-group:(.+?)(?::\*)?$/.exec(arn);
  return m ? { region: m[1] as string, account: m[2] as string, name: m[3] as string } : null;
}

async function logGroupDetail(io: AccountIO, arn: string, wantFilters: boolean): Promise<LogGroupDetail> {
  const lg = parseLogGroupArn(arn);
  if (!lg) return { facts: { retentionDays: null, read: false, reason: `log group ${arn} is not a log group ARN` }, filters: null };
  const api = io.as(lg.account);
  if (!api)
    return {
      facts: { retentionDays: null, read: false, reason: `log group ${lg.name} is in account ${lg.account}, which this scan cannot read` },
      filters: null,
    };
  const groups = await io.part('logging', lg.region, () =>
    allPages(io.listing('logs:DescribeLogGroups', lg.region), async (token) => {
      const out = await api.describeLogGroups(lg.region, { logGroupNamePrefix: lg.name, nextToken: token });
      return { items: out.logGroups, next: out.nextToken };
    }),
  );
  const group = groups?.find((g) => g.logGroupName === lg.name);
  const facts: LogGroupFacts = !groups
    ? { retentionDays: null, read: false, reason: `retention of log group ${lg.name} could not be read` }
    : !group
      ? { retentionDays: null, read: true, reason: `log group ${lg.name} does not exist` }
      : group.retentionInDays === undefined
        ? { retentionDays: null, read: true, reason: `log group ${lg.name} never expires events` }
        : { retentionDays: group.retentionInDays, read: true, reason: null };
  if (!wantFilters || !group) return { facts, filters: group ? [] : null };
  const filters = await io.part('alerting', lg.region, () =>
    allPages(io.listing('logs:DescribeMetricFilters', lg.region), async (token) => {
      const out = await api.describeMetricFilters(lg.region, { logGroupName: lg.name, nextToken: token });
      return { items: out.metricFilters, next: out.nextToken };
    }),
  );
  return { facts, filters: filters ?? null };
}

/**
 * The trails that cover the account, in two calls and at most one more instead of one per region: ListTrails (every
 * trail of the account with its home region, https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTrails.html)
 * and DescribeTrails in the home region with shadow trails (the trails homed there, the shadow of every multi-region
 * trail and, in a member account, of the organisation trail:
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html); a trail ListTrails names
 * that this did not return (single-region, homed elsewhere) is described by its ARN, all of them in one call. What
 * could not be read leaves regions unread: everything when the home region's DescribeTrails fails, every other region
 * when ListTrails does, a trail's home region when its own description does.
 */
async function accountTrails(io: AccountIO, homeRegion: string): Promise<{ trails: Trail[]; unread: Set<string> }> {
  const regions = io.scope.regions;
  const home = regions.includes(homeRegion) ? homeRegion : (regions[0] ?? homeRegion);
  const [listed, shadowed] = await Promise.all([
    io.part('logging', null, () =>
      allPages(io.listing('cloudtrail:ListTrails', home), async (token) => {
        const out = await io.api.listTrails(home, { NextToken: token });
        return { items: out.Trails, next: out.NextToken };
      }),
    ),
    io.part('logging', home, () => io.api.describeTrails(home)),
  ]);
  const byArn = new Map<string, Trail>();
  for (const t of shadowed?.trailList ?? []) if (t.TrailARN && !byArn.has(t.TrailARN)) byArn.set(t.TrailARN, t);
  const unread = new Set<string>(shadowed ? (listed ? [] : regions.filter((r) => r !== home)) : regions);
  if (shadowed) io.ok.add(home);
  const missing = (listed ?? []).filter((t) => t.TrailARN && !byArn.has(t.TrailARN));
  if (shadowed && missing.length > 0) {
    const out = await io.part('logging', home, () =>
      io.api.describeTrails(
        home,
        missing.map((t) => t.TrailARN ?? ''),
      ),
    );
    for (const t of out?.trailList ?? []) if (t.TrailARN && !byArn.has(t.TrailARN)) byArn.set(t.TrailARN, t);
    for (const t of missing) if (!byArn.has(t.TrailARN ?? '') && t.HomeRegion && regions.includes(t.HomeRegion)) unread.add(t.HomeRegion);
  }
  return { trails: [...byArn.values()], unread };
}

export interface LoggingOptions {
  cfg: AwsConfig;
  caches: LoggingCaches;
  orgAccounts: ReadonlySet<string> | null;
  wantAlerts: boolean;
}

/** Trails covering the account's regions, as logging sources; the log groups' metric filters when alerts are wanted. */
export async function collectTrails(
  io: AccountIO,
  o: LoggingOptions,
): Promise<{ views: TrailView[]; unread: Set<string>; filterRoutes: AlertRoute[] }> {
  const scope = io.scope;
  const read = await accountTrails(io, o.cfg.homeRegion);
  const unread = read.unread;
  const trails = read.trails.sort((a, b) => ((a.TrailARN ?? '') < (b.TrailARN ?? '') ? -1 : 1));
  const filterRoutes: AlertRoute[] = [];
  const views = await Promise.all(
    trails.map(async (trail): Promise<TrailView> => {
      const owner = accountOfArn(trail.TrailARN) ?? scope.id;
      // Another account's trail (an organisation trail) is read once, with its owner's credentials when the scan holds them.
      const ownerApi = owner === scope.id ? null : io.as(owner);
      const home = trail.HomeRegion ?? o.cfg.homeRegion;
      const region = ownerApi || scope.regions.includes(home) ? home : (scope.regions[0] ?? o.cfg.homeRegion);
      // Kept for the scan only when other accounts read it under the same key (another account's trail read with its
      // owner's credentials, or the owner's own organisation trail), not every account's own trails.
      const read = () => trailDetail(io, ownerApi ?? io.api, trail, region);
      const shared = ownerApi !== null || trail.IsOrganizationTrail === true;
      const detail = await (shared ? cached(o.caches.trails, `${trail.TrailARN}@${ownerApi ? owner : scope.id}`, read) : read());
      let logGroup: LogGroupDetail | null = null;
      if (trail.CloudWatchLogsLogGroupArn) {
        const arn = trail.CloudWatchLogsLogGroupArn;
        logGroup = await cached(o.caches.logGroups, `${arn}#${o.wantAlerts}`, () => logGroupDetail(io, arn, o.wantAlerts));
      }
      const bucket = bucketPlacement(
        trail,
        owner,
        { buckets: o.cfg.centralBuckets, logArchiveAccounts: o.cfg.logArchiveAccounts, orgAccounts: o.orgAccounts },
        globMatch,
      );
      const source = trailSource(
        { trail, ownerAccountId: owner, isLogging: detail.isLogging, selectors: detail.verdict, health: detail.health },
        scope.id,
        scope.regions,
        bucket,
        logGroup?.facts ?? null,
      );
      // EventBridge sees a logging trail's events whatever happens to its S3 delivery: recording here ignores health.
      const recording = source.enabled === 'yes' && source.recordsSnapshotCreation === 'yes';
      if (logGroup?.filters && trail.CloudWatchLogsLogGroupArn) {
        const region = trail.IsMultiRegionTrail ? '*' : (trail.HomeRegion ?? '*');
        // Metric filters see only what reaches the log group: a failing CloudWatch Logs delivery starves them.
        const cwFailing = detail.health.cloudWatchFailing;
        for (const f of logGroup.filters) {
          const route = metricFilterRoute(
            f,
            trail.CloudWatchLogsLogGroupArn,
            { name: trail.Name ?? '?', region, recording: recording && !cwFailing },
            owner,
          );
          filterRoutes.push(
            cwFailing
              ? { ...route, reasons: [...route.reasons, `CloudWatch Logs delivery of trail ${trail.Name} fails with ${cwFailing}`] }
              : route,
          );
        }
      }
      const blockReads: SelectorVerdict =
        source.enabled === 'no'
          ? { records: 'no', reasons: [`trail ${trail.Name} is not logging`] }
          : detail.isLogging === 'unknown' && detail.blockReads.records === 'yes'
            ? { ...detail.blockReads, records: 'unknown' }
            : detail.blockReads;
      return { trail, source, recording, blockReads };
    }),
  );
  return { views, unread, filterRoutes };
}
