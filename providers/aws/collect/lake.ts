/**
 * CloudTrail Lake event data stores per account × region, as logging sources beside the trails. ListEventDataStores
 * answers for one account and one region (its deprecated summary fields are not trusted: each store is read with
 * GetEventDataStore). An organisation store lives in the management account (or a delegated administrator) and is
 * not listed in member accounts, so a member also looks at the management account's stores, with the management
 * account's credentials when the scan holds them; both listings are read once per scan (the caches).
 */
import type { GetEventDataStoreResponse } from '@aws-sdk/client-cloudtrail';
import type { LoggingSource } from '../../../src/core/model/result.ts';
import { eventDataStoreSource } from '../normalise/lake.ts';
import { type AccountIO, type AwsApi, allPages } from '../scope-io.ts';

/**
 * The management account's stores read per `account/region` (every member account reads the organisation's): the
 * stores, or null when the listing could not be read.
 */
export type LakeCache = Map<string, Promise<GetEventDataStoreResponse[] | null>>;

export function lakeCache(): LakeCache {
  return new Map();
}

async function storesIn(io: AccountIO, api: AwsApi, region: string): Promise<GetEventDataStoreResponse[] | null> {
  const listed = await io.part('logging', region, () =>
    allPages(io.listing('cloudtrail:ListEventDataStores', region), async (token) => {
      const out = await api.listEventDataStores(region, { NextToken: token });
      return { items: out.EventDataStores, next: out.NextToken };
    }),
  );
  if (!listed) return null;
  const stores = await Promise.all(
    listed.map(async (s) => {
      if (!s.EventDataStoreArn) return null;
      const arn = s.EventDataStoreArn;
      const got: GetEventDataStoreResponse | undefined = await io.part('logging', region, () => api.getEventDataStore(region, arn));
      return got ?? null;
    }),
  );
  // A store that could not be read is a gap (io.part recorded it), not a source.
  return stores.filter((s): s is GetEventDataStoreResponse => s !== null);
}

function cachedStores(cache: LakeCache, key: string, make: () => Promise<GetEventDataStoreResponse[] | null>) {
  let p = cache.get(key);
  if (!p) {
    p = make();
    cache.set(key, p);
  }
  return p;
}

export interface LakeOptions {
  cache: LakeCache;
  /** The organisation's management account and its enabled regions, when discovery saw it. */
  management: { id: string; regions: readonly string[] } | null;
  logArchiveAccounts: readonly string[];
}

/** The account's own event data stores and the organisation's (from the management account), as logging sources. */
export async function collectEventDataStores(io: AccountIO, o: LakeOptions): Promise<{ sources: LoggingSource[]; unread: Set<string> }> {
  const scope = io.scope;
  const unread = new Set<string>();
  const mgmt = o.management && o.management.id !== scope.id ? o.management : null;
  const mgmtApi = mgmt ? io.as(mgmt.id) : null;
  // Only the management account's stores are read for other accounts too: the cache holds those, not every account's.
  const shared = o.management?.id === scope.id;
  const own = Promise.all(
    scope.regions.map(async (region) => {
      const read = () => storesIn(io, io.api, region);
      const stores = await (shared ? cachedStores(o.cache, `${scope.id}/${region}`, read) : read());
      if (stores === null) unread.add(region);
      else io.ok.add(region);
      return stores ?? [];
    }),
  );
  // The organisation's stores: every region the management account has enabled (a store covers others from there).
  const org = Promise.all(
    mgmt && mgmtApi
      ? mgmt.regions.map(async (region) => {
          const stores = await cachedStores(o.cache, `${mgmt.id}/${region}`, () => storesIn(io, mgmtApi, region));
          return (stores ?? []).filter((s) => s.OrganizationEnabled === true);
        })
      : [],
  );
  // Awaited together: a failure of either (an interrupted scan) is never left unhandled while the other runs.
  const [ownStores, orgStores] = await Promise.all([own, org]);
  const perRegion = [...ownStores, ...orgStores];
  const byArn = new Map<string, GetEventDataStoreResponse>();
  for (const s of perRegion.flat()) if (s.EventDataStoreArn && !byArn.has(s.EventDataStoreArn)) byArn.set(s.EventDataStoreArn, s);
  const ctx = { scopeAccountId: scope.id, enabledRegions: scope.regions, logArchiveAccounts: o.logArchiveAccounts };
  const sources = [...byArn.values()].map((s) => eventDataStoreSource(s, ctx)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { sources, unread };
}
