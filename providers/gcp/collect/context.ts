/** What every GCP collector is handed besides the project's I/O object: the project, what discovery learnt, the settings. */
import type { CatalogueEntry } from '../../../src/core/catalogue/index.ts';
import type { GcpConfig, Policy } from '../../../src/core/config/schema.ts';
import type { Need } from '../../../src/core/model/needs.ts';
import type { Gap, Part } from '../../../src/core/model/result.ts';
import type { ProjectContext } from '../discovery.ts';
import type { ResourceNode } from '../iam.ts';
import type { Membership } from '../members.ts';

export interface GcpScopeContext {
  /** The project, its number and its ancestry (organisation and folders, top down). */
  project: ProjectContext;
  /** The project as a node of the resource hierarchy. */
  node: ResourceNode;
  /** What the selected checks need (implications expanded). */
  needs: ReadonlySet<Need>;
  now: Date;
  /** How far back creation activity is reviewed (`scan.activityLookbackDays`). */
  activityLookbackDays: number;
  config: GcpConfig;
  policy: Policy;
  catalogue: readonly CatalogueEntry[];
  /** Who is inside the organisation (domains, projects, customer ids), as discovery learnt it. */
  membership: Membership;
  /** The project's coverage gaps, appended to by every collector. */
  gaps: Gap[];
  /** Parts read well enough to count (a project whose every part failed is a failed scope). */
  ok: Set<Part>;
}
