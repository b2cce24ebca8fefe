/**
 * SARIF 2.1.0 for code-scanning dashboards: one rule per check (from its metadata), one result per finding with a
 * stable `partialFingerprints` entry (the finding fingerprint, so dashboards deduplicate across scans), and the
 * cloud resource twice: as a logical location under its scope and region, and as a stable repository-relative
 * pseudo-path (`cloud/<provider>/<scope>/<region>/<kind>/<resource id>`), because GitHub code scanning rejects a
 * result without `physicalLocation.artifactLocation.uri`. Gaps become tool execution notifications. The document
 * stays inside GitHub's published limits (results per run, tags per rule).
 */
import { attackTechnique } from '../src/core/frameworks/index.ts';
import type { OutputFile } from '../src/core/output-file.ts';
import { sortBy } from '../src/core/model/order.ts';
import type { CheckMeta, Finding, ScanResult, Severity } from '../src/core/model/result.ts';
import { sarifText } from './escape.ts';
import type { RenderContext } from './types.ts';
import {
  map,
  prettyDocument,
  type ResultSource,
  resultSource,
  scopeHeads,
  scopeNames,
  type StreamedFile,
  take,
  wholeFiles,
} from './source.ts';
import { limitGaps } from './view-model.ts';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const FINGERPRINT_KEY = 'snapauditFingerprint/v1';
/** The folder every pseudo-path of a cloud resource sits under. */
export const CLOUD_ROOT = 'cloud';
/**
 * GitHub code scanning rejects a run with more than 25,000 results (and shows the 5,000 most severe):
 * https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
 */
export const SARIF_MAX_RESULTS = 25_000;
/** GitHub shows 10 tags per rule (and rejects more than 20). */
export const SARIF_MAX_TAGS = 10;

type Level = 'error' | 'warning' | 'note';

const levelFor: Record<Severity, Level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning reads `security-severity` (0–10) to rank results. */
const securitySeverity: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

function ruleName(id: string): string {
  return id
    .split(/[.-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function rule(meta: CheckMeta) {
  const refs = [
    ...meta.references.attack,
    ...meta.references.detection,
    ...meta.references.nist.map((n) => `NIST-${n}`),
    ...meta.references.cis,
  ];
  const tags = [...new Set(['security', 'cloud', 'snapshot', ...refs])].slice(0, SARIF_MAX_TAGS);
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.rationale },
    help: {
      text: meta.remediation,
      markdown: `**Why:** ${meta.rationale}\n\n**Fix:** ${meta.remediation}\n\nReferences: ${refs.join(', ')}`,
    },
    helpUri: attackTechnique.url,
    defaultConfiguration: { level: levelFor[meta.severity] },
    properties: {
      tags,
      references: refs,
      precision: 'high',
      'security-severity': securitySeverity[meta.severity],
      severity: meta.severity,
      providers: meta.providers,
      nist: meta.references.nist,
      cis: meta.references.cis,
    },
  };
}

interface LogicalLocation {
  name: string;
  fullyQualifiedName: string;
  kind: string;
  parentIndex?: number;
}

class Locations {
  readonly list: LogicalLocation[] = [];
  private readonly index = new Map<string, number>();

  add(loc: LogicalLocation): number {
    const existing = this.index.get(loc.fullyQualifiedName);
    if (existing !== undefined) return existing;
    this.list.push(loc);
    this.index.set(loc.fullyQualifiedName, this.list.length - 1);
    return this.list.length - 1;
  }
}

function locate(locations: Locations, f: Finding, scopeName: string): { index: number; loc: LogicalLocation } {
  const scopeFqn = `${f.provider}/${f.scopeId}`;
  let parent = locations.add({ name: scopeName, fullyQualifiedName: scopeFqn, kind: 'namespace' });
  let fqn = scopeFqn;
  if (f.region) {
    fqn = `${fqn}/${f.region}`;
    parent = locations.add({ name: f.region, fullyQualifiedName: fqn, kind: 'namespace', parentIndex: parent });
  }
  if (f.resource) {
    fqn = `${fqn}/${f.resource.id}`;
    parent = locations.add({ name: f.resource.name ?? f.resource.id, fullyQualifiedName: fqn, kind: 'resource', parentIndex: parent });
  }
  return { index: parent, loc: locations.list[parent]! };
}

/** One path segment of a pseudo-path: a cloud id (ARN, ARM id, self link) cannot add or climb folders. */
function segment(s: string): string {
  return encodeURIComponent(s).replace(/^\.{1,2}$/, (d) => d.replace(/\./g, '%2E'));
}

/**
 * The repository-relative pseudo-path of what a finding is about: the same resource gives the same path in every
 * scan, so code scanning keeps one alert per resource. The kind folder names the artifact kind (`disk-snapshot`,
 * `image`, `db-snapshot`…) or the principal type (`principal-role`).
 */
export function artifactUri(f: Finding): string {
  const parts = [CLOUD_ROOT, f.provider, f.scopeId, f.region ?? 'global'];
  if (f.resource) parts.push(f.resource.kind.replace(/:/g, '-'), f.resource.id);
  else parts.push('scope');
  return parts.map((p, i) => (i === 0 ? p : segment(p))).join('/');
}

function sarifResult(f: Finding, ruleIndex: number, location: { index: number; loc: LogicalLocation }) {
  const { index, loc } = location;
  return {
    ruleId: f.checkId,
    ruleIndex,
    level: levelFor[f.severity],
    message: { text: sarifText(f.message) },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: artifactUri(f) }, region: { startLine: 1 } },
        logicalLocations: [{ index, name: loc.name, fullyQualifiedName: loc.fullyQualifiedName, kind: loc.kind }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.status === 'suppressed' && f.suppression
      ? {
          suppressions: [
            {
              kind: 'external',
              status: f.suppression.expired ? 'underReview' : 'accepted',
              justification: `${f.suppression.reason} (accepted by ${f.suppression.owner} until ${f.suppression.expires}${f.suppression.expired ? ', expired' : ''})`,
            },
          ],
        }
      : {}),
    properties: {
      severity: f.severity,
      'security-severity': securitySeverity[f.severity],
      provider: f.provider,
      scopeId: f.scopeId,
      region: f.region,
      owner: f.owner,
      resourceKind: f.resource?.kind ?? null,
    },
  };
}

/** The rules: every check that ran, then any check only a finding names (in the order findings name them). */
function sarifRules(checks: readonly CheckMeta[], findings: Iterable<Finding>): { metas: CheckMeta[]; total: number } {
  const metas = sortBy(checks, (c) => c.id);
  const known = new Set(metas.map((c) => c.id));
  let total = 0;
  for (const f of findings) {
    total++;
    if (known.has(f.checkId)) continue;
    known.add(f.checkId);
    metas.push({
      id: f.checkId,
      title: f.title,
      severity: f.severity,
      rationale: f.title,
      remediation: 'See the finding message.',
      providers: [f.provider],
      references: { attack: [attackTechnique.subTechniqueId], detection: [], nist: [], cis: [], urls: [] },
    });
  }
  return { metas, total };
}

const RESULTS_PLACEHOLDER = '@@snapaudit-sarif-results@@';

/**
 * The SARIF document with its `results` left as a placeholder, and the results one at a time: the findings are read
 * three times (rules and count, the logical locations the document lists before the results, the results), never
 * held; at most SARIF_MAX_RESULTS of them are kept, so the locations stay bounded.
 */
function sarifParts(source: ResultSource): { doc: { runs: Array<Record<string, unknown>> }; results: () => Iterable<unknown> } {
  const { header } = source;
  const heads = scopeHeads(source);
  const scopeName = scopeNames(heads);
  const { metas, total } = sarifRules(header.checks, source.findings('canonical'));
  const ruleIndex = new Map(metas.map((c, i) => [c.id, i] as const));
  const locations = new Locations();
  let kept = 0;
  for (const f of take(source.findings('canonical'), SARIF_MAX_RESULTS)) {
    locate(locations, f, scopeName(f.provider, f.scopeId));
    kept++;
  }
  const results = () =>
    map(take(source.findings('canonical'), SARIF_MAX_RESULTS), (f) =>
      sarifResult(f, ruleIndex.get(f.checkId)!, locate(locations, f, scopeName(f.provider, f.scopeId))),
    );
  const notifications = limitGaps(header.discovery, heads).map((g) => ({
    level: 'warning',
    message: {
      text: sarifText(
        `${g.provider} ${g.scopeName}: ${g.gap.code} reading ${g.gap.part}${g.gap.operation ? ` (${g.gap.operation})` : ''}${g.gap.region ? ` in ${g.gap.region}` : ''}: ${g.gap.message}`,
      ),
    },
    descriptor: { id: `gap/${g.gap.code}` },
  }));
  if (total > kept) {
    notifications.push({
      level: 'warning',
      message: {
        text: `${total - kept} of ${total} findings (the least severe) are left out: GitHub code scanning accepts at most ${SARIF_MAX_RESULTS} results per run. findings.csv and result.json hold every finding.`,
      },
      descriptor: { id: 'limit/results' },
    });
  }
  const doc = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'snapaudit',
            version: header.tool.version,
            semanticVersion: header.tool.version,
            rules: metas.map(rule),
          },
        },
        automationDetails: { id: `snapaudit/${header.scan.id}` },
        invocations: [
          {
            executionSuccessful: header.scan.complete,
            startTimeUtc: header.scan.startedAt,
            endTimeUtc: header.scan.finishedAt,
            toolExecutionNotifications: notifications,
          },
        ],
        logicalLocations: locations.list,
        results: RESULTS_PLACEHOLDER as unknown,
        properties: {
          scanId: header.scan.id,
          providers: header.scan.providers,
          complete: header.scan.complete,
          technique: attackTechnique.subTechniqueId,
        },
      },
    ],
  };
  return { doc, results };
}

export function renderSarifDocument(result: ScanResult): object {
  const { doc, results } = sarifParts(resultSource(result));
  doc.runs[0]!.results = [...results()];
  return doc;
}

/** results.sarif, its results streamed one by one (three levels deep: runs, the run, results). */
export function streamSarif(source: ResultSource, _ctx: RenderContext): StreamedFile[] {
  return [
    {
      name: 'results.sarif',
      chunks: () => {
        const { doc, results } = sarifParts(source);
        return prettyDocument(doc, [{ placeholder: RESULTS_PLACEHOLDER, depth: 3, items: results }]);
      },
    },
  ];
}

export function renderSarif(result: ScanResult, ctx: RenderContext): OutputFile[] {
  return wholeFiles(streamSarif(resultSource(result), ctx));
}
