/**
 * Compute Engine v1 resource policies: snapshot schedules, served by the aggregated listing
 * (https://cloud.google.com/compute/docs/reference/rest/v1/resourcePolicies/aggregatedList): `items` maps each
 * region (`regions/R`) to its `resourcePolicies`, and a region with none on the page carries the documented
 * `NO_RESULTS_ON_PAGE` warning instead. Shapes from https://cloud.google.com/compute/docs/reference/rest/v1/resourcePolicies.
 */
import type { LabResponse } from '../../core.ts';
import type { GcpProject, GcpSnapshotSchedule } from '../estate.ts';
import { json } from '../wire.ts';
import { computeGuard, labRegions } from './compute.ts';
import { badToken, COMPUTE, paged, type Route, scope1 } from './context.ts';

function cycleJson(c: GcpSnapshotSchedule['cycle']) {
  if (c.every === 'hours') return { hourlySchedule: { hoursInCycle: c.hoursInCycle, startTime: c.startTime, duration: 'PT14400S' } };
  if (c.every === 'days') return { dailySchedule: { daysInCycle: c.daysInCycle, startTime: c.startTime, duration: 'PT14400S' } };
  return { weeklySchedule: { dayOfWeeks: c.days.map((d) => ({ day: d.day, startTime: d.startTime, duration: 'PT14400S' })) } };
}

function scheduleJson(p: GcpProject, x: GcpSnapshotSchedule) {
  return {
    kind: 'compute#resourcePolicy',
    id: `${p.number}56${String(p.resourcePolicies.indexOf(x) + 1).padStart(3, '0')}`,
    creationTimestamp: x.creationTimestamp,
    selfLink: `${COMPUTE}/projects/${p.id}/regions/${x.region}/resourcePolicies/${x.name}`,
    region: `${COMPUTE}/projects/${p.id}/regions/${x.region}`,
    description: x.description,
    name: x.name,
    snapshotSchedulePolicy: {
      schedule: cycleJson(x.cycle),
      retentionPolicy: { maxRetentionDays: x.retentionDays, onSourceDiskDelete: x.onSourceDiskDelete },
      snapshotProperties: {
        ...(Object.keys(x.snapshotLabels).length > 0 ? { labels: x.snapshotLabels } : {}),
        ...(x.storageLocations.length > 0 ? { storageLocations: x.storageLocations } : {}),
        guestFlush: x.guestFlush,
      },
    },
    status: 'READY',
  };
}

const key = (x: GcpSnapshotSchedule) => `regions/${x.region}/${x.name}`;

export const computeScheduleRoutes: Route[] = [
  {
    method: 'GET',
    re: /^\/compute\/v1\/projects\/([a-z0-9-]+)\/aggregated\/resourcePolicies$/,
    service: 'compute',
    operation: 'resourcePolicies.aggregatedList',
    scope: scope1,
    handle(ctx): LabResponse {
      const proj = ctx.state.project(ctx.m[1] ?? '');
      const guard = computeGuard(ctx, proj);
      if (guard || !proj) return guard as LabResponse;
      const sorted = [...proj.resourcePolicies].sort((a, b) => (key(a) < key(b) ? -1 : 1));
      const page = paged(ctx, sorted, `policies-${proj.id}`, 'maxResults', 'pageToken');
      if (!page) return badToken();
      const items: Record<string, unknown> = {};
      for (const region of [...new Set([...labRegions(ctx.state), ...page.items.map((x) => x.region)])].sort()) {
        const here = page.items.filter((x) => x.region === region);
        const scope = `regions/${region}`;
        items[scope] =
          here.length > 0
            ? { resourcePolicies: here.map((x) => scheduleJson(proj, x)) }
            : {
                warning: {
                  code: 'NO_RESULTS_ON_PAGE',
                  message: `There are no results for scope '${scope}' on this page.`,
                  data: [{ key: 'scope', value: scope }],
                },
              };
      }
      return json({
        kind: 'compute#resourcePolicyAggregatedList',
        id: `projects/${proj.id}/aggregated/resourcePolicies`,
        items,
        ...(page.next ? { nextPageToken: page.next } : {}),
        selfLink: `${COMPUTE}/projects/${proj.id}/aggregated/resourcePolicies`,
      });
    },
  },
];
