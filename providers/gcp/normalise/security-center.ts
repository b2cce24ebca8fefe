/**
 * Security Command Center's detectors for exposed members of the snapshot family (src/core/catalogue/
 * exposure-detectors.json: Security Health Analytics' PUBLIC_COMPUTE_IMAGE,
 * https://cloud.google.com/security-command-center/docs/concepts-vulnerabilities-findings#compute-image-findings) as
 * detective controls of a project. A detector runs where the Security Health Analytics service is effectively ENABLED
 * for the project and its module (named by the finding category) is effectively ENABLED; an ancestor's DISABLED
 * overrides every module (https://cloud.google.com/security-command-center/docs/reference/security-center-management/rest/v1/projects.locations.securityCenterServices).
 * A read that was refused leaves it `unknown`, never `no`. Its ACTIVE findings corroborate the scanner's own verdict
 * on an image; where the two disagree the scanner's read of the image's IAM policy decides and the disagreement is
 * kept as a conflict on the image.
 */
import { detectorsOf, type ExposureDetector } from '../../../src/core/catalogue/exposure-detectors.ts';
import { withPublicHint } from '../../../src/core/model/provenance.ts';
import type { DetectiveControl, Snapshot } from '../../../src/core/model/result.ts';
import type { RawSccFindingResult, RawSccService } from '../raw.ts';

export const SCC_DETECTORS: readonly ExposureDetector[] = detectorsOf('scc-health-analytics');
export const SERVICE_READ = 'securitycentermanagement:securityCenterServices.get';
export const FINDINGS_READ = 'securitycenter:findings.list';

/** The findings filter: the catalogued categories, ACTIVE only (https://cloud.google.com/security-command-center/docs/how-to-api-list-findings). */
export function findingsFilter(): string {
  const categories = SCC_DETECTORS.map((d) => `category="${d.control}"`).join(' OR ');
  return `(${categories}) AND state="ACTIVE"`;
}

export interface SccReading {
  projectId: string;
  /** The Security Health Analytics service's settings; null when not read (or refused). */
  service: RawSccService | null;
  /** The ACTIVE findings of the catalogued categories; null when not read (or refused). */
  findings: RawSccFindingResult[] | null;
}

function control(
  d: ExposureDetector,
  enabled: DetectiveControl['enabled'],
  source: string,
  reasons: string[],
  findings: number | null,
): DetectiveControl {
  return {
    id: `scc:${d.control}@global`,
    kind: 'scc-health-analytics',
    control: d.control,
    title: d.title,
    region: 'global',
    detects: d.detects,
    enabled,
    via: enabled === 'yes' ? ['Security Health Analytics'] : [],
    activeFindings: findings,
    reasons,
    source,
  };
}

const active = (r: SccReading, category: string): number | null =>
  r.findings === null ? null : r.findings.filter((f) => f.finding?.category === category && f.finding?.state === 'ACTIVE').length;

/** The catalogued detectors of one project, judged from what was read. */
export function securityCenterDetectors(r: SccReading): DetectiveControl[] {
  return SCC_DETECTORS.map((d) => {
    const findings = active(r, d.control);
    const unreadFindings = r.findings === null ? [`the project's ${d.control} findings could not be read`] : [];
    if (!r.service)
      return control(
        d,
        'unknown',
        SERVICE_READ,
        [`whether Security Health Analytics runs for project ${r.projectId} could not be read`, ...unreadFindings],
        findings,
      );
    const service = r.service.effectiveEnablementState ?? null;
    if (service !== 'ENABLED') {
      const state = service ?? 'not reported';
      return control(
        d,
        service === null ? 'unknown' : 'no',
        SERVICE_READ,
        [`Security Health Analytics is ${state} for project ${r.projectId}`, ...unreadFindings],
        findings,
      );
    }
    const module = r.service.modules?.[d.control]?.effectiveEnablementState ?? null;
    if (module === 'ENABLED') return control(d, 'yes', SERVICE_READ, unreadFindings, findings);
    if (module === null)
      return control(
        d,
        'unknown',
        SERVICE_READ,
        [`the ${d.control} module's state is not reported for project ${r.projectId}`, ...unreadFindings],
        findings,
      );
    return control(d, 'no', SERVICE_READ, [`the ${d.control} module is ${module} for project ${r.projectId}`, ...unreadFindings], findings);
  });
}

/** `//compute.googleapis.com/projects/p/global/images/x` → `x`, for the project's own images. */
function imageOf(resourceName: string, projectId: string): string | null {
  const m = /^\/\/compute\.googleapis\.com\/projects\/([^/]+)\/global\/images\/([^/]+)$/.exec(resourceName);
  return m && m[1] === projectId ? (m[2] as string) : null;
}

/**
 * The images an ACTIVE PUBLIC_COMPUTE_IMAGE finding names, with corroborating evidence added to each: a fact (not
 * authoritative), and a conflict where the scanner's own IAM read found the image not public (the IAM read decides).
 */
export function corroborateImages(items: Snapshot[], r: SccReading): Snapshot[] {
  if (!r.findings) return items;
  const flagged = new Set<string>();
  for (const f of r.findings) {
    if (f.finding?.category !== 'PUBLIC_COMPUTE_IMAGE' || f.finding.state !== 'ACTIVE') continue;
    const name = imageOf(f.finding.resourceName ?? f.resource?.name ?? '', r.projectId);
    if (name) flagged.add(name);
  }
  if (flagged.size === 0) return items;
  const source = `${FINDINGS_READ} PUBLIC_COMPUTE_IMAGE`;
  return items.map((s) => (s.kind === 'image' && flagged.has(s.id) ? withPublicHint(s, { source, value: 'ACTIVE' }) : s));
}
