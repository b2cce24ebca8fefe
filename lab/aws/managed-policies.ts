/**
 * AWS managed policies the lab knows by name, so estates can attach them by ARN
 * (`arn:aws:iam::aws:policy/PowerUserAccess`). PowerUserAccess and AdministratorAccess are the real documents;
 * the long read-only ones are abbreviated to their snapshot-relevant part. Estates add or override with
 * `aws.awsManagedPolicies`.
 */
import type { AwsManagedPolicy } from './estate.ts';

export const builtInManagedPolicies: AwsManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    path: '/',
    description: 'Provides full access to AWS services and resources.',
    document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  },
  {
    name: 'PowerUserAccess',
    path: '/',
    description: 'Provides full access to AWS services and resources, but does not allow management of Users and groups.',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: [
            'account:GetAccountInformation',
            'account:GetPrimaryEmail',
            'account:ListRegions',
            'iam:CreateServiceLinkedRole',
            'iam:DeleteServiceLinkedRole',
            'iam:ListRoles',
            'organizations:DescribeOrganization',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonEC2FullAccess',
    path: '/',
    description: 'Provides full access to Amazon EC2 via the AWS Management Console (abbreviated).',
    document: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'ec2:*', Effect: 'Allow', Resource: '*' },
        { Effect: 'Allow', Action: 'elasticloadbalancing:*', Resource: '*' },
        { Effect: 'Allow', Action: 'cloudwatch:*', Resource: '*' },
        { Effect: 'Allow', Action: 'autoscaling:*', Resource: '*' },
      ],
    },
  },
  {
    name: 'ReadOnlyAccess',
    path: '/',
    description: 'Provides read-only access to AWS services and resources (abbreviated).',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ec2:Describe*', 'ec2:Get*', 'cloudtrail:Describe*', 'cloudtrail:Get*', 'iam:Get*', 'iam:List*', 's3:Get*', 's3:List*'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWSBackupServiceRolePolicyForBackup',
    path: '/service-role/',
    description: 'Provides AWS Backup permission to create backups of supported resource types on your behalf (abbreviated).',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ec2:CreateSnapshot',
            'ec2:DeleteSnapshot',
            'ec2:DescribeVolumes',
            'ec2:DescribeSnapshots',
            'ec2:CopySnapshot',
            'ec2:CreateTags',
          ],
          Resource: '*',
        },
      ],
    },
  },
];
