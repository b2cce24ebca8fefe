/**
 * AWS partitions. Credentials of one partition work only there, and a scan covers only the caller's partition: the
 * partition comes from the caller's ARN (GetCallerIdentity, `arn:PARTITION:…`), and a region belongs to the
 * partition whose region pattern it matches. The patterns are the AWS SDKs' endpoint data (partitions.json, as
 * shipped in @aws-sdk/core's util-endpoints); see https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 * and https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html (the partition element of an ARN).
 */

export interface PartitionSpec {
  id: string;
  regionPattern: RegExp;
}

/** Every partition but the commercial one first: their patterns are narrower. */
export const partitions: readonly PartitionSpec[] = [
  { id: 'aws-cn', regionPattern: /^cn-\w+-\d+$/ },
  { id: 'aws-us-gov', regionPattern: /^us-gov-\w+-\d+$/ },
  { id: 'aws-iso', regionPattern: /^us-iso-\w+-\d+$/ },
  { id: 'aws-iso-b', regionPattern: /^us-isob-\w+-\d+$/ },
  { id: 'aws-iso-e', regionPattern: /^eu-isoe-\w+-\d+$/ },
  { id: 'aws-iso-f', regionPattern: /^us-isof-\w+-\d+$/ },
  { id: 'aws-eusc', regionPattern: /^eusc-(de)-\w+-\d+$/ },
  { id: 'aws', regionPattern: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/ },
];

/** The partition a region belongs to; a name no pattern knows is taken to be commercial (`aws`), as the SDKs do. */
export function partitionOfRegion(region: string): string {
  return partitions.find((p) => p.regionPattern.test(region))?.id ?? 'aws';
}

/** `arn:aws-cn:iam::…` → `aws-cn`; null when it is not an ARN. */
export function partitionOfArn(arn: string | undefined): string | null {
  return /^arn:([a-z-]+):/.exec(arn ?? '')?.[1] ?? null;
}

/** Splits listed regions into the caller's partition and the others. */
export function splitByPartition(regions: readonly string[], partition: string): { own: string[]; other: string[] } {
  const own: string[] = [];
  const other: string[] = [];
  for (const r of regions) (partitionOfRegion(r) === partition ? own : other).push(r);
  return { own, other };
}
