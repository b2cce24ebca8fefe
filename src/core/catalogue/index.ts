/** The snapshot capability catalogue (one data file, a source for each entry). */
import data from './snapshot-capabilities.json' with { type: 'json' };
import type { ArtifactKind, Capability, Provider } from '../model/result.ts';

export interface CatalogueEntry {
  provider: Provider;
  /** AWS action, Azure operation or GCP permission, exactly as the provider spells it. */
  action: string;
  capability: Capability;
  /** The artifact kinds the action acts on (absent: disk snapshots). */
  kinds?: ArtifactKind[];
  source: string;
  note?: string;
  /** Other actions/permissions the capability needs together with this one. */
  requires?: string[];
  /** Azure data action (DataActions / NotDataActions apply). */
  dataAction?: boolean;
}

export const catalogue: readonly CatalogueEntry[] = data.entries as CatalogueEntry[];

export function catalogueFor(provider: Provider): CatalogueEntry[] {
  return catalogue.filter((e) => e.provider === provider);
}
