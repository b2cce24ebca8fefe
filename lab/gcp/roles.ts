/**
 * The lab's predefined roles: the snapshot-relevant part of each role's permissions (real roles carry thousands;
 * the scanner only looks for the catalogue's). An estate can add or override roles under `gcp.roles`.
 */
const snapshotRead = [
  'compute.snapshots.get',
  'compute.snapshots.list',
  'compute.snapshots.getIamPolicy',
  'compute.disks.get',
  'compute.disks.list',
];
const snapshotWrite = [
  'compute.snapshots.create',
  'compute.snapshots.delete',
  'compute.snapshots.setLabels',
  'compute.snapshots.useReadOnly',
  'compute.disks.createSnapshot',
  'compute.images.create',
  'compute.machineImages.create',
];

export const predefinedRoles: Record<string, { title: string; permissions: string[] }> = {
  'roles/owner': {
    title: 'Owner',
    permissions: [...snapshotRead, ...snapshotWrite, 'compute.snapshots.setIamPolicy', 'resourcemanager.projects.setIamPolicy'],
  },
  'roles/editor': { title: 'Editor', permissions: [...snapshotRead, ...snapshotWrite] },
  'roles/viewer': { title: 'Viewer', permissions: [...snapshotRead] },
  'roles/browser': { title: 'Browser', permissions: ['resourcemanager.projects.get', 'resourcemanager.folders.get'] },
  'roles/compute.admin': {
    title: 'Compute Admin',
    permissions: [...snapshotRead, ...snapshotWrite, 'compute.snapshots.setIamPolicy'],
  },
  'roles/compute.storageAdmin': {
    title: 'Compute Storage Admin',
    permissions: [...snapshotRead, ...snapshotWrite, 'compute.snapshots.setIamPolicy'],
  },
  'roles/compute.instanceAdmin.v1': {
    title: 'Compute Instance Admin (v1)',
    permissions: [...snapshotRead, 'compute.disks.createSnapshot', 'compute.snapshots.useReadOnly'],
  },
  'roles/compute.viewer': { title: 'Compute Viewer', permissions: [...snapshotRead] },
  'roles/logging.viewer': { title: 'Logs Viewer', permissions: ['logging.sinks.list', 'logging.buckets.list', 'logging.logMetrics.list'] },
  'roles/monitoring.viewer': { title: 'Monitoring Viewer', permissions: ['monitoring.alertPolicies.list'] },
  'roles/iam.securityReviewer': { title: 'Security Reviewer', permissions: ['resourcemanager.projects.getIamPolicy', 'iam.roles.get'] },
  'roles/iam.denyReviewer': { title: 'Deny Reviewer', permissions: ['iam.denypolicies.get', 'iam.denypolicies.list'] },
};
