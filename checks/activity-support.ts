/** Helpers shared by the `activity.*` checks (pure): events grouped by identity, and the evidence that quotes them. */
import type { Baseline } from '../src/core/config/schema.ts';
import { matchesAny } from '../src/core/glob.ts';
import type { ActivityEvent } from '../src/core/model/activity.ts';
import type { ResourceRef, ScopeResult } from '../src/core/model/result.ts';

/** At most this many events are quoted in a finding's evidence (the count says how many there were). */
export const EVIDENCE_EVENTS = 20;

/** One event as a finding quotes it: every value as the audit log recorded it. */
export interface EventEvidence {
  id: string;
  at: string;
  region: string;
  operation: string;
  outcome: ActivityEvent['outcome'];
  errorCode: string | null;
  ip: string | null;
  agent: ActivityEvent['source']['agent'];
  userAgent: string | null;
  vpcEndpointId: string | null;
  resource: string | null;
  sourceResource: string | null;
}

export function eventEvidence(e: ActivityEvent): EventEvidence {
  return {
    id: e.id,
    at: e.at,
    region: e.region,
    operation: e.operation,
    outcome: e.outcome,
    errorCode: e.errorCode,
    ip: e.source.ip,
    agent: e.source.agent,
    userAgent: e.source.userAgent,
    vpcEndpointId: e.source.vpcEndpointId,
    resource: e.resource ? `${e.resource.kind}:${e.resource.id}` : null,
    sourceResource: e.sourceResource ? `${e.sourceResource.kind}:${e.sourceResource.id}` : null,
  };
}

/** What every activity finding carries: who, how many events, and the first of them. */
export interface IdentityEvidence {
  identity: string;
  identityType: string | null;
  count: number;
  first: string;
  last: string;
  regions: string[];
  events: EventEvidence[];
}

export function identityEvidence(identity: string, events: readonly ActivityEvent[]): IdentityEvidence {
  const times = events.map((e) => e.at).sort();
  return {
    identity,
    identityType: events[0]?.identity.type ?? null,
    count: events.length,
    first: times[0] ?? '',
    last: times[times.length - 1] ?? '',
    regions: [...new Set(events.map((e) => e.region))].sort(),
    events: events.slice(0, EVIDENCE_EVENTS).map(eventEvidence),
  };
}

/** The scope's activity (empty when it was not collected). */
export function activityOf(input: Pick<ScopeResult, 'activity'>): ActivityEvent[] {
  return input.activity ?? [];
}

/** Events grouped by the identity that acted, identities in order, each group in time order. */
export function byIdentity(events: readonly ActivityEvent[]): Array<[string, ActivityEvent[]]> {
  const groups = new Map<string, ActivityEvent[]>();
  for (const e of events) groups.set(e.identity.id, [...(groups.get(e.identity.id) ?? []), e]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, list]) => [id, [...list].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1))]);
}

/** Where an identity's activity finding points: the identity (one finding per identity and scope). */
export function identityRef(identity: string): ResourceRef {
  return { kind: 'identity', id: identity, name: null };
}

/** Events that made an artifact (create, copy, image from an instance). */
export function makes(e: ActivityEvent): boolean {
  return e.effect === 'create' || e.effect === 'copy';
}

/**
 * Is the identity approved: automation recognised from the event's identity and named in the baseline's
 * `automation` (by marker or by what identified it), or an identity pattern of the baseline?
 */
export function approvedBy(e: ActivityEvent, baseline: Baseline): string | null {
  const auto = e.identity.automation;
  if (auto) {
    const hit = matchesAny(baseline.automation, auto.by) ?? matchesAny(baseline.automation, auto.basis);
    if (hit) return hit;
  }
  return matchesAny(baseline.automation, e.identity.id) ?? matchesAny(baseline.identities, e.identity.id);
}

/** The quoted events as one short list for a message: `CreateSnapshot 2026-11-20T17:45:00.000Z`, at most three. */
export function eventList(events: readonly EventEvidence[], count: number): string {
  const shown = events.slice(0, 3).map((e) => `${e.operation} ${e.at}`);
  return count > shown.length ? `${shown.join(', ')} and ${count - shown.length} more` : shown.join(', ');
}
