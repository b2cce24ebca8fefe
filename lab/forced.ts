/**
 * The calls each cloud forces for the information a scan result holds, computed from the estate alone (never from the
 * scanner): the lower bound the bench compares a scan with (docs/large-organisations.md, "The lower bound"). The rules:
 * - discovery: the fewest listings that enumerate the scopes, their hierarchy and the guardrails attached to it;
 * - one role assumption per member account (the caller's own account is read with its own credentials);
 * - one listing page per resource kind per scope-region per page size (a region holding none still costs the page
 *   that proves it empty);
 * - per-item reads only where no listing carries the field (each entry cites the reference that says so).
 * Page sizes are the largest each API accepts, or the page size the estate serves where the service decides.
 */
import { awsDefaultRegions } from './aws/estate.ts';
import type { Estate } from './estate.ts';
import { type SharingPlan, sharingPlan } from './forced-analyzer.ts';
import { AZURE_IDENTITY_DOC, azureIdentityReads } from './forced-azure-identity.ts';
import { AZURE_WORKSPACE_DOC, azureExportReads } from './forced-azure-workspaces.ts';
import { eventResource } from './azure/routes/insights.ts';
import { computeRegions } from './gcp/regions.ts';
import { hubFindings } from './aws/routes/securityhub.ts';
import { detectorsOf } from '../src/core/catalogue/exposure-detectors.ts';

/** The Security Hub controls the scanner reads (the catalogue's). */
const HUB_CONTROLS: readonly string[] = detectorsOf('security-hub-control').map((d) => d.control);
/** The Security Command Center finding categories the scanner reads (the catalogue's SCC detectors). */
const SCC_CATEGORIES: ReadonlySet<string> = new Set(detectorsOf('scc-health-analytics').map((d) => d.control));

export type ForcedProvider = 'aws' | 'azure' | 'gcp';

export interface ForcedOperation {
  calls: number;
  /** Why this many: the documented rule (https URL). */
  source: string;
}

/** `provider:service:Operation` (the names the scanner's counters and the lab's request log use) → forced calls. */
export type ForcedCalls = Partial<Record<ForcedProvider, Record<string, ForcedOperation>>>;

export interface ForcedOptions {
  /** Are per-item sharing attributes read (AWS `shareLookup.enabled`)? */
  shareLookup: boolean;
  /** Do IAM Access Analyzer findings stand in for them where an analyzer covers the items (default true)? */
  accessAnalyzer?: boolean;
  /** Is the activity review (every event name of the family, per account-region) part of the result (default true)? */
  activity?: boolean;
}

const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));

class Tally {
  readonly ops: Record<string, ForcedOperation> = {};
  private readonly provider: ForcedProvider;
  constructor(provider: ForcedProvider) {
    this.provider = provider;
  }
  add(op: string, calls: number, source: string): void {
    if (calls <= 0) return;
    const key = `${this.provider}:${op}`;
    const prev = this.ops[key];
    this.ops[key] = { calls: (prev?.calls ?? 0) + calls, source: prev?.source ?? source };
  }
}

const AWS_DOC = {
  whoami: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
  assume: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
  org: 'https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html',
  roots: 'https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListRoots.html',
  ous: 'https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListOrganizationalUnitsForParent.html',
  accounts: 'https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html',
  policies: 'https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPolicies.html',
  policy: 'https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribePolicy.html',
  targets: 'https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListTargetsForPolicy.html',
  regions: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html',
  iam: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html',
  listTrails: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListTrails.html',
  describeTrails: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html',
  trailStatus: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html',
  selectors: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html',
  logGroups: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html',
  metricFilters: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeMetricFilters.html',
  rules: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListRules.html',
  ruleTargets: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_ListTargetsByRule.html',
  snapshots: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSnapshots.html',
  snapshotAttribute: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSnapshotAttribute.html',
  images: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html',
  imageAttribute: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageAttribute.html',
  volumes: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumes.html',
  snapshotGuard: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetSnapshotBlockPublicAccessState.html',
  imageGuard: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetImageBlockPublicAccessState.html',
  dbSnapshots: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshots.html',
  dbClusterSnapshots: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBClusterSnapshots.html',
  dbAttributes: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshotAttributes.html',
  dbClusterAttributes: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBClusterSnapshotAttributes.html',
  vaults: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListBackupVaults.html',
  vaultPolicy: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetBackupVaultAccessPolicy.html',
  recoveryPoints: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListRecoveryPointsByBackupVault.html',
  copyJobs: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListCopyJobs.html',
  aliases: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html',
  lookup: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html',
  dataStores: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ListEventDataStores.html',
  hub: 'https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_DescribeHub.html',
  hubStandards: 'https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetEnabledStandards.html',
  hubControls: 'https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchGetStandardsControlAssociations.html',
  hubFindings: 'https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_GetFindings.html',
  dataStore: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventDataStore.html',
} as const;

/**
 * The CloudTrail events that make each kind of artifact (LookupEvents takes one EventName per call). EBS:
 * https://docs.aws.amazon.com/ebs/latest/userguide/logging-ebs-apis-using-cloudtrail.html and the EC2 API reference
 * (CreateSnapshot, CreateSnapshots, CopySnapshot; CreateImage makes the snapshots of the AMI); AMIs: CreateImage,
 * CopyImage, RegisterImage; RDS: CreateDBSnapshot, CopyDBSnapshot, CreateDBClusterSnapshot, CopyDBClusterSnapshot.
 */
const CREATION_EVENTS = {
  ebs: ['CreateSnapshot', 'CreateSnapshots', 'CopySnapshot', 'StartSnapshot', 'CreateImage'],
  image: ['CreateImage', 'CopyImage', 'RegisterImage'],
  db: ['CreateDBSnapshot', 'CopyDBSnapshot'],
  cluster: ['CreateDBClusterSnapshot', 'CopyDBClusterSnapshot'],
} as const;

/**
 * The events of the snapshot family the activity review reads in every account-region, whatever it holds (the
 * creation names above, and sharing and exporting: ModifySnapshotAttribute, ModifyImageAttribute,
 * ModifyDBSnapshotAttribute, ModifyDBClusterSnapshotAttribute, StartExportTask, ExportImage, CreateStoreImageTask,
 * and AWS Backup's StartCopyJob and PutBackupVaultAccessPolicy; https://attack.mitre.org/techniques/T1578/001/ and
 * each service's CloudTrail page): LookupEvents takes one EventName per call.
 */
const ACTIVITY_EVENTS = [
  ...new Set([
    ...Object.values(CREATION_EVENTS).flat(),
    'ModifySnapshotAttribute',
    'ModifyImageAttribute',
    'ModifyDBSnapshotAttribute',
    'ModifyDBClusterSnapshotAttribute',
    'StartExportTask',
    'ExportImage',
    'CreateStoreImageTask',
    'StartCopyJob',
    'PutBackupVaultAccessPolicy',
  ]),
];

const HISTORY_MS = 90 * 86_400_000;

/** The scanner's default home region (`providers.aws.homeRegion`), where account-wide reads go. */
const HOME_REGION = 'us-east-1';

type AwsEstate = NonNullable<Estate['aws']>;
type AwsAccount = AwsEstate['accounts'][number];

function awsOrganization(aws: AwsEstate, t: Tally): void {
  const org = aws.organization;
  const active = aws.accounts.filter((a) => a.status === 'ACTIVE');
  t.add('sts:GetCallerIdentity', 1, AWS_DOC.whoami);
  if (!org) return;
  const caller = aws.callerAccountId ?? org.managementAccountId;
  t.add('sts:AssumeRole', active.filter((a) => a.id !== caller).length, AWS_DOC.assume);
  t.add('organizations:DescribeOrganization', 1, AWS_DOC.org);
  t.add('organizations:ListRoots', 1, AWS_DOC.roots);
  // The tree: per container (the root and every OU) its child OUs and its accounts, 20 a page.
  const containers = [org.rootId, ...org.ous.map((o) => o.id)];
  for (const c of containers) {
    t.add('organizations:ListOrganizationalUnitsForParent', pages(org.ous.filter((o) => o.parent === c).length, 20), AWS_DOC.ous);
    const inside = aws.accounts.filter((a) => (a.parent ?? org.rootId) === c).length;
    t.add('organizations:ListAccountsForParent', pages(inside, 20), AWS_DOC.accounts);
  }
  if (!org.scpEnabled) return;
  // Guardrails: the SCPs (ListPolicies), each one's document and the targets it is attached to.
  const targets = containers.length + aws.accounts.length;
  const policies = [{ targets: targets - org.fullAccessDetachedFrom.length }, ...org.scps.map((p) => ({ targets: p.targets.length }))];
  t.add('organizations:ListPolicies', pages(policies.length, 20), AWS_DOC.policies);
  t.add('organizations:DescribePolicy', policies.length, AWS_DOC.policy);
  for (const p of policies) t.add('organizations:ListTargetsForPolicy', pages(p.targets, 20), AWS_DOC.targets);
}

/**
 * Trails: one ListTrails per account (its trails and their home regions); one DescribeTrails in the home region with
 * shadow trails (its trails there, every multi-region trail, and in a member account the organisation trail); one
 * more, by ARN, where a single-region trail is homed elsewhere; status and selectors per trail.
 */
function awsTrails(aws: AwsEstate, account: AwsAccount, t: Tally, wantFilters: boolean, logGroups: Set<string>): void {
  t.add('cloudtrail:ListTrails', 1, AWS_DOC.listTrails);
  const elsewhere = account.trails.some((tr) => !tr.multiRegion && tr.homeRegion !== HOME_REGION);
  t.add('cloudtrail:DescribeTrails', elsewhere ? 2 : 1, AWS_DOC.describeTrails);
  t.add('cloudtrail:GetTrailStatus', account.trails.length, AWS_DOC.trailStatus);
  t.add('cloudtrail:GetEventSelectors', account.trails.length, AWS_DOC.selectors);
  for (const tr of account.trails) {
    const lg = tr.cloudWatchLogsLogGroupArn;
    if (!lg || logGroups.has(lg)) continue;
    logGroups.add(lg);
    const owner = /:(\d{12}):log-group:/.exec(lg)?.[1];
    if (!aws.accounts.some((a) => a.id === owner)) continue;
    t.add('logs:DescribeLogGroups', 1, AWS_DOC.logGroups);
    if (wantFilters) t.add('logs:DescribeMetricFilters', 1, AWS_DOC.metricFilters);
  }
}

function awsCreators(
  account: AwsAccount,
  region: string,
  kinds: ReadonlySet<keyof typeof CREATION_EVENTS>,
  now: number,
  t: Tally,
  activity: boolean,
) {
  // The activity review reads every name of the family; the creator lookup those of the kinds present (a subset).
  const names = activity ? new Set(ACTIVITY_EVENTS) : new Set([...kinds].flatMap((k) => CREATION_EVENTS[k]));
  for (const name of names) {
    const events = account.cloudTrailEvents.filter((e) => e.region === region && e.name === name && now - Date.parse(e.time) <= HISTORY_MS);
    t.add('cloudtrail:LookupEvents', pages(events.length, 50), AWS_DOC.lookup);
  }
}

function awsRegion(
  account: AwsAccount,
  region: string,
  o: ForcedOptions,
  now: number,
  t: Tally,
  sharing: SharingPlan | null,
  partition: string,
): void {
  const here = <T extends { region: string }>(xs: readonly T[]) => xs.filter((x) => x.region === region);
  const ebs = here(account.snapshots);
  const images = here(account.images);
  const dbs = here(account.dbSnapshots);
  const clusters = here(account.dbClusterSnapshots);
  const vaults = here(account.backupVaults);
  t.add('ec2:DescribeSnapshots', pages(ebs.length, 1000), AWS_DOC.snapshots);
  t.add('ec2:DescribeImages', pages(images.length, 1000), AWS_DOC.images);
  t.add('rds:DescribeDBSnapshots', pages(dbs.length, 100), AWS_DOC.dbSnapshots);
  t.add('rds:DescribeDBClusterSnapshots', pages(clusters.length, 100), AWS_DOC.dbClusterSnapshots);
  t.add('backup:ListBackupVaults', pages(vaults.length, 1000), AWS_DOC.vaults);
  t.add('ec2:GetSnapshotBlockPublicAccessState', 1, AWS_DOC.snapshotGuard);
  t.add('ec2:GetImageBlockPublicAccessState', 1, AWS_DOC.imageGuard);
  const rules = here(account.eventRules);
  t.add('events:ListRules', pages(rules.length, 100), AWS_DOC.rules);
  t.add('events:ListTargetsByRule', rules.filter((r) => r.pattern !== undefined).length, AWS_DOC.ruleTargets);
  for (const v of vaults) {
    t.add('backup:ListRecoveryPointsByBackupVault', pages(v.recoveryPoints.length, 1000), AWS_DOC.recoveryPoints);
    // The vault's resource policy is in no listing.
    t.add('backup:GetBackupVaultAccessPolicy', 1, AWS_DOC.vaultPolicy);
  }
  if (vaults.some((v) => v.recoveryPoints.length > 0))
    t.add('backup:ListCopyJobs', pages(here(account.copyJobs).length, 1000), AWS_DOC.copyJobs);
  // Source volumes' tags: the region's volumes, 1000 a page, where snapshots name a volume.
  if (ebs.some((s) => s.volumeId !== 'vol-ffffffff'))
    t.add('ec2:DescribeVolumes', pages(here(account.volumes).length, 1000), AWS_DOC.volumes);
  // Keys: the region's aliases where an encrypted artifact uses a key of the account (the default EBS key included).
  if ([...ebs, ...images, ...dbs, ...clusters].some((a) => a.encrypted))
    t.add('kms:ListAliases', pages(here(account.kmsAliases).length + 1, 100), AWS_DOC.aliases);
  const kinds = new Set<keyof typeof CREATION_EVENTS>([
    ...(ebs.length ? (['ebs'] as const) : []),
    ...(images.length ? (['image'] as const) : []),
    ...(dbs.length ? (['db'] as const) : []),
    ...(clusters.length ? (['cluster'] as const) : []),
  ]);
  awsCreators(account, region, kinds, now, t, o.activity !== false);
  // CloudTrail Lake: the account's event data stores are listed per region (ListEventDataStores answers for one).
  t.add('cloudtrail:ListEventDataStores', 1, AWS_DOC.dataStores);
  // Security Hub is regional: whether it is enabled (DescribeHub), and where it is, the enabled standards (100 a page)
  // and, where one runs, the controls' status in each, all in one batch.
  t.add('securityhub:DescribeHub', 1, AWS_DOC.hub);
  const hub = account.securityHub.find((h) => h.region === region);
  if (hub) {
    t.add('securityhub:GetEnabledStandards', pages(hub.standards.length, 100), AWS_DOC.hubStandards);
    const running = hub.standards.filter((x) => x.status === 'READY' || x.status === 'INCOMPLETE');
    if (running.length) t.add('securityhub:BatchGetStandardsControlAssociations', 1, AWS_DOC.hubControls);
    // Where a catalogued control runs, its ACTIVE FAILED findings (100 a page).
    if (running.some((x) => HUB_CONTROLS.some((c) => x.controls[c] === 'ENABLED'))) {
      const findings = hubFindings(partition, account, region, hub).filter((f) => HUB_CONTROLS.includes(f.control));
      t.add('securityhub:GetFindings', pages(findings.length, 100), AWS_DOC.hubFindings);
    }
  }
  if (o.shareLookup) {
    // Who an item is shared with is in no listing: createVolumePermission, launchPermission and the RDS `restore`
    // attribute are read per item (automated RDS snapshots cannot be shared), except where an IAM Access Analyzer
    // analyzer's findings tell it for fewer calls (lab/forced-analyzer.ts; AMIs are not a type it analyses).
    const reads = sharing?.reads(account, region) ?? {
      ebs: ebs.length,
      db: dbs.filter((d) => d.type === 'manual').length,
      cluster: clusters.filter((d) => d.type === 'manual').length,
    };
    t.add('ec2:DescribeSnapshotAttribute', reads.ebs, AWS_DOC.snapshotAttribute);
    t.add('ec2:DescribeImageAttribute', images.length, AWS_DOC.imageAttribute);
    t.add('rds:DescribeDBSnapshotAttributes', reads.db, AWS_DOC.dbAttributes);
    t.add('rds:DescribeDBClusterSnapshotAttributes', reads.cluster, AWS_DOC.dbClusterAttributes);
  } else if (ebs.length) {
    // Without per-item reads, public snapshots are found by the one listing that carries it (RestorableByUserIds=all);
    // an AMI's `Public` is in DescribeImages itself.
    t.add('ec2:DescribeSnapshots', 1, AWS_DOC.snapshots);
  }
}

function awsForced(aws: AwsEstate, o: ForcedOptions, now: number): Record<string, ForcedOperation> {
  const t = new Tally('aws');
  awsOrganization(aws, t);
  const logGroups = new Set<string>();
  const sharing = o.shareLookup && o.accessAnalyzer !== false ? sharingPlan(aws, (a) => a.regions ?? awsDefaultRegions) : null;
  for (const c of sharing?.calls ?? []) t.add(c.op, c.calls, c.source);
  for (const account of aws.accounts.filter((a) => a.status === 'ACTIVE')) {
    t.add('ec2:DescribeRegions', 1, AWS_DOC.regions);
    const iam = account.iam;
    const entities = iam.users.length + iam.groups.length + iam.roles.length + iam.policies.length;
    t.add('iam:GetAccountAuthorizationDetails', pages(entities, 1000), AWS_DOC.iam);
    awsTrails(aws, account, t, true, logGroups);
    // Each event data store is read once (GetEventDataStore: the listing's summary fields are deprecated).
    t.add('cloudtrail:GetEventDataStore', account.eventDataStores.length, AWS_DOC.dataStore);
    for (const region of account.regions ?? awsDefaultRegions) awsRegion(account, region, o, now, t, sharing, aws.partition);
  }
  return t.ops;
}

const AZURE_DOC = {
  subscriptions: 'https://learn.microsoft.com/en-us/rest/api/resources/subscriptions/list',
  groups: 'https://learn.microsoft.com/en-us/rest/api/managementgroups/management-groups/list',
  descendants: 'https://learn.microsoft.com/en-us/rest/api/managementgroups/management-groups/get-descendants',
  assignments: 'https://learn.microsoft.com/en-us/rest/api/authorization/role-assignments/list-for-subscription',
  denies: 'https://learn.microsoft.com/en-us/rest/api/authorization/deny-assignments/list',
  role: 'https://learn.microsoft.com/en-us/rest/api/authorization/role-definitions/get-by-id',
  snapshots: 'https://learn.microsoft.com/en-us/rest/api/compute/snapshots/list',
  disks: 'https://learn.microsoft.com/en-us/rest/api/compute/disks/list',
  images: 'https://learn.microsoft.com/en-us/rest/api/compute/images/list',
  galleries: 'https://learn.microsoft.com/en-us/rest/api/compute/galleries/list',
  gallery: 'https://learn.microsoft.com/en-us/rest/api/compute/galleries/get',
  galleryImages: 'https://learn.microsoft.com/en-us/rest/api/compute/gallery-images/list-by-gallery',
  versions: 'https://learn.microsoft.com/en-us/rest/api/compute/gallery-image-versions/list-by-gallery-image',
  collections: 'https://learn.microsoft.com/en-us/rest/api/compute/restore-point-collections/list-all',
  collection: 'https://learn.microsoft.com/en-us/rest/api/compute/restore-point-collections/get',
  diskRestorePoints: 'https://learn.microsoft.com/en-us/rest/api/compute/disk-restore-point/list-by-restore-point',
  diagnostics: 'https://learn.microsoft.com/en-us/rest/api/monitor/subscription-diagnostic-settings/list',
  diskAccesses: 'https://learn.microsoft.com/en-us/azure/virtual-machines/disks-enable-private-links-for-import-export-portal',
  alerts: 'https://learn.microsoft.com/en-us/rest/api/monitor/activity-log-alerts/list-by-subscription-id',
  activity: 'https://learn.microsoft.com/en-us/rest/api/monitor/activity-logs/list',
} as const;

/** The activity log keeps 90 days (https://learn.microsoft.com/en-us/azure/azure-monitor/platform/activity-log#retention-period). */
const AZURE_ACTIVITY_MS = 90 * 86_400_000;

function azureForced(azure: NonNullable<Estate['azure']>, o: ForcedOptions, now: number): Record<string, ForcedOperation> {
  const t = new Tally('azure');
  const size = azure.pageSize;
  const subs = azure.subscriptions.filter((s) => s.visible && s.state !== 'Disabled' && s.state !== 'Deleted');
  t.add('Microsoft.Resources:ListSubscriptions', pages(azure.subscriptions.length, size), AZURE_DOC.subscriptions);
  t.add('Microsoft.Management:ListManagementGroups', pages(azure.managementGroups.length + 1, size), AZURE_DOC.groups);
  t.add(
    'Microsoft.Management:ListManagementGroupDescendants',
    pages(azure.managementGroups.length + subs.length, size),
    AZURE_DOC.descendants,
  );
  // Role definitions: each one assigned, once per tenant (built-in roles are the same everywhere).
  t.add('Microsoft.Authorization:GetRoleDefinition', new Set(azure.roleAssignments.map((a) => a.role)).size, AZURE_DOC.role);
  // Who the principals are (lab/forced-azure-identity.ts): the holders of a snapshot capability named in batches of
  // 1,000 for the whole tenant, the members of each group that matters listed once (a group's members are the same
  // for every subscription), and per subscription one unfiltered listing of PIM eligibilities (at, above and below it).
  const identity = azureIdentityReads(
    azure,
    subs.map((s) => s.id),
    now,
  );
  t.add('Microsoft.Graph:GetDirectoryObjectsByIds', identity.byIds, AZURE_IDENTITY_DOC.byIds);
  t.add('Microsoft.Graph:ListGroupTransitiveMembers', identity.memberPages, AZURE_IDENTITY_DOC.members);
  t.add('Microsoft.Authorization:ListRoleManagementPolicyAssignments', identity.activationPages, AZURE_IDENTITY_DOC.activation);
  // Where the exported activity log goes (lab/forced-azure-workspaces.ts): each destination once for the tenant, and
  // on each workspace that exists its Sentinel rules and its subscription's log search alert rules.
  const exports = azureExportReads(
    azure,
    subs.map((s) => s.id),
  );
  t.add('Microsoft.OperationalInsights:GetWorkspace', exports.workspaces, AZURE_WORKSPACE_DOC.workspace);
  t.add('Microsoft.Storage:GetStorageAccountProperties', exports.storageAccounts, AZURE_WORKSPACE_DOC.storage);
  t.add('Microsoft.EventHub:GetNamespace', exports.eventHubNamespaces, AZURE_WORKSPACE_DOC.eventHub);
  t.add('Microsoft.SecurityInsights:ListAlertRules', exports.sentinelPages, AZURE_WORKSPACE_DOC.sentinel);
  t.add('Microsoft.Insights:ListScheduledQueryRules', exports.queryRulePages, AZURE_WORKSPACE_DOC.queryRules);
  for (const s of subs) {
    const inSub = azure.roleAssignments.filter(
      (a) => a.scope.startsWith(`/subscriptions/${s.id}`) || !a.scope.startsWith('/subscriptions/'),
    );
    t.add('Microsoft.Authorization:ListRoleAssignments', pages(inSub.length, size), AZURE_DOC.assignments);
    t.add('Microsoft.Authorization:ListDenyAssignments', 1, AZURE_DOC.denies);
    t.add(
      'Microsoft.Authorization:ListRoleEligibilityScheduleInstances',
      identity.eligibilityPages.get(s.id) ?? 1,
      AZURE_IDENTITY_DOC.eligibility,
    );
    t.add('Microsoft.Compute:ListSnapshots', pages(s.snapshots.length, size), AZURE_DOC.snapshots);
    t.add('Microsoft.Compute:ListDisks', pages(s.disks.length, size), AZURE_DOC.disks);
    t.add('Microsoft.Compute:ListImages', pages(s.images.length, size), AZURE_DOC.images);
    t.add('Microsoft.Compute:ListGalleries', pages(s.galleries.length, size), AZURE_DOC.galleries);
    for (const g of s.galleries) {
      // Whom a gallery is shared with: only its get with $expand=SharingProfile/Groups carries the groups.
      if (g.sharing === 'Groups') t.add('Microsoft.Compute:GetGallery', 1, AZURE_DOC.gallery);
      t.add('Microsoft.Compute:ListGalleryImages', pages(g.images.length, size), AZURE_DOC.galleryImages);
      for (const i of g.images) t.add('Microsoft.Compute:ListGalleryImageVersions', pages(i.versions.length, size), AZURE_DOC.versions);
    }
    // Private export: where a snapshot, a live export or a disk restore point can be exported only through one of this
    // subscription's disk accesses (AllowPrivate), the disk accesses say whether any private endpoint is connected.
    const exportable = [
      ...s.snapshots,
      ...s.disks.filter((d) => d.diskState === 'ActiveSAS' || d.diskState === 'ActiveSASFrozen'),
      ...s.restorePointCollections.flatMap((c) => c.restorePoints.flatMap((p) => p.disks)),
    ];
    const own = (id: string | undefined) => (id ?? '').toLowerCase().startsWith(`/subscriptions/${s.id.toLowerCase()}/`);
    if (exportable.some((x) => x.networkAccessPolicy === 'AllowPrivate' && own(x.diskAccessId)))
      t.add('Microsoft.Compute:ListDiskAccesses', pages(s.diskAccesses.length, size), AZURE_DOC.diskAccesses);
    t.add('Microsoft.Compute:ListRestorePointCollections', pages(s.restorePointCollections.length, size), AZURE_DOC.collections);
    for (const c of s.restorePointCollections) {
      // The collection's restore points come with $expand=restorePoints; each one's disk restore points (with their
      // SAS state) only from their own listing.
      t.add('Microsoft.Compute:GetRestorePointCollection', 1, AZURE_DOC.collection);
      t.add('Microsoft.Compute:ListDiskRestorePoints', c.restorePoints.length, AZURE_DOC.diskRestorePoints);
    }
    t.add('Microsoft.Insights:ListDiagnosticSettings', 1, AZURE_DOC.diagnostics);
    t.add('Microsoft.Insights:ListActivityLogAlerts', pages(s.activityLogAlerts.length, size), AZURE_DOC.alerts);
    // The activity log: one listing filtered to Microsoft.Compute's events of the last 90 days (what it keeps), for the
    // creators of the family and for the activity review, which reads every subscription.
    if (o.activity !== false || s.snapshots.length + s.images.length + s.restorePointCollections.length > 0) {
      const compute = s.activityLog.filter(
        (e) =>
          now - Date.parse(e.eventTimestamp) <= AZURE_ACTIVITY_MS &&
          eventResource(e, s).toLowerCase().includes('/providers/microsoft.compute/'),
      );
      t.add('Microsoft.Insights:ListActivityLogs', pages(compute.length, size), AZURE_DOC.activity);
    }
  }
  return t.ops;
}

const GCP_DOC = {
  token: 'https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests',
  org: 'https://cloud.google.com/resource-manager/reference/rest/v3/organizations/get',
  folders: 'https://cloud.google.com/resource-manager/reference/rest/v3/folders/list',
  projects: 'https://cloud.google.com/resource-manager/reference/rest/v3/projects/list',
  iam: 'https://cloud.google.com/resource-manager/reference/rest/v3/projects/getIamPolicy',
  deny: 'https://cloud.google.com/iam/docs/reference/rest/v2/policies/list',
  role: 'https://cloud.google.com/iam/docs/reference/rest/v1/roles/get',
  regions: 'https://cloud.google.com/compute/docs/reference/rest/v1/regions/list',
  snapshots: 'https://cloud.google.com/compute/docs/reference/rest/v1/snapshots/list',
  regionSnapshots: 'https://cloud.google.com/compute/docs/reference/rest/v1/regionSnapshots/list',
  snapshotPolicy: 'https://cloud.google.com/compute/docs/reference/rest/v1/snapshots/getIamPolicy',
  images: 'https://cloud.google.com/compute/docs/reference/rest/v1/images/list',
  imagePolicy: 'https://cloud.google.com/compute/docs/reference/rest/v1/images/getIamPolicy',
  machineImages: 'https://cloud.google.com/compute/docs/reference/rest/v1/machineImages/list',
  machineImagePolicy: 'https://cloud.google.com/compute/docs/reference/rest/v1/machineImages/getIamPolicy',
  instant: 'https://cloud.google.com/compute/docs/reference/rest/v1/instantSnapshots/aggregatedList',
  instantPolicy: 'https://cloud.google.com/compute/docs/reference/rest/v1/instantSnapshots/getIamPolicy',
  regionInstantPolicy: 'https://cloud.google.com/compute/docs/reference/rest/v1/regionInstantSnapshots/getIamPolicy',
  disks: 'https://cloud.google.com/compute/docs/reference/rest/v1/disks/aggregatedList',
  schedules: 'https://cloud.google.com/compute/docs/reference/rest/v1/resourcePolicies/aggregatedList',
  sinks: 'https://cloud.google.com/logging/docs/reference/v2/rest/v2/sinks/list',
  buckets: 'https://cloud.google.com/logging/docs/reference/v2/rest/v2/projects.locations.buckets/list',
  metrics: 'https://cloud.google.com/logging/docs/reference/v2/rest/v2/projects.metrics/list',
  entries: 'https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list',
  alerts: 'https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies/list',
  channels: 'https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.notificationChannels/list',
  sccService:
    'https://cloud.google.com/security-command-center/docs/reference/security-center-management/rest/v1/projects.locations.securityCenterServices/get',
  sccFindings: 'https://cloud.google.com/security-command-center/docs/reference/rest/v2/projects.sources.findings/list',
} as const;

type GcpProject = NonNullable<Estate['gcp']>['projects'][number];

/**
 * The entries the project's creator search returns: one per item the estate names a creator of, and one per
 * schedule attachment (who attached a schedule to a disk).
 */
function gcpAudit(p: GcpProject): number {
  const items: Array<{ createdBy?: string | undefined }> = [...p.snapshots, ...p.images, ...p.machineImages, ...p.instantSnapshots];
  return items.filter((i) => i.createdBy).length + p.disks.reduce((n, d) => n + d.schedules.length, 0);
}

function gcpForced(gcp: NonNullable<Estate['gcp']>): Record<string, ForcedOperation> {
  const t = new Tally('gcp');
  const size = gcp.pageSize;
  const regions = gcp.regions ?? computeRegions;
  const org = gcp.organization;
  const orgName = org ? `organizations/${org.id}` : null;
  const containers = [...(orgName ? [orgName] : []), ...gcp.folders.map((f) => `folders/${f.id}`)];
  t.add('auth:signIn', 1, GCP_DOC.token);
  if (org) t.add('cloudresourcemanager:organizations.get', 1, GCP_DOC.org);
  for (const c of containers) {
    t.add('cloudresourcemanager:folders.list', pages(gcp.folders.filter((f) => f.parent === c).length, size), GCP_DOC.folders);
    t.add('cloudresourcemanager:projects.list', pages(gcp.projects.filter((p) => p.parent === c).length, size), GCP_DOC.projects);
  }
  // IAM, deny policies and sinks at every attachment point: the organisation, each folder, each project.
  const attachments = containers.length + gcp.projects.length;
  t.add('cloudresourcemanager:getIamPolicy', attachments, GCP_DOC.iam);
  t.add('iam:policies.list', attachments, GCP_DOC.deny);
  t.add('logging:sinks.list', attachments, GCP_DOC.sinks);
  const bindings = [
    ...((org as { iam?: Array<{ role: string }> } | undefined)?.iam ?? []),
    ...gcp.folders.flatMap((f) => (f as { iam?: Array<{ role: string }> }).iam ?? []),
    ...gcp.projects.flatMap((p) => (p as { iam?: Array<{ role: string }> }).iam ?? []),
  ];
  t.add('iam:roles.get', new Set(bindings.map((b) => b.role)).size, GCP_DOC.role);
  for (const p of gcp.projects) {
    if (!p.computeApi) continue;
    const global = p.snapshots.filter((s) => !s.region);
    t.add('compute:regions.list', pages(regions.length, size), GCP_DOC.regions);
    t.add('compute:snapshots.list', pages(global.length, size), GCP_DOC.snapshots);
    for (const r of regions)
      t.add('compute:regionSnapshots.list', pages(p.snapshots.filter((s) => s.region === r).length, size), GCP_DOC.regionSnapshots);
    t.add('compute:images.list', pages(p.images.length, size), GCP_DOC.images);
    t.add('compute:machineImages.list', pages(p.machineImages.length, size), GCP_DOC.machineImages);
    t.add('compute:instantSnapshots.aggregatedList', pages(p.instantSnapshots.length, size), GCP_DOC.instant);
    // Snapshot schedules are resource policies: one aggregated listing for every region.
    t.add('compute:resourcePolicies.aggregatedList', pages(p.resourcePolicies.length, size), GCP_DOC.schedules);
    // Which disks a schedule is attached to is said only by the disks (their resourcePolicies), as are their labels.
    if (p.snapshots.length || p.resourcePolicies.length) t.add('compute:disks.aggregatedList', pages(p.disks.length, size), GCP_DOC.disks);
    // Who may use an item is its IAM policy, in no listing: one getIamPolicy per item.
    t.add('compute:snapshots.getIamPolicy', global.length, GCP_DOC.snapshotPolicy);
    t.add('compute:regionSnapshots.getIamPolicy', p.snapshots.length - global.length, GCP_DOC.snapshotPolicy);
    t.add('compute:images.getIamPolicy', p.images.length, GCP_DOC.imagePolicy);
    t.add('compute:machineImages.getIamPolicy', p.machineImages.length, GCP_DOC.machineImagePolicy);
    const regional = p.instantSnapshots.filter((s) => (s as { region?: string }).region).length;
    t.add('compute:regionInstantSnapshots.getIamPolicy', regional, GCP_DOC.regionInstantPolicy);
    t.add('compute:instantSnapshots.getIamPolicy', p.instantSnapshots.length - regional, GCP_DOC.instantPolicy);
    t.add('logging:buckets.list', pages(p.buckets.length, size), GCP_DOC.buckets);
    t.add('logging:metrics.list', pages(p.metrics.length, size), GCP_DOC.metrics);
    // Creators: one filtered entries.list search (the filter ORs every creating method), 1000 entries a page, whose
    // first answer may hold no entries, only a token to go on with (the lab always answers so).
    if (p.snapshots.length + p.images.length + p.machineImages.length + p.instantSnapshots.length + p.resourcePolicies.length > 0)
      t.add('logging:entries.list', 1 + pages(gcpAudit(p), 1000), GCP_DOC.entries);
    t.add('monitoring:alertPolicies.list', pages(p.alertPolicies.length, size), GCP_DOC.alerts);
    // Channels: only whether the channels a policy names are enabled, so only where a policy names one.
    if (p.alertPolicies.some((a) => a.notificationChannels.length > 0))
      t.add('monitoring:notificationChannels.list', pages(p.notificationChannels.length, size), GCP_DOC.channels);
    // Security Command Center: Security Health Analytics' settings for the project, and its ACTIVE findings of the
    // catalogued categories (up to 1000 a page).
    t.add('securitycentermanagement:securityCenterServices.get', 1, GCP_DOC.sccService);
    const sccFindings = (p.securityCenter?.findings ?? []).filter((f) => f.state === 'ACTIVE' && SCC_CATEGORIES.has(f.category));
    t.add('securitycenter:findings.list', pages(sccFindings.length, Math.min(size, 1000)), GCP_DOC.sccFindings);
  }
  return t.ops;
}

/** The calls each cloud of the estate forces (see the header), at `now` (CloudTrail's 90-day history). */
export function forcedCalls(estate: Estate, o: ForcedOptions, now: Date = new Date()): ForcedCalls {
  return {
    ...(estate.aws ? { aws: awsForced(estate.aws, o, now.getTime()) } : {}),
    ...(estate.azure ? { azure: azureForced(estate.azure, o, now.getTime()) } : {}),
    ...(estate.gcp ? { gcp: gcpForced(estate.gcp) } : {}),
  };
}

/** Sums an operation table. */
export function totalCalls(ops: Record<string, { calls: number } | number>): number {
  return Object.values(ops).reduce<number>((n, v) => n + (typeof v === 'number' ? v : v.calls), 0);
}
