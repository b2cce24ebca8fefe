/**
 * accountPrincipals() over a realistic GetAccountAuthorizationDetails fixture (URL-encoded documents as IAM sends
 * them): exact principal sets, capabilities, actions and paths, with and without SCPs.
 */
import { readFileSync } from 'node:fs';
import { catalogueFor } from '../../src/core/catalogue/index.ts';
import { describe, expect, it } from 'vitest';
import { type AccountAuthorizationInput, accountPrincipals, analyzeAccount } from '../../providers/aws/policy/account-principals.ts';
import { Principal } from '../../src/core/model/result.ts';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/account-authorization-details.json', import.meta.url), 'utf8')) as {
  accountId: string;
  details: AccountAuthorizationInput['details'];
};

const ACCT = '111111111111';
const org = new Set([ACCT, '222222222222']);
const arn = (kind: string, name: string) => `arn:aws:iam::${ACCT}:${kind}/${name}`;
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const fullAccess = { id: 'p-FullAWSAccess', name: 'FullAWSAccess', document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) };
const denySnapshot = {
  id: 'p-nosnap',
  name: 'DenyCreateSnapshot',
  document: JSON.stringify(doc({ Sid: 'NoSnap', Effect: 'Deny', Action: 'ec2:CreateSnapshot', Resource: '*' })),
};

function runAll(o: Partial<AccountAuthorizationInput> = {}) {
  return accountPrincipals({
    accountId: ACCT,
    details: fixture.details,
    organizationAccountIds: org,
    serviceControlPolicies: null,
    isManagementAccount: false,
    ...o,
  });
}
const ROOT = `arn:aws:iam::${ACCT}:root`;
/** The IAM users and roles (the root user is covered by its own tests). */
const run = (o: Partial<AccountAuthorizationInput> = {}) => runAll(o).filter((x) => x.id !== ROOT);

const byName = (ps: Principal[]) => new Map(ps.map((p) => [p.name, p]));
const actions = (p: Principal | undefined) => p?.grants.map((g) => g.action);
const labels = (p: Principal | undefined, action: string) =>
  p?.grants.find((g) => g.action === action)?.path.map((s) => `${s.kind}:${s.label ?? s.id}`);

/** The catalogue's AWS actions, in the order grants are listed (capability, then catalogue order). */
const entries = catalogueFor('aws');
const everything = entries.map((e) => e.action);
/** The actions whose every required permission (the action and its second permissions) is in these services. */
const onlyIn = (...prefixes: string[]) =>
  entries.filter((e) => [e.action, ...(e.requires ?? [])].every((a) => prefixes.some((x) => a.startsWith(x)))).map((e) => e.action);
const ec2All = onlyIn('ec2:');
const allCapabilities = ['create', 'copy', 'share', 'export', 'restore', 'delete'];

describe('accountPrincipals: single account view (no SCPs)', () => {
  const ps = run();
  const p = byName(ps);

  it('lists exactly the principals that can snapshot, sorted by id', () => {
    expect(ps.map((x) => x.id)).toEqual([
      arn('role', 'app-server'),
      arn('role', 'aws-service-role/snapshot-tool.amazonaws.com/AWSServiceRoleForSnapshotTool'),
      arn('role', 'github-actions'),
      arn('role', 'org-deployer'),
      arn('role', 'partner-audit'),
      arn('role', 'service-role/backup-operator'),
      arn('user', 'admin-bob'),
      arn('user', 'ec2-admin'),
      arn('user', 'people/ops-alice'),
      arn('user', 'power-carol'),
    ]);
    // the boundary-limited admin, the read-only user and the groups are not there
    expect(p.has('bounded-dave')).toBe(false);
    expect(p.has('readonly-erin')).toBe(false);
    expect(ps.some((x) => x.type === 'group')).toBe(false);
  });

  it('validates against the model schema', () => {
    for (const x of ps) expect(() => Principal.parse(x)).not.toThrow();
  });

  it('user with ec2:* holds every EC2 snapshot action through a broad grant', () => {
    const u = p.get('ec2-admin')!;
    expect(u.type).toBe('user');
    expect(u.capabilities).toEqual(allCapabilities);
    expect(actions(u)).toEqual(ec2All);
    expect(u.grants.every((g) => g.broad && !g.conditional && !g.external && g.resourceScope === '*')).toBe(true);
    expect(labels(u, 'ec2:CreateSnapshot')).toEqual([
      'principal:ec2-admin',
      'policy:policy ec2-everything (inline)',
      'statement:statement Ec2All',
      'action-pattern:ec2:*',
    ]);
  });

  it('group granting ec2:Create* reaches its member through the group', () => {
    const u = p.get('ops-alice')!;
    // ec2:Create* also covers CreateVolume (restore from a snapshot) and CreateInstanceExportTask (export).
    expect(u.capabilities).toEqual(['create', 'export', 'restore']);
    expect(actions(u)).toEqual([
      'ec2:CreateSnapshot',
      'ec2:CreateSnapshots',
      'ec2:CreateImage',
      'ec2:CreateInstanceExportTask',
      'ec2:CreateVolume',
    ]);
    expect(labels(u, 'ec2:CreateSnapshot')).toEqual([
      'principal:ops-alice',
      'group:group snapshot-ops',
      'policy:policy SnapshotCreators',
      'statement:statement CreateThings',
      'action-pattern:ec2:Create*',
    ]);
    const g = u.grants[0]!;
    expect(g.path.find((s) => s.kind === 'group')?.id).toBe(arn('group', 'snapshot-ops'));
    expect(g.path.find((s) => s.kind === 'policy')?.id).toBe(`arn:aws:iam::${ACCT}:policy/SnapshotCreators`);
  });

  it('Allow * with a Deny on CreateSnapshot holds everything else', () => {
    const u = p.get('admin-bob')!;
    expect(actions(u)).toEqual(everything.filter((a) => a !== 'ec2:CreateSnapshot'));
    expect(labels(u, 'ec2:CopySnapshot')).toEqual([
      'principal:admin-bob',
      'policy:policy AdministratorAccess',
      'statement:statement #0',
      'action-pattern:*',
    ]);
  });

  it('PowerUserAccess (NotAction iam/organizations/account) grants snapshot creation but not backup (no iam:PassRole)', () => {
    const u = p.get('power-carol')!;
    expect(actions(u)).toEqual(entries.filter((e) => !e.requires?.includes('iam:PassRole')).map((e) => e.action));
    const g = u.grants.find((x) => x.action === 'ec2:CreateSnapshot')!;
    expect(g.broad).toBe(true);
    expect(g.path.find((s) => s.kind === 'action-pattern')?.id).toBe('NotAction iam:*, organizations:*, account:*');
    expect(g.path.find((s) => s.kind === 'policy')?.id).toBe('arn:aws:iam::aws:policy/PowerUserAccess');
  });

  it('role with explicit CreateSnapshot: specific grant, resource scope from the statement, service trust step', () => {
    const r = p.get('backup-operator')!;
    expect(r.type).toBe('role');
    expect(actions(r)).toEqual(['ec2:CreateSnapshot', 'ec2:CreateSnapshots']);
    const g = r.grants[0]!;
    expect(g).toMatchObject({ capability: 'create', broad: false, conditional: false, external: false });
    expect(g.resourceScope).toBe('arn:aws:ec2:*::snapshot/*');
    expect(labels(r, 'ec2:CreateSnapshot')).toEqual([
      'principal:backup-operator',
      'trust:trusted by AWS service backup.amazonaws.com',
      'policy:policy snapshots (inline)',
      'statement:statement Snapshots',
      'action-pattern:ec2:CreateSnapshot',
    ]);
  });

  it('role trusted by an external account with an ExternalId: external, conditional, trust and condition steps', () => {
    const r = p.get('partner-audit')!;
    expect(r.capabilities).toEqual(['copy', 'share']);
    expect(r.external).toBe(false);
    for (const g of r.grants) {
      expect(g.external).toBe(true);
      expect(g.conditional).toBe(true);
      expect(g.conditions).toEqual(['trust arn:aws:iam::999988887777:root: StringEquals sts:ExternalId = partner-7f3a']);
    }
    expect(labels(r, 'ec2:CopySnapshot')).toEqual([
      'principal:partner-audit',
      'trust:trusted by arn:aws:iam::999988887777:root (account outside the organization)',
      'condition:StringEquals sts:ExternalId = partner-7f3a',
      'policy:policy copy-and-share (inline)',
      'statement:statement CopyShare',
      'action-pattern:ec2:CopySnapshot',
    ]);
  });

  it('role trusted by an organization account: trust step, not external', () => {
    const r = p.get('org-deployer')!;
    expect(actions(r)).toEqual(['ec2:CreateImage']);
    expect(r.grants[0]).toMatchObject({ external: false, conditional: false });
    expect(r.grants[0]!.path[1]).toEqual({
      kind: 'trust',
      id: 'arn:aws:iam::222222222222:root',
      label: 'trusted by arn:aws:iam::222222222222:root (organization account)',
    });
  });

  it('role trusted by an OIDC provider: external, conditional on the token claims', () => {
    const r = p.get('github-actions')!;
    expect(actions(r)).toEqual(['ebs:StartSnapshot']);
    expect(r.grants[0]).toMatchObject({ external: true, conditional: true, resourceScope: 'arn:aws:ec2:*::snapshot/*' });
    expect(r.grants[0]!.path.filter((s) => s.kind === 'condition').map((s) => s.label)).toEqual([
      'StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com',
      'StringLike token.actions.githubusercontent.com:sub = repo:example/infra:*',
    ]);
  });

  it('role whose policy depends on the requested region: conditional grants with readable conditions', () => {
    const r = p.get('app-server')!;
    expect(actions(r)).toEqual([
      'ec2:CreateSnapshot',
      'ec2:CreateSnapshots',
      'ec2:CopySnapshot',
      'ec2:ModifySnapshotAttribute',
      'ec2:DisableSnapshotBlockPublicAccess',
      'ec2:DeleteSnapshot',
    ]);
    for (const g of r.grants) {
      expect(g.conditional).toBe(true);
      expect(g.external).toBe(false);
      expect(g.conditions).toEqual(['StringEquals aws:RequestedRegion = eu-west-1']);
    }
  });

  it('service-linked role is listed with its service trust', () => {
    const r = p.get('AWSServiceRoleForSnapshotTool')!;
    expect(actions(r)).toEqual(['ec2:CreateSnapshot', 'ec2:DeleteSnapshot']);
    expect(r.grants[0]!.path[1]?.label).toBe('trusted by AWS service snapshot-tool.amazonaws.com');
  });

  it('is deterministic', () => {
    expect(JSON.stringify(run())).toBe(JSON.stringify(ps));
  });
});

describe('accountPrincipals: SCPs', () => {
  const scps = [[fullAccess], [fullAccess, denySnapshot]];

  it('an SCP denying CreateSnapshot removes it from everyone but the service-linked role', () => {
    const p = byName(run({ serviceControlPolicies: scps }));
    const holders = [...p.values()].filter((x) => x.grants.some((g) => g.action === 'ec2:CreateSnapshot')).map((x) => x.name);
    expect(holders).toEqual(['AWSServiceRoleForSnapshotTool']);
    expect(actions(p.get('ec2-admin'))).toEqual(ec2All.filter((a) => a !== 'ec2:CreateSnapshot'));
    expect(actions(p.get('backup-operator'))).toEqual(['ec2:CreateSnapshots']);
  });

  it('the management account is exempt from SCPs', () => {
    expect(run({ serviceControlPolicies: scps, isManagementAccount: true })).toEqual(run());
  });

  it('an SCP level without an Allow for EC2 removes every EC2 action (except the service-linked role)', () => {
    const s3Only = { id: 'p-s3', name: 'S3Only', document: doc({ Effect: 'Allow', Action: ['s3:*', 'rds:*'], Resource: '*' }) };
    const p = byName(run({ serviceControlPolicies: [[fullAccess], [s3Only]] }));
    expect(p.has('ec2-admin')).toBe(false);
    expect(actions(p.get('admin-bob'))).toEqual(onlyIn('rds:'));
    expect(actions(p.get('AWSServiceRoleForSnapshotTool'))).toEqual(['ec2:CreateSnapshot', 'ec2:DeleteSnapshot']);
  });

  it('a conditional SCP Deny makes grants conditional and shows up in the path', () => {
    const regionLock = {
      id: 'p-region',
      name: 'RegionLock',
      document: doc({
        Effect: 'Deny',
        NotAction: 'iam:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
      }),
    };
    const p = byName(run({ serviceControlPolicies: [[fullAccess, regionLock]] }));
    const g = p.get('ec2-admin')!.grants[0]!;
    expect(g.conditional).toBe(true);
    expect(g.conditions).toEqual(['unless denied by SCP RegionLock statement #0 (StringNotEquals aws:RequestedRegion = eu-west-1)']);
    expect(g.path.at(-1)).toEqual({ kind: 'scp', id: 'p-region', label: 'SCP RegionLock may deny' });
  });
});

describe('accountPrincipals: organisation membership and edge cases', () => {
  it('with the organisation unknown, a role trusted by another account is external', () => {
    const r = byName(run({ organizationAccountIds: null })).get('org-deployer')!;
    expect(r.grants[0]!.external).toBe(true);
    expect(r.grants[0]!.path[1]?.label).toBe('trusted by arn:aws:iam::222222222222:root (other account; organization unknown)');
  });

  it('a role any AWS principal may assume is external', () => {
    const details = {
      RoleDetailList: [
        {
          RoleName: 'open',
          Arn: arn('role', 'open'),
          Path: '/',
          AssumeRolePolicyDocument: encodeURIComponent(
            JSON.stringify(doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' })),
          ),
          RolePolicyList: [
            { PolicyName: 'snap', PolicyDocument: JSON.stringify(doc({ Effect: 'Allow', Action: 'ec2:CreateSnapshot', Resource: '*' })) },
          ],
        },
      ],
    };
    const [r] = run({ details });
    expect(r!.grants[0]).toMatchObject({ external: true, conditional: false });
    expect(r!.grants[0]!.path[1]?.label).toBe('trusted by anyone (*)');
  });

  it('a boundary and user tags are honoured; the boundary is a step of the path', () => {
    const boundary = `arn:aws:iam::${ACCT}:policy/Ec2Boundary`;
    const details = {
      UserDetailList: [
        {
          UserName: 'tagged',
          Arn: arn('user', 'tagged'),
          Tags: [{ Key: 'team', Value: 'backup' }],
          PermissionsBoundary: { PermissionsBoundaryArn: boundary },
          UserPolicyList: [
            {
              PolicyName: 'by-team',
              PolicyDocument: JSON.stringify(
                doc(
                  {
                    Sid: 'Backup',
                    Effect: 'Allow',
                    Action: 'ec2:*Snapshot',
                    Resource: '*',
                    Condition: { StringEquals: { 'aws:PrincipalTag/team': 'backup' } },
                  },
                  {
                    Sid: 'Data',
                    Effect: 'Allow',
                    Action: 'rds:*',
                    Resource: '*',
                    Condition: { StringEquals: { 'aws:PrincipalTag/team': 'data' } },
                  },
                ),
              ),
            },
          ],
        },
      ],
      Policies: [
        {
          PolicyName: 'Ec2Boundary',
          Arn: boundary,
          DefaultVersionId: 'v1',
          PolicyVersionList: [
            {
              VersionId: 'v1',
              IsDefaultVersion: true,
              Document: encodeURIComponent(JSON.stringify(doc({ Effect: 'Allow', Action: ['ec2:*', 'rds:*'], Resource: '*' }))),
            },
          ],
        },
      ],
    };
    const [u] = run({ details });
    expect(actions(u)).toEqual(['ec2:CreateSnapshot', 'ec2:CopySnapshot', 'ec2:DeleteSnapshot']);
    expect(u!.grants.every((g) => !g.conditional)).toBe(true);
    expect(u!.grants[0]!.path.at(-1)).toEqual({ kind: 'boundary', id: boundary, label: 'boundary Ec2Boundary' });
  });

  it('missing and malformed documents become warnings, not crashes', () => {
    const details = {
      UserDetailList: [
        {
          UserName: 'w',
          Arn: arn('user', 'w'),
          GroupList: ['ghost'],
          AttachedManagedPolicies: [{ PolicyName: 'Gone', PolicyArn: 'arn:aws:iam::aws:policy/Gone' }],
          UserPolicyList: [
            { PolicyName: 'broken', PolicyDocument: '%7Bnot-json' },
            { PolicyName: 'ok', PolicyDocument: JSON.stringify(doc({ Effect: 'Allow', Action: 'ec2:DeleteSnapshot', Resource: '*' })) },
          ],
        },
      ],
    };
    const r = analyzeAccount({
      accountId: ACCT,
      details,
      organizationAccountIds: org,
      serviceControlPolicies: null,
      isManagementAccount: false,
    });
    expect(actions(r.principals.find((x) => x.name === 'w'))).toEqual(['ec2:DeleteSnapshot']);
    expect(r.warnings).toHaveLength(3);
    expect(r.warnings.join('\n')).toMatch(/ghost/);
    expect(r.warnings.join('\n')).toMatch(/policy\/Gone/);
    expect(r.warnings.join('\n')).toMatch(/broken/);
  });

  it('the root user holds every snapshot capability without a policy; in a member account SCPs still limit it', () => {
    const root = (o: Partial<AccountAuthorizationInput>) => runAll({ details: {}, ...o }).find((x) => x.id === ROOT);
    const all = root({});
    expect(all).toMatchObject({ type: 'user', name: 'root', capabilities: allCapabilities });
    expect(all?.grants[0]?.path).toEqual([
      { kind: 'principal', id: ROOT, label: 'root' },
      { kind: 'policy', id: 'root-user', label: 'the root user holds every permission of its account' },
    ]);
    expect(all?.grants.every((g) => !g.broad && !g.conditional)).toBe(true);
    const limited = root({ serviceControlPolicies: [[fullAccess, denySnapshot]] });
    expect(actions(limited)).not.toContain('ec2:CreateSnapshot');
    expect(actions(limited)).toContain('ec2:CopySnapshot');
    // The management account's root user is not limited by SCPs.
    expect(actions(root({ serviceControlPolicies: [[fullAccess, denySnapshot]], isManagementAccount: true }))).toContain(
      'ec2:CreateSnapshot',
    );
    const china = runAll({ details: {}, partition: 'aws-cn' }).find((x) => x.name === 'root');
    expect(china?.id).toBe(`arn:aws-cn:iam::${ACCT}:root`);
    expect(china?.capabilities).toEqual(allCapabilities);
  });

  it('decides time conditions against the scan time: expired grants and expired trust are gone, live ones unconditional', () => {
    const window = (end: string) => ({ DateLessThan: { 'aws:CurrentTime': end } });
    const details = {
      UserDetailList: [
        {
          UserName: 'temp',
          Arn: arn('user', 'temp'),
          UserPolicyList: [
            {
              PolicyName: 'until',
              PolicyDocument: JSON.stringify(
                doc(
                  { Sid: 'Past', Effect: 'Allow', Action: 'ec2:CreateSnapshot', Resource: '*', Condition: window('2026-01-01T00:00:00Z') },
                  { Sid: 'Live', Effect: 'Allow', Action: 'ec2:CopySnapshot', Resource: '*', Condition: window('2027-01-01T00:00:00Z') },
                ),
              ),
            },
          ],
        },
      ],
      RoleDetailList: [
        {
          RoleName: 'vendor-window',
          Arn: arn('role', 'vendor-window'),
          AssumeRolePolicyDocument: JSON.stringify(
            doc({
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::999999999999:root' },
              Action: 'sts:AssumeRole',
              Condition: window('2026-01-01T00:00:00Z'),
            }),
          ),
          RolePolicyList: [
            { PolicyName: 'snap', PolicyDocument: JSON.stringify(doc({ Effect: 'Allow', Action: 'ec2:CreateSnapshot', Resource: '*' })) },
          ],
        },
      ],
    };
    const now = new Date('2026-11-26T00:00:00Z');
    const p = byName(run({ details, now }));
    expect(actions(p.get('temp'))).toEqual(['ec2:CopySnapshot']);
    expect(p.get('temp')?.grants[0]?.conditional).toBe(false);
    // The vendor's way into the role ended: no external path, no trust step.
    const role = p.get('vendor-window');
    expect(role?.grants.every((g) => !g.external && !g.conditional)).toBe(true);
    expect(role?.grants[0]?.path.some((step) => step.kind === 'trust')).toBe(false);
    // Without the scan time both stay conditional.
    const offline = byName(run({ details }));
    expect(offline.get('temp')?.grants.every((g) => g.conditional)).toBe(true);
    expect(offline.get('vendor-window')?.grants.every((g) => g.external && g.conditional)).toBe(true);
  });

  it('backup:StartBackupJob needs iam:PassRole too', () => {
    const mk = (actions: string[]) => ({
      UserDetailList: [
        {
          UserName: 'b',
          Arn: arn('user', 'b'),
          UserPolicyList: [{ PolicyName: 'p', PolicyDocument: JSON.stringify(doc({ Effect: 'Allow', Action: actions, Resource: '*' })) }],
        },
      ],
    });
    expect(run({ details: mk(['backup:StartBackupJob']) })).toEqual([]);
    const [u] = run({ details: mk(['backup:StartBackupJob', 'iam:PassRole']) });
    expect(actions(u)).toEqual(['backup:StartBackupJob']);
  });
});
