/**
 * Microsoft.Authorization: role assignments and deny assignments at any scope (their `$filter` grammars as documented,
 * filters.ts), and role definitions, listed or by id.
 */
import { parseDenyFilter, parseRoleAssignmentFilter } from '../filters.ts';
import {
  activationPolicyBody,
  denyAssignmentBody,
  eligibilityInstanceBody,
  roleAssignmentBody,
  roleDefinitionBody,
} from '../resources/authorization.ts';
import { armError, armJson, type Route } from '../wire.ts';
import type { RouteContext } from './context.ts';

/** The subscription or management group an ARM path acts on, for the request log and faults. */
export function scopeOfArmPath(scope: string): string | null {
  const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  if (sub) return sub;
  const mg = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)/i.exec(scope)?.[1];
  return mg ?? null;
}

export function authorizationRoutes(c: RouteContext): Route[] {
  const { state } = c;
  const estate = state.estate;
  /** Assignments (role or deny) that apply to a scope: at or above it, and (without atScope()) below it too. */
  const applying = <T extends { scope: string }>(items: readonly T[], scope: string, atScopeOnly: boolean): T[] =>
    state.applying(items, scope, atScopeOnly);
  return [
    {
      method: 'GET',
      pattern: /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments$/i,
      service: 'Microsoft.Authorization',
      operation: 'ListRoleAssignments',
      scope: (m) => scopeOfArmPath(m[1] ?? ''),
      auth: { action: 'Microsoft.Authorization/roleAssignments/read', scope: (m) => m[1] || '/' },
      handle(req, m) {
        const scope = m[1] || '/';
        const bad = c.scopeReadable(scope);
        if (bad) return bad;
        const raw = req.url.searchParams.get('$filter');
        const filter = parseRoleAssignmentFilter(raw);
        if (!filter) {
          return armError(
            400,
            'BadRequest',
            `The $filter '${raw}' is not supported: use atScope(), principalId eq {id} or assignedTo('{id}').`,
          );
        }
        const principal = filter.principalId;
        const items = applying(estate.roleAssignments, scope, filter.atScope)
          .filter((a) => !principal || a.principalId.toLowerCase() === principal)
          .map((a) => roleAssignmentBody(a, state));
        return c.page(req, items, 'roleAssignments');
      },
    },
    {
      method: 'GET',
      pattern: /^(.*)\/providers\/Microsoft\.Authorization\/denyAssignments$/i,
      service: 'Microsoft.Authorization',
      operation: 'ListDenyAssignments',
      scope: (m) => scopeOfArmPath(m[1] ?? ''),
      auth: { action: 'Microsoft.Authorization/denyAssignments/read', scope: (m) => m[1] || '/' },
      handle(req, m) {
        const scope = m[1] || '/';
        const bad = c.scopeReadable(scope);
        if (bad) return bad;
        const raw = req.url.searchParams.get('$filter');
        const filter = parseDenyFilter(raw);
        if (!filter) {
          return armError(
            400,
            'BadRequest',
            `The $filter '${raw}' is not supported: use atScope(), denyAssignmentName eq '{name}', principalId eq '{id}' or gdprExportPrincipalId eq '{id}'.`,
          );
        }
        const items = applying(estate.denyAssignments, scope, filter.atScope)
          .filter((d) => !filter.name || d.name.toLowerCase() === filter.name.toLowerCase())
          .filter(
            (d) =>
              !filter.principalId ||
              d.principals.some((p) => p.id.toLowerCase() === filter.principalId) ||
              d.excludePrincipals.some((p) => p.id.toLowerCase() === filter.principalId),
          )
          .map((d) => denyAssignmentBody(d));
        return c.page(req, items, 'denyAssignments');
      },
    },
    {
      // PIM: the eligibilities at or above a scope ($filter=atScope()) or, without a filter, at, above and below it.
      method: 'GET',
      pattern: /^(.*)\/providers\/Microsoft\.Authorization\/roleEligibilityScheduleInstances$/i,
      service: 'Microsoft.Authorization',
      operation: 'ListRoleEligibilityScheduleInstances',
      scope: (m) => scopeOfArmPath(m[1] ?? ''),
      auth: { action: 'Microsoft.Authorization/roleEligibilityScheduleInstances/read', scope: (m) => m[1] || '/' },
      handle(req, m) {
        const scope = m[1] || '/';
        const bad = c.scopeReadable(scope);
        if (bad) return bad;
        const raw = req.url.searchParams.get('$filter');
        if (raw !== null && raw.trim() !== 'atScope()') {
          return armError(400, 'BadRequest', `The $filter '${raw}' is not supported by the lab: use atScope().`);
        }
        const items = applying(estate.eligibilities, scope, raw !== null).map((e) => eligibilityInstanceBody(e, state));
        return c.page(req, items, 'roleEligibilityScheduleInstances');
      },
    },
    {
      // PIM: the role management policy assignments made at exactly this scope, with their effective rules.
      method: 'GET',
      pattern: /^(.*)\/providers\/Microsoft\.Authorization\/roleManagementPolicyAssignments$/i,
      service: 'Microsoft.Authorization',
      operation: 'ListRoleManagementPolicyAssignments',
      scope: (m) => scopeOfArmPath(m[1] ?? ''),
      auth: { action: 'Microsoft.Authorization/roleManagementPolicyAssignments/read', scope: (m) => m[1] || '/' },
      handle(req, m) {
        const scope = m[1] || '/';
        const bad = c.scopeReadable(scope);
        if (bad) return bad;
        const items = estate.activationPolicies
          .filter((p) => p.scope.toLowerCase().replace(/\/+$/, '') === scope.toLowerCase().replace(/\/+$/, ''))
          .map((p) => activationPolicyBody(p, state));
        return c.page(req, items, 'roleManagementPolicyAssignments');
      },
    },
    {
      method: 'GET',
      pattern: /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions$/i,
      service: 'Microsoft.Authorization',
      operation: 'ListRoleDefinitions',
      scope: (m) => scopeOfArmPath(m[1] ?? ''),
      handle(req, m) {
        const scope = m[1] || '/';
        const bad = c.scopeReadable(scope);
        if (bad) return bad;
        const filter = req.url.searchParams.get('$filter') ?? '';
        const roleName = /roleName\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
        const type = /type\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
        const sub = state.subscriptionOf(scope);
        const items = state.roles
          .filter((r) => !state.isCustom(r) || r.assignableScopes.some((s) => state.atOrAbove(s, scope) || state.atOrAbove(scope, s)))
          .filter((r) => !roleName || r.name.toLowerCase() === roleName)
          .filter((r) => !type || (state.isCustom(r) ? 'customrole' : 'builtinrole') === type)
          .map((r) =>
            roleDefinitionBody(
              r,
              `${sub ? `/subscriptions/${sub}` : ''}/providers/Microsoft.Authorization/roleDefinitions/${r.id}`,
              state.isCustom(r),
            ),
          );
        return c.page(req, items, 'roleDefinitions');
      },
    },
    {
      method: 'GET',
      pattern: /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i,
      service: 'Microsoft.Authorization',
      operation: 'GetRoleDefinition',
      scope: (m) => scopeOfArmPath(m[1] ?? ''),
      handle(req, m) {
        const scope = m[1] || '/';
        const bad = c.scopeReadable(scope);
        if (bad) return bad;
        const role = state.role(m[2] ?? '');
        if (!role || (m[2] ?? '').toLowerCase() !== role.id.toLowerCase()) {
          return armError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${m[2]}' does not exist.`);
        }
        return armJson(roleDefinitionBody(role, req.url.pathname, state.isCustom(role)));
      },
    },
  ];
}
