/**
 * Refined needs, proven from the lab's request log: the Azure adapter makes only the calls the selected checks need.
 * The snapshot-family listings serve every snapshot check; the disk accesses, gallery sharing groups and SAS exports
 * (`sharing`) and the activity-log creator lookup (`creators`) are read only for the checks that use them.
 */
import { describe, expect, it } from 'vitest';
import { scanEstate } from '../support/lab.ts';
import { azureEstate } from './support.ts';

/** The Azure operations a scan running only these checks made, per scan (discovery and sign-in left out). */
async function callsFor(checks: string[]): Promise<string[]> {
  const { lab, result } = await scanEstate(azureEstate(), {
    providers: ['azure'],
    config: { scan: { checks: { include: checks, exclude: [] } } },
  });
  expect(result.scan.complete).toBe(true);
  const discovery = new Set(['ListSubscriptions', 'ListManagementGroups', 'ListManagementGroupDescendants']);
  return [
    ...new Set(
      lab.log.entries.filter((e) => e.service !== 'login' && !discovery.has(e.operation)).map((e) => `${e.service}:${e.operation}`),
    ),
  ].sort();
}

/**
 * The snapshot-family inventory every snapshot check reads: the subscription listings, and below them each gallery's
 * image definitions and versions and each restore point collection's restore points and disk restore points.
 */
const FAMILY = [
  'Microsoft.Compute:GetRestorePointCollection',
  'Microsoft.Compute:ListDiskRestorePoints',
  'Microsoft.Compute:ListDisks',
  'Microsoft.Compute:ListGalleries',
  'Microsoft.Compute:ListGalleryImageVersions',
  'Microsoft.Compute:ListGalleryImages',
  'Microsoft.Compute:ListImages',
  'Microsoft.Compute:ListRestorePointCollections',
  'Microsoft.Compute:ListSnapshots',
];

describe('Azure refined needs', () => {
  it('snapshots.stale reads the family listings only: no sharing, creator or source reads', async () => {
    expect(await callsFor(['snapshots.stale'])).toEqual(FAMILY);
  });

  it('each refinement brings only its own reads', async () => {
    // Sharing: the disk access a private export goes through, the groups a gallery is directly shared with, and SAS
    // exports from the activity log.
    expect(await callsFor(['snapshots.public'])).toEqual(
      [...FAMILY, 'Microsoft.Compute:GetGallery', 'Microsoft.Compute:ListDiskAccesses', 'Microsoft.Insights:ListActivityLogs'].sort(),
    );
    // Sources: the source disks' tags come from the disk listing the family reads anyway.
    expect(await callsFor(['snapshots.sensitive-source'])).toEqual(FAMILY);
    // Creators: the activity log.
    expect(await callsFor(['snapshots.unapproved-creator'])).toEqual([...FAMILY, 'Microsoft.Insights:ListActivityLogs'].sort());
  });

  it('a check that does not need the inventory does not list it', async () => {
    // Logging: the diagnostic settings and the destinations they export to (does each exist; how long a workspace
    // keeps the events).
    expect(await callsFor(['logging.snapshot-events-recorded'])).toEqual([
      'Microsoft.EventHub:GetNamespace',
      'Microsoft.Insights:ListDiagnosticSettings',
      'Microsoft.OperationalInsights:GetWorkspace',
      'Microsoft.Storage:GetStorageAccountProperties',
    ]);
    expect(await callsFor(['permissions.broad-grant'])).toEqual([
      'Microsoft.Authorization:GetRoleDefinition',
      'Microsoft.Authorization:ListDenyAssignments',
      'Microsoft.Authorization:ListRoleAssignments',
      'Microsoft.Authorization:ListRoleEligibilityScheduleInstances',
      'Microsoft.Authorization:ListRoleManagementPolicyAssignments',
      // Who the principals are: part of the principals need (issue #17).
      'Microsoft.Graph:GetDirectoryObjectsByIds',
      'Microsoft.Graph:ListGroupTransitiveMembers',
    ]);
  });

  it('without the creator lookup, stale snapshots keep the owner the listing names and nothing more', async () => {
    const { result } = await scanEstate(azureEstate(), {
      providers: ['azure'],
      config: { scan: { checks: { include: ['snapshots.stale'], exclude: [] } } },
    });
    const exported = result.scopes.flatMap((s) => s.snapshots).find((s) => s.name === 'snap-export')!;
    // systemData names the creator in the listing itself; no activity-log read was made for it.
    expect(exported.creator).toMatchObject({ source: 'system-data', identity: 'mallory@contoso.com' });
    expect(exported.sharing.notes.some((n) => n.includes('beginGetAccess) by'))).toBe(false);
  });
});
