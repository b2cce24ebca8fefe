import { defineCheck } from './define-check.ts';

export default defineCheck({
  id: 'snapshots.block-public-access-off',
  title: 'Public snapshot sharing is blocked at the account level',
  severity: 'medium',
  needs: ['guards'],
  providers: ['aws'],
  rationale:
    'EBS snapshot block public access stops anyone in the account from making a snapshot public, whatever their IAM rights: one setting per region closes the fastest exfiltration route.',
  remediation:
    'Enable snapshot block public access (block-all-sharing) in every region, e.g. `aws ec2 enable-snapshot-block-public-access --state block-all-sharing`, and image block public access, e.g. `aws ec2 enable-image-block-public-access --image-block-public-access-state block-new-sharing`.',
  messages: {
    notBlocking: (e: { region: string; state: string }) =>
      `Snapshot block public access is ${e.state} in ${e.region}: anyone with ec2:ModifySnapshotAttribute can make a snapshot public.`,
    imageNotBlocking: (e: { region: string; state: string }) =>
      `Image block public access is ${e.state} in ${e.region}: anyone with ec2:ModifyImageAttribute can make an AMI public.`,
  },
  scope(input) {
    const open = input.guards.filter((g) => g.blocksPublicSharing === 'no');
    return [
      ...open
        .filter((g) => g.kind === 'snapshot-block-public-access')
        .map((g) => ({ region: g.region, message: 'notBlocking' as const, evidence: { region: g.region, state: g.state } })),
      ...open
        .filter((g) => g.kind === 'image-block-public-access')
        .map((g) => ({
          region: g.region,
          resource: { kind: 'image-block-public-access', id: `${g.region}/image-block-public-access`, name: null },
          message: 'imageNotBlocking' as const,
          evidence: { region: g.region, state: g.state },
        })),
    ];
  },
});
