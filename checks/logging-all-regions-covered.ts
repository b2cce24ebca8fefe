import { defineCheck } from './define-check.ts';

export default defineCheck({
  id: 'logging.all-regions-covered',
  title: 'Every enabled region records snapshot creation',
  severity: 'high',
  needs: ['logging'],
  rationale:
    'An attacker who finds a region the audit log does not cover can snapshot there unseen: single-region trails, stopped trails and read-only event selectors leave such gaps while the scope looks logged.',
  remediation:
    'Make the trail multi-region (or use an organisation trail), keep it logging, and make its event selectors record management write events without excluding the EC2 event source.',
  messages: {
    regionNotRecorded: (e: { region: string; reasons: string[]; sources: string[] }) =>
      `Snapshot creation in ${e.region} is not recorded: ${e.reasons.join('; ') || 'no audit source covers this region'}.`,
  },
  scope(input) {
    const regions = input.logging.regions;
    if (!regions.some((r) => r.recorded === 'yes')) return [];
    return regions
      .filter((r) => r.recorded === 'no')
      .map((r) => ({
        region: r.region,
        message: 'regionNotRecorded',
        evidence: { region: r.region, reasons: r.reasons, sources: r.sourceIds },
      }));
  },
});
