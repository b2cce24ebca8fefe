/**
 * SARIF 2.1.0 for code-scanning dashboards: one rule per check (from its metadata), one result per finding with a
 * stable `partialFingerprints` entry (the finding fingerprint, so dashboards deduplicate across scans), and the
 * cloud resource as a logical location under its scope and region. Gaps become tool execution notifications.
 */
import { attackTechnique } from '../src/core/frameworks/index.ts';
import type { OutputFile } from '../src/core/output-file.ts';
import { sortBy } from '../src/core/model/order.ts';
import type { CheckMeta, Finding, ScanResult, Severity } from '../src/core/model/result.ts';
import { sarifText } from './escape.ts';
import type { RenderContext } from './types.ts';
import { buildReportModel } from './view-model.ts';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const FINGERPRINT_KEY = 'snapauditFingerprint/v1';

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
      tags: ['security', 'cloud', 'snapshot', ...refs],
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

export function renderSarifDocument(result: ScanResult): object {
  const m = buildReportModel(result);
  const metas = sortBy(result.checks, (c) => c.id);
  // Findings of a check missing from `checks` (an older result) still get a rule.
  for (const f of m.findings) {
    if (!metas.some((c) => c.id === f.checkId)) {
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
  }
  const ruleIndex = new Map(metas.map((c, i) => [c.id, i] as const));
  const locations = new Locations();
  const results = m.findings.map((f) => {
    const { index, loc } = locate(locations, f, m.scopeName(f.provider, f.scopeId));
    return {
      ruleId: f.checkId,
      ruleIndex: ruleIndex.get(f.checkId)!,
      level: levelFor[f.severity],
      message: { text: sarifText(f.message) },
      locations: [{ logicalLocations: [{ index, name: loc.name, fullyQualifiedName: loc.fullyQualifiedName, kind: loc.kind }] }],
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
  });
  const notifications = m.limits.gaps.map((g) => ({
    level: 'warning',
    message: {
      text: sarifText(
        `${g.provider} ${g.scopeName}: ${g.gap.code} reading ${g.gap.part}${g.gap.operation ? ` (${g.gap.operation})` : ''}${g.gap.region ? ` in ${g.gap.region}` : ''}: ${g.gap.message}`,
      ),
    },
    descriptor: { id: `gap/${g.gap.code}` },
  }));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'snapaudit',
            version: result.tool.version,
            semanticVersion: result.tool.version,
            rules: metas.map(rule),
          },
        },
        automationDetails: { id: `snapaudit/${result.scan.id}` },
        invocations: [
          {
            executionSuccessful: result.scan.complete,
            startTimeUtc: result.scan.startedAt,
            endTimeUtc: result.scan.finishedAt,
            toolExecutionNotifications: notifications,
          },
        ],
        logicalLocations: locations.list,
        results,
        properties: {
          scanId: result.scan.id,
          providers: result.scan.providers,
          complete: result.scan.complete,
          technique: attackTechnique.subTechniqueId,
        },
      },
    ],
  };
}

export function renderSarif(result: ScanResult, _ctx: RenderContext): OutputFile[] {
  return [{ name: 'results.sarif', content: `${JSON.stringify(renderSarifDocument(result), null, 2)}\n` }];
}
