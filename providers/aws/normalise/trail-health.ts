/**
 * Is a trail actually delivering? GetTrailStatus reports it: `IsLogging`, the last S3 delivery error
 * (`LatestDeliveryError`: CloudTrail could not write to the bucket, typically a bucket or key policy that denies it),
 * the last CloudWatch Logs delivery error, the last digest delivery error and the last delivery times
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html). A trail that is logging
 * but whose S3 delivery fails is "configured but not flowing": its events reach no store anyone reads. A failing
 * CloudWatch Logs delivery leaves the S3 copy intact but starves the metric filters on the log group; a failing
 * digest delivery leaves log file validation without its digests.
 */
import type { GetTrailStatusResponse } from '@aws-sdk/client-cloudtrail';
import type { SourceHealth } from '../../../src/core/model/result.ts';

export interface TrailHealth {
  health: SourceHealth;
  /** The CloudWatch Logs copy is failing (metric filters on it see nothing new). */
  cloudWatchFailing: string | null;
  /** Digest files are failing (log file validation cannot be relied on). */
  digestFailing: string | null;
}

const iso = (d: Date | undefined): string | null => (d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : null);

/** The delivery health of a trail from its status; `null` status: it could not be read. */
export function trailHealth(name: string, status: GetTrailStatusResponse | null): TrailHealth {
  const source = 'cloudtrail:GetTrailStatus';
  if (!status)
    return {
      health: { flowing: 'unknown', lastDelivery: null, problems: [`status of trail ${name} could not be read`], source },
      cloudWatchFailing: null,
      digestFailing: null,
    };
  const problems: string[] = [];
  const s3Error = status.LatestDeliveryError?.trim() || null;
  const cwError = status.LatestCloudWatchLogsDeliveryError?.trim() || null;
  const digestError = status.LatestDigestDeliveryError?.trim() || null;
  if (status.IsLogging === false) problems.push(`trail ${name} is not logging (IsLogging false)`);
  if (s3Error) problems.push(`trail ${name} is configured but not flowing: S3 delivery fails with ${s3Error} (LatestDeliveryError)`);
  if (cwError) problems.push(`trail ${name} cannot deliver to CloudWatch Logs: ${cwError} (LatestCloudWatchLogsDeliveryError)`);
  if (digestError) problems.push(`trail ${name} cannot deliver digest files: ${digestError} (LatestDigestDeliveryError)`);
  const flowing = status.IsLogging === false || s3Error ? 'no' : status.IsLogging === true ? 'yes' : 'unknown';
  return {
    health: { flowing, lastDelivery: iso(status.LatestDeliveryTime), problems, source },
    cloudWatchFailing: cwError,
    digestFailing: digestError,
  };
}
