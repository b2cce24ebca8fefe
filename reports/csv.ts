/**
 * CSV exports for spreadsheets and BI tools: findings, snapshots, principals (one row per grant) and the logging
 * coverage matrix (one row per scope-region), plus one per-control file per requested framework. RFC 4180 quoting,
 * CRLF line ends, and every text cell guarded against formula injection (see escape.ts).
 */
import type { OutputFile } from '../src/core/output-file.ts';
import { sortBy } from '../src/core/model/order.ts';
import type { ScanResult } from '../src/core/model/result.ts';
import { type CsvValue, csvDocument } from './escape.ts';
import { controlStatusLabel, frameworkViews } from './framework-view.ts';
import { grantChain } from './grant-chain.ts';
import type { CatalogueCheck, RenderContext } from './types.ts';
import { buildReportModel, type ReportModel } from './view-model.ts';

export function findingsCsv(m: ReportModel): string {
  const header = [
    'severity',
    'status',
    'check_id',
    'title',
    'provider',
    'scope_id',
    'scope_name',
    'region',
    'resource_kind',
    'resource_id',
    'resource_name',
    'owner',
    'message',
    'fingerprint',
    'suppression_reason',
    'suppression_owner',
    'suppression_expires',
    'suppression_expired',
  ];
  const rows = m.findings.map((f): CsvValue[] => [
    f.severity,
    f.status,
    f.checkId,
    f.title,
    f.provider,
    f.scopeId,
    m.scopeName(f.provider, f.scopeId),
    f.region,
    f.resource?.kind,
    f.resource?.id,
    f.resource?.name,
    f.owner,
    f.message,
    f.fingerprint,
    f.suppression?.reason,
    f.suppression?.owner,
    f.suppression?.expires,
    f.suppression ? f.suppression.expired : null,
  ]);
  return csvDocument(header, rows);
}

export function snapshotsCsv(m: ReportModel): string {
  const header = [
    'provider',
    'scope_id',
    'scope_name',
    'region',
    'kind',
    'snapshot_id',
    'name',
    'resource_id',
    'created_at',
    'size_gib',
    'state',
    'public',
    'exposure',
    'shared_with',
    'shared_outside_org',
    'shares_known',
    'encryption',
    'key_id',
    'owner',
    'owner_source',
    'owner_detail',
    'creator',
    'creator_source',
    'source_kind',
    'source_id',
    'automation',
    'conflicts',
    'description',
    'tags',
  ];
  const rows = m.snapshots.map(({ provider, scopeId, scopeName, snapshot: s, externalShares, exposure }): CsvValue[] => [
    provider,
    scopeId,
    scopeName,
    s.region,
    s.kind,
    s.id,
    s.name,
    s.resourceId,
    s.createdAt,
    s.sizeGiB,
    s.state,
    s.sharing.public,
    exposure,
    s.sharing.sharedWith.map((x) => `${x.kind}:${x.id}`).join(' '),
    externalShares.join(' '),
    s.sharing.sharesKnown,
    s.encryption.status,
    s.encryption.keyId,
    s.owner.value,
    s.owner.source,
    s.owner.detail,
    s.creator?.identity,
    s.creator?.source,
    s.source.kind,
    s.source.id,
    s.automation.by,
    s.conflicts.map((c) => c.note).join('; '),
    s.description,
    Object.entries(s.tags)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('; '),
  ]);
  return csvDocument(header, rows);
}

export function principalsCsv(result: ScanResult): string {
  const header = [
    'provider',
    'scope_id',
    'scope_name',
    'principal_id',
    'principal_type',
    'principal_name',
    'principal_external',
    'capability',
    'action',
    'resource_scope',
    'conditional',
    'external_path',
    'broad',
    'grant_path',
    'conditions',
    'chain',
    'reach',
    'hops',
  ];
  const rows: CsvValue[][] = [];
  for (const s of sortBy(
    result.scopes,
    (x) => x.scope.provider,
    (x) => x.scope.id,
  )) {
    for (const p of s.principals) {
      const base: CsvValue[] = [s.scope.provider, s.scope.id, s.scope.name, p.id, p.type, p.name, p.external];
      if (p.grants.length === 0) rows.push([...base, '', '', '', '', '', '', '', '', '', '', '']);
      for (const g of p.grants) {
        rows.push([
          ...base,
          g.capability,
          g.action,
          g.resourceScope,
          g.conditional,
          g.external,
          g.broad,
          g.path.map((step) => `${step.kind}:${step.label ?? step.id}`).join(' > '),
          g.conditions.join('; '),
          grantChain(g),
          g.reach ?? 'direct',
          g.hops ?? 0,
        ]);
      }
    }
  }
  return csvDocument(header, rows);
}

export function coverageCsv(m: ReportModel): string {
  const header = [
    'provider',
    'scope_id',
    'scope_name',
    'region',
    'read_status',
    'recorded',
    'central',
    'protected',
    'retention_days',
    'alerted',
    'sources',
    'alerts',
    'reasons',
  ];
  const rows = m.coverage.cells.map((c): CsvValue[] => [
    c.provider,
    c.scopeId,
    c.scopeName,
    c.region,
    c.status,
    c.recorded,
    c.central,
    c.protected,
    c.retentionDays,
    c.alerted,
    c.sources.join(' '),
    c.alerts.join(' '),
    c.reasons.join('; '),
  ]);
  return csvDocument(header, rows);
}

export function frameworkCsv(result: ScanResult, frameworkId: string, catalogue: readonly CatalogueCheck[]): string {
  const [view] = frameworkViews(result, [frameworkId], catalogue);
  if (!view) return '';
  const header = [
    'framework',
    'version',
    'control_id',
    'control_title',
    'status',
    'reason',
    'checks',
    'failing_findings',
    'suppressed_findings',
    'scopes_assessed',
    'scopes_not_assessed',
    'checks_not_run',
  ];
  const rows = view.verdicts.map((v): CsvValue[] => [
    view.framework.name,
    view.framework.version,
    v.control.id,
    v.control.title,
    controlStatusLabel[v.status],
    v.reason,
    v.checks.join(' '),
    v.failing.map((f) => `${f.checkId}@${f.provider}:${f.scopeId}${f.resource ? `/${f.resource.id}` : ''}#${f.fingerprint}`).join(' '),
    v.suppressed.map((f) => f.fingerprint).join(' '),
    v.scopesAssessed.join('; '),
    v.scopesNotAssessed.map((x) => `${x.scope}: ${x.why}`).join('; '),
    v.checksNotRun.join(' '),
  ]);
  return csvDocument(header, rows);
}

export function renderCsv(result: ScanResult, ctx: RenderContext): OutputFile[] {
  const m = buildReportModel(result);
  return [
    { name: 'findings.csv', content: findingsCsv(m) },
    { name: 'snapshots.csv', content: snapshotsCsv(m) },
    { name: 'principals.csv', content: principalsCsv(result) },
    { name: 'coverage.csv', content: coverageCsv(m) },
    ...ctx.frameworks.map((id) => ({ name: `framework-${id}.csv`, content: frameworkCsv(result, id, ctx.checks) })),
  ];
}
