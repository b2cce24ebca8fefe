/**
 * The `$filter` grammars of the ARM reads the lab serves, exactly as documented; anything else is refused (400).
 */

/**
 * Activity Logs - List: "The $filter argument is very restricted and allows only the following patterns … NOTE: No
 * other syntax is allowed." (https://learn.microsoft.com/en-us/rest/api/monitor/activity-logs/list): a time range
 * from `eventTimestamp ge` (required) to `eventTimestamp le`, and at most one of resourceGroupName, resourceUri,
 * resourceProvider, correlationId.
 */
export interface ActivityFilter {
  from: string;
  to: string | null;
  field: 'resourceGroupName' | 'resourceUri' | 'resourceProvider' | 'correlationId' | null;
  value: string | null;
}

const ACTIVITY =
  /^eventTimestamp ge '([^']+)'(?: and eventTimestamp le '([^']+)')?(?: and (resourceGroupName|resourceUri|resourceProvider|correlationId) eq '([^']+)')?$/;

export function parseActivityFilter(filter: string): ActivityFilter | null {
  const m = ACTIVITY.exec(filter.trim().replace(/\s+/g, ' '));
  if (!m) return null;
  return { from: m[1] ?? '', to: m[2] ?? null, field: (m[3] as ActivityFilter['field']) ?? null, value: m[4] ?? null };
}

/**
 * Role Assignments - List For Scope / Subscription: "Use $filter=atScope() to return all role assignments at or above
 * the scope. Use $filter=principalId eq {id} to return all role assignments at, above or below the scope for the
 * specified principal." (https://learn.microsoft.com/en-us/rest/api/authorization/role-assignments/list-for-scope);
 * the id may be quoted or not; `assignedTo('{id}')` also filters by principal (with its groups).
 */
export interface AssignmentFilter {
  atScope: boolean;
  principalId: string | null;
}

export function parseRoleAssignmentFilter(filter: string | null): AssignmentFilter | null {
  if (!filter) return { atScope: false, principalId: null };
  const f = filter.trim().replace(/\s+/g, ' ');
  if (/^atScope\(\)$/i.test(f)) return { atScope: true, principalId: null };
  const principal = /^principalId eq (?:'([^']+)'|([0-9a-f-]{36}))$/i.exec(f);
  if (principal) return { atScope: false, principalId: (principal[1] ?? principal[2] ?? '').toLowerCase() };
  const assigned = /^(atScope\(\) and )?assignedTo\('([^']+)'\)$/i.exec(f);
  if (assigned) return { atScope: !!assigned[1], principalId: (assigned[2] ?? '').toLowerCase() };
  return null;
}

/**
 * Deny Assignments - List: atScope(), denyAssignmentName eq '{name}', principalId eq '{id}', gdprExportPrincipalId
 * eq '{id}' (https://learn.microsoft.com/en-us/rest/api/authorization/deny-assignments/list).
 */
export interface DenyFilter {
  atScope: boolean;
  name: string | null;
  principalId: string | null;
}

export function parseDenyFilter(filter: string | null): DenyFilter | null {
  if (!filter) return { atScope: false, name: null, principalId: null };
  const f = filter.trim().replace(/\s+/g, ' ');
  if (/^atScope\(\)$/i.test(f)) return { atScope: true, name: null, principalId: null };
  const name = /^denyAssignmentName eq '([^']+)'$/i.exec(f);
  if (name) return { atScope: false, name: name[1] ?? '', principalId: null };
  const principal = /^(?:principalId|gdprExportPrincipalId) eq (?:'([^']+)'|([0-9a-f-]{36}))$/i.exec(f);
  if (principal) return { atScope: false, name: null, principalId: (principal[1] ?? principal[2] ?? '').toLowerCase() };
  return null;
}
