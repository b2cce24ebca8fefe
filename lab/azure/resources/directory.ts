/**
 * Microsoft Graph v1.0 directory objects as the lab serves them: `@odata.type` on each, users with the default
 * subset of properties v1.0 returns (no userType or accountEnabled unless selected), service principals and groups
 * with theirs; `$select` picks properties; objects a permission does not cover come back with id and type only
 * ("limited information returned for inaccessible member objects").
 *
 * https://learn.microsoft.com/en-us/graph/api/resources/user?view=graph-rest-1.0
 * https://learn.microsoft.com/en-us/graph/permissions-overview#limited-information-returned-for-inaccessible-member-objects
 */
import type { AzureDirectory } from '../estate.ts';

type Kind = 'user' | 'group' | 'servicePrincipal';
export interface DirectoryEntry {
  kind: Kind;
  body: Record<string, unknown>;
}

/** Properties a user read returns when no $select is given (v1.0). */
const USER_DEFAULT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

export function directoryIndex(d: AzureDirectory): Map<string, DirectoryEntry> {
  const out = new Map<string, DirectoryEntry>();
  for (const u of d.users) {
    out.set(u.id.toLowerCase(), {
      kind: 'user',
      body: {
        id: u.id,
        businessPhones: [],
        displayName: u.displayName,
        givenName: null,
        jobTitle: null,
        mail: u.mail ?? null,
        mobilePhone: null,
        officeLocation: null,
        preferredLanguage: null,
        surname: null,
        userPrincipalName: u.userPrincipalName,
        userType: u.userType,
        accountEnabled: u.accountEnabled,
      },
    });
  }
  for (const g of d.groups) {
    out.set(g.id.toLowerCase(), {
      kind: 'group',
      body: { id: g.id, displayName: g.displayName, mail: null, mailEnabled: false, securityEnabled: true, groupTypes: [] },
    });
  }
  for (const s of d.servicePrincipals) {
    out.set(s.id.toLowerCase(), {
      kind: 'servicePrincipal',
      body: {
        id: s.id,
        accountEnabled: s.accountEnabled,
        appId: s.appId,
        appDisplayName: s.displayName,
        displayName: s.displayName,
        servicePrincipalType: s.servicePrincipalType,
      },
    });
  }
  return out;
}

/** The object as a read returns it: selected (or default) properties, `@odata.type` first. */
export function objectBody(e: DirectoryEntry, select: readonly string[] | null, limited: boolean): Record<string, unknown> {
  const type = `#microsoft.graph.${e.kind}`;
  if (limited)
    return { '@odata.type': type, id: e.body.id, ...Object.fromEntries((select ?? []).filter((k) => k !== 'id').map((k) => [k, null])) };
  const keys = select ?? (e.kind === 'user' ? USER_DEFAULT : Object.keys(e.body));
  const out: Record<string, unknown> = { '@odata.type': type };
  for (const k of keys) if (k in e.body) out[k] = e.body[k];
  if (!('id' in out)) out.id = e.body.id;
  return out;
}

/** Each group's direct members by lower-case group id. */
export function groupMembers(d: AzureDirectory): Map<string, readonly string[]> {
  return new Map(d.groups.map((g) => [g.id.toLowerCase(), g.members]));
}

/**
 * A group's transitive members (nested groups and their members), each once, in directory order. `groups`: the
 * directory's groupMembers, when the caller keeps them (the lab serves an estate that does not change).
 */
export function transitiveMembers(d: AzureDirectory, groupId: string, groups = groupMembers(d)): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const visit = (gid: string) => {
    for (const m of groups.get(gid) ?? []) {
      const key = m.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(key);
      if (groups.has(key)) visit(key);
    }
  };
  visit(groupId.toLowerCase());
  return out;
}
