/**
 * CloudTrail Lake event data stores as logging sources, as pure functions. A store records snapshot creation when it
 * is ingesting (`Status` ENABLED) and its advanced event selectors let the family's management write events through
 * (judged exactly as a trail's advanced selectors are); it covers every region when `MultiRegionEnabled`, its home
 * region otherwise; an organisation store (`OrganizationEnabled`) covers every member account and is central. The
 * store keeps events itself for `RetentionPeriod` days; termination protection is what keeps an administrator of
 * the owning account from deleting it in one call, so it stands for protection.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventDataStore.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListEventDataStores.html
 */
import type { GetEventDataStoreResponse } from '@aws-sdk/client-cloudtrail';
import type { LoggingSource, SourceHealth, Tri } from '../../../src/core/model/result.ts';
import { accountOfArn, advancedSelectorsRecord } from './trails.ts';

/** `arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID` → its region. */
export function regionOfArn(arn: string | undefined): string | null {
  return arn?.split(':')[3] || null;
}

/** Status → is it ingesting live events? */
function ingesting(status: string | undefined): Tri {
  switch (status) {
    case 'ENABLED':
      return 'yes';
    case 'STOPPED_INGESTION':
    case 'STOPPING_INGESTION':
    case 'PENDING_DELETION':
      return 'no';
    default:
      // CREATED, STARTING_INGESTION, or a status this scanner does not know: not known to be ingesting yet.
      return 'unknown';
  }
}

function lakeHealth(store: GetEventDataStoreResponse, name: string): SourceHealth {
  const flowing = ingesting(store.Status);
  const status = store.Status ?? 'absent';
  return {
    flowing,
    lastDelivery: null,
    problems: flowing === 'yes' ? [] : [`event data store ${name} has Status ${status}: it is not ingesting live events`],
    source: 'cloudtrail:GetEventDataStore',
  };
}

export interface LakeContext {
  /** The scope (account) the source is seen from. */
  scopeAccountId: string;
  enabledRegions: readonly string[];
  /** Accounts whose stores count as central (log-archive accounts of the config). */
  logArchiveAccounts: readonly string[];
}

/** One event data store, seen from an account, as a neutral logging source. */
export function eventDataStoreSource(store: GetEventDataStoreResponse, ctx: LakeContext): LoggingSource {
  const arn = store.EventDataStoreArn ?? '';
  const name = store.Name ?? arn;
  const owner = accountOfArn(arn) ?? ctx.scopeAccountId;
  const home = regionOfArn(arn) ?? 'unknown';
  const inherited = owner !== ctx.scopeAccountId;
  const multi = store.MultiRegionEnabled === true;
  const org = store.OrganizationEnabled === true;
  const selectors = store.AdvancedEventSelectors?.length
    ? advancedSelectorsRecord(store.AdvancedEventSelectors)
    : { records: 'unknown' as Tri, reasons: [`event data store ${name} returned no advanced event selectors`] };
  const health = lakeHealth(store, name);
  const reasons: string[] = [...selectors.reasons, ...health.problems];
  if (!multi) reasons.push(`event data store ${name} is single-region (${home})`);
  const central: Tri = org || ctx.logArchiveAccounts.includes(owner) ? 'yes' : 'no';
  if (central === 'no') reasons.push(`event data store ${name} is an account store of ${owner}, not an organisation store`);
  const integrity: Tri =
    store.TerminationProtectionEnabled === true ? 'yes' : store.TerminationProtectionEnabled === false ? 'no' : 'unknown';
  if (integrity === 'no') reasons.push(`event data store ${name} has termination protection off`);
  const retention = typeof store.RetentionPeriod === 'number' ? store.RetentionPeriod : null;
  return {
    id: arn || `eventdatastore/${name}`,
    kind: 'cloudtrail-lake',
    name,
    home,
    ownerScopeId: inherited ? owner : null,
    inherited,
    enabled: health.flowing,
    regions: multi ? ['*'] : [home].filter((r) => ctx.enabledRegions.includes(r) || r === 'unknown'),
    recordsSnapshotCreation: selectors.records,
    central,
    integrity,
    // Lake encrypts every store (with a CloudTrail-owned key unless KmsKeyId names a customer key).
    encrypted: 'yes',
    retentionDays: retention,
    destinations: [{ kind: 'cloudtrail-lake', id: arn || name, scopeId: owner, retentionDays: retention, locked: integrity }],
    reasons: [...new Set(reasons)],
    health,
  };
}
