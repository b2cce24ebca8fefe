import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultKind, FaultRule } from '../../lab/core.ts';
import type { Gap, ScanResult, ScopeResult } from '../../src/core/model/result.ts';
import { runCli, tempDir } from '../support/cli.ts';
import { assertValidResult, NOW } from '../support/lab.ts';
import { configFile, estateFolder, fault, scanDemo, scopeKeyOf, substance } from './support.ts';
import { readWrittenResult } from '../support/result.ts';

const AWS_MEMBER = '222222222222';
const AZURE_SUB = '6a1f3c52-8d4e-4b7a-9c2f-1e5d7b3a9c02';
const GCP_PROJECT = 'prod-web';

const clean = scanDemo().then((s) => s.result);

function notComplete(result: ScanResult): ScopeResult[] {
  return result.scopes.filter((s) => s.coverage.status !== 'complete');
}

function gapLine(g: Gap): string {
  return `${g.code}/${g.part}/${g.operation}/${g.region}`;
}

function byScope(result: ScanResult): Record<string, string[]> {
  return Object.fromEntries(notComplete(result).map((s) => [scopeKeyOf(s), [...new Set(s.coverage.gaps.map(gapLine))].sort()]));
}

/** One operation per client family of each provider (GCP: every read is REST through google-auth-library's client). */
const families: Array<Pick<FaultRule, 'provider' | 'operation'>> = [
  { provider: 'aws', operation: 'ec2:DescribeSnapshots' }, // EC2 query → XML
  { provider: 'aws', operation: 'iam:GetAccountAuthorizationDetails' }, // query → XML
  { provider: 'aws', operation: 'cloudtrail:DescribeTrails' }, // JSON 1.1
  { provider: 'aws', operation: 'sts:AssumeRole' },
  { provider: 'azure', operation: 'Microsoft.Compute:ListSnapshots' }, // modular client
  { provider: 'azure', operation: 'Microsoft.Authorization:ListRoleAssignments' }, // classic client
  { provider: 'gcp', operation: 'compute:snapshots.list' }, // GET listing
  { provider: 'gcp', operation: 'cloudresourcemanager:getIamPolicy' }, // POST read, raced with the scan's signal
  { provider: 'gcp', operation: 'logging:entries.list' }, // POST search
];

describe('transient faults are retried and lose nothing', () => {
  it.each<FaultKind>(['server_error', 'reset', 'malformed'])('%s on every client family of every provider', async (kind) => {
    const { result, lab } = await scanDemo({ faults: families.map((f) => fault({ ...f, kind, times: 2 })) });
    assertValidResult(result);
    expect(lab.log.entries.filter((e) => e.fault === kind).length).toBe(families.length * 2);
    expect(result.stats.retries).toBeGreaterThanOrEqual(families.length * 2);
    expect(substance(result)).toEqual(substance(await clean));
  });

  it.each<FaultKind>(['reset', 'malformed'])('%s at the Microsoft Entra ID token endpoint: signs in again', async (kind) => {
    const { result } = await scanDemo({ faults: [fault({ provider: 'azure', operation: 'login:GetToken', kind, times: 1 })] });
    expect(substance(result)).toEqual(substance(await clean));
  });
});

describe('persistent faults become gaps with the right code, on that scope and part only', () => {
  it.each<{ kind: FaultKind; code: Gap['code'] }>([
    { kind: 'server_error', code: 'unavailable' },
    { kind: 'reset', code: 'unavailable' },
    { kind: 'malformed', code: 'invalid_response' },
    { kind: 'access_denied', code: 'access_denied' },
  ])('$kind on one API → $code', async ({ kind, code }) => {
    const { result } = await scanDemo({
      faults: [
        fault({ provider: 'aws', scope: AWS_MEMBER, operation: 'events:ListRules', kind }),
        fault({ provider: 'azure', scope: AZURE_SUB, operation: 'Microsoft.Insights:ListDiagnosticSettings', kind }),
        fault({ provider: 'gcp', scope: GCP_PROJECT, operation: 'logging:sinks.list', kind }),
      ],
    });
    assertValidResult(result);
    expect(byScope(result)).toEqual({
      [`aws:${AWS_MEMBER}`]: [
        `${code}/alerting/events:ListRules/eu-central-1`,
        `${code}/alerting/events:ListRules/eu-west-1`,
        `${code}/alerting/events:ListRules/us-east-1`,
      ],
      [`azure:${AZURE_SUB}`]: [`${code}/logging/Microsoft.Insights:ListDiagnosticSettings/null`],
      [`gcp:${GCP_PROJECT}`]: [`${code}/logging/logging:sinks.list/global`],
    });
    for (const s of notComplete(result)) {
      expect(s.coverage.status).toBe('partial');
      for (const g of s.coverage.gaps) expect(g.message.length).toBeGreaterThan(10);
    }
    // The rest of each faulted scope was read: its snapshots are all there.
    const cleanResult = await clean;
    for (const s of notComplete(result)) {
      const before = cleanResult.scopes.find((x) => scopeKeyOf(x) === scopeKeyOf(s));
      expect(s.snapshots).toEqual(before?.snapshots);
    }
    expect(result.discovery.every((d) => d.status === 'complete')).toBe(true);
  });

  it('access denied for a whole account, subscription and project: those scopes fail, the others complete', async () => {
    const { result } = await scanDemo({
      faults: [
        fault({ provider: 'aws', scope: '333333333333', kind: 'access_denied' }),
        fault({ provider: 'azure', scope: AZURE_SUB, kind: 'access_denied' }),
        fault({ provider: 'gcp', scope: GCP_PROJECT, kind: 'access_denied' }),
      ],
    });
    assertValidResult(result);
    const failed = notComplete(result);
    expect(failed.map(scopeKeyOf)).toEqual(['aws:333333333333', `azure:${AZURE_SUB}`, `gcp:${GCP_PROJECT}`]);
    for (const s of failed) {
      expect(s.coverage.status).toBe('failed');
      expect(new Set(s.coverage.gaps.map((g) => g.code))).toEqual(new Set(['access_denied']));
      expect(new Set(s.coverage.gaps.map((g) => g.part))).toEqual(
        new Set(
          s.scope.provider === 'aws'
            ? ['regions', 'logging', 'alerting', 'guards', 'principals', 'snapshots', 'activity']
            : ['logging', 'alerting', 'principals', 'snapshots', 'activity'],
        ),
      );
      for (const g of s.coverage.gaps) expect(g.message).toMatch(/not authorized|does not have authorization|denied/i);
    }
    expect(result.stats.scopes).toMatchObject({ total: 11, complete: 8, failed: 3 });
    const unreadable = result.scopes.flatMap((s) => s.findings).filter((f) => f.checkId === 'coverage.scope-unreadable');
    expect(unreadable.map((f) => `${f.provider}:${f.scopeId}`).sort()).toEqual(failed.map(scopeKeyOf));
  });

  it('access denied in a single AWS region: that region failed, the account partial, its other regions scanned', async () => {
    const { result } = await scanDemo({
      faults: [fault({ provider: 'aws', scope: AWS_MEMBER, region: 'eu-west-1', kind: 'access_denied' })],
    });
    const [member, ...others] = notComplete(result);
    expect(others).toEqual([]);
    expect(member && scopeKeyOf(member)).toBe(`aws:${AWS_MEMBER}`);
    expect(member?.coverage.status).toBe('partial');
    const regions = Object.fromEntries(
      (member?.coverage.regions ?? []).filter((r) => r.status !== 'not_enabled').map((r) => [r.region, r.status]),
    );
    expect(regions).toEqual({ 'eu-central-1': 'scanned', 'eu-west-1': 'failed', 'us-east-1': 'scanned' });
    for (const g of member?.coverage.gaps ?? []) expect(g).toMatchObject({ code: 'access_denied', region: 'eu-west-1' });
  });

  it('credentials that expire mid-scan: AWS re-assumes the role; Azure and GCP report a credentials gap', async () => {
    const { result, lab } = await scanDemo({
      faults: [
        fault({ provider: 'aws', scope: AWS_MEMBER, operation: 'ec2:DescribeSnapshots', kind: 'expired_credentials', times: 1 }),
        fault({ provider: 'azure', scope: AZURE_SUB, operation: 'Microsoft.Compute:ListSnapshots', kind: 'expired_credentials', times: 1 }),
        fault({ provider: 'gcp', scope: GCP_PROJECT, operation: 'compute:snapshots.list', kind: 'expired_credentials', times: 1 }),
      ],
    });
    assertValidResult(result);
    expect(lab.log.entries.filter((e) => e.operation === 'AssumeRole' && e.status === 200)).toHaveLength(4);
    expect(byScope(result)).toEqual({
      [`azure:${AZURE_SUB}`]: ['credentials/snapshots/Microsoft.Compute:ListSnapshots/null'],
      [`gcp:${GCP_PROJECT}`]: ['credentials/snapshots/compute:snapshots.list/global'],
    });
    const messages = notComplete(result).flatMap((s) => s.coverage.gaps.map((g) => g.message));
    expect(messages[0]).toMatch(/ExpiredAuthenticationToken/);
    // The status Google sent (read from the body the Compute client keeps in its error cause).
    expect(messages[1]).toMatch(/UNAUTHENTICATED: .*invalid authentication credentials/);
  });

  it('a sign-in endpoint that keeps failing: Azure discovery is a gap naming it, AWS and GCP complete', async () => {
    const { result } = await scanDemo({ faults: [fault({ provider: 'azure', operation: 'login:GetToken', kind: 'server_error' })] });
    assertValidResult(result);
    const azure = result.discovery.find((d) => d.provider === 'azure');
    expect(azure?.status).toBe('failed');
    expect(azure?.gaps[0]).toMatchObject({ code: 'unavailable', part: 'discovery' });
    expect(azure?.gaps[0]?.message).toMatch(/sign-in|Entra|token/i);
    expect(result.scopes.every((s) => s.scope.provider !== 'azure' && s.coverage.status === 'complete')).toBe(true);
  });
});

describe('bodies that do not parse are failures, never empty answers', () => {
  it('GCP raw REST (Admin Activity entries): a malformed page is an invalid_response gap, not "no creation events"', async () => {
    const { result } = await scanDemo({
      faults: [fault({ provider: 'gcp', scope: 'prod-payments', operation: 'logging:entries.list', kind: 'malformed' })],
    });
    // The creator lookup and the activity review read the same search: each records the gap of the part it hides.
    expect(byScope(result)).toEqual({
      'gcp:prod-payments': [
        'invalid_response/activity/logging:entries.list/global',
        'invalid_response/creators/logging:entries.list/global',
      ],
    });
  });
});

describe('a sign-in that hangs', () => {
  it('the token request has the call deadline too: a hung Microsoft Entra ID answer is abandoned and signed in again', async () => {
    // The hung answer would come after ten minutes; the test's own timeout is two. A scan that waited for it fails
    // by timing out, whatever the machine's load — no wall-clock bound on the scan itself.
    const { result, lab } = await scanDemo({
      config: { scan: { callTimeoutMs: 1000 } },
      faults: [fault({ provider: 'azure', operation: 'login:GetToken', kind: 'timeout', ms: 600_000, times: 1 })],
    });
    const tokenRequests = lab.log.entries.filter((e) => e.provider === 'azure' && `${e.service}:${e.operation}` === 'login:GetToken');
    expect(tokenRequests[0]?.fault).toBe('timeout');
    expect(tokenRequests.slice(1).some((e) => e.fault === null && e.status === 200)).toBe(true);
    expect(substance(result)).toEqual(substance(await clean));
  }, 120_000);
});

describe('exit code 3 only beyond --max-gap (CLI)', () => {
  const denied = [
    fault({ provider: 'aws', scope: '333333333333', kind: 'access_denied' }),
    fault({ provider: 'azure', scope: AZURE_SUB, operation: 'Microsoft.Insights:*', kind: 'server_error' }),
    fault({ provider: 'gcp', scope: GCP_PROJECT, operation: 'logging:sinks.list', kind: 'malformed' }),
  ];

  it.each([
    { maxGap: '3', code: 0 },
    { maxGap: '2', code: 3 },
  ])(
    'three scopes with gaps, --max-gap $maxGap → exit $code, with a valid result and the gaps in the summary',
    async ({ maxGap, code }) => {
      const cwd = tempDir();
      const dir = estateFolder(denied);
      const config = configFile(cwd);
      const run = await runCli(
        ['scan', '--demo', '--estate', dir, '--config', config, '--max-gap', maxGap, '--fail-on', 'none', '--out', 'out', '--now', NOW],
        { cwd },
      );
      expect(run.code).toBe(code);
      const result = readWrittenResult(join(cwd, 'out', 'result.json')) as ScanResult;
      assertValidResult(result);
      expect(result.scan).toMatchObject({ complete: false, interrupted: false });
      expect(notComplete(result).map(scopeKeyOf)).toEqual(['aws:333333333333', `azure:${AZURE_SUB}`, `gcp:${GCP_PROJECT}`]);
      expect(run.stdout).toContain('not fully read:');
      expect(run.stdout).toMatch(/aws 333333333333: failed \(access_denied\)/);
      expect(run.stdout).toMatch(new RegExp(`azure ${AZURE_SUB}: partial \\(unavailable\\)`));
      expect(run.stdout).toMatch(/gcp prod-web: partial \(invalid_response\)/);
    },
  );
});
