/**
 * Who is behind the principals of a project (#17): the members of the groups that matter — groups that hold a
 * snapshot capability and groups a deny rule denies or excepts — and the service accounts' names and state.
 *
 * Membership is read with the Cloud Identity Groups API reads that need no Cloud Identity Premium licence
 * (searchTransitiveMemberships does): `groups.lookup` turns a group's email into its resource name, then
 * `groups.memberships.list` lists its direct members, and nested groups are followed the same way, breadth first,
 * each group once (a visited set: membership can be cyclic) and at most MAX_GROUP_DEPTH levels down; a group deeper
 * than that leaves the membership incomplete (only "is a member" is then certain). Each group is read once per scan.
 *
 * Each read is optional: refused, it is one gap per project naming what to grant, and the result stays as it was
 * (group members unknown, deny rules on groups conditional, service accounts by email).
 *
 * https://cloud.google.com/identity/docs/reference/rest/v1/groups/lookup
 * https://cloud.google.com/identity/docs/reference/rest/v1/groups.memberships/list
 * https://cloud.google.com/identity/docs/reference/rest/v1/groups.memberships/searchTransitiveMemberships (Premium)
 * https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/list
 */
import type { Identity, Principal } from '../../../src/core/model/result.ts';
import { CallFailedError } from '../../../src/core/calls.ts';
import { gapFrom, isInterruption } from '../../gaps.ts';
import { classifyGcpError } from '../errors.ts';
import type { DenyPolicyAt, GroupMembership } from '../iam.ts';
import { classifyMember, type Membership } from '../members.ts';
import { type GroupMember, memberOfMembership, membersOf, serviceAccountIdentity, serviceAccountProject } from '../normalise/identities.ts';
import { GLOBAL, type GcpIO } from '../scope-io.ts';
import type { GcpScopeContext } from './context.ts';

/** Nesting levels followed below a group (the group's own members are level 1). */
export const MAX_GROUP_DEPTH = 10;

/** What to grant when Cloud Identity refuses a group read. */
export const GROUPS_HINT =
  'grant the scanning identity the Groups Reader admin role in the Google Admin console (Account > Admin roles) to read group members, and enable the Cloud Identity API in the project the credentials bill (Cloud Identity answers a group that does not exist with the same 403); or set providers.gcp.directoryLookup to false';
/** What to grant when a project's service accounts cannot be listed. */
export const SERVICE_ACCOUNTS_HINT =
  'grant iam.serviceAccounts.list on the project (roles/iam.serviceAccountViewer, or Security Reviewer) to name service accounts and tell disabled ones';

const groupPrefix = 'principalSet://goog/group/';

/** Lower-case emails of the organisation's groups whose membership decides a deny rule or names a grant's people. */
export function groupsToExpand(principals: readonly Principal[], deny: readonly DenyPolicyAt[], m: Membership): string[] {
  const emails = new Set<string>();
  for (const p of principals) if (p.type === 'group' && p.id.startsWith('group:')) emails.add(p.id.slice('group:'.length).toLowerCase());
  for (const policy of deny)
    for (const rule of policy.rules)
      for (const id of [...rule.deniedPrincipals, ...(rule.exceptionPrincipals ?? [])])
        if (id.startsWith(groupPrefix)) emails.add(id.slice(groupPrefix.length).toLowerCase());
  // A group of another organisation's directory cannot be read: its membership stays unknown.
  return [...emails].filter((e) => classifyMember(`group:${e}`, m).inOrganization !== 'no').sort();
}

export interface GroupsRead {
  /** Transitive members (lower-case emails) of each group read, and whether the listing reached every level. */
  membership: GroupMembership;
  /** Transitive members of each group read, for the report. */
  members: Map<string, GroupMember[]>;
}

const refused = (err: unknown) => err instanceof CallFailedError && err.info.code === 'access_denied';
const notFound = (err: unknown) => err instanceof CallFailedError && err.info.code === 'not_found';

/** A group's direct members, or null when Cloud Identity does not know the group. */
async function directMembers(io: GcpIO, email: string): Promise<GroupMember[] | null> {
  try {
    const name = await io.lookupGroup(email);
    if (!name) return null;
    return (await io.listMemberships(name)).map(memberOfMembership).filter((x): x is GroupMember => x !== null);
  } catch (err) {
    if (notFound(err)) return null;
    throw err;
  }
}

/** One group's transitive members, breadth first, each nested group once, at most MAX_GROUP_DEPTH levels. */
async function transitive(io: GcpIO, email: string): Promise<{ members: Map<string, GroupMember>; complete: boolean }> {
  const members = new Map<string, GroupMember>();
  const seen = new Set([email]);
  let frontier = [email];
  let complete = true;
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth >= MAX_GROUP_DEPTH) {
      complete = false;
      break;
    }
    const lists = await Promise.all(frontier.map((g) => directMembers(io, g)));
    const next: string[] = [];
    for (const list of lists) {
      if (list === null) {
        complete = false;
        continue;
      }
      for (const m of list) {
        if (!members.has(m.email)) members.set(m.email, m);
        if (m.kind === 'group' && !seen.has(m.email)) {
          seen.add(m.email);
          next.push(m.email);
        }
      }
    }
    frontier = next.sort();
  }
  return { members, complete };
}

/**
 * The membership of each group, or undefined when none could be read. A refusal is one gap for the project naming
 * the groups it hid and what to grant; a group Cloud Identity does not know stays unknown without a gap.
 */
export async function readGroups(io: GcpIO, ctx: GcpScopeContext, emails: readonly string[]): Promise<GroupsRead | undefined> {
  const membership = new Map<string, { members: ReadonlySet<string>; complete: boolean }>();
  const members = new Map<string, GroupMember[]>();
  const failed: Array<{ email: string; err: unknown }> = [];
  await Promise.all(
    emails.map(async (email) => {
      try {
        const t = await transitive(io, email);
        membership.set(email, { members: new Set(t.members.keys()), complete: t.complete });
        members.set(email, [...t.members.values()]);
      } catch (err) {
        if (isInterruption(err)) throw err;
        failed.push({ email, err });
      }
    }),
  );
  if (failed.length > 0) {
    failed.sort((a, b) => (a.email < b.email ? -1 : 1));
    const first = failed[0] as { email: string; err: unknown };
    const gap = gapFrom(first.err, 'principals', GLOBAL, classifyGcpError);
    const which = failed.map((f) => f.email).join(', ');
    const hint = refused(first.err) ? `; ${GROUPS_HINT}` : '';
    ctx.gaps.push({ ...gap, message: `members of ${which} not read: ${gap.message}${hint}` });
  }
  return failed.length > 0 && membership.size === 0 ? undefined : { membership, members };
}

/**
 * Identity facts of service accounts by lower-case email: each project's accounts listed once per scan, for projects
 * of the organisation (others' cannot be listed). `principals` are the project's own principals: a refused listing
 * of their project is one gap. `members` (service accounts in the groups read) are named where their project can be
 * listed; a listing refused for them alone is that project's gap, not this one's.
 */
export async function readServiceAccounts(
  io: GcpIO,
  ctx: GcpScopeContext,
  principals: readonly string[],
  members: readonly string[] = [],
): Promise<Map<string, Identity>> {
  const projectsOf = (emails: readonly string[]) =>
    new Set(
      emails
        .map(serviceAccountProject)
        .filter((p): p is string => p !== null && (p === ctx.project.projectId || (ctx.membership.orgProjects?.has(p) ?? false))),
    );
  const own = projectsOf(principals);
  const projects = new Set([...own, ...projectsOf(members)]);
  const out = new Map<string, Identity>();
  const failed: Array<{ project: string; err: unknown }> = [];
  await Promise.all(
    [...projects].sort().map(async (project) => {
      try {
        for (const sa of await io.listServiceAccounts(project)) {
          const identity = serviceAccountIdentity(sa);
          if (identity) out.set((sa.email as string).toLowerCase(), identity);
        }
      } catch (err) {
        if (isInterruption(err)) throw err;
        if (own.has(project)) failed.push({ project, err });
      }
    }),
  );
  if (failed.length > 0) {
    failed.sort((a, b) => (a.project < b.project ? -1 : 1));
    const first = failed[0] as { project: string; err: unknown };
    const gap = gapFrom(first.err, 'principals', GLOBAL, classifyGcpError);
    const hint = refused(first.err) ? `; ${SERVICE_ACCOUNTS_HINT}` : '';
    ctx.gaps.push({ ...gap, message: `service accounts of ${failed.map((f) => f.project).join(', ')} not listed: ${gap.message}${hint}` });
  }
  return out;
}

/** Names, account state and members onto the principals (in place). */
export function nameIdentities(principals: Principal[], groups: GroupsRead | undefined, accounts: ReadonlyMap<string, Identity>): void {
  for (const p of principals) {
    const colon = p.id.indexOf(':');
    const email = p.id.slice(colon + 1).toLowerCase();
    if (p.type === 'group' && p.id.startsWith('group:')) {
      const list = groups?.members.get(email);
      if (list) p.members = membersOf(list, accounts);
      continue;
    }
    if (p.type !== 'service-account' || !p.id.startsWith('serviceAccount:')) continue;
    const identity = accounts.get(email);
    if (!identity) continue;
    p.identity = identity;
    if (!identity.displayName) continue;
    p.name = identity.displayName;
    for (const g of p.grants) {
      const first = g.path[0];
      if (first?.kind === 'principal' && first.id === p.id) first.label = identity.displayName;
    }
  }
}
