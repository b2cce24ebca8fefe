/**
 * What a check needs collected. Adapters make only the calls the selected checks need: a check declares exactly the
 * needs it reads, so running one check (say `snapshots.stale`) makes only the calls behind it.
 *
 * - `logging`: audit sources and the per-region recording matrix.
 * - `alerting`: alert routes on snapshot events (implies reading the audit sources they depend on).
 * - `guards`: account/region settings that block exposure (e.g. AWS snapshot block public access).
 * - `principals`: who can create, copy, share, export, restore or delete, with grant paths.
 * - `snapshots`: the inventory listing itself (ids, names, kinds, times, sizes, tags, encryption as listed).
 * - `sharing`: per-item exposure reads beyond the listing (attributes, IAM policies, network access).
 * - `creators`: audit-history lookups that name who created each artifact.
 * - `sources`: the source resources' tags (owner and sensitivity of the disk, volume or instance copied).
 * - `keys`: key metadata that classifies encryption (AWS KMS aliases: AWS-managed vs customer-managed).
 * - `activity`: the creating, copying, sharing and exporting events of the snapshot family in the lookback window
 *   (the audit events the creator lookups read, in every scanned region, with failed attempts kept).
 *
 * The last four refine `snapshots`: each implies the listing. A check that declares only `snapshots` gets the listing.
 */
export type Need =
  | 'logging'
  | 'alerting'
  | 'guards'
  | 'principals'
  | 'snapshots'
  | 'sharing'
  | 'creators'
  | 'sources'
  | 'keys'
  | 'activity';
export const allNeeds: readonly Need[] = [
  'logging',
  'alerting',
  'guards',
  'principals',
  'snapshots',
  'sharing',
  'creators',
  'sources',
  'keys',
  'activity',
];

/** Needs that refine the snapshot inventory: any of them implies the listing. */
export const inventoryNeeds: readonly Need[] = ['snapshots', 'sharing', 'creators', 'sources', 'keys'];

/** The needs with their implications added (`sharing` implies `snapshots`, `alerting` implies `logging`). */
export function expandNeeds(needs: Iterable<Need>): Set<Need> {
  const out = new Set(needs);
  if ([...out].some((n) => inventoryNeeds.includes(n))) out.add('snapshots');
  if (out.has('alerting')) out.add('logging');
  return out;
}
