/**
 * GCP logging posture as pure functions. Admin Activity audit logs are always written: the `_Required` sink of every
 * project routes them into the project's `_Required` bucket (400 days, cannot be changed or deleted). That platform
 * record is modelled as a `log-sink` source with `central: no` (it lives in the project) and `integrity: yes`.
 * Every other sink — project sinks, and folder / organisation sinks with includeChildren — is an export: a
 * `log-sink` source whose filter and exclusions are evaluated against snapshot-creation entries, with its
 * destination's project (central or not), retention and lock.
 */
import type { AlertRoute, Destination, LoggingSource, Tri } from '../../src/core/model/result.ts';
import { metricVerdict, sinkExportVerdict } from './audit.ts';

export interface SinkInfo {
  /** `projects/p/sinks/x`, `folders/1/sinks/x`, `organizations/1/sinks/x`. */
  resourceName: string;
  name: string;
  destination: string;
  filter: string;
  disabled: boolean;
  includeChildren: boolean;
  interceptChildren: boolean;
  exclusions: Array<{ name: string; filter: string; disabled: boolean }>;
}

export interface BucketInfo {
  /** `projects/p/locations/global/buckets/b` */
  name: string;
  retentionDays: number | null;
  locked: boolean;
}

/** What is known about the buckets of a project: its list, or why it could not be read. */
export type BucketLookup = (projectId: string) => BucketInfo[] | string;

export interface LoggingContext {
  projectId: string;
  /** From the config: projects holding the central log buckets / datasets. */
  centralProjects: readonly string[];
  buckets: BucketLookup;
}

export interface ParsedDestination {
  kind: Destination['kind'];
  id: string;
  projectId: string | null;
  bucket: string | null;
}

export function parseDestination(destination: string): ParsedDestination {
  const bucket = /^logging\.googleapis\.com\/(projects|folders|organizations)\/([^/]+)\/locations\/([^/]+)\/buckets\/([^/]+)$/.exec(
    destination,
  );
  if (bucket) {
    return {
      kind: 'log-bucket',
      id: destination,
      projectId: bucket[1] === 'projects' ? (bucket[2] as string) : null,
      bucket: `${bucket[1]}/${bucket[2]}/locations/${bucket[3]}/buckets/${bucket[4]}`,
    };
  }
  const project = /^logging\.googleapis\.com\/projects\/([^/]+)$/.exec(destination);
  if (project) return { kind: 'other', id: destination, projectId: project[1] as string, bucket: null };
  const bq = /^bigquery\.googleapis\.com\/projects\/([^/]+)\/datasets\/[^/]+$/.exec(destination);
  if (bq) return { kind: 'bigquery', id: destination, projectId: bq[1] as string, bucket: null };
  const ps = /^pubsub\.googleapis\.com\/projects\/([^/]+)\/topics\/[^/]+$/.exec(destination);
  if (ps) return { kind: 'pubsub', id: destination, projectId: ps[1] as string, bucket: null };
  return { kind: 'other', id: destination, projectId: null, bucket: null };
}

function centralOf(dest: ParsedDestination, ctx: LoggingContext, aggregated: boolean): { central: Tri; reason: string | null } {
  const p = dest.projectId;
  if (ctx.centralProjects.length > 0) {
    if (p !== null && ctx.centralProjects.includes(p)) return { central: 'yes', reason: null };
    return {
      central: p === null ? 'unknown' : 'no',
      reason:
        p === null
          ? `destination ${dest.id} is not in a known project`
          : `destination project ${p} is not one of providers.gcp.centralProjects`,
    };
  }
  // An aggregated (folder / organisation) sink collects many projects into one place: that place is central.
  if (aggregated) return { central: 'yes', reason: null };
  if (p === ctx.projectId) return { central: 'no', reason: `destination ${dest.id} is in the project itself` };
  return {
    central: 'unknown',
    reason: `destination ${dest.id} is outside the project; list central log projects in providers.gcp.centralProjects to judge it`,
  };
}

function destinationFacts(dest: ParsedDestination, ctx: LoggingContext) {
  if (dest.kind !== 'log-bucket' || dest.projectId === null || dest.bucket === null) {
    return { retentionDays: null, locked: 'unknown' as Tri, reason: null as string | null };
  }
  const buckets = ctx.buckets(dest.projectId);
  if (typeof buckets === 'string') return { retentionDays: null, locked: 'unknown' as Tri, reason: buckets };
  const b = buckets.find((x) => x.name === dest.bucket);
  if (!b) return { retentionDays: null, locked: 'unknown' as Tri, reason: `log bucket ${dest.bucket} was not found` };
  return { retentionDays: b.retentionDays, locked: (b.locked ? 'yes' : 'no') as Tri, reason: null };
}

/** The platform's own Admin Activity record: the `_Required` sink and bucket of the project. */
export function requiredSource(ctx: LoggingContext, projectSinksRead: boolean): LoggingSource {
  const bucketName = `projects/${ctx.projectId}/locations/global/buckets/_Required`;
  const buckets = ctx.buckets(ctx.projectId);
  const bucket = typeof buckets === 'string' ? undefined : buckets.find((b) => b.name === bucketName);
  const retention = bucket?.retentionDays ?? 400;
  const reasons = [
    'Admin Activity audit logs are always written; the _Required bucket keeps them 400 days in the project itself (not central)',
  ];
  if (!projectSinksRead)
    reasons.unshift(`the logging configuration of project ${ctx.projectId} could not be read, so even the always-on record is unconfirmed`);
  return {
    id: `projects/${ctx.projectId}/sinks/_Required`,
    kind: 'log-sink',
    name: '_Required (Admin Activity, always on)',
    home: 'global',
    ownerScopeId: null,
    inherited: false,
    enabled: projectSinksRead ? 'yes' : 'unknown',
    regions: ['*'],
    recordsSnapshotCreation: projectSinksRead ? 'yes' : 'unknown',
    central: 'no',
    integrity: 'yes',
    encrypted: 'yes',
    retentionDays: retention,
    destinations: [
      { kind: 'log-bucket', id: `logging.googleapis.com/${bucketName}`, scopeId: ctx.projectId, retentionDays: retention, locked: 'yes' },
    ],
    reasons,
  };
}

/** An export sink (project-level, or an aggregated folder / organisation sink) seen from the project. */
export function sinkSource(sink: SinkInfo, ctx: LoggingContext, owner: string | null, interceptedBy: string | null): LoggingSource {
  const aggregated = owner !== null;
  const verdict = sinkExportVerdict(sink.name, sink.filter, sink.exclusions, ctx.projectId);
  const reasons = [...verdict.reasons];
  let records = verdict.records;
  if (interceptedBy && records !== 'no') {
    records = 'no';
    reasons.push(`sink ${sink.name}: logs of the project are intercepted by ${interceptedBy} and do not reach project sinks`);
  }
  if (sink.disabled) reasons.push(`sink ${sink.name} is disabled`);
  const dest = parseDestination(sink.destination);
  const central = centralOf(dest, ctx, aggregated);
  if (central.reason) reasons.push(`sink ${sink.name}: ${central.reason}`);
  const facts = destinationFacts(dest, ctx);
  if (facts.reason) reasons.push(`sink ${sink.name}: ${facts.reason}`);
  if (facts.locked === 'no') reasons.push(`sink ${sink.name}: log bucket ${dest.bucket} is not locked`);
  if (facts.retentionDays !== null) reasons.push(`sink ${sink.name}: its copy is kept ${facts.retentionDays} day(s)`);
  return {
    id: sink.resourceName,
    kind: 'log-sink',
    name: sink.name,
    home: 'global',
    ownerScopeId: owner,
    inherited: aggregated,
    enabled: sink.disabled ? 'no' : 'yes',
    regions: ['*'],
    recordsSnapshotCreation: records,
    central: central.central,
    integrity: facts.locked,
    encrypted: 'yes',
    retentionDays: facts.retentionDays,
    destinations: [{ kind: dest.kind, id: dest.id, scopeId: dest.projectId, retentionDays: facts.retentionDays, locked: facts.locked }],
    reasons,
  };
}

export interface MetricInfo {
  name: string;
  filter: string;
  disabled: boolean;
}

export interface AlertPolicyInfo {
  /** `projects/p/alertPolicies/123` */
  name: string;
  displayName: string;
  enabled: boolean;
  conditions: Array<{ name: string; displayName: string; filter: string | null; logMatch: string | null; query: string | null }>;
}

export interface AlertingResult {
  routes: AlertRoute[];
  /** Some relevant filter could not be evaluated. */
  undecided: boolean;
}

/**
 * Log-based metrics whose filter matches snapshot creation, each with the enabled alert policies built on it
 * (`logging.googleapis.com/user/METRIC` in a condition); log-match alert conditions count directly. A metric no
 * enabled policy uses is reported but disabled: it does not alert anyone.
 */
export function alertRoutes(projectId: string, metrics: readonly MetricInfo[], policies: readonly AlertPolicyInfo[]): AlertingResult {
  const routes: AlertRoute[] = [];
  let undecided = false;
  for (const m of metrics) {
    const v = metricVerdict(`metric ${m.name}`, m.filter, projectId);
    if (!v.relevant && v.match === 'none') continue;
    const type = `logging.googleapis.com/user/${m.name}`;
    const using = policies.filter((p) =>
      p.conditions.some((c) =>
        [c.filter, c.query].some(
          (f) => f !== null && (f.includes(`"${type}"`) || f.includes(`'${type}'`) || f.includes(`logging_googleapis_com:user_${m.name}`)),
        ),
      ),
    );
    const enabledPolicies = using.filter((p) => p.enabled);
    const reasons = [...v.reasons];
    if (m.disabled) reasons.push(`metric ${m.name} is disabled`);
    if (enabledPolicies.length > 0) reasons.push(...enabledPolicies.map((p) => `alert policy "${p.displayName}" (${p.name}) fires on it`));
    else if (using.length > 0)
      reasons.push(`the alert policies using metric ${m.name} are disabled: ${using.map((p) => p.displayName).join(', ')}`);
    else reasons.push(`no enabled alert policy uses metric ${m.name}`);
    const enabled = !m.disabled && enabledPolicies.length > 0;
    if (v.match === 'unknown' && enabled) undecided = true;
    routes.push({
      id: `projects/${projectId}/metrics/${m.name}`,
      kind: 'log-metric-alert',
      name: m.name,
      region: 'global',
      enabled,
      match: v.match === 'unknown' ? 'none' : v.match,
      reasons,
    });
  }
  for (const p of policies) {
    for (const c of p.conditions) {
      if (c.logMatch === null) continue;
      const v = metricVerdict(`log-match condition "${c.displayName}"`, c.logMatch, projectId);
      if (!v.relevant && v.match === 'none') continue;
      if (v.match === 'unknown' && p.enabled) undecided = true;
      routes.push({
        id: c.name,
        kind: 'log-metric-alert',
        name: `${p.displayName} / ${c.displayName}`,
        region: 'global',
        enabled: p.enabled,
        match: v.match === 'unknown' ? 'none' : v.match,
        reasons: [
          ...v.reasons,
          p.enabled ? `log-match alert policy "${p.displayName}" (${p.name})` : `alert policy "${p.displayName}" is disabled`,
        ],
      });
    }
  }
  return { routes, undecided };
}
