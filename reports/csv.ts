/**
 * CSV exports for spreadsheets and BI tools: findings, snapshots, principals (one row per grant) and the logging
 * coverage matrix (one row per scope-region), plus one per-control file per requested framework. RFC 4180 quoting,
 * CRLF line ends, and every text cell guarded against formula injection (see escape.ts).
 */
import type { OutputFile } from '../src/core/output-file.ts';
import type { Finding, ScanResult, ScopeResult } from '../src/core/model/result.ts';
import { type CsvValue, csvDocument, csvLines } from './escape.ts';
import { controlStatusLabel, frameworkViews } from './framework-view.ts';
import { grantChain } from './grant-chain.ts';
import type { CatalogueCheck, RenderContext } from './types.ts';
import { findingsResult, map, type ResultSource, resultSource, scopeHeads, scopeNames, type StreamedFile, wholeFiles } from './source.ts';
import { type CoverageCell, coverageCells, type SnapshotRow, snapshotRowOf } from './view-model.ts';
import { peopleLines } from './people.ts';

const FINDINGS_HEADER = [
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
  'owner_name',
];

function findingCsvRow(f: Finding, scopeName: (provider: string, scopeId: string) => string): CsvValue[] {
  return [
    f.severity,
    f.status,
    f.checkId,
    f.title,
    f.provider,
    f.scopeId,
    scopeName(f.provider, f.scopeId),
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
    f.ownerIdentity?.name,
  ];
}

const SNAPSHOTS_HEADER = [
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

function snapshotCsvRow({ provider, scopeId, scopeName, snapshot: s, externalShares, exposure }: SnapshotRow): CsvValue[] {
  return [
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
  ];
}

const PRINCIPALS_HEADER = [
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
  'principal_members',
];

function* principalCsvRows(scopes: Iterable<ScopeResult>): Generator<CsvValue[]> {
  for (const s of scopes) {
    for (const p of s.principals) {
      const base: CsvValue[] = [s.scope.provider, s.scope.id, s.scope.name, p.id, p.type, p.name, p.external];
      const members = peopleLines(p)?.join('; ') ?? '';
      if (p.grants.length === 0) yield [...base, '', '', '', '', '', '', '', '', '', '', '', members];
      for (const g of p.grants) {
        yield [
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
          members,
        ];
      }
    }
  }
}

const COVERAGE_HEADER = [
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
  'detective_controls',
];

function coverageCsvRow(c: CoverageCell): CsvValue[] {
  return [
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
    c.detectors.join('; '),
  ];
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

/** Every row of every scope, scope by scope. */
function* perScope<T>(scopes: Iterable<ScopeResult>, rows: (s: ScopeResult) => Iterable<T>): Generator<T> {
  for (const s of scopes) yield* rows(s);
}

/** The CSV files, streamed from `source`: each file reads the findings or the scopes once, row by row. */
export function streamCsv(source: ResultSource, ctx: RenderContext): StreamedFile[] {
  let names: ((provider: string, scopeId: string) => string) | null = null;
  const scopeName = (provider: string, scopeId: string) => {
    names ??= scopeNames(scopeHeads(source));
    return names(provider, scopeId);
  };
  return [
    {
      name: 'findings.csv',
      chunks: () =>
        csvLines(
          FINDINGS_HEADER,
          map(source.findings('canonical'), (f) => findingCsvRow(f, scopeName)),
        ),
    },
    {
      name: 'snapshots.csv',
      chunks: () =>
        csvLines(
          SNAPSHOTS_HEADER,
          perScope(source.scopes(), (s) => s.snapshots.map((snapshot) => snapshotCsvRow(snapshotRowOf(s, snapshot)))),
        ),
    },
    { name: 'principals.csv', chunks: () => csvLines(PRINCIPALS_HEADER, principalCsvRows(source.scopes())) },
    {
      name: 'coverage.csv',
      chunks: () =>
        csvLines(
          COVERAGE_HEADER,
          perScope(source.scopes(), (s) => coverageCells(s).map(coverageCsvRow)),
        ),
    },
    ...ctx.frameworks.map((id) => ({
      name: `framework-${id}.csv`,
      chunks: function* () {
        yield frameworkCsv(findingsResult(source), id, ctx.checks);
      },
    })),
  ];
}

export function renderCsv(result: ScanResult, ctx: RenderContext): OutputFile[] {
  return wholeFiles(streamCsv(resultSource(result), ctx));
}
