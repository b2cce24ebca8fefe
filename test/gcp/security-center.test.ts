/**
 * GCP Security Command Center as a detective control for exposed images (issue #25), over the lab's REST wire: the
 * Security Health Analytics service and its PUBLIC_COMPUTE_IMAGE module as they apply to each project, and the
 * project's ACTIVE findings of that category. A refused read is unknown with a gap, never "off"; findings corroborate
 * the scanner's own IAM read of an image, and where they disagree the IAM read decides and the conflict is kept.
 */
import { describe, expect, it } from 'vitest';
import { type SccReading, securityCenterDetectors } from '../../providers/gcp/normalise/security-center.ts';
import type { DetectiveControl } from '../../src/core/model/result.ts';
import { describeCases } from '../support/cases.ts';
import { assertValidResult, scanEstate } from '../support/lab.ts';
import { demoGcpEstate, ORG, scopeOf } from './support.ts';

const orgConfig = { providers: { gcp: { organizationId: ORG } } };
type Project = { id: string; securityCenter?: unknown; images?: Array<{ name: string; iam?: unknown }> };
const projectOf = (gcp: Record<string, unknown>, id: string) => (gcp.projects as Project[]).find((p) => p.id === id) as Project;

describeCases<Omit<SccReading, 'projectId'>, Partial<DetectiveControl>>(
  new URL('./cases/', import.meta.url),
  /^security-center/,
  ({ input, expect: want }) => {
    const [detector] = securityCenterDetectors({ ...input, projectId: 'p1' });
    expect(detector).toMatchObject(want);
  },
);

describe('GCP Security Command Center: PUBLIC_COMPUTE_IMAGE', () => {
  it('names the detector where Security Health Analytics runs, counts its active findings, and corroborates the public image', async () => {
    const { result, lab } = await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: orgConfig });
    const pay = scopeOf(result, 'prod-payments');
    expect(pay.logging.detectors).toEqual([
      {
        id: 'scc:PUBLIC_COMPUTE_IMAGE@global',
        kind: 'scc-health-analytics',
        control: 'PUBLIC_COMPUTE_IMAGE',
        title: 'A Compute Engine image is publicly accessible',
        region: 'global',
        detects: 'public-image',
        enabled: 'yes',
        via: ['Security Health Analytics'],
        activeFindings: 1,
        reasons: [],
        source: 'securitycentermanagement:securityCenterServices.get',
      },
    ]);
    const image = pay.snapshots.find((s) => s.kind === 'image' && s.id === 'payments-db-golden');
    expect(image?.sharing.public).toBe('yes');
    expect(image?.facts).toContainEqual({
      fact: 'public',
      source: 'securitycenter:findings.list PUBLIC_COMPUTE_IMAGE',
      value: 'ACTIVE',
      authoritative: false,
    });
    expect(image?.conflicts).toEqual([]);
    // A project without the service: off, with the state read, and no gap.
    const web = scopeOf(result, 'prod-web');
    expect(web.logging.detectors?.[0]).toMatchObject({
      enabled: 'no',
      activeFindings: 0,
      reasons: ['Security Health Analytics is DISABLED for project prod-web'],
    });
    expect(web.coverage.gaps.filter((g) => g.operation?.startsWith('securitycenter'))).toEqual([]);
    // Two reads per project, both GETs.
    const scc = lab.log.entries.filter((e) => e.service === 'securitycenter' || e.service === 'securitycentermanagement');
    expect(scc.every((e) => e.method === 'GET')).toBe(true);
    expect(new Set(scc.map((e) => `${e.scope}/${e.operation}`)).size).toBe(scc.length);
    expect(
      scc
        .filter((e) => e.scope === 'prod-payments')
        .map((e) => e.operation)
        .sort(),
    ).toEqual(['findings.list', 'securityCenterServices.get']);
    // The finding filter the scanner sends is what the reference documents: categories and state.
    const sent = new URLSearchParams(scc.find((e) => e.operation === 'findings.list')?.query ?? '');
    expect(sent.get('filter')).toBe('(category="PUBLIC_COMPUTE_IMAGE") AND state="ACTIVE"');
    expect(sent.get('pageSize')).toBe('1000');
    // A detective control is not an alert.
    expect(pay.logging.regions.every((r) => !r.alertIds.some((id) => id.startsWith('scc:')))).toBe(true);
  });

  it('keeps a finding that contradicts the image IAM policy as a conflict: the IAM read decides', async () => {
    const estate = demoGcpEstate((gcp) => {
      const pay = projectOf(gcp, 'prod-payments');
      for (const img of pay.images ?? []) img.iam = [];
    });
    const { result } = await scanEstate(estate, { providers: ['gcp'], config: orgConfig });
    const image = scopeOf(result, 'prod-payments').snapshots.find((s) => s.kind === 'image' && s.id === 'payments-db-golden');
    expect(image?.sharing.public).toBe('no');
    expect(image?.conflicts).toHaveLength(1);
    expect(image?.conflicts[0]).toMatchObject({
      fact: 'public',
      overruled: { source: 'securitycenter:findings.list PUBLIC_COMPUTE_IMAGE', value: 'ACTIVE' },
    });
  });

  it('a module switched off is off; an unreported module is unknown', async () => {
    const estate = demoGcpEstate((gcp) => {
      projectOf(gcp, 'prod-payments').securityCenter = { healthAnalytics: 'ENABLED', modules: { PUBLIC_COMPUTE_IMAGE: 'DISABLED' } };
      projectOf(gcp, 'prod-web').securityCenter = { healthAnalytics: 'ENABLED' };
    });
    const { result } = await scanEstate(estate, { providers: ['gcp'], config: orgConfig });
    expect(scopeOf(result, 'prod-payments').logging.detectors?.[0]).toMatchObject({
      enabled: 'no',
      reasons: ['the PUBLIC_COMPUTE_IMAGE module is DISABLED for project prod-payments'],
    });
    expect(scopeOf(result, 'prod-web').logging.detectors?.[0]).toMatchObject({ enabled: 'unknown' });
  });

  it('a refused read is unknown with a gap naming the operation, and the rest of the project completes', async () => {
    const { result } = await scanEstate(demoGcpEstate(), {
      providers: ['gcp'],
      config: orgConfig,
      faults: [
        {
          provider: 'gcp',
          scope: 'prod-payments',
          operation: 'securitycentermanagement:*',
          kind: 'access_denied',
          rate: 1,
          after: 0,
          ms: 0,
        },
        { provider: 'gcp', scope: 'prod-payments', operation: 'securitycenter:*', kind: 'access_denied', rate: 1, after: 0, ms: 0 },
      ],
    });
    assertValidResult(result);
    const pay = scopeOf(result, 'prod-payments');
    expect(pay.logging.detectors?.[0]).toMatchObject({ enabled: 'unknown', activeFindings: null });
    expect(pay.coverage.gaps.map((g) => `${g.code}/${g.part}/${g.operation}`).sort()).toEqual([
      'access_denied/alerting/securitycenter:findings.list',
      'access_denied/alerting/securitycentermanagement:securityCenterServices.get',
    ]);
    // Without the findings, the image keeps its own verdict and no SCC fact.
    const image = pay.snapshots.find((s) => s.id === 'payments-db-golden');
    expect(image?.facts.some((f) => f.source.startsWith('securitycenter'))).toBe(false);
  });

  it('a caller without the Security Center Management Viewer role gets 403 from the lab: unknown, with a gap', async () => {
    const estate = demoGcpEstate((gcp) => {
      const org = gcp.organization as { iam: Array<{ role: string }> };
      org.iam = org.iam.filter((b) => b.role !== 'roles/securitycentermanagement.viewer');
    });
    const { result } = await scanEstate(estate, { providers: ['gcp'], config: orgConfig });
    const pay = scopeOf(result, 'prod-payments');
    // The findings are still read (roles/iam.securityReviewer holds securitycenter.findings.list).
    expect(pay.logging.detectors?.[0]).toMatchObject({ enabled: 'unknown', activeFindings: 1 });
    expect(pay.coverage.gaps.filter((g) => g.operation?.startsWith('securitycenter')).map((g) => `${g.code}/${g.operation}`)).toEqual([
      'access_denied/securitycentermanagement:securityCenterServices.get',
    ]);
  });
});
