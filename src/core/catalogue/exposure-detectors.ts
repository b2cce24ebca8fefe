/** The detective controls for snapshot exposure the clouds run themselves (one data file, a source for each entry). */
import data from './exposure-detectors.json' with { type: 'json' };
import type { DetectiveControl, Provider } from '../model/result.ts';

export interface ExposureDetector {
  provider: Provider;
  kind: DetectiveControl['kind'];
  /** The cloud's id: a Security Hub control id or an SCC finding category. */
  control: string;
  title: string;
  detects: DetectiveControl['detects'];
  source: string;
}

export const exposureDetectors: readonly ExposureDetector[] = data.detectors as ExposureDetector[];

export function detectorsOf(kind: DetectiveControl['kind']): ExposureDetector[] {
  return exposureDetectors.filter((d) => d.kind === kind);
}

/**
 * A Security Hub standard's name from its ARN (`arn:aws:securityhub:REGION::standards/PATH/v/VERSION`, or the CIS
 * v1.2.0 `…:::ruleset/cis-aws-foundations-benchmark/v/1.2.0`): the known name and the version; the path as read otherwise.
 */
export function standardName(arn: string): string {
  const m = /:(?:standards|ruleset)\/([^/]+)(?:\/v\/([^/]+))?/.exec(arn);
  if (!m) return arn;
  const names: Record<string, string> = data.securityHubStandards.names;
  const path = m[1] as string;
  const name = names[path] ?? path;
  return m[2] ? `${name} v${m[2]}` : name;
}
