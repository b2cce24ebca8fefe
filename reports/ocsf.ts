/**
 * OCSF 1.8.0 Compliance Finding events (class_uid 2003, category Findings): one event per finding, with the
 * compliance standards and requirements it fails, the ATT&CK technique in finding_info.attacks, the cloud account
 * and the resource. Written as a JSON array, one event per line (findings.ocsf.json). A test resolves the class definitions in
 * ../shared/fixtures/ocsf and validates every event.
 */
import { attackTechnique, attackVersion, frameworks, controlsForCheck } from '../src/core/frameworks/index.ts';
import type { OutputFile } from '../src/core/output-file.ts';
import type { CheckMeta, Finding, Provider, ScanResult, Severity } from '../src/core/model/result.ts';
import { resourceType } from './resource-types.ts';
import type { RenderContext } from './types.ts';
import { type ResultSource, resultSource, scopeHeads, scopeNames, type StreamedFile, wholeFiles } from './source.ts';

export const OCSF_VERSION = '1.8.0';
const CATEGORY_UID = 2;
const CLASS_UID = 2003;
const ACTIVITY_CREATE = 1;

export const severityId: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
export const severityCaption: Record<Severity, string> = {
  info: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};
export const cloudProvider: Record<Provider, string> = { aws: 'AWS', azure: 'Azure', gcp: 'GCP' };
/** OCSF account.type_id: 10 AWS Account, 13 Azure Subscription, 11 GCP Project. */
export const accountType: Record<Provider, { id: number; caption: string }> = {
  aws: { id: 10, caption: 'AWS Account' },
  azure: { id: 13, caption: 'Azure Subscription' },
  gcp: { id: 11, caption: 'GCP Project' },
};

function compliance(meta: CheckMeta | undefined, f: Finding) {
  const standards: string[] = [];
  const requirements: string[] = [];
  if (meta) {
    for (const fw of frameworks) {
      if (fw.id === 'mitre-attack' || !fw.providers.includes(f.provider)) continue;
      const controls = controlsForCheck(fw, meta.references);
      if (controls.length === 0) continue;
      standards.push(`${fw.name} ${fw.version}`);
      for (const c of controls) requirements.push(`${fw.name} ${fw.version} ${c.id}`);
    }
  }
  return {
    control: f.checkId,
    desc: meta?.rationale ?? f.title,
    standards,
    requirements,
    status_id: 3,
    status: 'Fail',
    checks: [
      {
        uid: f.checkId,
        name: f.title,
        severity_id: severityId[f.severity],
        severity: severityCaption[f.severity],
        standards,
        status_id: 3,
        status: 'Fail',
      },
    ],
  };
}

export function ocsfEvent(result: ScanResult, f: Finding, scopeName: string, scopeKnown: boolean): Record<string, unknown> {
  const meta = result.checks.find((c) => c.id === f.checkId);
  const time = Date.parse(result.scan.finishedAt);
  const suppressed = f.status === 'suppressed';
  const resource = f.resource
    ? {
        uid: f.resource.id,
        name: f.resource.name ?? f.resource.id,
        type: resourceType(f.provider, f.resource.kind),
        region: f.region ?? undefined,
        role_id: 1,
        role: 'Target',
      }
    : {
        uid: f.scopeId,
        name: scopeName,
        type: scopeKnown ? `${f.provider} scope` : `${f.provider} discovery`,
        region: f.region ?? undefined,
        role_id: 1,
        role: 'Target',
      };
  return {
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Compliance Finding: Create',
    severity_id: severityId[f.severity],
    severity: severityCaption[f.severity],
    status_id: suppressed ? 3 : 1,
    status: suppressed ? 'Suppressed' : 'New',
    time,
    timezone_offset: 0,
    message: f.message,
    metadata: {
      version: OCSF_VERSION,
      uid: `${result.scan.id}:${f.fingerprint}`,
      log_name: 'snapaudit',
      profiles: ['cloud', 'security_control'],
      product: { name: 'snapaudit', vendor_name: 'snapaudit', version: result.tool.version, uid: 'snapaudit' },
    },
    cloud: {
      provider: cloudProvider[f.provider],
      ...(f.region ? { region: f.region } : {}),
      ...(scopeKnown
        ? { account: { uid: f.scopeId, name: scopeName, type_id: accountType[f.provider].id, type: accountType[f.provider].caption } }
        : {}),
    },
    finding_info: {
      uid: f.fingerprint,
      title: f.title,
      desc: f.message,
      types: [f.checkId],
      created_time: time,
      product_uid: 'snapaudit',
      src_url: attackTechnique.url,
      attacks: [
        {
          version: attackVersion,
          tactic: { uid: attackTechnique.tacticId, name: attackTechnique.tacticName },
          technique: { uid: attackTechnique.id, name: attackTechnique.name },
          sub_technique: { uid: attackTechnique.subTechniqueId, name: attackTechnique.subTechniqueName, src_url: attackTechnique.url },
        },
      ],
    },
    compliance: compliance(meta, f),
    remediation: {
      desc: meta?.remediation ?? 'See the finding message.',
      references: [attackTechnique.url, ...(meta?.references.urls ?? [])],
    },
    resources: [resource],
    unmapped: {
      snapaudit: {
        scan_id: result.scan.id,
        check_id: f.checkId,
        resource_kind: f.resource?.kind ?? null,
        fingerprint: f.fingerprint,
        owner: f.owner,
        evidence: f.evidence,
        suppression: f.suppression,
        detection_strategy: meta?.references.detection ?? [],
      },
    },
  };
}

/** The OCSF events of a source's findings, in canonical order, one at a time. */
function* ocsfEvents(source: ResultSource): Generator<Record<string, unknown>> {
  const heads = scopeHeads(source);
  const scopeName = scopeNames(heads);
  const known = new Set(heads.map((s) => `${s.scope.provider}\u0000${s.scope.id}`));
  for (const f of source.findings('canonical')) {
    yield ocsfEvent(source.header, f, scopeName(f.provider, f.scopeId), known.has(`${f.provider}\u0000${f.scopeId}`));
  }
}

export function renderOcsfEvents(result: ScanResult): Record<string, unknown>[] {
  return [...ocsfEvents(resultSource(result))];
}

/** findings.ocsf.json: a JSON array, one event per line, streamed event by event. */
export function streamOcsf(source: ResultSource, _ctx: RenderContext): StreamedFile[] {
  return [
    {
      name: 'findings.ocsf.json',
      chunks: function* () {
        let first = true;
        for (const e of ocsfEvents(source)) {
          yield `${first ? '[\n' : ',\n'}${JSON.stringify(e)}`;
          first = false;
        }
        yield first ? '[]\n' : '\n]\n';
      },
    },
  ];
}

export function renderOcsf(result: ScanResult, ctx: RenderContext): OutputFile[] {
  return wholeFiles(streamOcsf(resultSource(result), ctx));
}
