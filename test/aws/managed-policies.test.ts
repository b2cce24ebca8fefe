/**
 * The lab's AWS managed policies are the published documents: vendored from github.com/iann0036/iam-dataset (MIT,
 * licence beside the data) by scripts/vendor-aws-managed-policies.ts, and served over the wire unchanged (IAM
 * GetAccountAuthorizationDetails through the real SDK client).
 */
import { existsSync, readFileSync } from 'node:fs';
import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { builtInManagedPolicies } from '../../lab/aws/managed-policies.ts';
import { parseEstate } from '../../lab/estate.ts';
import { startLab } from '../../lab/server.ts';
import { analyzeAccount } from '../../providers/aws/policy/index.ts';
import { vendoredPolicyNames } from '../../scripts/vendor-aws-managed-policies.ts';
import vendored from '../../lab/aws/data/aws-managed-policies.json' with { type: 'json' };

const ACCOUNT = '111111111111';
const data = new URL('../../lab/aws/data/', import.meta.url);

describe('AWS managed policies of the lab', () => {
  it('come from the published dataset, at a recorded commit, with its licence beside them', () => {
    expect(vendored.source).toMatchObject({ repository: 'https://github.com/iann0036/iam-dataset' });
    expect(vendored.source.commit).toMatch(/^[0-9a-f]{40}$/);
    const licence = new URL('LICENSE-iam-dataset', data);
    expect(existsSync(licence)).toBe(true);
    expect(readFileSync(licence, 'utf8')).toMatch(/^MIT License/);
    expect(vendored.policies.map((p) => p.name)).toEqual(vendoredPolicyNames);
    for (const p of vendored.policies) expect(p.arn).toBe(`arn:aws:iam::aws:policy${p.path}${p.name}`);
  });

  it('are exactly the vendored ones: nothing hand-written besides', () => {
    expect(builtInManagedPolicies.map((p) => [p.name, p.path, p.versionId, p.document])).toEqual(
      vendored.policies.map((p) => [p.name, p.path, p.versionId, p.document]),
    );
  });

  it('are served over the wire unchanged: documents, default versions, paths', async () => {
    const estate = parseEstate(
      {
        estateVersion: 1,
        aws: {
          accounts: [
            {
              id: ACCOUNT,
              name: 'one',
              regions: ['us-east-1'],
              iam: {
                roles: [
                  { name: 'holder', trust: { Version: '2012-10-17', Statement: [] }, managedPolicies: vendored.policies.map((p) => p.arn) },
                ],
              },
            },
          ],
        },
      },
      'test estate',
    );
    const lab = await startLab({ estate, providers: ['aws'] });
    try {
      const creds = lab.credentials.aws ?? {};
      const iam = new IAMClient({
        region: 'us-east-1',
        endpoint: lab.endpoints.aws,
        credentials: { accessKeyId: creds.accessKeyId ?? '', secretAccessKey: creds.secretAccessKey ?? '' },
      });
      const out = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['AWSManagedPolicy'], MaxItems: 1000 }));
      iam.destroy();
      const served = (out.Policies ?? []).map((p) => {
        const v = p.PolicyVersionList?.find((x) => x.IsDefaultVersion);
        return {
          name: p.PolicyName,
          arn: p.Arn,
          versionId: p.DefaultVersionId,
          document: JSON.parse(decodeURIComponent(v?.Document ?? '')),
        };
      });
      expect(served.sort((a, b) => (a.arn! < b.arn! ? -1 : 1))).toEqual(
        vendored.policies
          .map((p) => ({ name: p.name, arn: p.arn, versionId: p.versionId, document: p.document }))
          .sort((a, b) => (a.arn < b.arn ? -1 : 1)),
      );
    } finally {
      await lab.close();
    }
  });

  it('evaluate as published: PowerUserAccess snapshots, SecurityAudit (the scanner role) cannot', () => {
    const capabilitiesOf = (name: string) => {
      const p = vendored.policies.find((x) => x.name === name)!;
      const r = analyzeAccount({
        accountId: ACCOUNT,
        details: {
          UserDetailList: [{ UserName: 'u', Arn: `arn:aws:iam::${ACCOUNT}:user/u`, AttachedManagedPolicies: [{ PolicyArn: p.arn }] }],
          Policies: [
            {
              PolicyName: p.name,
              Arn: p.arn,
              DefaultVersionId: p.versionId,
              PolicyVersionList: [{ VersionId: p.versionId, IsDefaultVersion: true, Document: JSON.stringify(p.document) }],
            },
          ],
        },
        organizationAccountIds: null,
        serviceControlPolicies: null,
        isManagementAccount: false,
      });
      expect(r.warnings).toEqual([]);
      return r.principals.find((x) => x.name === 'u')?.capabilities ?? [];
    };
    expect(capabilitiesOf('PowerUserAccess')).toEqual(['create', 'copy', 'share', 'export', 'restore', 'delete']);
    expect(capabilitiesOf('AdministratorAccess')).toEqual(['create', 'copy', 'share', 'export', 'restore', 'delete']);
    expect(capabilitiesOf('SecurityAudit')).toEqual([]);
    expect(capabilitiesOf('AWSDataLifecycleManagerServiceRole')).toContain('create');
  });
});
