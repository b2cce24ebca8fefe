/**
 * Microsoft Graph v1.0, the two directory reads the scanner makes: `POST /v1.0/directoryObjects/getByIds` (at most
 * 1000 ids, documented) and `GET /v1.0/groups/{id}/transitiveMembers` (`$select`, `$top`, absolute
 * `@odata.nextLink` pages). Graph errors are `{error: {code, message, innerError}}`; a caller without the
 * permission gets 403 Authorization_RequestDenied, as Graph answers.
 *
 * https://learn.microsoft.com/en-us/graph/api/directoryobject-getbyids?view=graph-rest-1.0
 * https://learn.microsoft.com/en-us/graph/api/group-list-transitivemembers?view=graph-rest-1.0
 */
import { decodeToken, encodeToken, type LabRequest, type LabResponse, page } from '../../core.ts';
import type { AzureDirectory } from '../estate.ts';
import { directoryIndex, groupMembers, objectBody, transitiveMembers } from '../resources/directory.ts';
import { armJson, type Route } from '../wire.ts';
import type { RouteContext } from './context.ts';

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): LabResponse {
  return armJson(
    { error: { code, message, innerError: { date: '2026-01-01T00:00:00', 'request-id': 'lab', 'client-request-id': 'lab' } } },
    status,
    headers,
  );
}

export const graphDenied = (): LabResponse =>
  graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

const has = (d: AzureDirectory, ...any: string[]) => d.permissions.some((p) => any.includes(p));

function selectOf(req: LabRequest): string[] | null {
  const s = req.url.searchParams.get('$select');
  return s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : null;
}

export function graphRoutes(c: RouteContext): Route[] {
  const d = c.state.estate.directory;
  const index = directoryIndex(d);
  // the groups' members and each group's transitive members, worked out once (the estate does not change while served)
  const groups = groupMembers(d);
  const transitive = new Map<string, string[]>();
  const membersOf = (gid: string): string[] => {
    let members = transitive.get(gid);
    if (!members) transitive.set(gid, (members = transitiveMembers(d, gid, groups)));
    return members;
  };
  const context = (what: string) => `${c.baseUrl}/v1.0/$metadata#${what}`;
  return [
    {
      method: 'POST',
      pattern: /^\/v1\.0\/directoryObjects\/getByIds$/i,
      service: 'Microsoft.Graph',
      operation: 'GetDirectoryObjectsByIds',
      graph: true,
      handle(req) {
        if (!has(d, 'Directory.Read.All')) return graphDenied();
        let body: { ids?: unknown; types?: unknown };
        try {
          body = JSON.parse(req.body || '{}') as typeof body;
        } catch {
          return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
        }
        if (!Array.isArray(body.ids) || body.ids.some((x) => typeof x !== 'string')) {
          return graphError(400, 'Request_BadRequest', "Invalid value specified for property 'ids' of resource 'getByIds'.");
        }
        if (body.ids.length > 1000) return graphError(400, 'Request_BadRequest', 'The number of ids exceeds the maximum of 1000.');
        const types = Array.isArray(body.types) ? body.types.map((t) => String(t).toLowerCase()) : null;
        const value = (body.ids as string[])
          .map((id) => index.get(id.toLowerCase()))
          .filter((e) => e !== undefined && (types === null || types.includes(e.kind.toLowerCase())))
          .map((e) => objectBody(e as NonNullable<typeof e>, null, false));
        return armJson({ '@odata.context': context('directoryObjects'), value });
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers$/i,
      service: 'Microsoft.Graph',
      operation: 'ListGroupTransitiveMembers',
      scope: (m) => m[1] ?? null,
      graph: true,
      handle(req, m) {
        if (!has(d, 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All')) return graphDenied();
        const gid = (m[1] ?? '').toLowerCase();
        if (index.get(gid)?.kind !== 'group') {
          return graphError(
            404,
            'Request_ResourceNotFound',
            `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`,
          );
        }
        const salt = `members-${gid}`;
        const offset = decodeToken(req.url.searchParams.get('$skiptoken'), salt);
        if (offset === null) return graphError(400, 'Request_BadRequest', 'The $skiptoken is not valid.');
        const top = Number(req.url.searchParams.get('$top') ?? '100');
        if (!Number.isInteger(top) || top < 1 || top > 999)
          return graphError(400, 'Request_BadRequest', "Invalid page size specified: '$top'. Must be between 1 and 999 inclusive.");
        const select = selectOf(req);
        const readable = (kind: string) =>
          has(d, 'Directory.Read.All') ||
          (kind === 'user' && has(d, 'User.Read.All')) ||
          (kind === 'group' && has(d, 'Group.Read.All', 'GroupMember.Read.All')) ||
          (kind === 'servicePrincipal' && has(d, 'Application.Read.All'));
        const items = membersOf(gid)
          .map((id) => index.get(id))
          .filter((e) => e !== undefined)
          .map((e) => objectBody(e, select, !readable(e.kind)));
        const p = page(items, offset, Math.min(top, c.state.estate.pageSize));
        const out: Record<string, unknown> = { '@odata.context': context('directoryObjects'), value: p.items };
        if (p.next !== null) {
          const next = new URL(req.url.pathname, c.baseUrl);
          for (const [k, v] of req.url.searchParams) if (k !== '$skiptoken') next.searchParams.append(k, v);
          next.searchParams.set('$skiptoken', encodeToken(p.next, salt));
          out['@odata.nextLink'] = next.toString();
        }
        return armJson(out);
      },
    },
  ];
}
