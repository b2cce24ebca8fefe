/**
 * CloudTrail Lake event data stores and trail delivery health, as documented cases (test/aws/cases/lake-*.json,
 * trail-health.json), plus the per-region verdict they feed: a source that is not flowing records nothing.
 */
import type { GetEventDataStoreResponse, GetTrailStatusResponse } from '@aws-sdk/client-cloudtrail';
import { expect } from 'vitest';
import { eventDataStoreSource } from '../../providers/aws/normalise/lake.ts';
import { trailHealth } from '../../providers/aws/normalise/trail-health.ts';
import { sourceRecords } from '../../src/core/model/logging.ts';
import type { Tri } from '../../src/core/model/result.ts';
import { describeCases } from '../support/cases.ts';

const dir = new URL('./cases/', import.meta.url);

describeCases<
  { scope: string; store: GetEventDataStoreResponse },
  {
    enabled: Tri;
    records: Tri;
    regions: string[];
    central: Tri;
    integrity: Tri;
    retentionDays: number | null;
    inherited: boolean;
    flowing: Tri;
    recordsInRegion: Tri;
  }
>(dir, /^lake-/, ({ input, expect: want }) => {
  const s = eventDataStoreSource(input.store, {
    scopeAccountId: input.scope,
    enabledRegions: ['us-east-1', 'eu-west-1'],
    logArchiveAccounts: [],
  });
  expect(s.kind).toBe('cloudtrail-lake');
  expect(s.name).toBe(input.store.Name);
  expect({
    enabled: s.enabled,
    records: s.recordsSnapshotCreation,
    regions: s.regions,
    central: s.central,
    integrity: s.integrity,
    retentionDays: s.retentionDays,
    inherited: s.inherited,
    flowing: s.health?.flowing,
    recordsInRegion: sourceRecords(s),
  }).toEqual(want);
  expect(s.health?.source).toBe('cloudtrail:GetEventDataStore');
  // Every reason quotes the store's own name.
  for (const r of s.reasons.filter((x) => x.startsWith('event data store'))) expect(r).toContain(input.store.Name);
});

describeCases<
  { status: (Omit<GetTrailStatusResponse, 'LatestDeliveryTime'> & { LatestDeliveryTime?: string }) | null },
  { flowing: Tri; lastDelivery: string | null; problems: string[]; cloudWatchFailing: string | null; digestFailing: string | null }
>(dir, /^trail-health/, ({ input, expect: want }) => {
  const status = input.status
    ? { ...input.status, LatestDeliveryTime: input.status.LatestDeliveryTime ? new Date(input.status.LatestDeliveryTime) : undefined }
    : null;
  const h = trailHealth('t', status);
  expect({
    flowing: h.health.flowing,
    lastDelivery: h.health.lastDelivery,
    problems: h.health.problems,
    cloudWatchFailing: h.cloudWatchFailing,
    digestFailing: h.digestFailing,
  }).toEqual(want);
  expect(h.health.source).toBe('cloudtrail:GetTrailStatus');
});
