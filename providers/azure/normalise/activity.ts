/**
 * What the activity log says about resources: who created each (the write event closest to its creation time) and
 * who exported it with a SAS URL (beginGetAccess). Pure functions, tested case by case
 * (test/azure/cases/snapshots-creators.json) and against the official examples.
 */
import type { EventData } from '@azure/arm-monitor';
import type { Snapshot as AzSnapshot } from '@azure/arm-compute';
import type { Conflict, Fact } from '../../../src/core/model/result.ts';
import { armId } from '../ids.ts';
import { SNAPSHOT_WRITE } from './alerts.ts';

export interface Creator {
  identity: string;
  at: string | null;
  /**
   * The Azure resource whose managed identity acted, from the event's `xms_mirid` claim (a managed identity's token
   * names the resource it belongs to); null for users and applications.
   */
  actingResource: string | null;
}

/** A SAS export of a snapshot (beginGetAccess) seen in the activity log. */
export interface ExportEvent {
  identity: string;
  at: string | null;
}

export interface ActivityFacts {
  creators: Map<string, Creator>;
  /** Successful beginGetAccess calls by lower-case snapshot id, oldest first. */
  exports: Map<string, ExportEvent[]>;
}

export const SNAPSHOT_EXPORT = 'Microsoft.Compute/snapshots/beginGetAccess/action';

/** The activity-log operations that create or export each kind of the family (the catalogue's operation names). */
export const FAMILY_OPERATIONS = {
  imageWrite: 'Microsoft.Compute/images/write',
  galleryVersionWrite: 'Microsoft.Compute/galleries/images/versions/write',
  restorePointWrite: 'Microsoft.Compute/restorePointCollections/restorePoints/write',
  diskRestorePointExport: 'Microsoft.Compute/restorePointCollections/restorePoints/diskRestorePoints/beginGetAccess/action',
  diskExport: 'Microsoft.Compute/disks/beginGetAccess/action',
} as const;

const HOUR = 3_600_000;

function claim(e: EventData, name: string): string | null {
  const v = e.claims?.[name];
  return typeof v === 'string' && v ? v : null;
}

/** Events of one operation that did not fail, by lower-case resource id. */
function byResource(events: readonly EventData[], operation: string): Map<string, EventData[]> {
  const out = new Map<string, EventData[]>();
  for (const e of events) {
    if ((e.operationName?.value ?? '').toLowerCase() !== operation.toLowerCase()) continue;
    // resourceId, or the authorization scope when an event leaves it out (the official example does).
    const resource = e.resourceId ?? e.authorization?.scope;
    if ((e.status?.value ?? '').toLowerCase() === 'failed' || !resource || !e.caller) continue;
    const key = armId(resource).toLowerCase();
    out.set(key, [...(out.get(key) ?? []), e]);
  }
  return out;
}

const time = (e: EventData) => e.eventTimestamp?.getTime() ?? Number.NaN;

/** A resource of the snapshot family to look up in the activity log: the operation that creates it and the one that exports it. */
export interface Tracked {
  id: string;
  created: Date | undefined;
  /** The operation whose event names its creator, e.g. `Microsoft.Compute/images/write`. */
  write: string;
  /** The SAS export operation, when it has one (beginGetAccess). */
  export: string | null;
}

/**
 * What one activity-log listing says about each resource: its creator — the write event closest to its creation
 * time (within an hour: later writes are updates, e.g. tag changes), or the earliest one when the creation time is
 * unknown — and its SAS exports (beginGetAccess). Failed operations do not count.
 */
export function activityFactsFor(events: readonly EventData[], tracked: readonly Tracked[]): ActivityFacts {
  const byOperation = new Map<string, Map<string, EventData[]>>();
  const of = (operation: string) => {
    const key = operation.toLowerCase();
    let m = byOperation.get(key);
    if (!m) {
      m = byResource(events, operation);
      byOperation.set(key, m);
    }
    return m;
  };
  const creators = new Map<string, Creator>();
  const exports = new Map<string, ExportEvent[]>();
  for (const t of tracked) {
    const key = armId(t.id).toLowerCase();
    const list = of(t.write).get(key) ?? [];
    const created = t.created?.getTime();
    let best: EventData | undefined;
    if (created !== undefined && !Number.isNaN(created)) {
      best = [...list]
        .filter((e) => Math.abs(time(e) - created) <= HOUR)
        .sort((a, b) => Math.abs(time(a) - created) - Math.abs(time(b) - created) || time(a) - time(b))[0];
    } else {
      best = [...list].sort((a, b) => time(a) - time(b))[0];
    }
    if (best?.caller) {
      creators.set(key, {
        identity: best.caller,
        at: best.eventTimestamp?.toISOString() ?? null,
        actingResource: claim(best, 'xms_mirid'),
      });
    }
    const ex = t.export ? [...(of(t.export).get(key) ?? [])].sort((a, b) => time(a) - time(b)) : [];
    if (ex.length)
      exports.set(
        key,
        ex.map((e) => ({ identity: e.caller ?? '?', at: e.eventTimestamp?.toISOString() ?? null })),
      );
  }
  return { creators, exports };
}

/** What one activity-log listing says about each snapshot (snapshots/write creates, snapshots/beginGetAccess exports). */
export function activityFacts(events: readonly EventData[], snapshots: readonly AzSnapshot[]): ActivityFacts {
  return activityFactsFor(
    events,
    snapshots.filter((s) => s.id).map((s) => ({ id: s.id ?? '', created: s.timeCreated, write: SNAPSHOT_WRITE, export: SNAPSHOT_EXPORT })),
  );
}

/** The creators alone (kept for callers that only need them). */
export function creatorsFromEvents(events: readonly EventData[], snapshots: readonly AzSnapshot[]): Map<string, Creator> {
  return activityFacts(events, snapshots).creators;
}

/**
 * Azure Backup, recognised by the identity that acted: a Backup vault (Azure Disk Backup) or Recovery Services vault
 * creates snapshots with its own managed identity, whose token names the vault (`xms_mirid`). A resource-group name
 * such as AzureBackupRG_* is not evidence: anyone can create one.
 */
export function backupVaultOf(creator: Creator | null): string | null {
  const r = creator?.actingResource;
  return r && /\/providers\/(Microsoft\.DataProtection\/backupVaults|Microsoft\.RecoveryServices\/vaults)\/[^/]+$/i.test(r) ? r : null;
}

/**
 * Where a resource's creator was read, as facts: the activity log's event is the authority; `systemData.createdBy` of
 * the listing is a hint, used only where the activity log named no one. When both name someone and they differ, the
 * activity log decides and the disagreement is a conflict note (quoting both values). A Backup vault recognised from
 * the event's `xms_mirid` claim is an automation fact.
 */
export function creatorFacts(
  audit: { creator: Creator; operation: string } | null,
  systemData: { identity: string; listing: string } | null,
): { facts: Fact[]; conflicts: Conflict[] } {
  const facts: Fact[] = [];
  const conflicts: Conflict[] = [];
  const kept = audit ? { source: `Microsoft.Insights:ListActivityLogs caller (${audit.operation})`, value: audit.creator.identity } : null;
  const hint = systemData ? { source: `${systemData.listing} systemData.createdBy`, value: systemData.identity } : null;
  if (kept) facts.push({ fact: 'creator', ...kept, authoritative: true });
  if (hint) facts.push({ fact: 'creator', ...hint, authoritative: false });
  if (kept && hint && kept.value.toLowerCase() !== hint.value.toLowerCase()) {
    conflicts.push({
      fact: 'creator',
      kept,
      overruled: hint,
      note: `the activity log names ${kept.value} as the creator; systemData.createdBy says ${hint.value}`,
    });
  }
  const vault = backupVaultOf(audit?.creator ?? null);
  if (vault)
    facts.push({ fact: 'automation', source: 'Microsoft.Insights:ListActivityLogs claims.xms_mirid', value: vault, authoritative: true });
  return { facts, conflicts };
}
