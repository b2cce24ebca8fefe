/**
 * What each operation needs of the caller (`gcp.caller`), as the APIs document it: the IAM permission on the
 * resource the call names (Resource Manager, Logging, Monitoring, IAM and Compute Engine reference pages list one
 * per method). A call without it answers 403 PERMISSION_DENIED, as the real services do — never an empty 200.
 */
import type { RequestIdentity } from '../core.ts';

/** Operation → the permission it needs; the resource is the one the request names (its scope). */
const permissions: Record<string, string | ((resource: string) => string)> = {
  'cloudresourcemanager:organizations.get': 'resourcemanager.organizations.get',
  'cloudresourcemanager:folders.list': 'resourcemanager.folders.list',
  'cloudresourcemanager:folders.get': 'resourcemanager.folders.get',
  'cloudresourcemanager:projects.list': 'resourcemanager.projects.list',
  'cloudresourcemanager:projects.get': 'resourcemanager.projects.get',
  'cloudresourcemanager:getIamPolicy': (r) => `resourcemanager.${r.split('/')[0]}.getIamPolicy`,
  'logging:sinks.list': 'logging.sinks.list',
  'logging:buckets.list': 'logging.buckets.list',
  'logging:metrics.list': 'logging.logMetrics.list',
  'logging:entries.list': 'logging.logEntries.list',
  'monitoring:alertPolicies.list': 'monitoring.alertPolicies.list',
  'monitoring:notificationChannels.list': 'monitoring.notificationChannels.list',
  'iam:policies.list': 'iam.denypolicies.list',
  'iam:policies.get': 'iam.denypolicies.get',
  // Custom roles only: predefined roles are readable by anyone authenticated.
  'iam:roles.get': 'iam.roles.get',
  'iam:serviceAccounts.getIamPolicy': 'iam.serviceAccounts.getIamPolicy',
  'iam:serviceAccounts.list': 'iam.serviceAccounts.list',
  'compute:snapshots.list': 'compute.snapshots.list',
  'compute:regionSnapshots.list': 'compute.snapshots.list',
  'compute:snapshots.getIamPolicy': 'compute.snapshots.getIamPolicy',
  'compute:regionSnapshots.getIamPolicy': 'compute.snapshots.getIamPolicy',
  'compute:disks.aggregatedList': 'compute.disks.list',
  'compute:regions.list': 'compute.regions.list',
  'compute:images.list': 'compute.images.list',
  'compute:images.getIamPolicy': 'compute.images.getIamPolicy',
  'compute:machineImages.list': 'compute.machineImages.list',
  'compute:machineImages.getIamPolicy': 'compute.machineImages.getIamPolicy',
  'compute:instantSnapshots.aggregatedList': 'compute.instantSnapshots.list',
  'compute:instantSnapshots.getIamPolicy': 'compute.instantSnapshots.getIamPolicy',
  'compute:regionInstantSnapshots.getIamPolicy': 'compute.instantSnapshots.getIamPolicy',
  'compute:resourcePolicies.aggregatedList': 'compute.resourcePolicies.list',
  'securitycenter:findings.list': 'securitycenter.findings.list',
  'securitycentermanagement:securityCenterServices.get': 'securitycentermanagement.securityCenterServices.get',
};

/** The permission and resource a request needs, or null when it needs none the lab models. */
export function requiredPermission(id: RequestIdentity): { permission: string; resource: string } | null {
  const p = permissions[`${id.service}:${id.operation}`];
  if (!p || id.scope === null) return null;
  const resource = /^(organizations|folders|projects)\//.test(id.scope) ? id.scope : `projects/${id.scope}`;
  return { permission: typeof p === 'string' ? p : p(resource), resource };
}
