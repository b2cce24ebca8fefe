/**
 * The GCP demo organisation end to end: real Google SDK clients → the lab over loopback → the engine → checks. What
 * a user reads in the result: projects with their ancestry, coverage, logging export and alerting, who can
 * snapshot and through which grant, and every snapshot classified.
 */
import { describe, expect, it } from 'vitest';
import { allFindings } from '../../src/core/model/order.ts';
import type { ScanResult } from '../../src/core/model/result.ts';
import { assertValidResult, scanEstate } from '../support/lab.ts';
import { demoGcpEstate, ORG, scopeOf, snapshotUrl } from './support.ts';

const org = { kind: 'organization', id: `organizations/${ORG}`, name: 'example.com' };
const production = { kind: 'folder', id: 'folders/200000000001', name: 'Production' };
const development = { kind: 'folder', id: 'folders/200000000002', name: 'Development' };

let cached: ScanResult | null = null;
async function demo(): Promise<ScanResult> {
  cached ??= (await scanEstate(demoGcpEstate(), { providers: ['gcp'], config: { providers: { gcp: { organizationId: ORG } } } })).result;
  return cached;
}

describe('GCP demo organisation', () => {
  it('discovers every project under the organisation with its folder ancestry', async () => {
    const result = await demo();
    assertValidResult(result);
    expect(result.discovery).toEqual([
      { provider: 'gcp', root: `organizations/${ORG}`, status: 'complete', scopesFound: 4, scopesSelected: 4, gaps: [] },
    ]);
    expect(Object.fromEntries(result.scopes.map((s) => [s.scope.id, [s.scope.name, s.scope.parents, s.scope.regions]]))).toEqual({
      'dev-sandbox': ['Developer sandbox', [org, development], ['global']],
      'logging-central': ['Logging (central)', [org], ['global']],
      'prod-payments': ['Payments (production)', [org, production], ['global']],
      'prod-web': ['Web (production)', [org, production], ['global']],
    });
  });

  it('records the project without the Compute Engine API as not_enabled, not as an error', async () => {
    const result = await demo();
    const central = scopeOf(result, 'logging-central');
    expect(central.coverage.status).toBe('complete');
    expect(central.coverage.gaps).toHaveLength(1);
    expect(central.coverage.gaps[0]).toMatchObject({ code: 'not_enabled', part: 'snapshots', operation: 'compute:snapshots.list' });
    expect(central.coverage.gaps[0]?.message).toMatch(
      /Compute Engine API is not enabled in project logging-central, so it has no disks or snapshots/,
    );
    expect(central.snapshots).toEqual([]);
    expect(central.principals.length).toBeGreaterThan(0);
    for (const id of ['dev-sandbox', 'prod-payments', 'prod-web'])
      expect(scopeOf(result, id).coverage).toMatchObject({ status: 'complete', gaps: [] });
    expect(result.scan.complete).toBe(true);
  });

  it('lists snapshot schedules as items: cycle, retention, snapshot properties, the disks they are attached to and who attached them', async () => {
    const result = await demo();
    const schedules = scopeOf(result, 'prod-payments').snapshots.filter((s) => s.kind === 'snapshot-schedule');
    expect(Object.fromEntries(schedules.map((s) => [s.id, { region: s.region, resourceId: s.resourceId, schedule: s.schedule }]))).toEqual({
      nightly: {
        region: 'europe-west1',
        resourceId: 'https://www.googleapis.com/compute/v1/projects/prod-payments/regions/europe-west1/resourcePolicies/nightly',
        schedule: {
          frequency: 'dailySchedule: daysInCycle 1, startTime 02:00',
          retentionDays: 30,
          onSourceDiskDelete: 'KEEP_AUTO_SNAPSHOTS',
          storageLocations: ['europe-west1'],
          labels: { owner: 'payments-team' },
          guestFlush: false,
          attachedTo: [
            {
              disk: 'projects/prod-payments/zones/europe-west1-b/disks/payments-db',
              attachedBy: 'terraform@logging-central.iam.gserviceaccount.com',
              at: '2026-06-01T10:00:00.000Z',
              via: 'v1.compute.disks.addResourcePolicies',
            },
          ],
        },
      },
      // Made with its disk (regionDisks.insert naming the policy), keeping the ledger's snapshots in the US.
      'ledger-hourly': {
        region: 'europe-west1',
        resourceId: 'https://www.googleapis.com/compute/v1/projects/prod-payments/regions/europe-west1/resourcePolicies/ledger-hourly',
        schedule: {
          frequency: 'hourlySchedule: hoursInCycle 4, startTime 00:00',
          retentionDays: 7,
          onSourceDiskDelete: 'APPLY_RETENTION_POLICY',
          storageLocations: ['us'],
          labels: {},
          guestFlush: true,
          attachedTo: [
            {
              disk: 'projects/prod-payments/regions/europe-west1/disks/payments-ledger',
              attachedBy: 'dave@example.com',
              at: '2026-09-01T08:05:00.000Z',
              via: 'v1.compute.regionDisks.insert',
            },
          ],
        },
      },
    });
    // Never judged as a copy: no snapshot finding names a schedule.
    const ids = new Set(schedules.map((s) => s.resourceId));
    expect(allFindings(result).filter((f) => f.resource && ids.has(f.resource.id))).toEqual([]);
  });

  it('gives each project its logging posture: always recorded, export, central, retention, alerting', async () => {
    const result = await demo();
    const row = (id: string) => {
      const r = scopeOf(result, id).logging.regions[0];
      return r && { recorded: r.recorded, central: r.central, protected: r.protected, retentionDays: r.retentionDays, alerted: r.alerted };
    };
    expect(row('prod-payments')).toEqual({ recorded: 'yes', central: 'yes', protected: 'yes', retentionDays: 400, alerted: 'exact' });
    expect(row('prod-web')).toEqual({ recorded: 'yes', central: 'yes', protected: 'yes', retentionDays: 400, alerted: 'none' });
    expect(row('dev-sandbox')).toEqual({ recorded: 'yes', central: 'no', protected: 'yes', retentionDays: 400, alerted: 'none' });
    expect(row('logging-central')).toEqual({ recorded: 'yes', central: 'yes', protected: 'yes', retentionDays: 400, alerted: 'broad' });
  });

  it('evaluates every sink filter and exclusion against snapshot creation', async () => {
    const result = await demo();
    const sources = (id: string) =>
      Object.fromEntries(
        scopeOf(result, id).logging.sources.map((s) => [s.id, [s.recordsSnapshotCreation, s.central, s.retentionDays, s.inherited]]),
      );
    const orgSink = `organizations/${ORG}/sinks/org-audit-archive`;
    expect(sources('prod-web')).toEqual({
      [orgSink]: ['yes', 'yes', 400, true],
      'projects/prod-web/sinks/_Default': ['no', 'no', 30, false],
      'projects/prod-web/sinks/_Required': ['yes', 'no', 400, false],
      'projects/prod-web/sinks/audit-local': ['no', 'no', 30, false],
      'projects/prod-web/sinks/audit-to-gcs': ['yes', 'unknown', null, false],
    });
    expect(sources('dev-sandbox')[orgSink]).toEqual(['no', 'yes', 400, true]);
    const web = scopeOf(result, 'prod-web').logging.sources;
    expect(web.find((s) => s.id === 'projects/prod-web/sinks/audit-local')?.reasons).toEqual([
      'sink audit-local: exclusion no-compute-noise drops every creating and sharing call of the snapshot family',
      'sink audit-local: destination logging.googleapis.com/projects/prod-web/locations/global/buckets/local-30d is in the project itself',
      'sink audit-local: log bucket projects/prod-web/locations/global/buckets/local-30d is not locked',
      'sink audit-local: its copy is kept 30 day(s)',
    ]);
    const dev = scopeOf(result, 'dev-sandbox').logging.sources.find((s) => s.id === orgSink);
    expect(dev?.reasons[0]).toBe(
      'sink org-audit-archive: exclusion skip-dev-noise drops every creating and sharing call of the snapshot family',
    );
    // The Cloud Storage archive's bucket never admitted the sink's writer identity: configured but not delivering,
    // so it records nothing; the organisation sink's writer holds bucketWriter on the central project: it delivers.
    const gcs = web.find((s) => s.id === 'projects/prod-web/sinks/audit-to-gcs');
    expect(gcs?.health).toEqual({
      flowing: 'no',
      lastDelivery: null,
      problems: [
        'sink audit-to-gcs is configured but not delivering: its writer identity serviceAccount:service-300000000003@gcp-sa-logging.iam.gserviceaccount.com holds no role that writes to the Cloud Storage bucket prod-web-audit-archive (grants higher up the hierarchy or through groups are not read)',
      ],
      source: 'storage:buckets.getIamPolicy',
    });
    expect(scopeOf(result, 'prod-web').logging.regions[0]?.sourceIds).not.toContain(gcs?.id);
    expect(web.find((s) => s.id === orgSink)?.health).toMatchObject({ flowing: 'yes', source: 'cloudresourcemanager:getIamPolicy' });
    const required = web.find((s) => s.id === 'projects/prod-web/sinks/_Required');
    expect(required).toMatchObject({ kind: 'log-sink', enabled: 'yes', central: 'no', integrity: 'yes', retentionDays: 400 });
  });

  it('counts a log-based metric only with an enabled alert policy on it', async () => {
    const result = await demo();
    const alerts = (id: string) => scopeOf(result, id).logging.alerts.map((a) => [a.id, a.kind, a.enabled, a.match]);
    expect(alerts('prod-payments')).toEqual([['projects/prod-payments/metrics/snapshot-creation', 'log-metric-alert', true, 'exact']]);
    // Its filter names compute.snapshots.insert and compute.disks.createSnapshot: the regional calls and the rest of the
    // family (images, machine images, instant snapshots, and every sharing call) slip past it.
    expect(alerts('prod-web')).toEqual([['projects/prod-web/metrics/snapshot-events', 'log-metric-alert', false, 'none']]);
    expect(scopeOf(result, 'prod-web').logging.alerts[0]?.reasons).toEqual([
      'metric snapshot-events: filter matches compute.snapshots.insert, compute.disks.createSnapshot but not compute.regionDisks.createSnapshot, compute.regionSnapshots.insert, compute.images.insert, compute.machineImages.insert, compute.instantSnapshots.insert, compute.regionInstantSnapshots.insert, compute.snapshots.setIamPolicy, compute.regionSnapshots.setIamPolicy, compute.images.setIamPolicy, compute.machineImages.setIamPolicy, compute.instantSnapshots.setIamPolicy, compute.regionInstantSnapshots.setIamPolicy',
      'no enabled alert policy uses metric snapshot-events',
    ]);
    expect(alerts('logging-central')).toEqual([
      ['projects/logging-central/alertPolicies/9001/conditions/1', 'log-metric-alert', true, 'broad'],
    ]);
    // It matches every snapshot creation, but its only notification channel is disabled: it alerts nobody.
    expect(alerts('dev-sandbox')).toEqual([['projects/dev-sandbox/alertPolicies/9401/conditions/1', 'log-metric-alert', false, 'exact']]);
    expect(scopeOf(result, 'dev-sandbox').logging.alerts[0]?.reasons).toContain(
      'alert policy "Sandbox snapshot created" notifies nobody: its notification channels are disabled or deleted (projects/dev-sandbox/notificationChannels/old-mailbox)',
    );
    expect(scopeOf(result, 'prod-payments').logging.alerts[0]?.reasons).toContain(
      'alert policy "Snapshot created" notifies Security on-call',
    );
  });

  it('judges alerting per call of the family, in the shape every provider uses', async () => {
    const result = await demo();
    const ops = (id: string) =>
      Object.fromEntries(
        (scopeOf(result, id).logging.regions[0]?.operations ?? []).map((o) => [o.operation, [o.effect, o.alerted, o.source]]),
      );
    const payments = ops('prod-payments');
    const metric = 'projects/prod-payments/metrics/snapshot-creation';
    expect(payments['compute.snapshots.insert']).toEqual(['create', 'exact', metric]);
    expect(payments['compute.images.setIamPolicy']).toEqual(['share', 'exact', metric]);
    // prod-web's metric counts two creation calls only, and no enabled policy uses it: nothing alerts on any call.
    const web = ops('prod-web');
    expect(web['compute.images.setIamPolicy']).toEqual(['share', 'none', 'logging:metrics.list, monitoring:alertPolicies.list']);
    expect(web['compute.snapshots.insert']?.[1]).toBe('none');
    // logging-central's policy matches all Compute Engine admin activity: broad for every call.
    expect(new Set(Object.values(ops('logging-central')).map((o) => o[1]))).toEqual(new Set(['broad']));
  });

  it('a finding names the calls of the family nothing alerts on, sharing first', async () => {
    const result = await demo();
    const share = scopeOf(result, 'prod-web').findings.find((f) => f.resource?.id === 'operations-share-not-alerted');
    expect(share).toMatchObject({ checkId: 'logging.snapshot-alerting', severity: 'high' });
    expect(share?.message).toMatch(/compute\.images\.setIamPolicy/);
    expect(scopeOf(result, 'prod-payments').findings.some((f) => f.messageId === 'operationsNotAlerted')).toBe(false);
  });

  it('lists who can snapshot, with inheritance, deny policies, conditions and external members', async () => {
    const result = await demo();
    const who = (id: string) =>
      Object.fromEntries(
        scopeOf(result, id).principals.map((p) => {
          const create = p.grants.filter((g) => g.action === 'compute.snapshots.create');
          return [
            p.id,
            {
              type: p.type,
              external: p.external,
              capabilities: p.capabilities.join(','),
              create: create.length === 0 ? 'no' : create.every((g) => g.conditional) ? 'conditional' : 'yes',
              broad: p.grants.some((g) => g.broad),
            },
          ];
        }),
      );
    const backupOperators = { type: 'group', external: false, capabilities: 'copy,create', create: 'yes', broad: true };
    expect(who('prod-payments')).toEqual({
      'group:backup-operators@example.com': backupOperators,
      // The Production folder denies compute.snapshots.create to everyone but backup-operators, and Cloud Identity says
      // alice is not in it: she certainly cannot create (the other capabilities stay).
      'user:alice@example.com': {
        type: 'user',
        external: false,
        capabilities: 'copy,create,delete,export,restore,share',
        create: 'no',
        broad: false,
      },
      // erin's binding depends on the snapshot's name (and she is not in backup-operators either); bob's expired
      // before the scan and grants nothing.
      'user:erin@example.com': {
        type: 'user',
        external: false,
        capabilities: 'copy,create,delete,export,restore,share',
        create: 'no',
        broad: false,
      },
    });
    const storageAdmin = {
      type: 'service-account',
      external: false,
      capabilities: 'copy,create,delete,export,restore,share',
      broad: false,
    };
    expect(who('prod-web')).toEqual({
      'group:backup-operators@example.com': backupOperators,
      // carol is in backup-operators, the contractor is not: the deny is decided for both.
      'user:carol@example.com': {
        type: 'user',
        external: false,
        capabilities: 'copy,create,delete,export,restore,share',
        create: 'yes',
        broad: true,
      },
      'user:contractor@gmail.com': {
        type: 'user',
        external: true,
        capabilities: 'copy,create,delete,export,restore,share',
        create: 'no',
        broad: false,
      },
      // The deploy bot is in backup-operators through sre-oncall; the disabled legacy exporter is in no group.
      'serviceAccount:deploy-bot@prod-web.iam.gserviceaccount.com': { ...storageAdmin, create: 'yes' },
      'serviceAccount:legacy-exporter@prod-web.iam.gserviceaccount.com': { ...storageAdmin, create: 'no' },
      // dave holds no role on the project: he reaches deploy-bot's grants by minting its tokens (Token Creator on it).
      // The calls are deploy-bot's, which the Production deny excepts (sre-oncall): certain, as deploy-bot's own.
      'user:dave@example.com': {
        type: 'user',
        external: false,
        capabilities: 'copy,create,delete,export,restore,share',
        create: 'yes',
        broad: false,
      },
    });
    const dave = scopeOf(result, 'prod-web').principals.find((p) => p.id === 'user:dave@example.com');
    expect(dave?.grants.every((g) => g.reach === 'indirect' && g.hops === 1)).toBe(true);
    expect(dave?.grants[0]?.path[1]).toEqual({
      kind: 'impersonation',
      id: 'deploy-bot@prod-web.iam.gserviceaccount.com',
      label:
        'acts as deploy-bot@prod-web.iam.gserviceaccount.com (roles/iam.serviceAccountTokenCreator on service account deploy-bot@prod-web.iam.gserviceaccount.com: iam.serviceAccounts.getAccessToken)',
    });
    expect(who('dev-sandbox')).toEqual({
      'group:backup-operators@example.com': backupOperators,
      // Editor on the Development folder; no deny policy there.
      'group:developers@example.com': {
        type: 'group',
        external: false,
        capabilities: 'copy,create,delete,export,restore',
        create: 'yes',
        broad: true,
      },
    });
    // erin's binding is conditional everywhere, not only for create.
    const erin = scopeOf(result, 'prod-payments').principals.find((p) => p.id === 'user:erin@example.com');
    expect(erin?.grants.every((g) => g.conditional)).toBe(true);
    expect(erin?.grants[0]?.conditions).toContain(
      'backup snapshots only: resource.name.startsWith("projects/prod-payments/global/snapshots/backup-")',
    );
  });

  it('records the grant path principal → binding → role → permission → resource level', async () => {
    const result = await demo();
    const dev = scopeOf(result, 'dev-sandbox').principals.find((p) => p.id === 'group:developers@example.com');
    const create = dev?.grants.find((g) => g.action === 'compute.snapshots.create');
    expect(create?.path).toEqual([
      { kind: 'principal', id: 'group:developers@example.com', label: 'developers@example.com' },
      { kind: 'binding', id: 'folders/200000000002#roles/editor', label: 'roles/editor on folder Development' },
      { kind: 'role', id: 'roles/editor', label: 'Editor' },
      { kind: 'permission', id: 'compute.snapshots.create', label: null },
      { kind: 'binding', id: 'folders/200000000002#roles/editor', label: 'roles/editor on folder Development' },
      { kind: 'permission', id: 'compute.disks.createSnapshot', label: 'required too, via roles/editor on folder Development' },
      { kind: 'scope', id: 'folders/200000000002', label: 'folder Development' },
    ]);
    const ops = scopeOf(result, 'prod-web').principals.find((p) => p.id === 'group:backup-operators@example.com');
    expect(ops?.grants.find((g) => g.action === 'compute.snapshots.create')?.path[1]).toEqual({
      kind: 'binding',
      id: `organizations/${ORG}#organizations/${ORG}/roles/snapshotOperator`,
      label: `organizations/${ORG}/roles/snapshotOperator on organization example.com`,
    });
    // Membership read, the deny policy is decided: carol (in backup-operators) creates with no condition left.
    const carol = scopeOf(result, 'prod-web').principals.find((p) => p.id === 'user:carol@example.com');
    expect(carol?.grants.find((g) => g.action === 'compute.snapshots.create')?.conditions).toEqual([]);
  });

  it('classifies every snapshot: encryption, sharing, owner and its source, automation', async () => {
    const result = await demo();
    const nightly = scopeOf(result, 'prod-payments').snapshots.find((x) => x.name === 'payments-db-nightly-20261125');
    expect(nightly?.sharing.notes).toEqual(
      expect.arrayContaining([
        'made by snapshot schedule projects/prod-payments/regions/europe-west1/resourcePolicies/nightly',
        'schedule attached to its disk by terraform@logging-central.iam.gserviceaccount.com at 2026-06-01T10:00:00.000Z',
      ]),
    );
    const table = Object.fromEntries(
      result.scopes.flatMap((s) =>
        s.snapshots.map((x) => [
          `${s.scope.id}/${x.id}`,
          [
            x.encryption.status,
            x.sharing.public,
            x.sharing.sharedWith.map((w) => `${w.id}:${w.inOrganization}`).join(' '),
            x.owner.source,
            x.owner.value,
            x.automation.by,
          ],
        ]),
      ),
    );
    expect(table).toEqual({
      'dev-sandbox/sandbox-test': ['provider-key', 'no', '', 'tag', 'dev-team', null],
      // A public image (allAuthenticatedUsers), made by alice with the beta API.
      'prod-payments/payments-db-golden': ['provider-key', 'yes', '', 'audit-event', 'alice@example.com', null],
      // Instant snapshots carry no key of their own (their disk's applies): encryption unknown from the listing.
      'prod-payments/payments-db-instant': ['unknown', 'no', '', 'audit-event', 'alice@example.com', null],
      'prod-payments/payments-ledger-instant': ['unknown', 'no', '', 'tag', 'payments-team', null],
      'prod-payments/payments-db-manual': ['provider-key', 'no', 'user:contractor@gmail.com:no', 'audit-event', 'alice@example.com', null],
      'prod-payments/payments-db-nightly-20261125': [
        'customer-key',
        'no',
        '',
        'audit-event',
        'service-300000000002@compute-system.iam.gserviceaccount.com',
        'gcp-schedule',
      ],
      'prod-payments/payments-export-old': ['provider-key', 'yes', '', 'tag', 'data-eng', null],
      // A regional snapshot, found through regions.list and regionSnapshots.list, its creator read from a beta-API call.
      'prod-payments/payments-ledger-dr': ['provider-key', 'no', '', 'audit-event', 'alice@example.com', null],
      'prod-web/web-1-before-upgrade': ['provider-key', 'no', '', 'source-tag', 'web-team', null],
      // A machine image shared with another organisation's domain.
      'prod-web/web-1-machine-image': ['provider-key', 'no', 'domain:partner.example.net:no', 'tag', 'web-team', null],
      'prod-web/web-csek': [
        'customer-key',
        'no',
        'group:web-team@example.com:yes',
        'audit-event',
        'deploy-bot@prod-web.iam.gserviceaccount.com',
        null,
      ],
      'prod-web/web-orphan': ['provider-key', 'no', '', 'unknown', null, null],
      // Snapshot schedules hold no data: nothing to expose, no key of their own, no owner label.
      'prod-payments/nightly': ['unknown', 'no', '', 'unknown', null, null],
      'prod-payments/ledger-hourly': ['unknown', 'no', '', 'unknown', null, null],
    });
    const payments = scopeOf(result, 'prod-payments').snapshots;
    expect(payments.find((s) => s.id === 'payments-db-nightly-20261125')).toMatchObject({
      encryption: { keyId: 'projects/prod-payments/locations/europe-west1/keyRings/disks/cryptoKeys/payments/cryptoKeyVersions/1' },
      source: {
        kind: 'disk',
        id: 'projects/prod-payments/zones/europe-west1-b/disks/payments-db',
        tags: { owner: 'payments-team', classification: 'secret' },
      },
      creator: {
        identity: 'service-300000000002@compute-system.iam.gserviceaccount.com',
        source: 'audit-event',
        at: '2026-11-25T02:00:00.000Z',
      },
      sizeGiB: 200,
      createdAt: '2026-11-25T02:00:00.000Z',
      region: 'global',
    });
    expect(payments.find((s) => s.id === 'payments-export-old')?.sharing.notes).toEqual(['roles/compute.storageAdmin granted to allUsers']);
    expect(scopeOf(result, 'prod-web').snapshots.find((s) => s.id === 'web-csek')?.encryption.keyId).toMatch(
      /^customer-supplied key \(sha256 /,
    );
  });

  it('turns the posture into findings', async () => {
    const result = await demo();
    // The checks this demo is about (a check added later has its own tests and does not change this list).
    const about = [
      'coverage.scope-unreadable',
      'logging.all-regions-covered',
      'logging.centralized-and-protected',
      'logging.retention',
      'logging.snapshot-alerting',
      'logging.snapshot-events-recorded',
      'permissions.external-path',
      'permissions.newly-granted',
      'snapshots.block-public-access-off',
      'snapshots.no-owner',
      'snapshots.public',
      'snapshots.sensitive-source',
      'snapshots.shared-outside-org',
      'snapshots.stale',
      'snapshots.unapproved-creator',
      'snapshots.unencrypted',
    ];
    const keys = allFindings(result)
      .filter((f) => about.includes(f.checkId))
      .map((f) => `${f.severity} ${f.checkId} ${f.scopeId} ${f.resource?.id ?? ''}`.trim());
    expect(keys).toEqual([
      'critical snapshots.public prod-payments https://www.googleapis.com/compute/v1/projects/prod-payments/global/images/payments-db-golden',
      `critical snapshots.public prod-payments ${snapshotUrl('prod-payments', 'payments-export-old')}`,
      // Nothing alerts on sharing an image, machine image or snapshot (setIamPolicy) there.
      'high logging.snapshot-alerting prod-web operations-share-not-alerted',
      'high logging.snapshot-alerting dev-sandbox operations-share-not-alerted',
      'high permissions.external-path prod-web user:contractor@gmail.com',
      `high snapshots.shared-outside-org prod-payments ${snapshotUrl('prod-payments', 'payments-db-manual')}`,
      'high snapshots.shared-outside-org prod-web https://www.googleapis.com/compute/v1/projects/prod-web/global/machineImages/web-1-machine-image',
      'medium logging.centralized-and-protected dev-sandbox',
      'medium logging.snapshot-alerting dev-sandbox',
      'medium logging.snapshot-alerting prod-web',
      'medium snapshots.unapproved-creator prod-payments https://www.googleapis.com/compute/v1/projects/prod-payments/regions/europe-west1/snapshots/payments-ledger-dr',
      'medium snapshots.unapproved-creator prod-payments https://www.googleapis.com/compute/v1/projects/prod-payments/zones/europe-west1-b/instantSnapshots/payments-db-instant',
      `medium snapshots.unapproved-creator dev-sandbox ${snapshotUrl('dev-sandbox', 'sandbox-test')}`,
      'medium snapshots.unapproved-creator prod-payments https://www.googleapis.com/compute/v1/projects/prod-payments/global/images/payments-db-golden',
      `medium snapshots.unapproved-creator prod-payments ${snapshotUrl('prod-payments', 'payments-db-manual')}`,
      'medium snapshots.unapproved-creator prod-web https://www.googleapis.com/compute/v1/projects/prod-web/global/machineImages/web-1-machine-image',
      `medium snapshots.unapproved-creator prod-web ${snapshotUrl('prod-web', 'web-csek')}`,
      'low logging.snapshot-alerting logging-central broad-match-only',
      'low logging.snapshot-alerting logging-central operations-broad-match-only',
      `low snapshots.no-owner prod-web ${snapshotUrl('prod-web', 'web-orphan')}`,
      `low snapshots.stale prod-payments ${snapshotUrl('prod-payments', 'payments-export-old')}`,
      `low snapshots.stale prod-web ${snapshotUrl('prod-web', 'web-1-before-upgrade')}`,
      `low snapshots.stale prod-web ${snapshotUrl('prod-web', 'web-orphan')}`,
    ]);
  });
});
