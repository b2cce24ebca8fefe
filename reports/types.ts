/**
 * What renderers receive besides the scan result. Renderers stay pure: anything from outside the result (the
 * previous scan from the state store, the framework to map to, the check catalogue) arrives here, computed by the
 * caller.
 */
import type { Need } from '../src/core/model/needs.ts';
import type { CheckMeta } from '../src/core/model/result.ts';
import type { Trend } from '../src/core/model/trend.ts';

/** A registered check as renderers see it: its metadata and what it needs collected. */
export interface CatalogueCheck {
  meta: CheckMeta;
  needs: readonly Need[];
}

export interface RenderContext {
  trend: Trend | null;
  /** Framework ids to render a per-control view for (`--framework`). */
  frameworks: string[];
  /**
   * Every registered check (the application passes the registry's): what each needs decides whether a partly read
   * scope could hide its findings, and framework views list mapped checks that did not run.
   */
  checks: readonly CatalogueCheck[];
  /**
   * The HTML report's size (config `output.html`): up to `detailLimit` rows (findings + snapshots + capable
   * principals) it lists every row; above, it shows the `worst` most severe findings and aggregates, and points at the
   * CSV files. Defaults: reports/html/index.ts.
   */
  html?: { detailLimit?: number; worst?: number };
}
