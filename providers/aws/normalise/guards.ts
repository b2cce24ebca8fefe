/** Guard settings as read → the model's guards (pure). */
import type { Guard, Tri } from '../../../src/core/model/result.ts';

/** GetSnapshotBlockPublicAccessState: `block-all-sharing` and `block-new-sharing` block public sharing, `unblocked` does not. */
export function snapshotBlockGuard(region: string, state: string | undefined): Guard {
  const s = state ?? 'unknown';
  const blocks: Tri = s === 'block-all-sharing' || s === 'block-new-sharing' ? 'yes' : s === 'unblocked' ? 'no' : 'unknown';
  return { region, kind: 'snapshot-block-public-access', state: s, blocksPublicSharing: blocks };
}

/** GetImageBlockPublicAccessState: `block-new-sharing` blocks making AMIs public, `unblocked` does not. */
export function imageBlockGuard(region: string, state: string | undefined): Guard {
  const s = state ?? 'unknown';
  const blocks: Tri = s === 'block-new-sharing' ? 'yes' : s === 'unblocked' ? 'no' : 'unknown';
  return { region, kind: 'image-block-public-access', state: s, blocksPublicSharing: blocks };
}
