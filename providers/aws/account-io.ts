/** What a collector needs to read one account: its calls, calls in other accounts it may use, and where gaps go. */
import type { Gap, Part, Scope } from '../../src/core/model/result.ts';
import { attempt } from '../gaps.ts';
import { type Listing, type Page, readPages } from '../paging.ts';
import type { ScopeRuntime } from '../types.ts';
import { classifyAwsError } from './errors.ts';
import type { AwsSessions, ClientOf, ServiceKind } from './session.ts';

/** An operation name, or a name with the purpose of this call when the operation has several (LookupEvents per event name). */
export type OperationName = string | { name: string; purpose: string };

export type Sender = <K extends ServiceKind, T>(
  kind: K,
  region: string,
  operation: OperationName,
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
  /** A paged listing of `service:Operation` in a region, bounded by the scan's page ceiling. */
  listing(operation: string, region: string | null, purpose?: string): Listing;
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
    listing: (operation, region, purpose) => ({
      operation,
      region,
      ...(purpose ? { purpose } : {}),
      ...(rt.maxPages ? { maxPages: rt.maxPages } : {}),
    }),
  };
}

/**
 * Collects every page of a NextToken-paged listing, bounded (providers/paging.ts): a repeated or cycling token, or
 * the page ceiling, ends it with a PagingError (a gap naming the operation); items are de-duplicated by id.
 */
export function allPages<T>(
  listing: Listing,
  fetch: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): Promise<T[]> {
  return readPages<T>(listing, fetch as (token: string | undefined) => Promise<Page<T>>);
}
