/** Microsoft.Compute: the snapshot inventory, the disks it was made from, and the disk accesses exports go through. */
import { diskAccessBody, diskBody, snapshotBody } from '../resources/compute.ts';
import type { Route } from '../wire.ts';
import type { RouteContext } from './context.ts';

export function computeRoutes(c: RouteContext): Route[] {
  return [
    c.subscriptionList(
      'Microsoft.Compute/snapshots',
      { service: 'Microsoft.Compute', operation: 'ListSnapshots', action: 'Microsoft.Compute/snapshots/read' },
      (sub) => sub.snapshots.map((x) => snapshotBody(x, sub.id)),
      'snapshots',
    ),
    c.subscriptionList(
      'Microsoft.Compute/disks',
      { service: 'Microsoft.Compute', operation: 'ListDisks', action: 'Microsoft.Compute/disks/read' },
      (sub) => sub.disks.map((d) => diskBody(d, sub.id)),
      'disks',
    ),
    c.subscriptionList(
      'Microsoft.Compute/diskAccesses',
      { service: 'Microsoft.Compute', operation: 'ListDiskAccesses', action: 'Microsoft.Compute/diskAccesses/read' },
      (sub) => sub.diskAccesses.map((d) => diskAccessBody(d, sub.id)),
      'diskAccesses',
    ),
  ];
}
