/**
 * The people behind a principal, as its directory named them (issue #17): a group's transitive members, the users and
 * groups assigned an AWS IAM Identity Center permission set. Names first; the sign-in name beside; a disabled account
 * or a guest said so. Text only: renderers escape it.
 */
import type { Member, Principal } from '../src/core/model/result.ts';

/** `Priya Raman <priya.raman@example.com>`, `Old Contractor <old@example.com> (disabled)`, `group Platform Engineers`. */
export function memberText(m: Member): string {
  if (m.type === 'group') return `group ${m.name}`;
  const login = m.identity?.login;
  const flags = [m.identity?.kind === 'guest' ? 'guest' : '', m.identity?.enabled === 'no' ? 'disabled' : ''].filter(Boolean);
  return `${m.name}${login && login !== m.name ? ` <${login}>` : ''}${flags.length ? ` (${flags.join(', ')})` : ''}`;
}

/** The principal's people, one line each; null when its directory was not read (unknown, not "nobody"). */
export function peopleLines(p: Pick<Principal, 'members'>): string[] | null {
  return p.members ? p.members.map(memberText) : null;
}
