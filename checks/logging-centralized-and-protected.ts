import { defineCheck } from './define-check.ts';

interface WeakStore {
  scope: string;
  notCentral: string[];
  notProtected: string[];
  reasons: string[];
}

function weaknesses(e: WeakStore): string {
  return [
    e.notCentral.length ? `not delivered to a central store in ${e.notCentral.join(', ')}` : '',
    e.notProtected.length ? `not tamper-protected in ${e.notProtected.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

export default defineCheck({
  id: 'logging.centralized-and-protected',
  title: 'Snapshot audit events reach a central, tamper-protected store',
  severity: 'medium',
  needs: ['logging'],
  rationale:
    'An intruder with rights in the scope can delete or alter logs stored in the same scope. Events delivered to a separate log-archive account, subscription or project, with integrity validation and encryption, survive the compromise they record.',
  remediation:
    'AWS: deliver an organisation trail to a bucket in a log-archive account, with log file validation and KMS encryption. Azure: export the Activity Log to a central Log Analytics workspace or immutable storage account. GCP: route an aggregated sink to a log bucket in a central project and lock its retention.',
  messages: {
    notCentralOrProtected: (e: WeakStore) => `Snapshot audit events of ${e.scope} are ${weaknesses(e)}.`,
  },
  scope(input) {
    const weak = input.logging.regions.filter((r) => r.recorded === 'yes' && (r.central === 'no' || r.protected === 'no'));
    if (weak.length === 0) return [];
    const notCentral = weak.filter((r) => r.central === 'no').map((r) => r.region);
    const notProtected = weak.filter((r) => r.protected === 'no').map((r) => r.region);
    const reasons = [...new Set(input.logging.sources.filter((s) => s.recordsSnapshotCreation === 'yes').flatMap((s) => s.reasons))];
    return [{ message: 'notCentralOrProtected', evidence: { scope: input.scope.name, notCentral, notProtected, reasons } }];
  },
});
