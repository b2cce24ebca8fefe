/**
 * The AWS managed policies the lab knows by name, so estates can attach them by ARN
 * (`arn:aws:iam::aws:policy/PowerUserAccess`). They are the published documents, vendored from the iam-dataset
 * (github.com/iann0036/iam-dataset, MIT, see data/LICENSE-iam-dataset) by scripts/vendor-aws-managed-policies.ts;
 * test/aws/managed-policies.test.ts proves the lab serves them unchanged. Estates add or override with
 * `aws.awsManagedPolicies`.
 */
import vendored from './data/aws-managed-policies.json' with { type: 'json' };
import type { AwsManagedPolicy } from './estate.ts';

/** Where the vendored documents come from. */
export const managedPolicySource = vendored.source;

export const builtInManagedPolicies: AwsManagedPolicy[] = vendored.policies.map((p) => ({
  name: p.name,
  path: p.path,
  versionId: p.versionId,
  updateDate: new Date(p.updateDate).toISOString(),
  document: p.document as Record<string, unknown>,
}));
