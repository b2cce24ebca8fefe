/**
 * Identities in tickets as people know them (issue #17): the name a directory gave the identity first, its sign-in
 * name and id beside; the id as read when nothing named it. Plain text: the renderers treat it as hostile (one line,
 * defanged, escaped for the notation) like every other cloud text.
 */
import type { NamedIdentity } from '../core/model/owner.ts';
import type { Finding, ResourceRef } from '../core/model/result.ts';

/** `Priya Raman (priya.raman@example.com, 5e0c…)`, `alice (arn:aws:iam::…:user/alice)`, or the id alone. */
export function identityText(id: string, named: NamedIdentity | null | undefined): string {
  if (!named || named.name === id) return id;
  const login = named.login && named.login !== named.name && named.login !== id ? `${named.login}, ` : '';
  return `${named.name} (${login}${id})`;
}

/** The finding's owner: named when the scan's directory named it, else as read, else `unknown`. */
export function ownerText(f: Pick<Finding, 'owner' | 'ownerIdentity'>): string {
  return f.owner ? identityText(f.owner, f.ownerIdentity) : 'unknown';
}

/** A finding's resource: its kind, then its name with the id beside. */
export function resourceText(r: ResourceRef): string {
  return `${r.kind} ${r.name && r.name !== r.id ? `${r.name} (${r.id})` : r.id}`;
}

/**
 * The identities an owner route may match: the owner's id, then its sign-in name — never its display name, which
 * the identity itself (or a guest's home tenant) can set, so it must not steer a ticket.
 */
export function routableOwner(f: Pick<Finding, 'owner' | 'ownerIdentity'> | null): string[] {
  if (!f?.owner) return [];
  return [f.owner, ...(f.ownerIdentity?.login ? [f.ownerIdentity.login] : [])];
}
