/**
 * GCP discovery: the projects to scan — an explicit list, every project under folders or an organisation (walked
 * level by level), or every project the caller can see — with their folder and organisation ancestry (read once per
 * folder), and the organisation's domains and customer ids that decide who is "inside".
 *
 * Scope.regions is `["global"]`: snapshots are global resources (with storage locations) and audit logging, sinks and
 * IAM are project / folder / organisation-wide.
 */
import type { GcpConfig } from '../../src/core/config/schema.ts';
import type { Ancestor, Gap, Scope } from '../../src/core/model/result.ts';
import { attempt, gapFrom, isInterruption } from '../gaps.ts';
import type { DiscoveredScope, Discovery } from '../types.ts';
import { classifyGcpError as classify } from './errors.ts';
import type { ResourceNode } from './iam.ts';
import type { Membership } from './members.ts';
import type { RawProject } from './raw.ts';
import { GLOBAL, type GcpIO } from './scope-io.ts';

export interface ProjectContext {
  projectId: string;
  number: string | null;
  name: string;
  /** Organisation and folders, top down. */
  ancestors: ResourceNode[];
}

export interface GcpDiscovery extends Discovery {
  projects: Map<string, ProjectContext>;
  membership: Membership;
}

type FolderInfo = { name: string | null; parent: string | null };

interface Found {
  projects: Map<string, RawProject>;
  folders: Map<string, FolderInfo>;
  blocked: DiscoveredScope[];
  root: string | null;
}

/** The projects the config names, each read (one that cannot be read is a blocked scope). */
async function namedProjects(io: GcpIO, cfg: GcpConfig): Promise<Found> {
  const found: Found = {
    projects: new Map(),
    folders: new Map(),
    blocked: [],
    root: cfg.organizationId ? `organizations/${cfg.organizationId}` : null,
  };
  await Promise.all(
    cfg.projects.map(async (id) => {
      const gap: Gap[] = [];
      const p = await attempt(gap, 'discovery', null, classify, () => io.getProject(id));
      if (p) found.projects.set(p.projectId ?? id, p);
      else found.blocked.push({ scope: projectScope({ projectId: id, number: null, name: id, ancestors: [] }), blockedBy: gap[0] ?? null });
    }),
  );
  return found;
}

/** Every project under the configured folders (or the organisation), walking folders level by level. */
async function projectsUnder(io: GcpIO, cfg: GcpConfig, gaps: Gap[]): Promise<Found> {
  const roots = cfg.folders.length > 0 ? cfg.folders.map((f) => `folders/${f}`) : [`organizations/${cfg.organizationId}`];
  const found: Found = { projects: new Map(), folders: new Map(), blocked: [], root: roots.join(',') };
  const queue = [...roots];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const level = queue.splice(0, queue.length).filter((n) => !seen.has(n));
    for (const n of level) seen.add(n);
    await Promise.all(
      level.map(async (parent) => {
        const [ps, fs] = await Promise.all([
          attempt(gaps, 'discovery', null, classify, () => io.listProjects(parent)),
          attempt(gaps, 'discovery', null, classify, () => io.listFolders(parent)),
        ]);
        for (const p of ps ?? []) if (p.projectId) found.projects.set(p.projectId, p);
        for (const f of fs ?? []) {
          if (!f.name) continue;
          found.folders.set(f.name, { name: f.displayName ?? null, parent: f.parent ?? null });
          queue.push(f.name);
        }
      }),
    );
  }
  return found;
}

async function findProjects(io: GcpIO, cfg: GcpConfig, gaps: Gap[]): Promise<Found> {
  if (cfg.projects.length > 0) return namedProjects(io, cfg);
  if (cfg.folders.length > 0 || cfg.organizationId !== undefined) return projectsUnder(io, cfg, gaps);
  const found: Found = { projects: new Map(), folders: new Map(), blocked: [], root: null };
  const ps = await attempt(gaps, 'discovery', null, classify, () => io.searchProjects());
  for (const p of ps ?? []) if (p.projectId) found.projects.set(p.projectId, p);
  return found;
}

/**
 * Ancestry: the folders above a project up to the organisation (folders.get for those not listed on the way down).
 * A folder that cannot be read ends the chain with one gap naming what is then not evaluated.
 */
function ancestryReader(io: GcpIO, folders: ReadonlyMap<string, FolderInfo>, gaps: Gap[]) {
  const folderOf = async (name: string): Promise<FolderInfo> => {
    const known = folders.get(name);
    if (known) return known;
    const f = await io.getFolder(name);
    return { name: f.displayName ?? null, parent: f.parent ?? null };
  };
  const reported = new Set<string>();
  return async (parent: string | null): Promise<ResourceNode[]> => {
    const chain: ResourceNode[] = [];
    let cur = parent;
    for (let i = 0; cur?.startsWith('folders/') && i < 20; i++) {
      const name: string = cur;
      try {
        const f = await folderOf(name);
        chain.unshift({ level: 'folder', id: name, name: f.name });
        cur = f.parent;
      } catch (err) {
        if (isInterruption(err)) throw err;
        if (!reported.has(name)) {
          reported.add(name);
          const g = gapFrom(err, 'discovery', null, classify);
          gaps.push({
            ...g,
            message: `ancestry above ${name} could not be read: IAM bindings, deny policies and sinks inherited from above it are not evaluated (${g.message})`,
          });
        }
        chain.unshift({ level: 'folder', id: name, name: null });
        cur = null;
      }
    }
    if (cur?.startsWith('organizations/')) chain.unshift({ level: 'organization', id: cur, name: null });
    return chain;
  };
}

/** The organisations above the projects: their display names are their primary domains. */
async function readOrganizations(io: GcpIO, orgIds: ReadonlySet<string>, gaps: Gap[]) {
  const names = new Map<string, string>();
  const customerIds: string[] = [];
  for (const orgId of [...orgIds].sort()) {
    const o = await attempt(gaps, 'discovery', null, classify, () => io.getOrganization(orgId));
    if (o?.displayName) names.set(orgId, o.displayName);
    if (o?.directoryCustomerId) customerIds.push(o.directoryCustomerId);
  }
  return { names, customerIds };
}

export async function discoverProjects(io: GcpIO, cfg: GcpConfig): Promise<GcpDiscovery> {
  const gaps: Gap[] = [];
  const wholeOrg = cfg.projects.length === 0 && cfg.folders.length === 0 && cfg.organizationId !== undefined;
  const found = await findProjects(io, cfg, gaps);
  const ancestry = ancestryReader(io, found.folders, gaps);
  const contexts = await Promise.all(
    [...found.projects.values()].map(
      async (p): Promise<ProjectContext> => ({
        projectId: p.projectId as string,
        number: p.name?.replace(/^projects\//, '') ?? null,
        name: p.displayName || (p.projectId as string),
        ancestors: await ancestry(p.parent ?? null),
      }),
    ),
  );

  const orgIds = new Set(contexts.flatMap((x) => x.ancestors.filter((a) => a.level === 'organization').map((a) => a.id)));
  if (cfg.organizationId) orgIds.add(`organizations/${cfg.organizationId}`);
  const orgs = await readOrganizations(io, orgIds, gaps);
  for (const ctx of contexts) for (const a of ctx.ancestors) if (a.level === 'organization') a.name = orgs.names.get(a.id) ?? null;
  const complete = wholeOrg && gaps.length === 0;
  const membership: Membership = {
    domains: cfg.domains.length > 0 ? cfg.domains.map((d) => d.toLowerCase()) : [...orgs.names.values()].map((d) => d.toLowerCase()),
    orgProjects: complete ? new Set(contexts.map((x) => x.projectId)) : null,
    orgProjectNumbers: complete ? new Set(contexts.flatMap((x) => (x.number ? [x.number] : []))) : null,
    customerIds: orgs.customerIds,
  };

  const projects = new Map<string, ProjectContext>();
  const scopes: DiscoveredScope[] = [...found.blocked];
  for (const ctx of contexts) {
    projects.set(ctx.projectId, ctx);
    scopes.push(scopeOf(ctx, found.projects.get(ctx.projectId)?.state));
  }
  return { root: found.root, found: scopes.length, scopes, gaps, projects, membership };
}

/** A project pending deletion is not scanned (a blocked scope that says so). */
function scopeOf(ctx: ProjectContext, state: RawProject['state']): DiscoveredScope {
  const active = state === undefined || state === null || state === 'ACTIVE' || state === 1;
  return {
    scope: projectScope(ctx, active ? 'active' : 'disabled'),
    blockedBy: active
      ? null
      : {
          code: 'suspended',
          part: 'discovery',
          operation: null,
          region: null,
          message: `project ${ctx.projectId} is ${String(state)} (pending deletion): not scanned`,
        },
  };
}

export function projectScope(ctx: ProjectContext, state: Scope['state'] = 'active'): Scope {
  const parents: Ancestor[] = ctx.ancestors.map((a) => ({
    kind: a.level === 'organization' ? 'organization' : 'folder',
    id: a.id,
    name: a.name,
  }));
  return {
    provider: 'gcp',
    kind: 'project',
    id: ctx.projectId,
    name: ctx.name,
    parents,
    regions: [GLOBAL],
    regionsNotEnabled: [],
    regionsExcluded: [],
    regionsOtherPartition: [],
    state,
    management: false,
  };
}
