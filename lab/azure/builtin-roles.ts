/**
 * The built-in role definitions the lab serves: Azure's published definitions, cut verbatim from a public dataset of
 * `az role definition list` (lab/azure/data/, with its licence and the script that regenerates it). The scanner never
 * hard-codes these: it reads them from the API like any custom role.
 */
import data from './data/built-in-roles.json' with { type: 'json' };

/** A role definition as the lab serves it (the estate's custom roles have the same shape). */
export interface LabRoleDefinition {
  id: string;
  name: string;
  description: string;
  assignableScopes: string[];
  permissions: Array<{ actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }>;
}

/** One entry of the dataset, as `az role definition list` prints it. */
export interface PublishedRole {
  name: string;
  roleName: string;
  roleType: string;
  description: string;
  assignableScopes: string[];
  permissions: Array<{
    actions: string[];
    notActions: string[];
    dataActions: string[];
    notDataActions: string[];
    condition?: string | null;
    conditionVersion?: string | null;
  }>;
}

export const publishedRoles: readonly PublishedRole[] = data.roles as PublishedRole[];

/** Where the roles come from (shown by the lab's tests and docs). */
export const publishedRolesSource = { source: data.source, commit: data.commit, sha256: data.sha256 };

export const builtinRoles: LabRoleDefinition[] = publishedRoles.map((r) => ({
  id: r.name,
  name: r.roleName,
  description: r.description,
  assignableScopes: r.assignableScopes,
  permissions: r.permissions.map((p) => ({
    actions: p.actions,
    notActions: p.notActions,
    dataActions: p.dataActions,
    notDataActions: p.notDataActions,
  })),
}));

/** A built-in role by GUID or name (case-insensitive), or undefined. */
export function builtinRole(ref: string): LabRoleDefinition | undefined {
  const key = (ref.split('/').pop() ?? ref).toLowerCase();
  return builtinRoles.find((r) => r.id.toLowerCase() === key || r.name.toLowerCase() === ref.toLowerCase());
}
