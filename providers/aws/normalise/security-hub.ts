/**
 * AWS Security Hub's controls for snapshot exposure (src/core/catalogue/exposure-detectors.json: EC2.1, EC2.182,
 * RDS.1, RDS.4) as detective controls of one account × region. Security Hub is regional: a control runs in a region
 * only where the account is subscribed there (DescribeHub,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DescribeHub.html) and the control is enabled in at
 * least one enabled standard (GetEnabledStandards, then BatchGetStandardsControlAssociations for each control and
 * standard: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchGetStandardsControlAssociations.html).
 * A standard counts while its subscription is READY or INCOMPLETE (PENDING, FAILED and DELETING ones run no checks:
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_StandardsSubscription.html). A read that was refused
 * leaves the control `unknown`, never `no`.
 */
import type {
  AwsSecurityFinding,
  StandardsControlAssociationDetail,
  StandardsSubscription,
  UnprocessedStandardsControlAssociation,
} from '@aws-sdk/client-securityhub';
import { detectorsOf, type ExposureDetector, standardName } from '../../../src/core/catalogue/exposure-detectors.ts';
import { withPublicHint } from '../../../src/core/model/provenance.ts';
import type { DetectiveControl, Snapshot, Tri } from '../../../src/core/model/result.ts';

/** DescribeHub's answer: subscribed, not subscribed (InvalidAccessException / ResourceNotFoundException), or unread. */
export type HubState = 'subscribed' | 'not-subscribed' | null;

export interface HubReading {
  region: string;
  hub: HubState;
  /** GetEnabledStandards' subscriptions; null when not read (or refused). */
  standards: StandardsSubscription[] | null;
  /** BatchGetStandardsControlAssociations' answer; null when not read (or refused). */
  associations: { details: StandardsControlAssociationDetail[]; unprocessed: UnprocessedStandardsControlAssociation[] } | null;
  /** The ACTIVE FAILED findings of the enabled controls (GetFindings); null when not read (or refused). */
  findings?: AwsSecurityFinding[] | null;
}

/** Standards subscriptions that run their controls. */
export const RUNNING_STATUSES: ReadonlySet<string> = new Set(['READY', 'INCOMPLETE']);
/** Unprocessed associations that only say the control is not part of that standard. */
const NOT_IN_STANDARD: ReadonlySet<string> = new Set(['RESOURCE_NOT_FOUND', 'NOT_FOUND']);

export const SECURITY_HUB_CONTROLS: readonly ExposureDetector[] = detectorsOf('security-hub-control');

/** The standards a region's controls can run in: READY or INCOMPLETE subscriptions, by StandardsArn. */
export function runningStandards(standards: readonly StandardsSubscription[]): string[] {
  return [...new Set(standards.filter((s) => RUNNING_STATUSES.has(s.StandardsStatus ?? '')).map((s) => s.StandardsArn ?? ''))]
    .filter((a) => a !== '')
    .sort();
}

function control(
  d: ExposureDetector,
  region: string,
  enabled: Tri,
  source: string,
  reasons: string[],
  via: string[] = [],
): DetectiveControl {
  return {
    id: `security-hub:${d.control}@${region}`,
    kind: 'security-hub-control',
    control: d.control,
    title: d.title,
    region,
    detects: d.detects,
    enabled,
    via,
    activeFindings: null,
    reasons,
    source,
  };
}

function judgeOne(d: ExposureDetector, r: HubReading, running: string[]): DetectiveControl {
  const assoc = r.associations;
  if (!assoc)
    return control(d, r.region, 'unknown', 'securityhub:BatchGetStandardsControlAssociations', [
      `whether ${d.control} is enabled could not be read`,
    ]);
  const mine = assoc.details.filter((a) => a.SecurityControlId === d.control && running.includes(a.StandardsArn ?? ''));
  const on = mine.filter((a) => a.AssociationStatus === 'ENABLED');
  const source = 'securityhub:BatchGetStandardsControlAssociations';
  if (on.length) {
    const via = [...new Set(on.map((a) => standardName(a.StandardsArn ?? '')))].sort();
    const found = r.findings ? r.findings.filter((f) => controlOf(f) === d.control).length : null;
    const unread = r.findings === null ? [`the ${d.control} findings could not be read`] : [];
    return { ...control(d, r.region, 'yes', source, unread, via), activeFindings: found };
  }
  const failed = assoc.unprocessed.filter(
    (u) => u.StandardsControlAssociationId?.SecurityControlId === d.control && !NOT_IN_STANDARD.has(u.ErrorCode ?? ''),
  );
  if (failed.length)
    return control(
      d,
      r.region,
      'unknown',
      source,
      failed.map(
        (u) => `${d.control} in ${standardName(u.StandardsControlAssociationId?.StandardsArn ?? '?')} could not be read: ${u.ErrorCode}`,
      ),
    );
  const off = mine.map((a) => {
    const why = a.UpdatedReason ? ` (reason given: ${a.UpdatedReason})` : '';
    return `${d.control} is disabled in ${standardName(a.StandardsArn ?? '?')}${why}`;
  });
  return control(d, r.region, 'no', source, off.length ? off : [`${d.control} is not part of any standard enabled in ${r.region}`]);
}

/** The catalogued Security Hub controls of one region, judged from what was read there. */
export function securityHubControls(r: HubReading): DetectiveControl[] {
  return SECURITY_HUB_CONTROLS.map((d) => {
    if (r.hub === null)
      return control(d, r.region, 'unknown', 'securityhub:DescribeHub', [
        `whether Security Hub is enabled in ${r.region} could not be read`,
      ]);
    if (r.hub === 'not-subscribed')
      return control(d, r.region, 'no', 'securityhub:DescribeHub', [`Security Hub is not enabled in ${r.region}`]);
    if (!r.standards)
      return control(d, r.region, 'unknown', 'securityhub:GetEnabledStandards', [`the standards enabled in ${r.region} could not be read`]);
    const running = runningStandards(r.standards);
    if (running.length === 0) {
      const idle = r.standards.map((s) => `${standardName(s.StandardsArn ?? '?')} is ${s.StandardsStatus ?? 'in no state'}`);
      return control(d, r.region, 'no', 'securityhub:GetEnabledStandards', [`no standard is enabled in ${r.region}`, ...idle]);
    }
    return judgeOne(d, r, running);
  });
}

const FINDINGS_READ = 'securityhub:GetFindings';

/** A finding's control id (consolidated control findings: Compliance.SecurityControlId). */
const controlOf = (f: AwsSecurityFinding) => f.Compliance?.SecurityControlId ?? null;

/**
 * Security Hub's RDS.1 findings as corroborating evidence on the DB snapshots they name (a non-authoritative `public`
 * fact), and, where the scanner's own attribute read found the snapshot not public, a conflict the attribute decides
 * (https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-1 evaluates the same attribute on its
 * own schedule: a finding can be older than a fix).
 */
export function corroborateWithHub(items: Snapshot[], findings: readonly AwsSecurityFinding[]): Snapshot[] {
  const flagged = new Map<string, string>();
  for (const f of findings) {
    if (controlOf(f) !== 'RDS.1') continue;
    const status = f.Compliance?.Status;
    // The value quoted is the one received: a finding without a compliance status says nothing.
    if (status) for (const r of f.Resources ?? []) if (r.Id) flagged.set(r.Id, status);
  }
  if (flagged.size === 0) return items;
  const source = `${FINDINGS_READ} RDS.1`;
  return items.map((s) => {
    const status = flagged.get(s.resourceId);
    if (status === undefined || (s.kind !== 'db-snapshot' && s.kind !== 'db-cluster-snapshot')) return s;
    return withPublicHint(s, { source, value: status });
  });
}

/**
 * EC2.1 reports on the account, not on a snapshot: where it has an ACTIVE FAILED finding in a region in which the
 * scanner's own reads judged every EBS snapshot not public, the detector says so (the scanner's reads decide).
 */
export function reconcileEc21(detectors: DetectiveControl[], items: readonly Snapshot[]): DetectiveControl[] {
  return detectors.map((d) => {
    if (d.control !== 'EC2.1' || !d.activeFindings) return d;
    const here = items.filter((s) => s.kind === 'disk-snapshot' && s.region === d.region);
    // Only where every EBS snapshot of the region was judged: an unknown one may be the public one.
    if (here.some((s) => s.sharing.public !== 'no')) return d;
    return {
      ...d,
      reasons: [
        ...d.reasons,
        `Security Hub's EC2.1 reports a publicly restorable EBS snapshot in ${d.region}; the scanner's own reads found none there, and decide`,
      ],
    };
  });
}
