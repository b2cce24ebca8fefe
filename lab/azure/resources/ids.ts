/** ARM ids and GUIDs of the lab's resources (stable: derived from the estate, so two scans see the same ids). */
import { hash } from 'node:crypto';

/** GUIDs already derived, by their text: a listing answers the same ids on every page and every scan. */
const guids = new Map<string, string>();
/** At most this many kept (then forgotten all at once: derived again, the same). */
const MAX_GUIDS = 100_000;

/** A stable GUID derived from text, for ids the estate leaves out. */
export function stableGuid(...parts: string[]): string {
  const text = parts.join('|');
  let guid = guids.get(text);
  if (guid === undefined) {
    const h = hash('sha256', text, 'hex');
    guid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    if (guids.size >= MAX_GUIDS) guids.clear();
    guids.set(text, guid);
  }
  return guid;
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
