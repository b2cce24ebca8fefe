/**
 * Calls the result does not need are not made (issue 19), proven from the lab's request log: the notification
 * channels of a project are listed only when one of its alert policies names a channel — a policy carries the names
 * of its channels (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#AlertPolicy) and
 * the listing only says whether those are enabled.
 */
import { describe, expect, it } from 'vitest';
import { scanEstate } from '../support/lab.ts';
import { demoGcpEstate, ORG, scopeOf } from './support.ts';

const config = { providers: { gcp: { organizationId: ORG } } };

describe('GCP: no call the result does not need', () => {
  it('lists notification channels only in projects whose alert policies name one, with the same verdicts', async () => {
    const estate = demoGcpEstate((gcp) => {
      const web = (gcp.projects as Array<Record<string, unknown>>).find((p) => p.id === 'prod-web');
      if (web) web.alertPolicies = [{ id: '9301', displayName: 'Silent', conditions: [{ displayName: 'c', metric: 'snapshot-events' }] }];
    });
    const { result, lab } = await scanEstate(estate, { providers: ['gcp'], config });
    const listed = lab.log.entries.filter((e) => e.operation === 'notificationChannels.list').map((e) => e.scope);
    expect([...new Set(listed)].sort()).toEqual(['dev-sandbox', 'logging-central', 'prod-payments']);
    expect(listed).toHaveLength(3);
    // prod-web's policy names no channel: nothing to look up, and it notifies nobody, as before.
    const web = scopeOf(result, 'prod-web');
    expect(web.logging.alerts.flatMap((a) => a.reasons)).toContain('alert policy "Silent" has no notification channel: it notifies nobody');
    expect(web.coverage.gaps.filter((g) => g.part === 'alerting')).toEqual([]);
    // A channel that is named is still read and decides: dev-sandbox's only channel is disabled.
    expect(scopeOf(result, 'dev-sandbox').logging.alerts[0]?.enabled).toBe(false);
  });
});
