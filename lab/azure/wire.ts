/** ARM wire shapes the Azure lab speaks: JSON bodies, `{error: {code, message}}` errors and `{value, nextLink}` pages. */
import { decodeToken, encodeToken, type LabRequest, type LabResponse, page } from '../core.ts';

export function armJson(body: unknown, status = 200, headers: Record<string, string> = {}): LabResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': 'lab', ...headers },
    body: JSON.stringify(body),
  };
}

export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): LabResponse {
  return armJson({ error: { code, message } }, status, headers);
}

/**
 * One page of a list: `$skiptoken` carries an opaque offset, and `nextLink` is an absolute URL back to the lab with
 * every other query parameter kept (as ARM does).
 */
export function armPage<T>(req: LabRequest, baseUrl: string, items: readonly T[], size: number, salt: string): LabResponse {
  const offset = decodeToken(req.url.searchParams.get('$skiptoken'), salt);
  if (offset === null) return armError(400, 'InvalidSkipToken', 'The $skiptoken is not valid.');
  const top = Number(req.url.searchParams.get('$top'));
  const pageSize = Number.isInteger(top) && top > 0 ? Math.min(top, size) : size;
  const p = page(items, offset, pageSize);
  const body: { value: T[]; nextLink?: string } = { value: p.items };
  if (p.next !== null) {
    const next = new URL(req.url.pathname, baseUrl);
    for (const [k, v] of req.url.searchParams) if (k !== '$skiptoken') next.searchParams.append(k, v);
    next.searchParams.set('$skiptoken', encodeToken(p.next, salt));
    body.nextLink = next.toString();
  }
  return armJson(body);
}

/** One ARM (or sign-in) operation the lab serves. */
export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  service: string;
  operation: string;
  /** The scope (subscription or management group) the request acts on, for the request log and faults. */
  scope?: (m: RegExpExecArray) => string | null;
  /** Token endpoints are called before there is a token. */
  anonymous?: boolean;
  /** Microsoft Graph, not ARM: a bearer token is needed, but no api-version, read bucket or role assignment. */
  graph?: boolean;
  /**
   * The permission the read needs and the ARM scope it is authorised at, checked against the caller's grants when
   * the estate names its caller.
   */
  auth?: { action: string; scope: (m: RegExpExecArray) => string };
  handle: (req: LabRequest, m: RegExpExecArray) => LabResponse;
}
