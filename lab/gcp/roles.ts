/**
 * The lab's predefined roles, generated from a published dataset of GCP's role definitions (iam-dataset, MIT; see
 * data/predefined-roles.json and scripts/vendor-gcp-roles.ts): each role with the permissions of the families the
 * scanner and the lab look at. An estate can add or override roles under `gcp.roles`.
 */
import data from './data/predefined-roles.json' with { type: 'json' };

export interface PredefinedRole {
  title: string;
  permissions: string[];
}

/** The dataset the roles come from, and the permission families kept. */
export const rolesSource = { ...data.source, prefixes: data.prefixes };

export const predefinedRoles: Record<string, PredefinedRole> = Object.fromEntries(
  Object.entries(data.roles).map(([name, r]) => [name, { title: r.title, permissions: [...r.includedPermissions] }]),
);

/** Is the permission in one of the vendored families (so a role's answer about it is the published one)? */
export function vendoredPermission(permission: string): boolean {
  return data.prefixes.some((p) => permission.startsWith(p));
}
