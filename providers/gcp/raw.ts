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

/** Security Command Center enablement states (securitycentermanagement EnablementState). */
export type RawEnablementState = 'ENABLEMENT_STATE_UNSPECIFIED' | 'INHERITED' | 'ENABLED' | 'DISABLED' | 'INGEST_ONLY' | string;

/** A Security Command Center service's settings (securityCenterServices.get). */
export interface RawSccService {
  name?: string | null;
  intendedEnablementState?: RawEnablementState | null;
  effectiveEnablementState?: RawEnablementState | null;
  /** Module name (a Security Health Analytics detector: its finding category) → its settings. */
  modules?: Record<
    string,
    { intendedEnablementState?: RawEnablementState | null; effectiveEnablementState?: RawEnablementState | null }
  > | null;
  updateTime?: string | null;
}

/** One result of v2 findings.list: the finding and the resource it is about. */
export interface RawSccFindingResult {
  finding?: {
    name?: string | null;
    category?: string | null;
    state?: string | null;
    /** The full resource name, e.g. `//compute.googleapis.com/projects/p/global/images/x`. */
    resourceName?: string | null;
    eventTime?: string | null;
  } | null;
  resource?: { name?: string | null; type?: string | null } | null;
}
