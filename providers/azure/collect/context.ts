/** What every Azure collector is handed besides the scope's I/O object: the subscription, what discovery learnt, the settings. */
import type { CatalogueEntry } from '../../../src/core/catalogue/index.ts';
import type { AzureConfig, Policy } from '../../../src/core/config/schema.ts';
import type { Need } from '../../../src/core/model/needs.ts';
import type { AzureOrganisation } from '../discovery.ts';

export interface AzureScopeContext {
  subscriptionId: string;
  /** Normalised management-group scopes and `/` above the subscription, when discovery read the tree from the root. */
  ancestors: readonly string[] | null;
  /** What the selected checks need (implications expanded). */
  needs: ReadonlySet<Need>;
  now: Date;
  config: AzureConfig;
  policy: Policy;
  catalogue: readonly CatalogueEntry[];
  /** Principal object ids configured as external, lower case. */
  externalPrincipals: ReadonlySet<string>;
  /** The home tenant and the subscriptions discovery found in it (who a gallery shared with is inside). */
  organisation: AzureOrganisation;
}
