/**
 * OCSF 1.8.0 API Activity events (class_uid 6003, category 6 Application Activity) for the creation-activity review
 * (issue #18): one event per snapshot-family call in the lookback window, written to activity.ocsf.json
 * (`--format activity-ocsf`) beside the Compliance Findings of findings.ocsf.json, so a SIEM receives the calls
 * themselves with the class it already parses CloudTrail and other audit logs into.
 *
 * Field mapping, after the schema's class (https://schema.ocsf.io/1.8.0/classes/api_activity) and the OCSF
 * project's CloudTrail mapping (https://github.com/ocsf/examples, mappings/markdown/AWS/…/CloudTrail): the identity's
 * ARN / object id / e-mail → actor.user.uid (its type → actor.user.type), the issuing role → actor.session.issuer,
 * MFA → actor.session.is_mfa; the operation → api.operation and the error code → api.response.error; the caller's
 * address → src_endpoint.ip (a service that called in its own name → src_endpoint.svc_name), the VPC endpoint →
 * src_endpoint.uid; the user agent → http_request.user_agent; the log's event id → metadata.uid; the artifact made
 * (Target) and what it was made from (Related) → resources. Every value is the one the log recorded; what snapaudit
 * added (the caller class, recognised automation, the findings that quote the event) is under unmapped.snapaudit.
 */
import { isIP } from 'node:net';
import type { ActivityEffect, ActivityEvent } from '../src/core/model/activity.ts';
import type { OutputFile } from '../src/core/output-file.ts';
import type { ScanResult, Severity } from '../src/core/model/result.ts';
import { type ActivityRow, activityRowsOf } from './activity-view.ts';
import { accountType, cloudProvider, OCSF_VERSION, severityCaption, severityId } from './ocsf.ts';
import { resourceType } from './resource-types.ts';
import { type ResultSource, resultSource, type StreamedFile, wholeFiles } from './source.ts';
import type { RenderContext } from './types.ts';

const CATEGORY_UID = 6;
const CLASS_UID = 6003;

/**
 * API Activity's activity_id: making or copying an artifact creates one (1 Create); sharing changes who may use it
 * (3 Update); an export (a SAS or block read of the data) is none of Create/Read/Update/Delete on the artifact itself
 * and is named (99 Other, activity_name "Export").
 */
const activityOf: Record<ActivityEffect, { id: number; name: string }> = {
  create: { id: 1, name: 'Create' },
  copy: { id: 1, name: 'Create' },
  share: { id: 3, name: 'Update' },
  export: { id: 99, name: 'Export' },
};

function actor(e: ActivityEvent): Record<string, unknown> {
  const i = e.identity;
  const session = {
    ...(i.issuer ? { issuer: i.issuer } : {}),
    ...(i.mfa === 'unknown' ? {} : { is_mfa: i.mfa === 'yes' }),
  };
  return {
    user: { uid: i.id, ...(i.type ? { type: i.type } : {}) },
    ...(Object.keys(session).length ? { session } : {}),
  };
}

/** Where the call came from: an address, or the service that called in its own name; the VPC endpoint as its uid. */
function srcEndpoint(e: ActivityEvent): Record<string, unknown> {
  const ip = e.source.ip;
  const at = ip ? (isIP(ip) ? { ip } : { svc_name: ip }) : {};
  const via = e.source.vpcEndpointId ? { uid: e.source.vpcEndpointId } : {};
  // The class requires a source endpoint; when the log named none, say so rather than invent one.
  return Object.keys(at).length + Object.keys(via).length ? { ...at, ...via } : { name: 'unknown' };
}

function resources(r: ActivityRow): Array<Record<string, unknown>> {
  const e = r.event;
  const out: Array<Record<string, unknown>> = [];
  if (e.resource)
    out.push({ uid: e.resource.id, type: resourceType(r.provider, e.resource.kind), region: e.region, role_id: 1, role: 'Target' });
  if (e.sourceResource)
    out.push({
      uid: e.sourceResource.id,
      type: resourceType(r.provider, e.sourceResource.kind),
      region: e.region,
      role_id: 4,
      role: 'Related',
    });
  return out;
}

/** The event's severity: that of the most severe open finding quoting it, else informational. */
function severityOf(r: ActivityRow): Severity {
  return r.findings.find((f) => f.status === 'open')?.severity ?? 'info';
}

export function activityOcsfEvent(header: Pick<ScanResult, 'scan' | 'tool'>, r: ActivityRow): Record<string, unknown> {
  const e = r.event;
  const activity = activityOf[e.effect];
  const severity = severityOf(r);
  const failed = e.outcome === 'failure';
  return {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: CATEGORY_UID,
    category_name: 'Application Activity',
    class_uid: CLASS_UID,
    class_name: 'API Activity',
    type_uid: CLASS_UID * 100 + activity.id,
    type_name: `API Activity: ${activity.name}`,
    severity_id: severityId[severity],
    severity: severityCaption[severity],
    status_id: failed ? 2 : 1,
    status: failed ? 'Failure' : 'Success',
    ...(e.errorCode ? { status_code: e.errorCode } : {}),
    ...(failed ? { status_detail: r.outcome === 'denied' ? 'denied: the caller lacked permission' : 'failed' } : {}),
    time: Date.parse(e.at),
    timezone_offset: 0,
    message: `${e.identity.id} ${e.operation} ${failed ? `failed (${e.errorCode ?? 'no error code'})` : 'succeeded'}`,
    metadata: {
      version: OCSF_VERSION,
      uid: e.id,
      log_name: e.read,
      profiles: ['cloud'],
      product: { name: 'snapaudit', vendor_name: 'snapaudit', version: header.tool.version, uid: 'snapaudit' },
    },
    cloud: {
      provider: cloudProvider[r.provider],
      region: e.region,
      account: { uid: r.scopeId, name: r.scopeName, type_id: accountType[r.provider].id, type: accountType[r.provider].caption },
    },
    actor: actor(e),
    api: { operation: e.operation, ...(e.errorCode ? { response: { error: e.errorCode } } : {}) },
    src_endpoint: srcEndpoint(e),
    ...(e.source.userAgent ? { http_request: { user_agent: e.source.userAgent } } : {}),
    ...(e.resource || e.sourceResource ? { resources: resources(r) } : {}),
    unmapped: {
      snapaudit: {
        scan_id: header.scan.id,
        scope_id: r.scopeId,
        effect: e.effect,
        outcome: r.outcome,
        caller: e.source.agent,
        automation: e.identity.automation,
        findings: r.findings.map((f) => ({ check_id: f.checkId, severity: f.severity, status: f.status, fingerprint: f.fingerprint })),
      },
    },
  };
}

function* events(source: ResultSource): Generator<Record<string, unknown>> {
  for (const s of source.scopes()) for (const r of activityRowsOf(s)) yield activityOcsfEvent(source.header, r);
}

export function renderActivityOcsfEvents(result: ScanResult): Record<string, unknown>[] {
  return [...events(resultSource(result))];
}

/** activity.ocsf.json: a JSON array, one event per line (as findings.ocsf.json), streamed scope by scope. */
export function streamActivityOcsf(source: ResultSource, _ctx: RenderContext): StreamedFile[] {
  return [
    {
      name: 'activity.ocsf.json',
      chunks: function* () {
        let first = true;
        for (const e of events(source)) {
          yield `${first ? '[\n' : ',\n'}${JSON.stringify(e)}`;
          first = false;
        }
        yield first ? '[]\n' : '\n]\n';
      },
    },
  ];
}

export function renderActivityOcsf(result: ScanResult, ctx: RenderContext): OutputFile[] {
  return wholeFiles(streamActivityOcsf(resultSource(result), ctx));
}
