/**
 * What every GCP lab route shares: the route shape, paging with the documented page-size limits and opaque tokens,
 * IAM policy answers, and the levels of the resource hierarchy by path.
 */
import { decodeToken, encodeToken, type LabRequest, type LabResponse, page } from '../../core.ts';
import type { GcpBinding } from '../estate.ts';
import type { GcpLabState } from '../state.ts';
import { bodyJson, gcpError, json } from '../wire.ts';

export interface RouteContext {
  req: LabRequest;
  state: GcpLabState;
  m: RegExpExecArray;
}

export interface Route {
  method: 'GET' | 'POST';
  re: RegExp;
  service: string;
  operation: string;
  scope: (m: RegExpExecArray, req: LabRequest) => string | null;
  handle: (ctx: RouteContext) => LabResponse;
}

export const COMPUTE = 'https://www.googleapis.com/compute/v1';

/**
 * Largest page a caller may ask for, where the API documents one: Compute list calls accept `maxResults` 0-500
 * (https://cloud.google.com/compute/docs/reference/rest/v1/snapshots/list), entries.list `pageSize` up to 1000
 * (https://cloud.google.com/logging/docs/reference/v2/rest/v2/entries/list). Beyond it the real APIs answer 400.
 */
const documentedMax: Record<string, number> = { maxResults: 500, 'entries.pageSize': 1000 };

export class PageSizeError extends Error {}

export function paged<T>(
  ctx: RouteContext,
  items: readonly T[],
  salt: string,
  sizeParam = 'pageSize',
  tokenParam = 'pageToken',
  body?: Record<string, unknown>,
) {
  const max = ctx.state.estate.pageSize;
  const asked = Number(body?.[sizeParam] ?? ctx.req.url.searchParams.get(sizeParam) ?? 0);
  const limit = documentedMax[body ? `entries.${sizeParam}` : sizeParam];
  if (limit !== undefined && asked > limit)
    throw new PageSizeError(`Invalid value for field '${sizeParam}': ${asked}. Must be less than or equal to ${limit}`);
  const size = asked > 0 ? Math.min(asked, max) : max;
  const token = (body?.[tokenParam] as string | undefined) ?? ctx.req.url.searchParams.get(tokenParam);
  const offset = decodeToken(token, salt);
  if (offset === null) return null;
  const p = page(items, offset, size);
  return { items: p.items, next: p.next === null ? undefined : encodeToken(p.next, salt) };
}

export const badToken = () => gcpError(400, 'The page token is invalid.');

export function policyJson(bindings: readonly GcpBinding[], requested: number): LabResponse {
  const conditional = bindings.some((b) => b.condition);
  if (conditional && requested < 3) {
    return gcpError(400, 'Policy with conditional role bindings requires requestedPolicyVersion 3.');
  }
  return json({
    version: conditional ? 3 : 1,
    etag: Buffer.from(JSON.stringify(bindings).slice(0, 12)).toString('base64'),
    bindings: bindings.map((b) => ({
      role: b.role,
      members: [...b.members],
      ...(b.condition
        ? { condition: { expression: b.condition.expression, title: b.condition.title ?? '', description: b.condition.description ?? '' } }
        : {}),
    })),
  });
}

export function requestedVersion(req: LabRequest): number {
  const body = bodyJson(req);
  const fromBody = (body?.options as { requestedPolicyVersion?: number } | undefined)?.requestedPolicyVersion;
  return Number(
    fromBody ??
      req.url.searchParams.get('optionsRequestedPolicyVersion') ??
      req.url.searchParams.get('options.requestedPolicyVersion') ??
      0,
  );
}

export function level(state: GcpLabState, kind: string, id: string) {
  const org = state.estate.organization;
  if (kind === 'organizations') return org && org.id === id ? org : undefined;
  if (kind === 'folders') return state.folders.get(id);
  return state.project(id);
}

export const scope1 = (m: RegExpExecArray) => m[1] ?? null;
export const levelScope = (m: RegExpExecArray) => (m[1] === 'projects' ? (m[2] ?? null) : `${m[1]}/${m[2]}`);
