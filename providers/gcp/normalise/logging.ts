/**
 * GCP logging posture as pure functions. Admin Activity audit logs are always written: the `_Required` sink of every
 * project routes them into the project's `_Required` bucket (400 days, cannot be changed or deleted). That platform
 * record is modelled as a `log-sink` source with `central: no` (it lives in the project) and `integrity: yes`.
 * Every other sink — project sinks, and folder / organisation sinks with includeChildren — is an export: a
 * `log-sink` source whose filter and exclusions are evaluated against snapshot-creation entries, with its
 * destination's project (central or not), retention and lock.
 */
import type { AlertRoute, Destination, LoggingSource, RouteOperation, Tri } from '../../../src/core/model/result.ts';
import { type MetricVerdict, metricVerdict, sinkExportVerdict } from '../audit.ts';
import type { RawBucket, RawSink } from '../raw.ts';

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
  /** The identity the sink writes as; absent or empty when the API names none. */
  writerIdentity?: string;
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
  // 400 days is fixed by the platform (https://cloud.google.com/logging/docs/routing/overview#required-bucket); the
  // reason says whether it was read from the bucket or taken from the documentation.
  const retention = bucket?.retentionDays ?? 400;
  const reasons = [
    bucket
      ? `Admin Activity audit logs are always written; the _Required bucket keeps them ${retention} days in the project itself (not central)`
      : "Admin Activity audit logs are always written; the _Required bucket (not read) keeps them 400 days by Google's documentation, in the project itself (not central)",
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
/** Do intercepting aggregated sinks above take snapshot-creation entries away from the sinks (and metrics) below? */
export interface Interception {
  /** yes: every creation entry is routed by an intercepting sink above; unknown: it cannot be told. */
  intercepted: Tri;
  /** The intercepting sinks that (may) take them. */
  by: string[];
}

/**
 * Intercepting aggregated sinks (`interceptChildren`) route the entries they match and keep them from every sink in
 * the child resources except `_Required`; the entries then also do not count towards log-based metrics or log-based
 * alerts of the child resources (https://cloud.google.com/logging/docs/export/aggregated_sinks_overview). An
 * interceptor takes snapshot creation when its filter (and exclusions) let every creation call through.
 */
export function interception(interceptors: readonly SinkInfo[], projectId: string): Interception {
  const live = interceptors.filter((x) => x.interceptChildren && x.includeChildren && !x.disabled);
  const verdicts = live.map((x) => ({
    name: x.resourceName,
    records: sinkExportVerdict(x.name, x.filter, x.exclusions, projectId).records,
  }));
  const yes = verdicts.filter((v) => v.records === 'yes').map((v) => v.name);
  if (yes.length) return { intercepted: 'yes', by: yes };
  const maybe = verdicts.filter((v) => v.records === 'unknown').map((v) => v.name);
  return maybe.length ? { intercepted: 'unknown', by: maybe } : { intercepted: 'no', by: [] };
}

export function sinkSource(sink: SinkInfo, ctx: LoggingContext, owner: string | null, above: Interception): LoggingSource {
  const aggregated = owner !== null;
  const verdict = sinkExportVerdict(sink.name, sink.filter, sink.exclusions, ctx.projectId);
  const reasons = [...verdict.reasons];
  let records = verdict.records;
  if (above.intercepted === 'yes') {
    records = 'no';
    reasons.push(`sink ${sink.name}: snapshot-creation entries are intercepted by ${above.by.join(', ')} and never reach it`);
  } else if (above.intercepted === 'unknown' && records === 'yes') {
    records = 'unknown';
    reasons.push(`sink ${sink.name}: cannot tell whether ${above.by.join(', ')} intercepts snapshot-creation entries before they reach it`);
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
  /** `projects/p/notificationChannels/ID` it notifies. */
  notificationChannels: readonly string[];
  conditions: Array<{ name: string; displayName: string; filter: string | null; logMatch: string | null; query: string | null }>;
}

export interface AlertingResult {
  routes: AlertRoute[];
  /** Some relevant filter could not be evaluated. */
  undecided: boolean;
  /** The calls of the family some enabled (or possibly notifying) route could not be judged on. */
  undecidedCalls: string[];
}

/** A route's per-call verdicts: the calls it fires on, and those it cannot be told to (`unknown`). */
function routeCalls(v: MetricVerdict): { operations: RouteOperation[]; unsure: string[] } {
  return {
    operations: v.calls.flatMap((c) => (c.match === 'unknown' ? [] : [{ operation: c.call, match: c.match }])),
    unsure: v.calls.filter((c) => c.match === 'unknown').map((c) => c.call),
  };
}

/**
 * Alert routes of a project whose snapshot-creation entries an intercepting sink above takes: they never reach the
 * project's log-based metrics or log-match alerts, so those routes match nothing (or cannot be told to).
 */
export function interceptedRoutes(result: AlertingResult, above: Interception): AlertingResult {
  if (above.intercepted === 'no') return result;
  const note =
    above.intercepted === 'yes'
      ? `snapshot-creation entries are intercepted by ${above.by.join(', ')}: log-based metrics and log-match alerts of the project never see them`
      : `cannot tell whether ${above.by.join(', ')} intercepts snapshot-creation entries before log-based metrics and alerts of the project see them`;
  const fires = (r: AlertRoute) => r.match !== 'none' || (r.operations?.length ?? 0) > 0;
  const touched = result.routes.filter(fires);
  const intercepted = above.intercepted === 'yes';
  return {
    routes: result.routes.map((r) =>
      fires(r)
        ? { ...r, match: intercepted ? 'none' : r.match, ...(intercepted ? { operations: [] } : {}), reasons: [...r.reasons, note] }
        : r,
    ),
    undecided: result.undecided || (above.intercepted === 'unknown' && touched.some((r) => r.enabled)),
    undecidedCalls: [
      ...new Set([
        ...result.undecidedCalls,
        ...(intercepted ? [] : touched.filter((r) => r.enabled).flatMap((r) => (r.operations ?? []).map((o) => o.operation))),
      ]),
    ],
  };
}

/** The project's notification channels by name (null: they could not be read). */
export type ChannelLookup = ReadonlyMap<string, { enabled: boolean; displayName: string }> | null;

/**
 * Does an alert policy notify anyone? Only through a notification channel that exists and is enabled (one rule for
 * every cloud: a route that notifies nobody is not an alert). `unknown` when the channels could not be read or a
 * channel lives in another project.
 */
export function policyNotifies(p: AlertPolicyInfo, channels: ChannelLookup): { notifies: Tri; reason: string } {
  if (p.notificationChannels.length === 0)
    return { notifies: 'no', reason: `alert policy "${p.displayName}" has no notification channel: it notifies nobody` };
  if (channels === null)
    return { notifies: 'unknown', reason: `the notification channels of alert policy "${p.displayName}" could not be read` };
  const live = p.notificationChannels.filter((c) => channels.get(c)?.enabled === true);
  if (live.length > 0)
    return {
      notifies: 'yes',
      reason: `alert policy "${p.displayName}" notifies ${live.map((c) => channels.get(c)?.displayName ?? c).join(', ')}`,
    };
  const home = `${p.name.split('/alertPolicies/')[0]}/`;
  const foreign = p.notificationChannels.filter((c) => !c.startsWith(home));
  if (foreign.length > 0)
    return { notifies: 'unknown', reason: `alert policy "${p.displayName}" notifies channels of another project (${foreign.join(', ')})` };
  return {
    notifies: 'no',
    reason: `alert policy "${p.displayName}" notifies nobody: its notification channels are disabled or deleted (${p.notificationChannels.join(', ')})`,
  };
}

/**
 * Log-based metrics whose filter matches snapshot creation, each with the enabled alert policies built on it
 * (`logging.googleapis.com/user/METRIC` in a condition); log-match alert conditions count directly. A metric no
 * enabled policy uses, or whose policies notify nobody, is reported but disabled: it does not alert anyone.
 */
export function alertRoutes(
  projectId: string,
  metrics: readonly MetricInfo[],
  policies: readonly AlertPolicyInfo[],
  channels: ChannelLookup,
): AlertingResult {
  const routes: AlertRoute[] = [];
  let undecided = false;
  const undecidedCalls = new Set<string>();
  const notify = new Map(policies.map((p) => [p.name, policyNotifies(p, channels)]));
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
    const notifying = enabledPolicies.filter((p) => notify.get(p.name)?.notifies === 'yes');
    const maybe = enabledPolicies.filter((p) => notify.get(p.name)?.notifies === 'unknown');
    const reasons = [...v.reasons];
    if (m.disabled) reasons.push(`metric ${m.name} is disabled`);
    if (enabledPolicies.length > 0) {
      for (const p of enabledPolicies)
        reasons.push(`alert policy "${p.displayName}" (${p.name}) fires on it`, notify.get(p.name)?.reason ?? '');
    } else if (using.length > 0)
      reasons.push(`the alert policies using metric ${m.name} are disabled: ${using.map((p) => p.displayName).join(', ')}`);
    else reasons.push(`no enabled alert policy uses metric ${m.name}`);
    const enabled = !m.disabled && notifying.length > 0;
    if (v.match === 'unknown' && enabled) undecided = true;
    const mayNotify = !m.disabled && notifying.length === 0 && maybe.length > 0;
    if (mayNotify && v.match !== 'none') undecided = true;
    const calls = routeCalls(v);
    if (enabled) for (const c of calls.unsure) undecidedCalls.add(c);
    if (mayNotify) for (const c of [...calls.unsure, ...calls.operations.map((o) => o.operation)]) undecidedCalls.add(c);
    routes.push({
      id: `projects/${projectId}/metrics/${m.name}`,
      kind: 'log-metric-alert',
      name: m.name,
      region: 'global',
      enabled,
      match: v.match === 'unknown' ? 'none' : v.match,
      reasons,
      operations: calls.operations,
    });
  }
  for (const p of policies) {
    for (const c of p.conditions) {
      if (c.logMatch === null) continue;
      const v = metricVerdict(`log-match condition "${c.displayName}"`, c.logMatch, projectId);
      if (!v.relevant && v.match === 'none') continue;
      const n = notify.get(p.name) ?? { notifies: 'unknown' as Tri, reason: '' };
      const enabled = p.enabled && n.notifies === 'yes';
      if (v.match === 'unknown' && enabled) undecided = true;
      const mayNotify = p.enabled && n.notifies === 'unknown';
      if (mayNotify && v.match !== 'none') undecided = true;
      const calls = routeCalls(v);
      if (enabled) for (const x of calls.unsure) undecidedCalls.add(x);
      if (mayNotify) for (const x of [...calls.unsure, ...calls.operations.map((o) => o.operation)]) undecidedCalls.add(x);
      routes.push({
        id: c.name,
        kind: 'log-metric-alert',
        name: `${p.displayName} / ${c.displayName}`,
        region: 'global',
        enabled,
        match: v.match === 'unknown' ? 'none' : v.match,
        reasons: [
          ...v.reasons,
          p.enabled ? `log-match alert policy "${p.displayName}" (${p.name})` : `alert policy "${p.displayName}" is disabled`,
          ...(p.enabled ? [n.reason] : []),
        ],
        operations: calls.operations,
      });
    }
  }
  return { routes, undecided, undecidedCalls: [...undecidedCalls] };
}

/** A sink as the REST listing answers it; `parent` names the level it was listed under. */
export function sinkInfo(s: RawSink, parent: string): SinkInfo {
  return {
    resourceName: s.resourceName || `${parent}/sinks/${s.name}`,
    name: s.name ?? '?',
    destination: s.destination ?? '',
    filter: s.filter ?? '',
    disabled: s.disabled === true,
    includeChildren: s.includeChildren === true,
    interceptChildren: s.interceptChildren === true,
    exclusions: (s.exclusions ?? []).map((e) => ({ name: e.name ?? '?', filter: e.filter ?? '', disabled: e.disabled === true })),
    writerIdentity: s.writerIdentity ?? '',
  };
}

export function bucketInfo(b: RawBucket): BucketInfo {
  return { name: b.name ?? '?', retentionDays: b.retentionDays ?? null, locked: b.locked === true };
}
