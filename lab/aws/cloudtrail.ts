/** CloudTrail (JSON 1.1) operations the scanner reads. */
import type { AwsHandler, AwsRequestContext } from './handlers.ts';
import type { AwsTrail } from './estate.ts';
import { awsError, jsonResponse } from './wire.ts';

function trailArn(t: AwsTrail, accountId: string): string {
  return `arn:aws:cloudtrail:${t.homeRegion}:${accountId}:trail/${t.name}`;
}

/** Trails visible from this account and region: its own, plus organisation trails, plus (shadow) multi-region ones. */
function visibleTrails(ctx: AwsRequestContext): Array<{ trail: AwsTrail; accountId: string }> {
  const own = ctx.account.trails.map((trail) => ({ trail, accountId: ctx.account.id }));
  const org = ctx.state.organizationTrails().filter((o) => o.accountId !== ctx.account.id);
  return [...own, ...org];
}

function findTrail(ctx: AwsRequestContext, nameOrArn: string | undefined) {
  return visibleTrails(ctx).find((o) => o.trail.name === nameOrArn || trailArn(o.trail, o.accountId) === nameOrArn);
}

function notFound(name: string | undefined) {
  return awsError('json', 400, 'TrailNotFoundException', `Unknown trail: ${name} for the user`);
}

export const cloudtrailHandlers: Record<string, AwsHandler> = {
  DescribeTrails(ctx) {
    const body = ctx.json as { trailNameList?: string[]; includeShadowTrails?: boolean };
    const includeShadow = body.includeShadowTrails !== false;
    const trails = visibleTrails(ctx).filter(
      ({ trail }) => trail.homeRegion === ctx.region || (includeShadow && (trail.multiRegion || trail.organization)),
    );
    const wanted = body.trailNameList ?? [];
    const list = trails.filter(
      (o) => wanted.length === 0 || wanted.includes(o.trail.name) || wanted.includes(trailArn(o.trail, o.accountId)),
    );
    return jsonResponse({
      trailList: list.map(({ trail, accountId }) => ({
        Name: trail.name,
        S3BucketName: trail.s3Bucket,
        IncludeGlobalServiceEvents: true,
        IsMultiRegionTrail: trail.multiRegion || trail.organization,
        HomeRegion: trail.homeRegion,
        TrailARN: trailArn(trail, accountId),
        LogFileValidationEnabled: trail.logFileValidation,
        KmsKeyId: trail.kmsKeyId,
        CloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn,
        HasCustomEventSelectors: trail.eventSelectors !== undefined,
        HasInsightSelectors: false,
        IsOrganizationTrail: trail.organization,
      })),
    });
  },

  GetTrailStatus(ctx) {
    const name = (ctx.json as { Name?: string }).Name;
    const found = findTrail(ctx, name);
    if (!found) return notFound(name);
    return jsonResponse({
      IsLogging: found.trail.logging,
      LatestDeliveryTime: found.trail.logging ? Date.parse('2026-11-25T00:00:00Z') / 1000 : undefined,
      StartLoggingTime: Date.parse('2025-01-01T00:00:00Z') / 1000,
      StopLoggingTime: found.trail.logging ? undefined : Date.parse('2026-10-01T00:00:00Z') / 1000,
    });
  },

  GetEventSelectors(ctx) {
    const name = (ctx.json as { TrailName?: string }).TrailName;
    const found = findTrail(ctx, name);
    if (!found) return notFound(name);
    const t = found.trail;
    const arn = trailArn(t, found.accountId);
    if (t.advancedEventSelectors) return jsonResponse({ TrailARN: arn, AdvancedEventSelectors: t.advancedEventSelectors });
    const selectors = t.eventSelectors ?? [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: [] }];
    return jsonResponse({ TrailARN: arn, EventSelectors: selectors.map((s) => ({ ...s, DataResources: [] })) });
  },
};
