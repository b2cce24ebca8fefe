/**
 * AWS Security Hub's controls for snapshot exposure per account × region (normalise/security-hub.ts judges them).
 * Security Hub is regional, and a finding aggregator only copies findings to another region — the controls still run
 * (or not) in each region — so every enabled region is read: DescribeHub (an account that is not subscribed answers
 * InvalidAccessException, or ResourceNotFoundException: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DescribeHub.html#API_DescribeHub_Errors),
 * then, where subscribed, GetEnabledStandards (paged) and, where a standard runs, one
 * BatchGetStandardsControlAssociations for every catalogued control × running standard and, where one of them is
 * enabled, its ACTIVE FAILED findings (GetFindings, paged): corroborating evidence, never the verdict. At most four
 * calls a region (more with over 100 findings).
 */
import type { AwsSecurityFinding, StandardsSubscription } from '@aws-sdk/client-securityhub';
import type { DetectiveControl } from '../../../src/core/model/result.ts';
import { type HubReading, type HubState, runningStandards, SECURITY_HUB_CONTROLS, securityHubControls } from '../normalise/security-hub.ts';
import { type AccountIO, allPages } from '../scope-io.ts';

/** Is Security Hub enabled in the region? A refusal or failure is a gap and `null` (unknown), never "not enabled". */
async function hubState(io: AccountIO, region: string): Promise<HubState> {
  const answer = await io.part('alerting', region, () => io.api.describeHub(region));
  if (!answer) return null;
  return answer.subscribed ? 'subscribed' : 'not-subscribed';
}

async function readRegion(io: AccountIO, region: string): Promise<HubReading> {
  const hub = await hubState(io, region);
  if (hub !== 'subscribed') return { region, hub, standards: null, associations: null };
  const standards = await io.part('alerting', region, () =>
    allPages<StandardsSubscription>(io.listing('securityhub:GetEnabledStandards', region), async (token) => {
      const out = await io.api.getEnabledStandards(region, { NextToken: token, MaxResults: 100 });
      return { items: out.StandardsSubscriptions, next: out.NextToken };
    }),
  );
  if (!standards) return { region, hub, standards: null, associations: null };
  const running = runningStandards(standards);
  if (running.length === 0) return { region, hub, standards, associations: { details: [], unprocessed: [] } };
  const ids = SECURITY_HUB_CONTROLS.flatMap((d) => running.map((arn) => ({ SecurityControlId: d.control, StandardsArn: arn })));
  const out = await io.part('alerting', region, () =>
    io.api.batchGetStandardsControlAssociations(region, { StandardsControlAssociationIds: ids }),
  );
  const associations = out
    ? { details: out.StandardsControlAssociationDetails ?? [], unprocessed: out.UnprocessedAssociations ?? [] }
    : null;
  const enabled = [
    ...new Set(
      (associations?.details ?? [])
        .filter((a) => a.AssociationStatus === 'ENABLED' && running.includes(a.StandardsArn ?? ''))
        .map((a) => a.SecurityControlId ?? ''),
    ),
  ]
    .filter((c) => c !== '')
    .sort();
  if (enabled.length === 0) return { region, hub, standards, associations };
  return { region, hub, standards, associations, findings: (await activeFindings(io, region, enabled)) ?? null };
}

/**
 * The enabled controls' ACTIVE FAILED findings (GetFindings, 100 a page): values of one filter field are OR-ed,
 * fields AND-ed (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFindingFilters.html).
 */
function activeFindings(io: AccountIO, region: string, controls: string[]): Promise<AwsSecurityFinding[] | undefined> {
  const eq = (Value: string) => ({ Value, Comparison: 'EQUALS' as const });
  const Filters = {
    ComplianceSecurityControlId: controls.map(eq),
    RecordState: [eq('ACTIVE')],
    ComplianceStatus: [eq('FAILED')],
  };
  return io.part('alerting', region, () =>
    allPages<AwsSecurityFinding>(io.listing('securityhub:GetFindings', region), async (token) => {
      const out = await io.api.getFindings(region, { Filters, MaxResults: 100, NextToken: token });
      return { items: out.Findings, next: out.NextToken };
    }),
  );
}

/** The catalogued Security Hub controls of every enabled region of the account, and their ACTIVE FAILED findings. */
export async function collectSecurityHub(io: AccountIO): Promise<{ detectors: DetectiveControl[]; findings: AwsSecurityFinding[] }> {
  const readings = await Promise.all(
    io.scope.regions.map(async (region) => {
      const reading = await readRegion(io, region);
      if (reading.hub !== null) io.ok.add(region);
      return reading;
    }),
  );
  return { detectors: readings.flatMap(securityHubControls), findings: readings.flatMap((r) => r.findings ?? []) };
}
