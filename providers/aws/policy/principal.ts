/**
 * Who is asking: the request principal described from its ARN, and how a resource policy's Principal /
 * NotPrincipal element names it. The kind of match matters: naming the account (`123456789012` or `…:root`)
 * delegates to the account's own identity policies, naming the user or role (or session) grants directly.
 */
import type { PrincipalElement } from './parse.ts';

export type PrincipalKind = 'user' | 'role' | 'assumed-role' | 'root' | 'federated-user' | 'service' | 'unknown';

export interface PrincipalInfo {
  arn: string;
  partition: string;
  accountId: string | null;
  kind: PrincipalKind;
  /** User name, role name (for a session: the role's), or the service name. */
  name: string;
  /** For a role: its path (`/`, `/aws-service-role/…/`). */
  path: string | null;
}

/** Parses an IAM/STS principal ARN (or a service principal such as `ec2.amazonaws.com`). */
export function describePrincipal(arn: string): PrincipalInfo {
  const m = /^arn:([^:]+):(iam|sts)::(\d{12}|[^:]*):(.+)$/.exec(arn);
  if (!m) {
    if (/\.amazonaws\.com(\.cn)?$/.test(arn)) return { arn, partition: 'aws', accountId: null, kind: 'service', name: arn, path: null };
    return { arn, partition: 'aws', accountId: null, kind: 'unknown', name: arn, path: null };
  }
  const [, partition, service, account, rest] = m as unknown as [string, string, string, string, string];
  const accountId = account === '' ? null : account;
  const base = { arn, partition, accountId };
  if (rest === 'root') return { ...base, kind: 'root', name: 'root', path: null };
  const slash = rest.indexOf('/');
  const type = slash < 0 ? rest : rest.slice(0, slash);
  const tail = slash < 0 ? '' : rest.slice(slash + 1);
  const lastSlash = tail.lastIndexOf('/');
  const name = lastSlash < 0 ? tail : tail.slice(lastSlash + 1);
  const path = lastSlash < 0 ? '/' : `/${tail.slice(0, lastSlash + 1)}`;
  if (service === 'iam' && type === 'user') return { ...base, kind: 'user', name, path };
  if (service === 'iam' && type === 'role') return { ...base, kind: 'role', name, path };
  if (service === 'sts' && type === 'assumed-role') return { ...base, kind: 'assumed-role', name: tail.split('/')[0] ?? '', path: null };
  if (service === 'sts' && type === 'federated-user') return { ...base, kind: 'federated-user', name: tail, path: null };
  return { ...base, kind: 'unknown', name: tail || rest, path: null };
}

/** `/aws-service-role/` path: service-linked roles are exempt from SCPs. */
export function isServiceLinkedPath(path: string | null | undefined): boolean {
  return (path ?? '').startsWith('/aws-service-role/');
}

/**
 * How a Principal element names the request principal:
 * - `direct`: the principal itself (user ARN, session ARN, role ARN for a session…) or `*`;
 * - `role`: the role ARN, matched by a session of that role (a boundary still limits it);
 * - `account`: its account (delegates to identity policies);
 * - `none`.
 */
export type PrincipalMatch = 'direct' | 'role' | 'account' | 'none';

const rank: Record<PrincipalMatch, number> = { none: 0, account: 1, role: 2, direct: 3 };

function matchValue(type: string, value: string, p: PrincipalInfo): PrincipalMatch {
  const t = type.toLowerCase();
  const v = value.trim();
  if (v === '*') return 'direct';
  if (t === 'service') return p.kind === 'service' && p.name === v ? 'direct' : 'none';
  if (t !== 'aws') return 'none';
  if (/^\d{12}$/.test(v)) return v === p.accountId ? 'account' : 'none';
  const named = describePrincipal(v);
  if (named.accountId !== p.accountId || p.accountId === null) return 'none';
  if (named.kind === 'root') return 'account';
  if (named.kind === 'role' && (p.kind === 'assumed-role' || p.kind === 'role') && named.name === p.name) return 'role';
  if (v === p.arn) return 'direct';
  if (named.kind === 'user' && p.kind === 'user' && named.name === p.name) return 'direct';
  return 'none';
}

/** The strongest way the element names the principal. */
export function matchPrincipalElement(el: PrincipalElement, p: PrincipalInfo): PrincipalMatch {
  if (el.wildcard) return 'direct';
  let best: PrincipalMatch = 'none';
  for (const [type, values] of Object.entries(el.byType)) {
    for (const v of values) {
      const m = matchValue(type, v, p);
      if (rank[m] > rank[best]) best = m;
    }
  }
  return best;
}
