/** The check registry. A test fails when this list and the files in checks/ disagree. */
import type { KnownChecks } from '../src/core/config/schema.ts';
import type { Check } from './define-check.ts';
import activityDeniedAttempts from './activity-denied-attempts.ts';
import activityFirstTimeCreator from './activity-first-time-creator.ts';
import activityOffHours from './activity-off-hours.ts';
import activitySensitiveSource from './activity-sensitive-source.ts';
import activityUnapprovedCreator from './activity-unapproved-creator.ts';
import activityUntrustedSource from './activity-untrusted-source.ts';
import coverageScopeUnreadable from './coverage-scope-unreadable.ts';
import loggingAllRegionsCovered from './logging-all-regions-covered.ts';
import loggingCentralizedAndProtected from './logging-centralized-and-protected.ts';
import loggingRetention from './logging-retention.ts';
import loggingSnapshotAlerting from './logging-snapshot-alerting.ts';
import loggingSnapshotEventsRecorded from './logging-snapshot-events-recorded.ts';
import loggingSnapshotReadsRecorded from './logging-snapshot-reads-recorded.ts';
import permissionsBroadGrant from './permissions-broad-grant.ts';
import permissionsExternalPath from './permissions-external-path.ts';
import permissionsNewlyGranted from './permissions-newly-granted.ts';
import permissionsSnapshotCapablePrincipal from './permissions-snapshot-capable-principal.ts';
import snapshotsBlockPublicAccessOff from './snapshots-block-public-access-off.ts';
import snapshotsNoOwner from './snapshots-no-owner.ts';
import snapshotsPublic from './snapshots-public.ts';
import snapshotsSensitiveSource from './snapshots-sensitive-source.ts';
import snapshotsSharedOutsideOrg from './snapshots-shared-outside-org.ts';
import snapshotsStale from './snapshots-stale.ts';
import snapshotsUnapprovedCreator from './snapshots-unapproved-creator.ts';
import snapshotsUnencrypted from './snapshots-unencrypted.ts';

export const checks: readonly Check[] = [
  activityDeniedAttempts,
  activityFirstTimeCreator,
  activityOffHours,
  activitySensitiveSource,
  activityUnapprovedCreator,
  activityUntrustedSource,
  coverageScopeUnreadable,
  loggingAllRegionsCovered,
  loggingCentralizedAndProtected,
  loggingRetention,
  loggingSnapshotAlerting,
  loggingSnapshotEventsRecorded,
  loggingSnapshotReadsRecorded,
  permissionsBroadGrant,
  permissionsExternalPath,
  permissionsNewlyGranted,
  permissionsSnapshotCapablePrincipal,
  snapshotsBlockPublicAccessOff,
  snapshotsNoOwner,
  snapshotsPublic,
  snapshotsSensitiveSource,
  snapshotsSharedOutsideOrg,
  snapshotsStale,
  snapshotsUnapprovedCreator,
  snapshotsUnencrypted,
];

export function findCheck(id: string): Check | undefined {
  return checks.find((c) => c.meta.id === id);
}

/** The checks a run selects: all, or the config's include list, minus its exclude list (ids or `family.*`). */
export function selectChecks(filter: { include: readonly string[]; exclude: readonly string[] }): Check[] {
  const matches = (patterns: readonly string[], id: string) =>
    patterns.some((p) => p === id || (p.endsWith('.*') && id.startsWith(p.slice(0, -1))));
  return checks.filter((c) => (filter.include.length === 0 || matches(filter.include, c.meta.id)) && !matches(filter.exclude, c.meta.id));
}

/** Every registered check id, for validating config that names checks (suppressions, `checks:`). */
export const checkIds: readonly string[] = checks.map((c) => c.meta.id);

/** What the config needs to know about the checks: their ids and option schemas (passed to the config loader). */
export const knownChecks: KnownChecks = { ids: checkIds, options: Object.fromEntries(checks.map((c) => [c.meta.id, c.options])) };

/** The registry as renderers see it (metadata and needs), passed to them in their RenderContext. */
export const catalogue: readonly { meta: Check['meta']; needs: Check['needs'] }[] = checks.map((c) => ({ meta: c.meta, needs: c.needs }));
