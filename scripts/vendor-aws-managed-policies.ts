// Writes lab/aws/data/aws-managed-policies.json: the AWS managed policies the lab serves, taken from the published
// dataset github.com/iann0036/iam-dataset (MIT licence, lab/aws/data/LICENSE-iam-dataset), file
// aws/managedpolicies/<Name>.json. Run it on a checkout of the dataset:
//
//   node scripts/vendor-aws-managed-policies.ts /path/to/iam-dataset <commit>
//
// test/aws/managed-policies.test.ts proves the lab serves exactly these documents over the wire.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The managed policies estates attach (and the ones the README names); add a name here to vendor another. */
export const vendoredPolicyNames = [
  'AdministratorAccess',
  'AmazonEC2FullAccess',
  'AWSBackupFullAccess',
  'AWSBackupServiceRolePolicyForBackup',
  'AWSDataLifecycleManagerServiceRole',
  'PowerUserAccess',
  'ReadOnlyAccess',
  'SecurityAudit',
];

interface DatasetEntry {
  name: string;
  arn: string;
  version: string;
  updatedate: string;
  document: Record<string, unknown>;
}

function main(): void {
  const [root, commit] = process.argv.slice(2);
  if (!root || !commit || !/^[0-9a-f]{40}$/.test(commit)) {
    console.error('usage: node scripts/vendor-aws-managed-policies.ts <iam-dataset checkout> <40-hex commit>');
    process.exit(2);
  }
  const policies = vendoredPolicyNames.map((name) => {
    const e = JSON.parse(readFileSync(join(root, 'aws', 'managedpolicies', `${name}.json`), 'utf8')) as DatasetEntry;
    if (e.name !== name) throw new Error(`${name}.json names ${e.name}`);
    const path = /^arn:aws:iam::aws:policy(\/.*\/|\/)[^/]+$/.exec(e.arn)?.[1];
    if (!path) throw new Error(`${name}: unexpected ARN ${e.arn}`);
    return { name, arn: e.arn, path, versionId: e.version, updateDate: e.updatedate, document: e.document };
  });
  const out = {
    source: {
      repository: 'https://github.com/iann0036/iam-dataset',
      commit,
      files: 'aws/managedpolicies/<name>.json',
      licence: 'MIT (LICENSE-iam-dataset beside this file)',
    },
    policies,
  };
  const target = new URL('../lab/aws/data/aws-managed-policies.json', import.meta.url);
  writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${policies.length} policies to ${target.pathname}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
