/**
 * Alert routes per account × region: EventBridge rules on each region's default bus, judged by what they would fire
 * on (normalise/alerts.ts); targets are read only for rules that would fire. Metric filters on the trails' log groups
 * are read with the trails (collect/logging.ts).
 */
import type { Rule } from '@aws-sdk/client-eventbridge';
import type { AlertRoute } from '../../../src/core/model/result.ts';
import { ruleRoute } from '../normalise/alerts.ts';
import { type AccountIO, allPages } from '../scope-io.ts';

/** EventBridge rules on the default bus of each region; targets are read only for rules that would fire. */
export async function collectRules(io: AccountIO): Promise<{ routes: AlertRoute[]; unread: Set<string> }> {
  const unread = new Set<string>();
  const perRegion = await Promise.all(
    io.scope.regions.map(async (region) => {
      const rules = await io.part('alerting', region, () =>
        allPages<Rule>(io.listing('events:ListRules', region), async (token) => {
          const out = await io.api.listRules(region, { NextToken: token });
          return { items: out.Rules, next: out.NextToken };
        }),
      );
      if (!rules) {
        unread.add(region);
        return [];
      }
      io.ok.add(region);
      return Promise.all(
        rules.map(async (rule) => {
          const first = ruleRoute(rule, io.scope.id, region, null);
          if ((first.match === 'none' && !first.operations?.length) || !first.enabled) return first;
          const targets = await io.part('alerting', region, () =>
            allPages(io.listing('events:ListTargetsByRule', region), async (token) => {
              const out = await io.api.listTargetsByRule(region, { Rule: rule.Name, NextToken: token });
              return { items: out.Targets, next: out.NextToken };
            }),
          );
          const route = ruleRoute(rule, io.scope.id, region, targets ? targets.length : null);
          return targets ? route : { ...route, reasons: [...route.reasons, 'targets could not be read'] };
        }),
      );
    }),
  );
  return { routes: perRegion.flat(), unread };
}
