/**
 * The shapes the GCP APIs answer with (REST JSON), as far as the scanner reads them. Every field optional (and
 * nullable): what a service leaves out is never assumed.
 */

export interface RawProject {
  projectId?: string | null;
  name?: string | null;
  displayName?: string | null;
  parent?: string | null;
  state?: string | number | null;
}

export interface RawFolder {
  name?: string | null;
  displayName?: string | null;
  parent?: string | null;
}

export interface RawOrganization {
  displayName?: string | null;
  directoryCustomerId?: string | null;
}

export interface RawSink {
  name?: string | null;
  resourceName?: string | null;
  destination?: string | null;
  filter?: string | null;
  disabled?: boolean | null;
  includeChildren?: boolean | null;
  interceptChildren?: boolean | null;
  exclusions?: Array<{ name?: string | null; filter?: string | null; disabled?: boolean | null }> | null;
  /** The service account the sink writes as (`serviceAccount:service-…@gcp-sa-logging.iam.gserviceaccount.com`). */
  writerIdentity?: string | null;
}

/** A BigQuery dataset's access list (datasets.get). */
export interface RawDatasetAccess {
  role?: string | null;
  userByEmail?: string | null;
  groupByEmail?: string | null;
  domain?: string | null;
  specialGroup?: string | null;
  iamMember?: string | null;
}

export interface RawBucket {
  name?: string | null;
  retentionDays?: number | null;
  locked?: boolean | null;
}

export interface RawMetric {
  name?: string | null;
  filter?: string | null;
  disabled?: boolean | null;
}

/** AlertPolicy.enabled and NotificationChannel.enabled are BoolValues: absent means enabled. */
export type RawBoolValue = boolean | { value?: boolean | null } | null | undefined;

export interface RawAlertPolicy {
  name?: string | null;
  displayName?: string | null;
  enabled?: RawBoolValue;
  notificationChannels?: string[] | null;
  conditions?: Array<{
    name?: string | null;
    displayName?: string | null;
    conditionThreshold?: { filter?: string | null } | null;
    conditionAbsent?: { filter?: string | null } | null;
    conditionMatchedLog?: { filter?: string | null } | null;
    conditionMonitoringQueryLanguage?: { query?: string | null } | null;
    conditionPrometheusQueryLanguage?: { query?: string | null } | null;
  }> | null;
}

export interface RawChannel {
  name?: string | null;
  enabled?: RawBoolValue;
  displayName?: string | null;
}

export interface RawPolicy {
  bindings?: Array<{
    role?: string | null;
    members?: string[] | null;
    condition?: { title?: string | null; expression?: string | null } | null;
  }> | null;
}

export interface RawDenyPolicy {
  name?: string | null;
  rules?: Array<{
    denyRule?: {
      deniedPrincipals?: string[] | null;
      exceptionPrincipals?: string[] | null;
      deniedPermissions?: string[] | null;
      exceptionPermissions?: string[] | null;
      denialCondition?: { title?: string | null; expression?: string | null } | null;
    } | null;
  }> | null;
}

export interface RawRole {
  name?: string;
  title?: string;
  includedPermissions?: string[];
  deleted?: boolean;
}

export interface RawRegion {
  name?: string;
  status?: string;
}

export interface RawDisk {
  selfLink?: string;
  labels?: Record<string, string>;
  /** URLs of the resource policies (snapshot schedules…) attached to it. */
  resourcePolicies?: string[];
}
