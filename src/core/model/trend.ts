import type { Severity } from './result.ts';

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
