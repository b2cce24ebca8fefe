/** CloudWatch Logs (JSON 1.1) operations the scanner reads: log groups (retention) and their metric filters. */
import type { AwsHandler } from '../handlers.ts';
import { awsError, jsonResponse, tokenPage } from '../wire.ts';

const CREATED = Date.parse('2024-03-01T00:00:00Z');

export const logsHandlers: Record<string, AwsHandler> = {
  DescribeLogGroups(ctx) {
    const body = ctx.json as { logGroupNamePrefix?: string; nextToken?: string; limit?: number };
    const limit = body.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 50)
      return awsError('json', 400, 'InvalidParameterException', 'limit must be between 1 and 50');
    const groups = ctx.account.logGroups
      .filter((g) => g.region === ctx.region && (!body.logGroupNamePrefix || g.name.startsWith(body.logGroupNamePrefix)))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const salt = `dlg-${ctx.account.id}-${ctx.region}-${body.logGroupNamePrefix ?? ''}`;
    const p = tokenPage(groups, body.nextToken, salt, ctx.pageSize(limit), () =>
      awsError('json', 400, 'InvalidParameterException', 'The specified nextToken is invalid.'),
    );
    if ('error' in p) return p.error;
    return jsonResponse({
      logGroups: p.items.map((g) => {
        const arn = `arn:aws:logs:${ctx.region}:${ctx.account.id}:log-group:${g.name}`;
        return {
          logGroupName: g.name,
          creationTime: CREATED,
          ...(g.retentionDays !== undefined ? { retentionInDays: g.retentionDays } : {}),
          metricFilterCount: g.metricFilters.length,
          arn: `${arn}:*`,
          storedBytes: 0,
          ...(g.kmsKeyId ? { kmsKeyId: g.kmsKeyId } : {}),
          logGroupClass: 'STANDARD',
          logGroupArn: arn,
        };
      }),
      nextToken: p.next,
    });
  },

  DescribeMetricFilters(ctx) {
    const body = ctx.json as { logGroupName?: string; filterNamePrefix?: string; nextToken?: string; limit?: number };
    const limit = body.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 50)
      return awsError('json', 400, 'InvalidParameterException', 'limit must be between 1 and 50');
    let groups = ctx.account.logGroups.filter((g) => g.region === ctx.region);
    if (body.logGroupName !== undefined) {
      groups = groups.filter((g) => g.name === body.logGroupName);
      if (groups.length === 0) return awsError('json', 400, 'ResourceNotFoundException', 'The specified log group does not exist.');
    }
    const filters = groups
      .flatMap((g) => g.metricFilters.map((f) => ({ g, f })))
      .filter(({ f }) => !body.filterNamePrefix || f.name.startsWith(body.filterNamePrefix))
      .sort((a, b) => (a.f.name < b.f.name ? -1 : 1));
    const salt = `dmf-${ctx.account.id}-${ctx.region}-${body.logGroupName ?? ''}`;
    const p = tokenPage(filters, body.nextToken, salt, ctx.pageSize(limit), () =>
      awsError('json', 400, 'InvalidParameterException', 'The specified nextToken is invalid.'),
    );
    if ('error' in p) return p.error;
    return jsonResponse({
      metricFilters: p.items.map(({ g, f }) => ({
        filterName: f.name,
        filterPattern: f.pattern,
        metricTransformations: [{ metricName: f.metricName, metricNamespace: f.metricNamespace, metricValue: '1' }],
        creationTime: CREATED,
        logGroupName: g.name,
      })),
      nextToken: p.next,
    });
  },
};
