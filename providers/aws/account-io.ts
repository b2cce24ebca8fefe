/** What a collector needs to read one account: its calls, calls in other accounts it may use, and where gaps go. */
import type { Gap, Part, Scope } from '../../src/core/model/result.ts';
import { attempt } from '../gaps.ts';
import type { ScopeRuntime } from '../types.ts';
import { classifyAwsError } from './errors.ts';
import type { AwsSessions, ClientOf, ServiceKind } from './session.ts';

export type Sender = <K extends ServiceKind, T>(
  kind: K,
  region: string,
  operation: string,
  fn: (client: ClientOf<K>, signal: AbortSignal) => Promise<T>,
) => Promise<T>;

export interface AccountIO {
  scope: Scope;
  rt: ScopeRuntime;
  gaps: Gap[];
  /** Regions where at least one read succeeded. */
  ok: Set<string>;
  /** A call in the scope's own account. */
  send: Sender;
  /** A call in another account the scanner holds credentials for (the management account for an org trail); null when it holds none. */
  as(accountId: string): Sender | null;
  /** Runs one part; a failure becomes a gap and `undefined`. */
  part<T>(part: Part, region: string | null, fn: () => Promise<T>): Promise<T | undefined>;
}

export function accountIO(sessions: AwsSessions, scope: Scope, rt: ScopeRuntime, gaps: Gap[]): AccountIO {
  const sender =
    (accountId: string): Sender =>
    (kind, region, operation, fn) =>
      sessions.send(rt.call, kind, accountId, region, operation, fn);
  return {
    scope,
    rt,
    gaps,
    ok: new Set(),
    send: sender(scope.id),
    as: (accountId) => (accountId === scope.id || sessions.has(accountId) ? sender(accountId) : null),
    part: (part, region, fn) => attempt(gaps, part, region, classifyAwsError, fn),
  };
}

/** Collects every page of a NextToken-paged listing. */
export async function allPages<T>(
  fetch: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.items ?? []));
    token = page.next;
  } while (token);
  return out;
}
