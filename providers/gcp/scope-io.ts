/**
 * The GCP I/O object: every Google API call the scan makes goes through it — one engine call per request or page
 * (`rt.call`: bounded concurrency, retries and classification by the engine), every paged listing through the shared
 * bounded pager (providers/paging.ts), the Admin Activity lookups through the scan-wide Logging pacer, and the reads
 * shared across projects (folders, ancestors' sinks, policies and roles) made once per scan. Every call is REST/JSON
 * through the auth client; it returns the answers as the APIs shape them (raw.ts) and is the only collection code that
 * touches the auth client; collectors (collect/*.ts) and normalisers (normalise/*.ts) turn them into the model.
 */
import type { Operation } from '../../src/core/calls.ts';
import { gapFrom, isInterruption } from '../gaps.ts';
import { readPages } from '../paging.ts';
import type { ProviderRuntime } from '../types.ts';
import { type AuthLike, type GcpClients, type Service, withSignal } from './clients.ts';
import { classifyGcpError } from './errors.ts';
import { type EntriesPage, readCreationEntries } from './creators.ts';
import type { ResourceNode } from './iam.ts';
import type { Pacer } from './pacer.ts';
import { familyLocation, type RawFamilyItem, type RawImage, type RawInstantSnapshot, type RawMachineImage } from './normalise/family.ts';
import type { GroupLookup, RawMembership, RawServiceAccount } from './normalise/identities.ts';
import type { RawResourcePolicy } from './normalise/schedules.ts';
import type { AuditLogEntry, RawBinding, RawSnapshot } from './normalise/snapshots.ts';
import type {
  RawAlertPolicy,
  RawBucket,
  RawChannel,
  RawDatasetAccess,
  RawDenyPolicy,
  RawDisk,
  RawFolder,
  RawMetric,
  RawOrganization,
  RawPolicy,
  RawProject,
  RawRegion,
  RawRole,
  RawSccFindingResult,
  RawSccService,
  RawSink,
} from './raw.ts';

export const GLOBAL = 'global';
/** Compute list calls accept at most 500 items a page (https://cloud.google.com/compute/docs/reference/rest/v1/snapshots/list). */
const COMPUTE_PAGE = '500';

type Cached<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Reads shared by every project of a scan, each made once. A failure is remembered too, unless it was an interruption. */
export class ScanReads {
  private readonly cache = new Map<string, Promise<Cached<unknown>>>();

  once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<Cached<T>> | undefined;
    if (!p) {
      p = fn().then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      this.cache.set(key, p as Promise<Cached<unknown>>);
    }
    return p.then((r) => {
      if (r.ok) return r.value;
      if (isInterruption(r.error)) this.cache.delete(key);
      throw r.error;
    });
  }

  clear(): void {
    this.cache.clear();
  }
}

const op = (service: string, name: string, region: string = GLOBAL): Operation => ({ service, name, region });

/** A read whose 404 means "it does not exist": null then, any other failure thrown. */
function orMissing<T>(read: Promise<T>): Promise<T | null> {
  return read.catch((err: unknown) => {
    if (!isInterruption(err) && gapFrom(err, 'logging', GLOBAL, classifyGcpError).code === 'not_found') return null;
    throw err;
  });
}

/**
 * The I/O of one scan runtime (discovery's, or one project's). `clients` is resolved lazily: discovery signs in
 * before the clients are built.
 */
export class GcpIO {
  private readonly clients: () => GcpClients;
  private readonly shared: ScanReads;
  private readonly rt: ProviderRuntime;
  private readonly logReads: Pacer;

  constructor(clients: () => GcpClients, shared: ScanReads, rt: ProviderRuntime, logReads: Pacer) {
    this.clients = clients;
    this.shared = shared;
    this.rt = rt;
    this.logReads = logReads;
  }

  // ------------------------------------------------------------------------------------------------ transport

  private listing(o: Operation) {
    return { operation: `${o.service}:${o.name}`, region: o.region ?? null, ...(this.rt.maxPages ? { maxPages: this.rt.maxPages } : {}) };
  }

  /** One raw REST call through the auth client (GET, or POST with a JSON body). */
  private rest<T>(operation: Operation, url: string, data?: unknown): Promise<T> {
    const auth = this.clients().auth as unknown as AuthLike;
    return this.rt.call(operation, async (signal) => {
      // As text, parsed here: asked for JSON, gaxios hands back a body that does not parse as a string, which
      // would read as an empty answer (no entries, no permissions) instead of a failed call.
      const request = {
        url,
        method: data === undefined ? 'GET' : 'POST',
        data,
        retry: false,
        timeout: 60_000,
        responseType: 'text',
      } as const;
      // A POST is not handed the signal: node-fetch, aborted before it has sent a request body, destroys the body
      // stream with an error nobody listens to (an uncaught exception that ends the process). It is raced instead;
      // an interrupted POST finishes or times out on its own while the scan moves on.
      const res =
        data === undefined ? await auth.request<string>({ ...request, signal }) : await withSignal(auth.request<string>(request), signal);
      return (typeof res.data === 'string' ? JSON.parse(res.data) : res.data) as T;
    });
  }

  /** Every page of a REST list (`query`: its parameters; `key` holds the items; `pick` flattens aggregated answers), bounded. */
  private restList<T>(
    operation: Operation,
    url: string,
    key: string,
    query: Record<string, string>,
    pick: (res: Record<string, unknown>) => T[] = (res) => (res[key] as T[] | undefined) ?? [],
  ): Promise<T[]> {
    return readPages(this.listing(operation), async (pageToken) => {
      const q = new URLSearchParams({ ...query, ...(pageToken ? { pageToken } : {}) });
      const res: Record<string, unknown> = await this.rest(operation, `${url}?${q}`);
      return { items: pick(res), next: typeof res.nextPageToken === 'string' ? res.nextPageToken : undefined };
    });
  }

  private base(service: Service): string {
    return this.clients().endpoint.base(service);
  }

  /** Cloud Resource Manager v3. */
  private crm(): string {
    return `${this.base('cloudresourcemanager')}/v3`;
  }

  private computeBase(projectId: string): string {
    return `${this.base('compute')}/compute/v1/projects/${projectId}`;
  }

  // ------------------------------------------------------------------------------------------------ discovery

  getProject(projectId: string): Promise<RawProject> {
    return this.rest(op('cloudresourcemanager', 'projects.get'), `${this.crm()}/projects/${projectId}`);
  }

  listProjects(parent: string): Promise<RawProject[]> {
    return this.restList(op('cloudresourcemanager', 'projects.list'), `${this.crm()}/projects`, 'projects', { parent });
  }

  searchProjects(): Promise<RawProject[]> {
    return this.restList(op('cloudresourcemanager', 'projects.search'), `${this.crm()}/projects:search`, 'projects', {});
  }

  listFolders(parent: string): Promise<RawFolder[]> {
    return this.restList(op('cloudresourcemanager', 'folders.list'), `${this.crm()}/folders`, 'folders', { parent });
  }

  getFolder(name: string): Promise<RawFolder> {
    return this.shared.once(`folder:${name}`, () => this.rest(op('cloudresourcemanager', 'folders.get'), `${this.crm()}/${name}`));
  }

  getOrganization(name: string): Promise<RawOrganization> {
    return this.rest(op('cloudresourcemanager', 'organizations.get'), `${this.crm()}/${name}`);
  }

  // ------------------------------------------------------------------------------------------------ logging

  /** A level's sinks (the answer carries `interceptChildren`); ancestors' sinks are read once. */
  listSinks(parent: string): Promise<RawSink[]> {
    const read = () =>
      this.restList<RawSink>(op('logging', 'sinks.list'), `${this.base('logging')}/v2/${parent}/sinks`, 'sinks', { pageSize: '200' });
    return parent.startsWith('projects/') ? read() : this.shared.once(`sinks:${parent}`, read);
  }

  listBuckets(projectId: string): Promise<RawBucket[]> {
    const url = `${this.base('logging')}/v2/projects/${projectId}/locations/-/buckets`;
    return this.shared.once(`buckets:${projectId}`, () => this.restList<RawBucket>(op('logging', 'buckets.list'), url, 'buckets', {}));
  }

  // ------------------------------------------------------------------------------ Security Command Center

  /**
   * Security Health Analytics' settings as they apply to the project (securitycentermanagement
   * projects.locations.securityCenterServices.get: the service's and each module's effective enablement state;
   * https://cloud.google.com/security-command-center/docs/reference/security-center-management/rest/v1/projects.locations.securityCenterServices/get).
   */
  healthAnalyticsService(projectId: string): Promise<RawSccService> {
    const url = `${this.base('securitycentermanagement')}/v1/projects/${projectId}/locations/global/securityCenterServices/security-health-analytics`;
    return this.rest(op('securitycentermanagement', 'securityCenterServices.get'), url);
  }

  /**
   * The project's Security Command Center findings matching a filter, across every source (v2 findings.list with
   * source `-`, paged up to 1000: https://cloud.google.com/security-command-center/docs/reference/rest/v2/projects.sources.findings/list).
   */
  listSccFindings(projectId: string, filter: string): Promise<RawSccFindingResult[]> {
    return this.restList<RawSccFindingResult>(
      op('securitycenter', 'findings.list'),
      `${this.base('securitycenter')}/v2/projects/${projectId}/sources/-/findings`,
      'listFindingsResults',
      { pageSize: '1000', filter },
    );
  }

  // ------------------------------------------------------------------------------------- sink destinations

  /**
   * Who may write to a sink's destination, each read once per scan (an organisation sink's destination is shared by
   * every project): the destination's own IAM policy (a Cloud Storage bucket, a Pub/Sub topic), a BigQuery dataset's
   * access list, a project's allow policy (a log bucket in another project). `null`: the destination does not exist.
   */
  storageBucketPolicy(bucket: string): Promise<{ bindings?: RawBinding[] } | null> {
    const url = `${this.base('storage')}/storage/v1/b/${encodeURIComponent(bucket)}/iam?optionsRequestedPolicyVersion=3`;
    return this.shared.once(`gcs-iam:${bucket}`, () => orMissing(this.rest(op('storage', 'buckets.getIamPolicy'), url)));
  }

  datasetAccess(projectId: string, dataset: string): Promise<{ access?: RawDatasetAccess[] } | null> {
    const url = `${this.base('bigquery')}/bigquery/v2/projects/${projectId}/datasets/${encodeURIComponent(dataset)}`;
    return this.shared.once(`bq:${projectId}/${dataset}`, () => orMissing(this.rest(op('bigquery', 'datasets.get'), url)));
  }

  topicPolicy(projectId: string, topic: string): Promise<{ bindings?: RawBinding[] } | null> {
    const url = `${this.base('pubsub')}/v1/projects/${projectId}/topics/${encodeURIComponent(topic)}:getIamPolicy?options.requestedPolicyVersion=3`;
    return this.shared.once(`topic-iam:${projectId}/${topic}`, () => orMissing(this.rest(op('pubsub', 'topics.getIamPolicy'), url)));
  }

  /** A destination project's allow policy, once per scan (the project's own scan reads it again for who-can). */
  destinationProjectPolicy(projectId: string): Promise<RawPolicy> {
    return this.shared.once(`dest-iam:${projectId}`, () =>
      this.iamPolicy({ level: 'project', id: `projects/${projectId}` } as ResourceNode),
    );
  }

  listMetrics(projectId: string): Promise<RawMetric[]> {
    return this.restList(op('logging', 'metrics.list'), `${this.base('logging')}/v2/projects/${projectId}/metrics`, 'metrics', {});
  }

  listAlertPolicies(projectId: string): Promise<RawAlertPolicy[]> {
    const url = `${this.base('monitoring')}/v3/projects/${projectId}/alertPolicies`;
    return this.restList(op('monitoring', 'alertPolicies.list'), url, 'alertPolicies', {});
  }

  listChannels(projectId: string): Promise<RawChannel[]> {
    const url = `${this.base('monitoring')}/v3/projects/${projectId}/notificationChannels`;
    return this.restList(op('monitoring', 'notificationChannels.list'), url, 'notificationChannels', {});
  }

  /**
   * One project's Admin Activity entries of the creating and schedule-attaching calls, `since` on, paced under the
   * scan-wide Logging read quota.
   */
  creationEntries(projectId: string, since: Date): Promise<AuditLogEntry[]> {
    return readCreationEntries(projectId, since, (body) =>
      this.logReads.run(
        () => this.rest<EntriesPage>(op('logging', 'entries.list'), `${this.base('logging')}/v2/entries:list`, body),
        this.rt.signal,
      ),
    );
  }

  // ------------------------------------------------------------------------------------------------ principals

  /** The allow policy of a level (POST, a read); ancestors' are read once per scan. */
  iamPolicy(node: ResourceNode): Promise<RawPolicy> {
    const read = () =>
      this.rest<RawPolicy>(op('cloudresourcemanager', 'getIamPolicy'), `${this.crm()}/${node.id}:getIamPolicy`, {
        options: { requestedPolicyVersion: 3 },
      });
    return node.level === 'project' ? read() : this.shared.once(`iam:${node.id}`, read);
  }

  /**
   * The deny policies attached to a level, each read in full (the listing omits rules); ancestors' once per scan. The
   * attachment point is one URL-encoded path segment (https://cloud.google.com/iam/docs/deny-access#list-deny-policies).
   */
  denyPolicies(node: ResourceNode): Promise<RawDenyPolicy[]> {
    const attachment = encodeURIComponent(`cloudresourcemanager.googleapis.com/${node.id}`);
    const url = `${this.base('iam')}/v2/policies/${attachment}/denypolicies`;
    const read = async () => {
      const listed = await this.restList<RawDenyPolicy>(op('iam', 'policies.list'), url, 'policies', {});
      return Promise.all(
        listed.map((l) => {
          const id = (l.name ?? '').split('/').pop() ?? '';
          return this.rest<RawDenyPolicy>(op('iam', 'policies.get'), `${url}/${encodeURIComponent(id)}`).then((p) => ({
            ...p,
            name: `${node.id}/denypolicies/${id}`,
          }));
        }),
      );
    };
    return node.level === 'project' ? read() : this.shared.once(`deny:${node.id}`, read);
  }

  /**
   * A service account's own allow policy — who may act as it (iam projects.serviceAccounts.getIamPolicy; POST, a
   * read). `projects/-/` lets the service resolve the project from the email. Once per scan.
   */
  serviceAccountIamPolicy(email: string): Promise<RawPolicy> {
    const project = /@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(email)?.[1] ?? '-';
    const url = `${this.base('iam')}/v1/projects/${project}/serviceAccounts/${encodeURIComponent(email)}:getIamPolicy?options.requestedPolicyVersion=3`;
    return this.shared.once(`sa-iam:${email}`, () => this.rest<RawPolicy>(op('iam', 'serviceAccounts.getIamPolicy'), url, {}));
  }

  /** roles.get always carries includedPermissions (`view=FULL` belongs to roles.list, and get rejects it). Once per scan. */
  role(name: string): Promise<RawRole> {
    return this.shared.once(`role:${name}`, () => this.rest<RawRole>(op('iam', 'roles.get'), `${this.base('iam')}/v1/${name}`));
  }

  // ------------------------------------------------------------------------------------------------ directory

  /** A group's resource name by its email (Cloud Identity groups.lookup), once per scan; a failure is remembered too. */
  lookupGroup(email: string): Promise<string | null> {
    const url = `${this.base('cloudidentity')}/v1/groups:lookup?${new URLSearchParams({ 'groupKey.id': email })}`;
    return this.shared.once(`group:${email.toLowerCase()}`, async () => {
      const name = (await this.rest<GroupLookup>(op('cloudidentity', 'groups.lookup'), url)).name;
      // The name goes into the next request's path: only the documented shape is used.
      return typeof name === 'string' && /^groups\/[\w-]+$/.test(name) ? name : null;
    });
  }

  /** A group's direct memberships (FULL view: each member's type), every page, once per scan. */
  listMemberships(groupName: string): Promise<RawMembership[]> {
    return this.shared.once(`memberships:${groupName}`, () =>
      this.restList<RawMembership>(
        op('cloudidentity', 'groups.memberships.list'),
        `${this.base('cloudidentity')}/v1/${groupName}/memberships`,
        'memberships',
        { view: 'FULL', pageSize: '500' },
      ),
    );
  }

  /** A project's service accounts (100 a page, the documented maximum), once per scan. */
  listServiceAccounts(projectId: string): Promise<RawServiceAccount[]> {
    return this.shared.once(`serviceAccounts:${projectId}`, () =>
      this.restList<RawServiceAccount>(
        op('iam', 'serviceAccounts.list'),
        `${this.base('iam')}/v1/projects/${projectId}/serviceAccounts`,
        'accounts',
        { pageSize: '100' },
      ),
    );
  }

  // ------------------------------------------------------------------------------------------------ compute

  /**
   * Global snapshots over REST, like every other Compute read: the Compute client library would load its whole API's
   * protobuf descriptors (a 12 MB JSON file and the reflection objects built from it, some 125 MB of RSS) for
   * these two calls, whose wire is the same REST/JSON.
   */
  listSnapshots(projectId: string): Promise<RawSnapshot[]> {
    return this.restList(op('compute', 'snapshots.list'), `${this.computeBase(projectId)}/global/snapshots`, 'items', {
      maxResults: COMPUTE_PAGE,
    });
  }

  listRegions(projectId: string): Promise<RawRegion[]> {
    return this.restList(op('compute', 'regions.list'), `${this.computeBase(projectId)}/regions`, 'items', { maxResults: COMPUTE_PAGE });
  }

  listRegionSnapshots(projectId: string, region: string): Promise<RawSnapshot[]> {
    return this.restList(
      op('compute', 'regionSnapshots.list', region),
      `${this.computeBase(projectId)}/regions/${region}/snapshots`,
      'items',
      {
        maxResults: COMPUTE_PAGE,
      },
    );
  }

  /** A snapshot's IAM bindings (global or regional), over REST. */
  snapshotIamPolicy(projectId: string, region: string, name: string): Promise<RawBinding[]> {
    const where =
      region === GLOBAL
        ? { path: 'global', op: op('compute', 'snapshots.getIamPolicy') }
        : { path: `regions/${region}`, op: op('compute', 'regionSnapshots.getIamPolicy', region) };
    const url = `${this.computeBase(projectId)}/${where.path}/snapshots/${encodeURIComponent(name)}/getIamPolicy?optionsRequestedPolicyVersion=3`;
    return this.rest<{ bindings?: RawBinding[] }>(where.op, url).then((r) => r.bindings ?? []);
  }

  /** Every disk of the project, zonal and regional (one aggregated listing, partial success allowed). */
  listDisks(projectId: string): Promise<RawDisk[]> {
    return this.aggregated<RawDisk>(projectId, 'disks');
  }

  /**
   * A Compute aggregated listing: `items` maps each zone or region (`zones/Z`, `regions/R`) to its `collection`
   * (a scope with none carries a warning instead), every page read, partial success allowed.
   */
  private aggregated<T>(projectId: string, collection: 'disks' | 'instantSnapshots' | 'resourcePolicies'): Promise<T[]> {
    return this.restList<T>(
      op('compute', `${collection}.aggregatedList`),
      `${this.computeBase(projectId)}/aggregated/${collection}`,
      'items',
      { maxResults: COMPUTE_PAGE, returnPartialSuccess: 'true' },
      (res) =>
        Object.values((res.items ?? {}) as Record<string, Record<string, T[] | undefined>>).flatMap((scoped) => scoped[collection] ?? []),
    );
  }

  // ------------------------------------------------------------------------------------------------ the family

  listImages(projectId: string): Promise<RawImage[]> {
    return this.restList(op('compute', 'images.list'), `${this.computeBase(projectId)}/global/images`, 'items', {
      maxResults: COMPUTE_PAGE,
    });
  }

  listMachineImages(projectId: string): Promise<RawMachineImage[]> {
    return this.restList(op('compute', 'machineImages.list'), `${this.computeBase(projectId)}/global/machineImages`, 'items', {
      maxResults: COMPUTE_PAGE,
    });
  }

  /** Every instant snapshot of the project, zonal and regional (one aggregated listing, partial success allowed). */
  listInstantSnapshots(projectId: string): Promise<RawInstantSnapshot[]> {
    return this.aggregated<RawInstantSnapshot>(projectId, 'instantSnapshots');
  }

  /**
   * Every resource policy of the project, every region (one aggregated listing, paged, partial success allowed:
   * https://cloud.google.com/compute/docs/reference/rest/v1/resourcePolicies/aggregatedList).
   */
  listResourcePolicies(projectId: string): Promise<RawResourcePolicy[]> {
    return this.aggregated<RawResourcePolicy>(projectId, 'resourcePolicies');
  }

  /** An image's, machine image's or instant snapshot's IAM bindings, over REST. */
  familyIamPolicy(projectId: string, item: RawFamilyItem): Promise<RawBinding[]> {
    const name = encodeURIComponent(item.raw.name ?? '');
    const where =
      item.kind === 'image'
        ? { path: `global/images/${name}`, op: op('compute', 'images.getIamPolicy') }
        : item.kind === 'machine-image'
          ? { path: `global/machineImages/${name}`, op: op('compute', 'machineImages.getIamPolicy') }
          : item.raw.region
            ? {
                path: `regions/${familyLocation(item)}/instantSnapshots/${name}`,
                op: op('compute', 'regionInstantSnapshots.getIamPolicy', familyLocation(item)),
              }
            : {
                path: `zones/${familyLocation(item)}/instantSnapshots/${name}`,
                op: op('compute', 'instantSnapshots.getIamPolicy', familyLocation(item)),
              };
    const url = `${this.computeBase(projectId)}/${where.path}/getIamPolicy?optionsRequestedPolicyVersion=3`;
    return this.rest<{ bindings?: RawBinding[] }>(where.op, url).then((r) => r.bindings ?? []);
  }
}
