// Regenerates lab/azure/data/built-in-roles.json from the published dataset of Azure built-in role definitions
// (github.com/iann0036/iam-dataset, azure/built-in-roles-raw.json: the output of `az role definition list` for every
// built-in role; MIT, see lab/azure/data/LICENSE). The lab serves the roles kept here, verbatim:
//
//   - every built-in role that grants an Azure operation of the snapshot capability catalogue (so an estate can use
//     any role that matters to the scanner's verdicts, with its published permissions), and
//   - the read and administration roles named below (what a scanner or an administrator is typically given).
//
// Usage: node scripts/azure-builtin-roles.ts PATH/TO/built-in-roles-raw.json COMMIT
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { catalogueFor } from '../src/core/catalogue/index.ts';

/** Roles kept whatever they grant: the scanner's own role, readers, and the roles that hand out roles. */
export const namedRoles = [
  'Reader',
  'Monitoring Reader',
  'Security Reader',
  'Management Group Reader',
  'User Access Administrator',
  'Role Based Access Control Administrator',
  'Backup Reader',
];

interface RawPermission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

interface RawRole {
  name: string;
  roleName: string;
  roleType: string;
  permissions: RawPermission[];
}

function matches(pattern: string, operation: string): boolean {
  const re = pattern
    .split('*')
    .map((p) => p.replace(/[\\^$.+?()|{}[\]]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`, 'i').test(operation);
}

/** Does the role grant any catalogue operation (Actions minus NotActions, DataActions minus NotDataActions, per block)? */
export function grantsCatalogueOperation(role: RawRole): boolean {
  return catalogueFor('azure').some((e) =>
    role.permissions.some((b) => {
      const include = e.dataAction ? b.dataActions : b.actions;
      const exclude = e.dataAction ? b.notDataActions : b.notActions;
      return include.some((p) => matches(p, e.action)) && !exclude.some((p) => matches(p, e.action));
    }),
  );
}

function main(): void {
  const [path, commit] = process.argv.slice(2);
  if (!path || !commit) {
    console.error('usage: node scripts/azure-builtin-roles.ts PATH/TO/built-in-roles-raw.json COMMIT');
    process.exit(2);
  }
  const text = readFileSync(path, 'utf8');
  const all = JSON.parse(text) as RawRole[];
  const kept = all
    .filter((r) => r.roleType === 'BuiltInRole' && (namedRoles.includes(r.roleName) || grantsCatalogueOperation(r)))
    .sort((a, b) => (a.roleName < b.roleName ? -1 : a.roleName > b.roleName ? 1 : 0));
  const missing = namedRoles.filter((n) => !kept.some((r) => r.roleName === n));
  if (missing.length) throw new Error(`the dataset has no role named ${missing.join(', ')}`);
  const out = {
    source: 'https://github.com/iann0036/iam-dataset/blob/main/azure/built-in-roles-raw.json',
    commit,
    sha256: createHash('sha256').update(text).digest('hex'),
    selection: `built-in roles granting an Azure operation of src/catalogue/snapshot-capabilities.json, and ${namedRoles.join(', ')}`,
    roles: kept,
  };
  const target = new URL('../lab/azure/data/built-in-roles.json', import.meta.url);
  writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${kept.length} of ${all.length} roles to ${target.pathname}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
