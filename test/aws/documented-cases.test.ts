/**
 * The AWS rules the scanner takes from AWS's documentation, as data: every `cases/*.json` file in the shared case
 * format (test/support/cases.ts), each case citing the page that states its rule. One runner per file family.
 */
import type { AdvancedEventSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import type { CreateVolumePermission, LaunchPermission } from '@aws-sdk/client-ec2';
import { expect } from 'vitest';
import { sensitiveTagMatches } from '../../checks/support.ts';
import { gateRulesByRecording, ruleRoute } from '../../providers/aws/normalise/alerts.ts';
import { automationOf, callerIdentity, type UserIdentity } from '../../providers/aws/normalise/creators.ts';
import { classifyKey } from '../../providers/aws/normalise/keys.ts';
import { partitionOfArn, partitionOfRegion } from '../../providers/aws/partitions.ts';
import { ATTRIBUTE, publicDecision } from '../../providers/aws/normalise/snapshots.ts';
import { type AnalyzerReading, decidePublic, decideShares } from '../../providers/aws/normalise/analyzer.ts';
import { advancedSelectorsRecord, basicSelectorsRecord, blockReadsRecord } from '../../providers/aws/normalise/trails.ts';
import { vaultAccess } from '../../providers/aws/normalise/backup.ts';
import { type HubReading, securityHubControls } from '../../providers/aws/normalise/security-hub.ts';
import { dbSnapshotArtifact, normaliseDbArtifact } from '../../providers/aws/normalise/databases.ts';
import { imagePublicDecision } from '../../providers/aws/normalise/images.ts';
import { permissionSetNameOf, type StoreUser, userMember } from '../../providers/aws/normalise/identity-center.ts';
import { AwsConfig } from '../../src/core/config/schema.ts';
import type { Provider, Tri } from '../../src/core/model/result.ts';
import { describeCases } from '../support/cases.ts';

const dir = new URL('./cases/', import.meta.url);
const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

describeCases<
  { pattern: unknown; targets: number; recorded: Tri; state?: string },
  { match: string; enabled?: boolean; reasons: string[] }
>(dir, /^alerting-/, ({ input, expect: want }) => {
  const rule = { Name: 'r', EventPattern: JSON.stringify(input.pattern), State: input.state ?? 'ENABLED' };
  const [route] = gateRulesByRecording([ruleRoute(rule, ACCOUNT, REGION, input.targets)], () => input.recorded);
  expect(route?.match).toBe(want.match);
  expect(route?.reasons).toEqual(want.reasons);
  if (want.enabled !== undefined) expect(route?.enabled).toBe(want.enabled);
});

describeCases<{ userIdentity: UserIdentity }, string | null>(dir, /^creator-identity/, ({ input, expect: want }) => {
  expect(callerIdentity(input)).toBe(want);
});

describeCases<{ userIdentity: UserIdentity }, { by: string; basis: string } | null>(dir, /^automation-/, ({ input, expect: want }) => {
  expect(automationOf(input.userIdentity)).toEqual(want);
});

describeCases<{ encrypted: boolean; kmsKeyId: string | null; aliases: Record<string, string[]> | null }, { status: string }>(
  dir,
  /^encryption-/,
  ({ input, expect: want }) => {
    const aliases = input.aliases ? new Map(Object.entries(input.aliases)) : null;
    const v = classifyKey(input.encrypted, input.kmsKeyId ?? undefined, ACCOUNT, aliases);
    expect(v.encryption.status).toBe(want.status);
    // Every reading quotes a value that was given to it.
    for (const r of v.readings) {
      const quoted = r.value.match(/(?:KmsKeyId=|aliases )(\S+)/)?.[1]?.replace(/[(),]/g, '');
      if (quoted) expect([input.kmsKeyId, ...Object.values(input.aliases ?? {}).flat()].some((x) => x?.startsWith(quoted))).toBe(true);
    }
  },
);

describeCases<{ listedPublic: boolean | null; permissions: CreateVolumePermission[] | null }, { public: Tri; conflicts: number }>(
  dir,
  /^sharing-/,
  ({ input, expect: want }) => {
    const d = publicDecision(input);
    expect(d.verdict).toBe(want.public);
    expect(d.conflicts).toHaveLength(want.conflicts);
    if (input.permissions) expect(d.decidedBy?.source).toMatch(/DescribeSnapshotAttribute/);
  },
);

describeCases<{ region?: string; arn?: string }, { partition: string }>(dir, /^partitions/, ({ input, expect: want }) => {
  expect(input.region ? partitionOfRegion(input.region) : partitionOfArn(input.arn)).toBe(want.partition);
});

describeCases<{ provider: Provider; patterns: string[]; tags: Record<string, string> }, { matches: string[] }>(
  dir,
  /^tag-keys/,
  ({ input, expect: want }) => {
    expect(sensitiveTagMatches(input.provider, input.patterns, input.tags)).toEqual(want.matches);
  },
);

describeCases<{ basic?: EventSelector[]; advanced?: AdvancedEventSelector[] }, { records: Tri; reasons?: string[] }>(
  dir,
  /^trail-recording/,
  ({ input, expect: want }) => {
    const v = input.advanced ? advancedSelectorsRecord(input.advanced) : basicSelectorsRecord(input.basic ?? []);
    expect(v.records).toBe(want.records);
    if (want.reasons) expect(v.reasons).toEqual(want.reasons);
  },
);

describeCases<{ advanced: AdvancedEventSelector[] | null }, Tri>(dir, /^block-reads/, ({ input, expect: want }) => {
  expect(blockReadsRecord(input.advanced).records).toBe(want);
});

describeCases<{ policy: unknown }, string[]>(dir, /^vault-access/, ({ input, expect: want }) => {
  const access = vaultAccess(input.policy === null ? null : JSON.stringify(input.policy));
  expect(access.grants.map((g) => `${g.account}:${g.actions.join('+')}${g.conditional ? ' (conditional)' : ''}`)).toEqual(want);
});

describeCases<
  { public: boolean; listedPublic: boolean | null; permissions: LaunchPermission[] | null },
  { public: Tri; conflicts: number }
>(dir, /^image-sharing/, ({ input, expect: want }) => {
  const d = imagePublicDecision({ Public: input.public }, input);
  expect(d.verdict).toBe(want.public);
  expect(d.conflicts).toHaveLength(want.conflicts);
});

describeCases<{ snapshotType: string; restore: string[] | null }, { public: Tri; sharedWith: string[] }>(
  dir,
  /^rds-restore/,
  ({ input, expect: want }) => {
    const artifact = dbSnapshotArtifact({ DBSnapshotIdentifier: 's', SnapshotType: input.snapshotType, Encrypted: false });
    const options = {
      cfg: AwsConfig.parse({}),
      policy: { ownerTagKeys: ['owner'] },
      orgAccounts: null,
      partition: 'aws',
      now: new Date(0),
    };
    const s = normaliseDbArtifact(artifact, REGION, ACCOUNT, { restore: input.restore, creation: null, aliases: null }, options as never);
    expect(s.sharing.public).toBe(want.public);
    expect(s.sharing.sharedWith.map((x) => x.id)).toEqual(want.sharedWith);
  },
);

describeCases<{ roleArn: string }, string | null>(dir, /^identity-center-roles/, ({ input, expect: want }) => {
  expect(permissionSetNameOf(input.roleArn)).toBe(want);
});

describeCases<StoreUser & { UserId: string }, { name: string; login: string | null; enabled: Tri }>(
  dir,
  /^identity-center-users/,
  ({ input, expect: want }) => {
    const m = userMember(input.UserId, input);
    expect({ name: m.name, login: m.identity?.login ?? null, enabled: m.identity?.enabled }).toEqual(want);
  },
);

describeCases<
  { attribute: { public: boolean; accounts: string[] } | null; analyzer: AnalyzerReading },
  { public: Tri; accounts: string[] | null; complete: boolean; conflicts: number; decidedBy: string | null }
>(dir, /^analyzer-sharing/, ({ input, expect: want }) => {
  const analyzer = {
    ...input.analyzer,
    findings: input.analyzer.findings.map((f) => ({ status: f.status, isPublic: f.isPublic, principal: f.principal, error: f.error })),
  };
  const value = input.attribute ? input.attribute.accounts.map((u) => `UserId=${u}`).join(', ') || 'no UserId' : '';
  const attribute = input.attribute
    ? {
        source: ATTRIBUTE,
        value: input.attribute.public ? 'Group=all' : 'empty',
        verdict: input.attribute.public ? ('yes' as const) : ('no' as const),
      }
    : null;
  const pub = decidePublic(attribute, analyzer, []);
  const shares = decideShares(
    input.attribute ? { source: ATTRIBUTE, value, accounts: input.attribute.accounts } : null,
    analyzer,
    ACCOUNT,
    new Set([ACCOUNT, '222222222222']),
  );
  expect(pub.verdict).toBe(want.public);
  expect(pub.decidedBy?.source ?? null).toBe(want.decidedBy);
  expect(shares.accounts).toEqual(want.accounts);
  expect(shares.complete).toBe(want.complete);
  expect(pub.conflicts.length + shares.conflicts.length).toBe(want.conflicts);
});

describeCases<Omit<HubReading, 'region'>, Record<string, Partial<{ enabled: Tri; via: string[]; source: string; reasons: string[] }>>>(
  dir,
  /^security-hub-/,
  ({ input, expect: want }) => {
    const controls = securityHubControls({ ...input, region: 'eu-west-1' });
    for (const [id, fields] of Object.entries(want)) expect(controls.find((c) => c.control === id)).toMatchObject(fields);
    // Never an alert route: a detective control has no operations and is never counted as alerting.
    for (const c of controls) expect(c.kind).toBe('security-hub-control');
  },
);
