/**
 * activity.csv (`--format activity-csv`): one row per creation-activity event (issue #18), every value as the audit
 * log recorded it, with the `activity.*` findings that quote it. Streamed scope by scope from the source like the
 * other CSV files; every cell goes through the spreadsheet-injection guard of escape.ts (a user agent or a session
 * name is the caller's to choose).
 */
import type { OutputFile } from '../src/core/output-file.ts';
import type { ScanResult, ScopeResult } from '../src/core/model/result.ts';
import { type ActivityRow, activityRowsOf, resourceText } from './activity-view.ts';
import { type CsvValue, csvLines } from './escape.ts';
import { type ResultSource, resultSource, type StreamedFile, wholeFiles } from './source.ts';
import type { RenderContext } from './types.ts';

export const ACTIVITY_HEADER = [
  'provider',
  'scope_id',
  'scope_name',
  'region',
  'time',
  'event_id',
  'operation',
  'effect',
  'outcome',
  'error_code',
  'identity_type',
  'identity_id',
  'identity_issuer',
  'mfa',
  'automation',
  'source_ip',
  'vpc_endpoint_id',
  'caller',
  'user_agent',
  'artifact',
  'made_from',
  'read',
  'findings',
  'finding_fingerprints',
];

export function activityCsvRow(r: ActivityRow): CsvValue[] {
  const e = r.event;
  return [
    r.provider,
    r.scopeId,
    r.scopeName,
    e.region,
    e.at,
    e.id,
    e.operation,
    e.effect,
    r.outcome,
    e.errorCode,
    e.identity.type,
    e.identity.id,
    e.identity.issuer,
    e.identity.mfa,
    e.identity.automation ? `${e.identity.automation.by} (${e.identity.automation.basis})` : null,
    e.source.ip,
    e.source.vpcEndpointId,
    e.source.agent,
    e.source.userAgent,
    resourceText(e.resource),
    resourceText(e.sourceResource),
    e.read,
    r.findings.map((f) => (f.status === 'open' ? f.checkId : `${f.checkId} (suppressed)`)).join(' '),
    r.findings.map((f) => f.fingerprint).join(' '),
  ];
}

function* rows(scopes: Iterable<ScopeResult>): Generator<CsvValue[]> {
  for (const s of scopes) for (const r of activityRowsOf(s)) yield activityCsvRow(r);
}

/** activity.csv, scope by scope in canonical order, each scope's events in time order. */
export function streamActivityCsv(source: ResultSource, _ctx: RenderContext): StreamedFile[] {
  return [{ name: 'activity.csv', chunks: () => csvLines(ACTIVITY_HEADER, rows(source.scopes())) }];
}

export function renderActivityCsv(result: ScanResult, ctx: RenderContext): OutputFile[] {
  return wholeFiles(streamActivityCsv(resultSource(result), ctx));
}
