/**
 * Microsoft Graph directory objects → the model's identity facts. Pure. The kind comes from `@odata.type`; a user is
 * a guest when Graph says `userType: Guest`, or, where getByIds left userType out (v1.0 returns only a subset of user
 * properties), when its user principal name carries `#EXT#`, the mark Microsoft Entra B2B puts on invited guests.
 *
 * https://learn.microsoft.com/en-us/entra/external-id/user-properties
 * https://learn.microsoft.com/en-us/graph/api/resources/serviceprincipal?view=graph-rest-1.0 (servicePrincipalType)
 */
import type { Identity, Member, PrincipalType, Tri } from '../../../src/core/model/result.ts';
import type { GraphObject } from '../graph.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function odataKind(o: GraphObject): 'user' | 'group' | 'servicePrincipal' | 'other' {
  const t = (str(o['@odata.type']) ?? '').toLowerCase();
  if (t === '#microsoft.graph.user') return 'user';
  if (t === '#microsoft.graph.group') return 'group';
  if (t === '#microsoft.graph.serviceprincipal') return 'servicePrincipal';
  return 'other';
}

function userKind(o: GraphObject): Identity['kind'] {
  const userType = str(o.userType)?.toLowerCase();
  if (userType === 'guest') return 'guest';
  if (userType === 'member') return 'member';
  return str(o.userPrincipalName)?.toUpperCase().includes('#EXT#') ? 'guest' : 'member';
}

export function identityOf(o: GraphObject): Identity {
  const kind = odataKind(o);
  const enabled: Tri = o.accountEnabled === true ? 'yes' : o.accountEnabled === false ? 'no' : 'unknown';
  return {
    source: 'microsoft-graph',
    kind:
      kind === 'user'
        ? userKind(o)
        : kind === 'group'
          ? 'group'
          : kind === 'servicePrincipal'
            ? str(o.servicePrincipalType)?.toLowerCase() === 'managedidentity'
              ? 'managed-identity'
              : 'application'
            : 'unknown',
    displayName: str(o.displayName),
    login: kind === 'user' ? (str(o.userPrincipalName) ?? str(o.mail)) : null,
    enabled: kind === 'group' ? 'unknown' : enabled,
    appId: kind === 'servicePrincipal' ? str(o.appId) : null,
  };
}

export function principalTypeOf(identity: Identity): PrincipalType {
  switch (identity.kind) {
    case 'member':
    case 'guest':
      return 'user';
    case 'group':
      return 'group';
    case 'application':
      return 'service-principal';
    case 'managed-identity':
      return 'managed-identity';
    default:
      return 'unknown';
  }
}

/** The name people know an identity by: its display name, else its sign-in name, else the id. */
export function displayOf(identity: Identity | undefined, id: string): string {
  return identity?.displayName ?? identity?.login ?? id;
}

export function memberOf(o: GraphObject): Member {
  const identity = identityOf(o);
  return { id: o.id, type: principalTypeOf(identity), name: displayOf(identity, o.id), identity };
}

/** Members sorted by name, then id (deterministic output). */
export function membersOf(objects: readonly GraphObject[]): Member[] {
  return objects
    .filter((o) => typeof o?.id === 'string')
    .map(memberOf)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
