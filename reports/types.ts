/**
 * What renderers receive besides the scan result. Renderers stay pure: anything from outside the result (the
 * previous scan from the state store, the framework to map to) arrives here, computed by the caller.
 */
import type { Severity } from '../src/model/result.ts';

/** The comparison with the previous scan, when the state store has one (see src/store). */
export interface Trend {
  previous: {
    scanId: string;
    finishedAt: string;
    openBySeverity: Record<Severity, number>;
    /** Percentage of scanned scope-regions where snapshot creation is recorded. */
    loggingCoveragePct: number;
    publicSnapshots: number;
    externallySharedSnapshots: number;
  };
  newFindings: number;
  resolvedFindings: number;
  regressedFindings: number;
  unchangedFindings: number;
  /** Principals that gained a snapshot capability since the previous scan. */
  newlyCapablePrincipals: number;
  snapshotsCreated: number;
  snapshotsDeleted: number;
}

export interface RenderContext {
  trend: Trend | null;
  /** Framework ids to render a per-control view for (`--framework`). */
  frameworks: string[];
}

export const emptyRenderContext: RenderContext = { trend: null, frameworks: [] };
