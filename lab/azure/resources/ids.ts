/** ARM ids and GUIDs of the lab's resources (stable: derived from the estate, so two scans see the same ids). */
import { createHash } from 'node:crypto';

/** A stable GUID derived from text, for ids the estate leaves out. */
export function stableGuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function rgId(subscriptionId: string, rg: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${rg}`;
}

export function diskId(subscriptionId: string, rg: string, name: string): string {
  return `${rgId(subscriptionId, rg)}/providers/Microsoft.Compute/disks/${name}`;
}

export function snapshotId(subscriptionId: string, rg: string, name: string): string {
  return `${rgId(subscriptionId, rg)}/providers/Microsoft.Compute/snapshots/${name}`;
}

/** `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/{type}/{name}`. */
export function computeId(subscriptionId: string, rg: string, type: string, name: string): string {
  return `${rgId(subscriptionId, rg)}/providers/Microsoft.Compute/${type}/${name}`;
}
