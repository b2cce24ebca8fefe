/**
 * IAM Identity Center in the lab: the roles it provisions into each assigned account, and the ids and ARNs the
 * sso-admin and identitystore routes answer with.
 *
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html (role name and path)
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html
 */
import { createHash } from 'node:crypto';
import type { AwsAccount, AwsIdentityCenter } from './estate.ts';

export const instanceArn = (partition: string, ic: AwsIdentityCenter) => `arn:${partition}:sso:::instance/${ic.instanceId}`;
export const permissionSetArn = (partition: string, ic: AwsIdentityCenter, id: string) =>
  `arn:${partition}:sso:::permissionSet/${ic.instanceId}/${id}`;

const hex = (seed: string, n: number) => createHash('sha256').update(seed).digest('hex').slice(0, n);

/** The permission sets assigned in an account, each once, in the estate's order. */
export function provisionedTo(ic: AwsIdentityCenter, accountId: string): AwsIdentityCenter['permissionSets'] {
  const names = new Set(ic.assignments.filter((a) => a.account === accountId).map((a) => a.permissionSet));
  return ic.permissionSets.filter((p) => names.has(p.name));
}

/** The account with the roles Identity Center provisions for the permission sets assigned in it. */
export function withIdentityCenterRoles(account: AwsAccount, ic: AwsIdentityCenter | undefined, partition: string): AwsAccount {
  if (!ic) return account;
  const roles = provisionedTo(ic, account.id).map((ps) => ({
    name: `AWSReservedSSO_${ps.name}_${hex(`${account.id}/${ps.id}`, 16)}`,
    path: `/aws-reserved/sso.amazonaws.com/${ic.region}/`,
    trust: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:${partition}:iam::${account.id}:saml-provider/AWSSSO_${hex(ic.instanceId, 16)}_DO_NOT_DELETE` },
          Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
          Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        },
      ],
    },
    inlinePolicies: ps.inlinePolicy ? [{ name: 'AwsSSOInlinePolicy', document: ps.inlinePolicy }] : [],
    managedPolicies: ps.managedPolicies,
    tags: {},
  }));
  if (roles.length === 0) return account;
  return { ...account, iam: { ...account.iam, roles: [...account.iam.roles, ...roles] } };
}
