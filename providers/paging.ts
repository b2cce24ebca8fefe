/**
 * Every paged listing of every provider ends. A listing stops with a gap (never "complete") when the service hands
 * back a page token it already gave in this listing (the same token again, or a cycle of tokens), or when the
 * listing reaches its page ceiling (`scan.maxPagesPerListing`). Items are de-duplicated by id, so a service that
 * returns an item on two pages does not make two of it.
 */
import type { GapCode } from '../src/core/model/result.ts';

/** The page ceiling when the caller does not give one (the config's default). */
export const DEFAULT_MAX_PAGES = 10_000;

export interface Listing {
  /** `service:Operation`, as gaps name it. */
  operation: string;
  region?: string | null;
  /** Which of an operation's several uses this listing is (LookupEvents for EventName=CreateSnapshot). */
  purpose?: string;
  maxPages?: number;
}

export interface Page<T> {
  items: readonly T[] | null | undefined;
  /** The token of the next page; empty, null or undefined when this was the last page. */
  next: string | null | undefined;
}

export type PagingProblem = 'repeated_token' | 'page_limit';

/** A listing that could not end normally. It becomes a gap naming the operation (and purpose) and the reason. */
export class PagingError extends Error {
  readonly problem: PagingProblem;
  readonly code: GapCode;
  readonly operation: string;
  readonly region: string | null;
  readonly purpose: string | null;
  readonly pages: number;
  constructor(listing: Listing, problem: PagingProblem, pages: number, itemsRead: number) {
    const what = `${listing.operation}${listing.purpose ? ` (${listing.purpose})` : ''}`;
    super(
      problem === 'repeated_token'
        ? `${what}: the service repeated a page token after ${pages} page(s) (${itemsRead} item(s) read); the listing was stopped and is incomplete`
        : `${what}: stopped at the page ceiling of ${pages} page(s) (${itemsRead} item(s) read; scan.maxPagesPerListing); the listing may hold more`,
    );
    this.name = 'PagingError';
    this.problem = problem;
    this.code = problem === 'repeated_token' ? 'invalid_response' : 'limit_reached';
    this.operation = listing.operation;
    this.region = listing.region ?? null;
    this.purpose = listing.purpose ?? null;
    this.pages = pages;
  }
}

const idFields = [
  'id',
  'Id',
  'SnapshotId',
  'VolumeId',
  'EventId',
  'Arn',
  'arn',
  'AliasArn',
  'insertId',
  'selfLink',
  'name',
  'Name',
  'filterName',
  'logGroupName',
  'projectId',
  'subscriptionId',
] as const;

/** An item's identity: its first id-like field; items without one are never merged. */
export function identityOf(item: unknown): string | null {
  if (item === null || typeof item !== 'object') return null;
  const o = item as Record<string, unknown>;
  for (const f of idFields) {
    const v = o[f];
    if (typeof v === 'string' && v !== '') return `${f}:${v}`;
  }
  return null;
}

/**
 * Reads every page of a listing: `fetch(token)` reads one page (undefined for the first). Throws PagingError when
 * the service repeats a token or the ceiling is reached.
 */
export async function readPages<T>(
  listing: Listing,
  fetch: (token: string | undefined) => Promise<Page<T>>,
  key: ((item: T) => string | null) | null = identityOf,
): Promise<T[]> {
  const max = listing.maxPages ?? DEFAULT_MAX_PAGES;
  const out: T[] = [];
  const ids = new Set<string>();
  const tokens = new Set<string>();
  let token: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await fetch(token);
    for (const item of page.items ?? []) {
      const id = key ? key(item) : null;
      if (id !== null) {
        if (ids.has(id)) continue;
        ids.add(id);
      }
      out.push(item);
    }
    const next = page.next || undefined;
    if (next === undefined) return out;
    if (tokens.has(next)) throw new PagingError(listing, 'repeated_token', pages, out.length);
    if (pages >= max) throw new PagingError(listing, 'page_limit', pages, out.length);
    tokens.add(next);
    token = next;
  }
}
