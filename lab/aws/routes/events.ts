/** EventBridge (JSON 1.1) operations the scanner reads: rules on the default bus and their targets. */
import type { AwsHandler } from '../handlers.ts';
import { awsError, jsonResponse, tokenPage } from '../wire.ts';

export const eventsHandlers: Record<string, AwsHandler> = {
  ListRules(ctx) {
    const body = ctx.json as { NamePrefix?: string; EventBusName?: string; NextToken?: string; Limit?: number };
    const bus = body.EventBusName ?? 'default';
    if (bus !== 'default' && !bus.endsWith(':event-bus/default'))
      return awsError('json', 400, 'ResourceNotFoundException', `Event bus ${bus} does not exist.`);
    const limit = body.Limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return awsError('json', 400, 'ValidationException', 'Limit must be between 1 and 100.');
    const rules = ctx.account.eventRules
      .filter((r) => r.region === ctx.region && (!body.NamePrefix || r.name.startsWith(body.NamePrefix)))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const salt = `lr-${ctx.account.id}-${ctx.region}`;
    const p = tokenPage(rules, body.NextToken, salt, ctx.pageSize(limit), () =>
      awsError('json', 400, 'ValidationException', 'The NextToken is invalid.'),
    );
    if ('error' in p) return p.error;
    return jsonResponse({
      Rules: p.items.map((r) => ({
        Name: r.name,
        Arn: `arn:aws:events:${ctx.region}:${ctx.account.id}:rule/${r.name}`,
        ...(r.pattern !== undefined ? { EventPattern: typeof r.pattern === 'string' ? r.pattern : JSON.stringify(r.pattern) } : {}),
        ...(r.schedule ? { ScheduleExpression: r.schedule } : {}),
        State: r.state,
        ...(r.description ? { Description: r.description } : {}),
        EventBusName: 'default',
      })),
      NextToken: p.next,
    });
  },

  ListTargetsByRule(ctx) {
    const body = ctx.json as { Rule?: string };
    const rule = ctx.account.eventRules.find((r) => r.region === ctx.region && r.name === body.Rule);
    if (!rule) return awsError('json', 400, 'ResourceNotFoundException', `Rule ${body.Rule} does not exist on EventBus default.`);
    return jsonResponse({
      Targets: Array.from({ length: rule.targets }, (_, i) => ({
        Id: `target-${i + 1}`,
        Arn: `arn:aws:sns:${ctx.region}:${ctx.account.id}:security-alerts-${i + 1}`,
      })),
    });
  },
};
