/**
 * ARM's wire shape → the shape @azure/arm-compute's generated deserialisers give, for the resources the plain reader
 * lists (arm.ts): the normalisers read the SDK's objects, so an object read plainly must be the same object. ARM puts
 * a resource's own fields under `properties`; the SDK lifts them to the top (`...properties`) and turns its date-time
 * fields into `Date`s (an empty or missing one is left as it is, as the SDK leaves it). Each adapter follows the
 * REST reference of its resource (the fields under `properties`, which of them are date-time) and is held to the
 * SDK client's own answer for the same lab response by test/azure/arm-reader.test.ts.
 *
 * https://learn.microsoft.com/en-us/rest/api/compute/snapshots/list
 * https://learn.microsoft.com/en-us/rest/api/compute/disks/list
 * https://learn.microsoft.com/en-us/rest/api/compute/disk-restore-point/list-by-restore-point
 * https://learn.microsoft.com/en-us/rest/api/compute/images/list
 * https://learn.microsoft.com/en-us/rest/api/compute/restore-point-collections/list-all
 * https://learn.microsoft.com/en-us/rest/api/compute/restore-point-collections/get
 */
import type { Snapshot as AzSnapshot, Disk, DiskRestorePoint, Image, RestorePoint, RestorePointCollection } from '@azure/arm-compute';

type Wire = Record<string, unknown>;

/** A date-time as the SDK reads it: a `Date` of a non-empty value, anything else as it is. */
function date(v: unknown): unknown {
  return v ? new Date(v as string) : v;
}

/** ARM's systemData, with its two date-times (common-types: SystemData). */
function systemData(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const s = v as Wire;
  return { ...s, createdAt: date(s.createdAt), lastModifiedAt: date(s.lastModifiedAt) };
}

/** A tracked resource with its `properties` lifted to the top, `dates` of them read as `Date`s. */
function lifted(item: Wire, dates: readonly string[], rename?: Readonly<Record<string, string>>): Wire {
  const { properties, ...top } = item;
  const out: Wire = { ...top };
  if (top.systemData !== undefined) out.systemData = systemData(top.systemData);
  if (properties && typeof properties === 'object') {
    for (const [k, v] of Object.entries(properties as Wire)) out[rename?.[k] ?? k] = v;
    for (const d of dates) if (d in out) out[d] = date(out[d]);
  }
  return out;
}

export const snapshotOf = (item: Wire): AzSnapshot => lifted(item, ['timeCreated']) as unknown as AzSnapshot;

/** Disk: `LastOwnershipUpdateTime` is spelled with a capital on the wire and read as `lastOwnershipUpdateTime`. */
export const diskOf = (item: Wire): Disk =>
  lifted(item, ['timeCreated', 'burstingEnabledTime', 'lastOwnershipUpdateTime'], {
    LastOwnershipUpdateTime: 'lastOwnershipUpdateTime',
  }) as unknown as Disk;

export const diskRestorePointOf = (item: Wire): DiskRestorePoint => lifted(item, ['timeCreated']) as DiskRestorePoint;

export const imageOf = (item: Wire): Image => lifted(item, []) as unknown as Image;

/** A restore point (inside a collection read with `$expand=restorePoints`): its instance view's statuses carry a time. */
function restorePointOf(item: Wire): RestorePoint {
  const rp = lifted(item, ['timeCreated']);
  const view = rp.instanceView as { statuses?: Wire[] } | undefined;
  if (view && Array.isArray(view.statuses))
    rp.instanceView = { ...view, statuses: view.statuses.map((s) => ({ ...s, time: date(s.time) })) };
  return rp as RestorePoint;
}

export const restorePointCollectionOf = (item: Wire): RestorePointCollection => {
  const c = lifted(item, []);
  if (Array.isArray(c.restorePoints)) c.restorePoints = (c.restorePoints as Wire[]).map(restorePointOf);
  return c as unknown as RestorePointCollection;
};
