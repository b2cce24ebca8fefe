/**
 * Seeded synthetic estates for benchmarks and scale tests: the same seed and sizes always give the same estate.
 * Each provider section has its own generator (an AWS organisation, an Azure tenant, a GCP organisation) with a
 * realistic mix of good and bad logging, grants and snapshots; `generateEstate` combines those asked for.
 */
import { seededRandom } from '../src/core/clock.ts';
import { awsDefaultRegions, awsRegions } from './aws/estate.ts';
import { generatedDirectory } from './azure/generate-directory.ts';
import type { EstateInput } from './estate.ts';

export interface AwsGenerateOptions {
  accounts: number;
  regions: number;
  snapshotsPerRegion: number;
  principalsPerAccount: number;
  /**
   * `organization`: the management account has an active IAM Access Analyzer organisation analyzer in every region
   * (no random draws: the rest of the estate is what it would be without it). Default none.
   */
  accessAnalyzer?: 'organization' | 'none';
}

export interface AzureGenerateOptions {
  subscriptions: number;
  snapshotsPerSubscription: number;
  assignmentsPerSubscription: number;
  /**
   * The rest of the snapshot family per subscription (default 0): this many managed images, disks (one in four with a
   * live SAS export), versions in one gallery (private, direct-shared or community) and restore points (two disks
   * each) in one restore point collection.
   */
  familyPerSubscription?: number;
}

export interface GcpGenerateOptions {
  projects: number;
  snapshotsPerProject: number;
  bindingsPerProject: number;
}

export interface GenerateOptions {
  seed: number;
  aws?: AwsGenerateOptions;
  azure?: AzureGenerateOptions;
  gcp?: GcpGenerateOptions;
}

type Random = () => number;

function hex(random: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function guid(random: Random): string {
  return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-8${hex(random, 3)}-${hex(random, 12)}`;
}

function isoDay(random: Random, fromUtc: number, days: number): string {
  return new Date(fromUtc + Math.floor(random() * days) * 86_400_000).toISOString();
}

const snapshotStatement = (action: string | string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }],
});

/**
 * The rest of the snapshot family for one account, from its index alone (no random draws, so the EBS part of a
 * seeded estate stays what it was): an AMI in every third region (a few public), manual and automated RDS snapshots
 * in every other account, an Aurora cluster snapshot now and then, and an AWS Backup vault (some open to an outside
 * account) with two recovery points.
 */
function familyOf(id: string, a: number, regions: readonly string[]) {
  const day = (n: number) => new Date(Date.UTC(2026, 9, 1 + (n % 50))).toISOString();
  const images = regions
    .filter((_, r) => (a + r) % 3 === 0)
    .map((region, r) => ({
      id: `ami-${(a * 131 + r).toString(16).padStart(17, '0')}`,
      region,
      name: `golden-${a}-${r}`,
      creationDate: day(a + r),
      snapshotIds: [],
      public: a % 7 === 3,
      sharedWith: a % 11 === 5 ? ['999999999999'] : [],
    }));
  const dbSnapshots =
    a % 2 === 0
      ? regions.slice(0, 2).flatMap((region, r) => [
          { id: `manual-${a}-${r}`, instance: `db-${a}`, region, createTime: day(a * 3 + r), public: a % 10 === 4, encrypted: a % 4 !== 0 },
          {
            id: `rds:db-${a}-${r}-auto`,
            instance: `db-${a}`,
            region,
            type: 'automated' as const,
            createTime: day(a * 5 + r),
            encrypted: true,
          },
        ])
      : [];
  const dbClusterSnapshots =
    a % 5 === 2
      ? [
          {
            id: `cluster-${a}`,
            cluster: `aurora-${a}`,
            region: regions[0] ?? 'us-east-1',
            createTime: day(a),
            encrypted: true,
            sharedWith: [id],
          },
        ]
      : [];
  const backupVaults =
    a % 3 === 1
      ? [
          {
            name: `vault-${a}`,
            region: regions[0] ?? 'us-east-1',
            locked: a % 6 === 1,
            ...(a % 5 === 1
              ? {
                  policy: {
                    Version: '2012-10-17',
                    Statement: [
                      {
                        Effect: 'Allow',
                        Principal: { AWS: 'arn:aws:iam::999999999999:root' },
                        Action: 'backup:CopyIntoBackupVault',
                        Resource: '*',
                      },
                    ],
                  },
                }
              : {}),
            recoveryPoints: [0, 1].map((k) => ({
              id: `rp-${a}-${k}`,
              resourceArn: `arn:aws:elasticfilesystem:${regions[0] ?? 'us-east-1'}:${id}:file-system/fs-${a}${k}`,
              resourceType: 'EFS',
              createdAt: day(a + k),
              backupPlanId: `plan-${a}`,
              iamRoleArn: `arn:aws:iam::${id}:role/service-role/AWSBackupDefaultServiceRole`,
            })),
          },
        ]
      : [];
  return { images, dbSnapshots, dbClusterSnapshots, backupVaults };
}

export function generateAwsSection(random: Random, o: AwsGenerateOptions): NonNullable<EstateInput['aws']> {
  // The default regions first, then opt-in ones (enabled in every account) when more are asked for.
  const ordered = [...awsDefaultRegions, ...awsRegions.filter((r) => !(awsDefaultRegions as readonly string[]).includes(r))];
  const regions = ordered.slice(0, Math.min(o.regions, ordered.length));
  const ids = Array.from({ length: o.accounts }, (_, a) => String(100000000000 + a * 7919).padStart(12, '0'));
  const management = ids[0] ?? '100000000000';
  const logArchive = ids[1] ?? management;
  const ous = ['ou-bench-prod0001', 'ou-bench-dev00001', 'ou-bench-sandbox1', 'ou-bench-security'];
  const accounts = ids.map((id, a) => {
    const roll = random();
    const trails =
      a === 0
        ? [
            {
              name: 'org-trail',
              homeRegion: 'us-east-1',
              multiRegion: true,
              organization: true,
              s3BucketAccount: logArchive,
              logFileValidation: true,
              kmsKeyId: `arn:aws:kms:us-east-1:${id}:key/${hex(random, 8)}`,
            },
          ]
        : roll < 0.3
          ? [{ name: 'regional', homeRegion: pick(random, regions) }]
          : roll < 0.4
            ? [{ name: 'stopped', homeRegion: 'us-east-1', multiRegion: true, logging: false }]
            : roll < 0.5
              ? [{ name: 'reads', homeRegion: 'us-east-1', multiRegion: true, eventSelectors: [{ ReadWriteType: 'ReadOnly' as const }] }]
              : [];
    const snapshots = regions.flatMap((region) =>
      Array.from({ length: o.snapshotsPerRegion }, () => {
        const r = random();
        return {
          id: `snap-${hex(random, 17)}`,
          region,
          volumeId: `vol-${hex(random, 17)}`,
          sizeGiB: 8 + Math.floor(random() * 500),
          startTime: isoDay(random, Date.UTC(2025, 0, 1), 690),
          encrypted: r > 0.15,
          public: r < 0.01,
          sharedWith: r > 0.97 ? [r > 0.985 ? '999999999999' : logArchive] : [],
          tags: (r < 0.5
            ? { owner: `team-${Math.floor(random() * 20)}` }
            : r < 0.7
              ? { 'aws:backup:source-resource': 'generated' }
              : {}) as Record<string, string>,
        };
      }),
    );
    const users = Array.from({ length: Math.floor(o.principalsPerAccount * 0.4) }, (_, u) => {
      const k = random();
      return {
        name: `user-${u}`,
        groups: k < 0.2 ? ['operators'] : [],
        inlinePolicies: [
          { name: 'work', document: snapshotStatement(k < 0.1 ? 'ec2:CreateSnapshot' : k < 0.15 ? 'ec2:*' : 'ec2:Describe*') },
        ],
      };
    });
    const roles = Array.from({ length: o.principalsPerAccount - users.length }, (_, r) => {
      const k = random();
      const trustedBy = k < 0.05 ? 'arn:aws:iam::999999999999:root' : `arn:aws:iam::${management}:root`;
      return {
        name: `role-${r}`,
        trust: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: k < 0.5 ? { Service: 'ec2.amazonaws.com' } : { AWS: trustedBy }, Action: 'sts:AssumeRole' },
          ],
        },
        managedPolicies: k < 0.2 ? ['arn:aws:iam::aws:policy/PowerUserAccess'] : [],
        inlinePolicies:
          k >= 0.2
            ? [
                {
                  name: 'work',
                  document: snapshotStatement(k < 0.3 ? ['ec2:CopySnapshot', 'ec2:ModifySnapshotAttribute'] : 's3:GetObject'),
                },
              ]
            : [],
      };
    });
    return {
      id,
      name: `account-${a}`,
      email: `account-${a}@example.com`,
      parent: a < 2 ? 'ou-bench-security' : pick(random, ous.slice(0, 3)),
      regions: [...regions],
      trails,
      snapshots,
      ...familyOf(id, a, regions),
      ...(a === 0 && o.accessAnalyzer === 'organization'
        ? { accessAnalyzers: regions.map((region) => ({ name: 'OrganizationAnalyzer', region, type: 'ORGANIZATION' })) }
        : {}),
      blockPublicAccess: random() < 0.5 ? Object.fromEntries(regions.map((r) => [r, 'block-all-sharing' as const])) : {},
      iam: {
        users,
        groups: [{ name: 'operators', inlinePolicies: [{ name: 'create', document: snapshotStatement('ec2:Create*') }] }],
        roles,
      },
      eventRules:
        random() < 0.5
          ? [
              {
                name: 'snapshot-alert',
                region: 'us-east-1',
                pattern: {
                  source: ['aws.ec2'],
                  'detail-type': ['AWS API Call via CloudTrail'],
                  detail: { eventName: ['CreateSnapshot', 'CopySnapshot'] },
                },
              },
            ]
          : [],
    };
  });
  return {
    organization: {
      id: 'o-benchmark01',
      managementAccountId: management,
      rootId: 'r-bench',
      ous: ous.map((id) => ({ id, name: id.slice(9), parent: 'r-bench' })),
      scps: [
        {
          id: 'p-benchdenysnap',
          name: 'DenySnapshotsInSandbox',
          document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:CreateSnapshot', Resource: '*' }] },
          targets: ['ou-bench-sandbox1'],
        },
      ],
    },
    callerAccountId: management,
    accounts,
  } as NonNullable<EstateInput['aws']>;
}

/** Images, disks (some with a live SAS), one gallery and one restore point collection for subscription number `s`. */
function azureFamily(random: Random, s: number, n: number) {
  if (n <= 0) return {};
  const day = () =>
    isoDay(random, Date.UTC(2026, 0, 1), 300)
      .replace('Z', '+00:00')
      .replace('.000', '');
  const roll = random();
  const sharing = roll < 0.6 ? ('Private' as const) : roll < 0.9 ? ('Groups' as const) : ('Community' as const);
  return {
    disks: Array.from({ length: n }, (_, k) => ({
      name: `disk-${s}-${k}`,
      resourceGroup: `rg-${k % 4}`,
      location: 'westeurope',
      diskState: k % 4 === 0 ? ('ActiveSAS' as const) : ('Attached' as const),
    })),
    images: Array.from({ length: n }, (_, k) => ({
      name: `img-${s}-${k}`,
      resourceGroup: `rg-${k % 4}`,
      location: 'westeurope',
      source: { disk: `disk-${s}-${k}` },
    })),
    galleries: [
      {
        name: `gal_${s}`,
        resourceGroup: 'rg-images',
        location: 'westeurope',
        sharing,
        groups: sharing === 'Groups' ? [{ type: 'AADTenants' as const, ids: ['9e8d7c6b-0000-4000-8000-0000000000ff'] }] : [],
        images: [{ name: 'base', versions: Array.from({ length: n }, (_, k) => ({ name: `1.0.${k}`, publishedDate: day() })) }],
      },
    ],
    restorePointCollections: [
      {
        name: `rpc-${s}`,
        resourceGroup: 'rg-0',
        location: 'westeurope',
        virtualMachine: `vm-${s}`,
        restorePoints: Array.from({ length: n }, (_, k) => ({
          name: `rp-${k}`,
          timeCreated: day(),
          disks: [{ name: `disk-${s}-0` }, { name: `disk-${s}-${Math.min(1, n - 1)}` }],
        })),
      },
    ],
  };
}

export function generateAzureSection(random: Random, o: AzureGenerateOptions): NonNullable<EstateInput['azure']> {
  const subIds = Array.from({ length: o.subscriptions }, () => guid(random));
  const central = subIds[0] ?? guid(random);
  const workspace = `/subscriptions/${central}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/central`;
  const roles = ['Owner', 'Contributor', 'Reader', 'Disk Snapshot Contributor', 'Virtual Machine Contributor'];
  const subscriptions = subIds.map((id, s) => {
    const roll = random();
    return {
      id,
      name: `subscription-${s}`,
      parent: s % 2 === 0 ? 'mg-prod' : 'mg-dev',
      diagnosticSettings:
        roll < 0.6
          ? [{ name: 'to-central', workspaceId: workspace, logs: [{ categoryGroup: 'allLogs' }] }]
          : roll < 0.8
            ? [{ name: 'security-only', workspaceId: workspace, logs: [{ category: 'Security' }] }]
            : [],
      activityLogAlerts:
        random() < 0.5
          ? [
              {
                name: 'snapshot-created',
                allOf: [{ field: 'operationName', equals: 'Microsoft.Compute/snapshots/write' }],
                actionGroups: [`${workspace}/actionGroups/soc`],
              },
            ]
          : [],
      // The central workspace the exports name lives in the first subscription (no draw: the rest stays as it was).
      ...(s === 0 ? { workspaces: [{ name: 'central', resourceGroup: 'rg-logs', retentionInDays: 365 }] } : {}),
      ...azureFamily(random, s, o.familyPerSubscription ?? 0),
      snapshots: Array.from({ length: o.snapshotsPerSubscription }, (_, n) => {
        const r = random();
        return {
          name: `snap-${s}-${n}`,
          resourceGroup: `rg-${n % 4}`,
          location: pick(random, ['westeurope', 'northeurope', 'eastus']),
          timeCreated: isoDay(random, Date.UTC(2025, 0, 1), 690)
            .replace('Z', '+00:00')
            .replace('.000', ''),
          sizeGB: 32 + Math.floor(random() * 512),
          encryption: r < 0.3 ? ('customer' as const) : ('platform' as const),
          ...(r < 0.3
            ? { diskEncryptionSetId: `/subscriptions/${id}/resourceGroups/rg-keys/providers/Microsoft.Compute/diskEncryptionSets/des` }
            : {}),
          networkAccessPolicy: r < 0.7 ? ('DenyAll' as const) : ('AllowAll' as const),
          publicNetworkAccess: r < 0.7 ? ('Disabled' as const) : ('Enabled' as const),
          tags: (r < 0.5 ? { owner: `team-${Math.floor(random() * 20)}` } : {}) as Record<string, string>,
        };
      }),
    };
  });
  const roleAssignments = subIds.flatMap((id) =>
    Array.from({ length: o.assignmentsPerSubscription }, (_, n) => ({
      scope: n % 3 === 0 ? `/subscriptions/${id}/resourceGroups/rg-${n % 4}` : `/subscriptions/${id}`,
      principalId: guid(random),
      principalType: pick(random, ['User', 'Group', 'ServicePrincipal'] as const),
      role: pick(random, roles),
    })),
  );
  return {
    tenantId: '0b3c4d5e-0000-4000-8000-00000000be0c',
    managementGroups: [
      { id: 'mg-prod', name: 'Production' },
      { id: 'mg-dev', name: 'Development' },
    ],
    roleAssignments,
    directory: generatedDirectory(roleAssignments),
    subscriptions,
  } as NonNullable<EstateInput['azure']>;
}

export function generateGcpSection(random: Random, o: GcpGenerateOptions): NonNullable<EstateInput['gcp']> {
  const org = '100000000001';
  const roles = ['roles/viewer', 'roles/editor', 'roles/compute.storageAdmin', 'roles/compute.viewer', 'roles/owner'];
  const projects = Array.from({ length: o.projects }, (_, n) => {
    const id = `bench-project-${String(n).padStart(5, '0')}`;
    const roll = random();
    return {
      id,
      number: String(300000000000 + n),
      name: `Bench project ${n}`,
      parent: n % 2 === 0 ? 'folders/200000000001' : 'folders/200000000002',
      iam: [
        ...Array.from({ length: o.bindingsPerProject }, (_, b) => ({
          role: pick(random, roles),
          members: [random() < 0.05 ? `user:contractor-${b}@gmail.com` : `user:user-${n}-${b}@example.com`],
        })),
        // The organisation sink writes into project 0's bucket: its writer identity may (no draw: the rest is unchanged).
        ...(n === 0
          ? [{ role: 'roles/logging.bucketWriter', members: [`serviceAccount:service-org-${org}@gcp-sa-logging.iam.gserviceaccount.com`] }]
          : []),
      ],
      sinks:
        roll < 0.3
          ? [
              {
                name: 'local-audit',
                destination: `logging.googleapis.com/projects/${id}/locations/global/buckets/local`,
                filter: 'logName:"cloudaudit.googleapis.com"',
              },
            ]
          : [],
      buckets: roll < 0.3 ? [{ id: 'local', retentionDays: 30 }] : [],
      metrics:
        roll > 0.5
          ? [
              {
                name: 'snapshot-creation',
                filter: 'protoPayload.methodName=("v1.compute.snapshots.insert" OR "v1.compute.disks.createSnapshot")',
              },
            ]
          : [],
      alertPolicies:
        roll > 0.7
          ? [
              {
                id: String(9000 + n),
                displayName: 'Snapshot created',
                conditions: [{ displayName: 'snapshots', metric: 'snapshot-creation' }],
              },
            ]
          : [],
      snapshots: Array.from({ length: o.snapshotsPerProject }, (_, k) => {
        const r = random();
        return {
          name: `snap-${n}-${k}`,
          creationTimestamp: isoDay(random, Date.UTC(2025, 0, 1), 690),
          diskSizeGb: 10 + Math.floor(random() * 500),
          labels: (r < 0.5 ? { owner: `team-${Math.floor(random() * 20)}` } : {}) as Record<string, string>,
          ...(r < 0.3 ? { kmsKeyName: `projects/${id}/locations/europe-west1/keyRings/k/cryptoKeys/disks` } : {}),
          ...(r > 0.8 ? { autoCreated: true, schedulePolicy: 'regions/europe-west1/resourcePolicies/nightly' } : {}),
          iam: r < 0.02 ? [{ role: 'roles/compute.storageAdmin', members: ['allUsers'] }] : [],
        };
      }),
      // The rest of the family, placed by position (no draw from the random stream, so the estates generated before
      // it are unchanged): an image per project (public in one project of 50), a machine image in every fourth
      // (shared with a partner domain in one of 20), an instant snapshot in every other, zonal or regional.
      images: [
        {
          name: `image-${n}`,
          family: 'bench',
          creationTimestamp: '2026-06-01T00:00:00Z',
          diskSizeGb: 20,
          iam: n % 50 === 0 ? [{ role: 'roles/compute.imageUser', members: ['allAuthenticatedUsers'] }] : [],
        },
      ],
      machineImages:
        n % 4 === 0
          ? [
              {
                name: `machine-image-${n}`,
                sourceInstance: `zones/europe-west1-b/instances/vm-${n}`,
                creationTimestamp: '2026-07-01T00:00:00Z',
                iam: n % 20 === 0 ? [{ role: 'roles/compute.admin', members: ['domain:partner.example.net'] }] : [],
              },
            ]
          : [],
      instantSnapshots:
        n % 2 === 0
          ? [
              {
                name: `instant-${n}`,
                ...(n % 4 === 0
                  ? { region: 'europe-west1', sourceDisk: `regions/europe-west1/disks/disk-${n}` }
                  : { zone: 'europe-west1-b', sourceDisk: `zones/europe-west1-b/disks/disk-${n}` }),
                creationTimestamp: '2026-11-20T00:00:00Z',
              },
            ]
          : [],
      // The nightly snapshot schedule the scheduled snapshots name, attached to the project's disk by Terraform
      // (by position: every project has one).
      resourcePolicies: [{ name: 'nightly', region: 'europe-west1', creationTimestamp: '2026-05-01T00:00:00Z', retentionDays: 14 }],
      disks: [
        {
          name: `disk-${n}`,
          zone: 'europe-west1-b',
          schedules: [
            {
              policy: 'regions/europe-west1/resourcePolicies/nightly',
              attachedBy: `terraform@${id}.iam.gserviceaccount.com`,
              attachedAt: '2026-05-01T00:05:00Z',
            },
          ],
        },
      ],
    };
  });
  return {
    organization: {
      id: org,
      domain: 'example.com',
      sinks: [
        {
          name: 'org-audit',
          destination: 'logging.googleapis.com/projects/bench-project-00000/locations/global/buckets/org-audit',
          filter: 'LOG_ID("cloudaudit.googleapis.com/activity")',
          includeChildren: true,
        },
      ],
    },
    folders: [
      { id: '200000000001', name: 'Production', parent: `organizations/${org}` },
      {
        id: '200000000002',
        name: 'Development',
        parent: `organizations/${org}`,
        iam: [{ role: 'roles/editor', members: ['group:developers@example.com'] }],
      },
    ],
    projects,
  } as NonNullable<EstateInput['gcp']>;
}

export function generateEstate(o: GenerateOptions): EstateInput {
  // One stream per provider, so adding a provider does not change the others' estates.
  return {
    estateVersion: 1,
    name: `generated-${o.seed}`,
    ...(o.aws ? { aws: generateAwsSection(seededRandom(o.seed), o.aws) } : {}),
    ...(o.azure ? { azure: generateAzureSection(seededRandom(o.seed + 1), o.azure) } : {}),
    ...(o.gcp ? { gcp: generateGcpSection(seededRandom(o.seed + 2), o.gcp) } : {}),
  };
}
