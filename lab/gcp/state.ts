/** The GCP lab's view of the estate: resources by id, the hierarchy, roles, and the audit entries it writes. */
import {
  diskLocation,
  type GcpBucket,
  type GcpDisk,
  type GcpEstate,
  type GcpFolder,
  type GcpProject,
  type GcpSink,
  type GcpSnapshot,
  instantLocation,
} from './estate.ts';
import { predefinedRoles } from './roles.ts';

export const requiredFilter = [
  'cloudaudit.googleapis.com/activity',
  'externalaudit.googleapis.com/activity',
  'cloudaudit.googleapis.com/system_event',
  'externalaudit.googleapis.com/system_event',
  'cloudaudit.googleapis.com/access_transparency',
  'externalaudit.googleapis.com/access_transparency',
];

export interface AuditEntry {
  timestamp: string;
  projectId: string;
  methodName: string;
  json: Record<string, unknown>;
}

export interface RoleRecord {
  name: string;
  title: string;
  includedPermissions: string[];
  deleted: boolean;
}

export class GcpLabState {
  readonly estate: GcpEstate;
  readonly projects = new Map<string, GcpProject>();
  readonly folders = new Map<string, GcpFolder>();
  readonly roles = new Map<string, RoleRecord>();
  readonly audit: AuditEntry[] = [];

  constructor(estate: GcpEstate) {
    this.estate = estate;
    for (const f of estate.folders) this.folders.set(f.id, f);
    for (const p of estate.projects) {
      this.projects.set(p.id, p);
      this.projects.set(p.number, p);
    }
    for (const [name, r] of Object.entries(predefinedRoles)) {
      this.roles.set(name, { name, title: r.title, includedPermissions: r.permissions, deleted: false });
    }
    for (const [name, r] of Object.entries(estate.roles)) {
      this.roles.set(name, { name, title: r.title ?? name, includedPermissions: r.permissions, deleted: false });
    }
    const org = estate.organization;
    for (const r of org?.roles ?? []) {
      const name = `organizations/${org?.id}/roles/${r.id}`;
      this.roles.set(name, { name, title: r.title ?? r.id, includedPermissions: r.permissions, deleted: r.deleted });
    }
    for (const p of estate.projects) {
      for (const r of p.roles) {
        const name = `projects/${p.id}/roles/${r.id}`;
        this.roles.set(name, { name, title: r.title ?? r.id, includedPermissions: r.permissions, deleted: r.deleted });
      }
      p.snapshots.forEach((s, i) => {
        if (s.createdBy) this.audit.push(...this.creationEntries(p, s, i));
      });
      this.audit.push(...this.familyEntries(p));
      p.auditEvents.forEach((x, i) => {
        this.audit.push(
          adminActivity({
            project: p,
            methodName: x.method,
            timestamp: x.timestamp,
            resource: { type: 'gce_snapshot', labels: { project_id: p.id } },
            resourceName: `projects/${p.id}/${x.resource}`,
            principal: x.principal,
            userAgent: x.userAgent,
            callerIp: x.callerIp,
            operation: { id: `operation-${p.number}-event-${i}`, first: true, last: x.statusCode !== undefined },
            insertId: `event-${p.number}-${i}`,
            ...(x.request ? { request: x.request } : {}),
            ...(x.statusCode !== undefined ? { status: { code: x.statusCode, message: statusName(x.statusCode) } } : {}),
          }),
        );
      });
      p.disks.forEach((d, i) => {
        d.schedules.forEach((x, j) => {
          this.audit.push(this.attachEntry(p, d, x, `${i}-${j}`));
        });
      });
    }
    this.audit.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    this.audit.forEach((e, at) => {
      const list = this.auditAt.get(e.projectId);
      if (list) list.push(at);
      else this.auditAt.set(e.projectId, [at]);
    });
  }

  /** Each project's audit entries, as positions in `audit` (in its order): a search reads its projects' entries alone. */
  private readonly auditAt = new Map<string, number[]>();

  /** The audit entries of these projects, oldest first (the order of `audit`). */
  auditOf(projectIds: ReadonlySet<string>): AuditEntry[] {
    const at = [...projectIds].flatMap((id) => this.auditAt.get(id) ?? []);
    if (projectIds.size > 1) at.sort((a, b) => a - b);
    return at.map((i) => this.audit[i] as AuditEntry);
  }

  project(idOrNumber: string): GcpProject | undefined {
    return this.projects.get(idOrNumber);
  }

  snapshotId(p: GcpProject, s: GcpSnapshot, index: number): string {
    return s.id ?? `${p.number}${String(index + 1).padStart(4, '0')}`;
  }

  /** Buckets of a project, with the _Required and _Default buckets every project has. */
  buckets(p: GcpProject): GcpBucket[] {
    const own = new Map(p.buckets.map((b) => [b.id, b]));
    if (!own.has('_Required')) own.set('_Required', { id: '_Required', location: 'global', retentionDays: 400, locked: true });
    if (!own.has('_Default')) own.set('_Default', { id: '_Default', location: 'global', retentionDays: 30, locked: false });
    return [...own.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** Sinks of a project, with the _Required and _Default sinks every project has. */
  projectSinks(p: GcpProject): GcpSink[] {
    const logIds = requiredFilter.map((id) => `LOG_ID("${id}")`);
    const base = (id: string, filter: string): GcpSink => ({
      name: id,
      destination: `logging.googleapis.com/projects/${p.id}/locations/global/buckets/${id}`,
      filter,
      disabled: false,
      includeChildren: false,
      interceptChildren: false,
      exclusions: [],
    });
    return [base('_Default', logIds.map((l) => `NOT ${l}`).join(' AND ')), base('_Required', logIds.join(' OR ')), ...p.sinks];
  }

  /** Entries of the quota window so far (entries:list calls), for `quotas.logReadsPerMinute`. */
  private readonly logReads: number[] = [];

  /** Spends one Cloud Logging read; false when the quota of the current window is used up. */
  takeLogRead(now: number): boolean {
    const limit = this.estate.quotas.logReadsPerMinute;
    if (limit === undefined) return true;
    const window = this.estate.quotas.windowSeconds * 1000;
    while (this.logReads.length > 0 && (this.logReads[0] as number) <= now - window) this.logReads.shift();
    if (this.logReads.length >= limit) return false;
    this.logReads.push(now);
    return true;
  }

  /** The Admin Activity entry of the call that attached a snapshot schedule to a disk (its first, with the request). */
  private attachEntry(p: GcpProject, d: GcpDisk, x: GcpDisk['schedules'][number], key: string): AuditEntry {
    const method = `${d.zone ? 'disks' : 'regionDisks'}.${x.via}`;
    return adminActivity({
      project: p,
      methodName: `v1.compute.${method}`,
      timestamp: new Date(x.attachedAt).toISOString(),
      resource: {
        type: 'gce_disk',
        labels: { project_id: p.id, zone: d.zone ?? d.region ?? '', disk_id: `${p.number}6${key.replace('-', '')}` },
      },
      resourceName: `projects/${p.id}/${diskLocation(d)}/disks/${d.name}`,
      principal: x.attachedBy,
      userAgent: 'Terraform/1.9.0 terraform-provider-google/6.0.0',
      operation: { id: `operation-attach-${p.number}-${key}`, first: true },
      insertId: `attach-${p.number}-${key}`,
      request: {
        '@type': `type.googleapis.com/compute.${method}`,
        ...(x.via === 'insert' ? { name: d.name, sizeGb: String(d.sizeGb) } : {}),
        resourcePolicies: [`https://www.googleapis.com/compute/v1/projects/${p.id}/${x.policy}`],
      },
    });
  }

  /** The two entries of a creating call (a long-running operation logs when it starts and when it ends). */
  private creationEntries(p: GcpProject, s: GcpSnapshot, index: number): AuditEntry[] {
    const viaDisk = s.createdVia === 'disks.createSnapshot' || s.createdVia === 'regionDisks.createSnapshot';
    const location = s.sourceDisk?.split('/')[1] ?? 'europe-west1-b';
    const disk = s.sourceDisk?.split('/')[3] ?? 'unknown';
    const opId = `operation-${p.number}-${index}`;
    const collection = s.sourceDisk?.startsWith('regions/') ? 'regions' : 'zones';
    const t0 = new Date(s.creationTimestamp);
    return [0, 1].map((i) =>
      adminActivity({
        project: p,
        methodName: `${s.createdWithApi}.compute.${s.createdVia}`,
        timestamp: new Date(t0.getTime() + i * 30_000).toISOString(),
        resource: viaDisk
          ? { type: 'gce_disk', labels: { project_id: p.id, zone: location, disk_id: `${p.number}9${index}` } }
          : { type: 'gce_snapshot', labels: { project_id: p.id, snapshot_id: this.snapshotId(p, s, index) } },
        resourceName: viaDisk
          ? `projects/${p.id}/${collection}/${location}/disks/${disk}`
          : `projects/${p.id}/${s.region ? `regions/${s.region}` : 'global'}/snapshots/${s.name}`,
        principal: s.createdBy ?? '',
        userAgent: 'google-cloud-sdk gcloud/500.0.0',
        operation: i === 0 ? { id: opId, first: true } : { id: opId, last: true },
        insertId: `${opId}-${i}`,
        ...(i === 0 ? { request: { '@type': `type.googleapis.com/compute.${s.createdVia}`, name: s.name } } : {}),
      }),
    );
  }

  /** The entries of the inserting calls that made the project's images, machine images and instant snapshots. */
  private familyEntries(p: GcpProject): AuditEntry[] {
    const made = [
      ...p.images.map((x, i) => ({ x, i, collection: 'images', path: `global/images/${x.name}`, type: 'gce_image' })),
      ...p.machineImages.map((x, i) => ({
        x,
        i,
        collection: 'machineImages',
        path: `global/machineImages/${x.name}`,
        type: 'audited_resource',
      })),
      ...p.instantSnapshots.map((x, i) => ({
        x,
        i,
        collection: x.region ? 'regionInstantSnapshots' : 'instantSnapshots',
        path: `${instantLocation(x)}/instantSnapshots/${x.name}`,
        type: 'audited_resource',
      })),
    ];
    return made.flatMap(({ x, i, collection, path, type }) => {
      if (!x.createdBy) return [];
      const opId = `operation-${p.number}-${collection}-${i}`;
      const t0 = new Date(x.creationTimestamp);
      return [0, 1].map((n) =>
        adminActivity({
          project: p,
          methodName: `${x.createdWithApi}.compute.${collection}.insert`,
          timestamp: new Date(t0.getTime() + n * 30_000).toISOString(),
          resource: { type, labels: { project_id: p.id } },
          resourceName: `projects/${p.id}/${path}`,
          principal: x.createdBy ?? '',
          userAgent: 'google-cloud-sdk gcloud/500.0.0',
          operation: n === 0 ? { id: opId, first: true } : { id: opId, last: true },
          insertId: `${opId}-${n}`,
          ...(n === 0 ? { request: { '@type': `type.googleapis.com/compute.${collection}.insert`, name: x.name } } : {}),
        }),
      );
    });
  }

  private readonly grants = new Map<string, boolean>();

  /** Bindings at one level of the hierarchy (`organizations/…`, `folders/…`, `projects/…`). */
  private bindingsAt(level: string) {
    const [kind, id] = level.split('/') as [string, string];
    if (kind === 'organizations') return this.estate.organization?.id === id ? this.estate.organization.iam : [];
    if (kind === 'folders') return this.folders.get(id)?.iam ?? [];
    return this.project(id)?.iam ?? [];
  }

  /**
   * May the caller (`gcp.caller`) use `permission` on `resource`? Through its unconditional bindings on the resource
   * or any ancestor (allow policies are inherited). Without a caller, yes.
   */
  can(permission: string, resource: string): boolean {
    const caller = this.estate.caller;
    if (!caller) return true;
    const key = `${permission} ${resource}`;
    const known = this.grants.get(key);
    if (known !== undefined) return known;
    const project = resource.startsWith('projects/') ? this.project(resource.slice('projects/'.length)) : undefined;
    const chain = project
      ? [...this.ancestors(project.parent), `projects/${project.id}`]
      : resource.startsWith('folders/')
        ? this.ancestors(resource)
        : [resource];
    const ok = chain.some((level) =>
      this.bindingsAt(level).some(
        (b) => !b.condition && b.members.includes(caller) && (this.roles.get(b.role)?.includedPermissions.includes(permission) ?? false),
      ),
    );
    this.grants.set(key, ok);
    return ok;
  }

  /** Ancestry of a resource from the organisation down to its parent. */
  ancestors(parent: string): string[] {
    const chain: string[] = [];
    let cur: string | undefined = parent;
    for (let i = 0; cur && i < 20; i++) {
      chain.unshift(cur);
      cur = cur.startsWith('folders/') ? this.folders.get(cur.slice('folders/'.length))?.parent : undefined;
    }
    return chain;
  }
}

interface ActivityInput {
  project: GcpProject;
  methodName: string;
  timestamp: string;
  resource: { type: string; labels: Record<string, string> };
  resourceName: string;
  principal: string;
  userAgent: string;
  operation: { id: string; first?: boolean; last?: boolean };
  insertId: string;
  request?: Record<string, unknown>;
  callerIp?: string;
  status?: { code: number; message: string };
}

/** google.rpc.Code names of the failures the lab writes. */
function statusName(code: number): string {
  return code === 7 ? 'PERMISSION_DENIED' : code === 16 ? 'UNAUTHENTICATED' : `code ${code}`;
}

/** One Admin Activity audit entry of a Compute Engine call, as Cloud Logging returns it. */
function adminActivity(a: ActivityInput): AuditEntry {
  return {
    timestamp: a.timestamp,
    projectId: a.project.id,
    methodName: a.methodName,
    json: {
      logName: `projects/${a.project.id}/logs/cloudaudit.googleapis.com%2Factivity`,
      resource: a.resource,
      timestamp: a.timestamp,
      receiveTimestamp: a.timestamp,
      severity: 'NOTICE',
      insertId: a.insertId,
      operation: { ...a.operation, producer: 'compute.googleapis.com' },
      protoPayload: {
        '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
        serviceName: 'compute.googleapis.com',
        methodName: a.methodName,
        resourceName: a.resourceName,
        authenticationInfo: { principalEmail: a.principal },
        requestMetadata: { callerIp: a.callerIp ?? '203.0.113.10', callerSuppliedUserAgent: a.userAgent },
        ...(a.status ? { status: a.status } : {}),
        ...(a.request ? { request: a.request } : {}),
      },
    },
  };
}
