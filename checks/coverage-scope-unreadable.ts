import type { Gap } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';

function summarise(gaps: readonly Gap[]): string {
  const byCode = new Map<string, number>();
  for (const g of gaps) byCode.set(g.code, (byCode.get(g.code) ?? 0) + 1);
  return [...byCode.entries()].map(([code, n]) => `${n} ${code}`).join(', ');
}

export default defineCheck({
  id: 'coverage.scope-unreadable',
  title: 'Every scope and region could be read',
  severity: 'high',
  needs: [],
  rationale:
    'A blind spot is itself a posture failure: an account, subscription, project or region the scanner could not read may hold public snapshots or lack logging, and nothing in this report can say otherwise.',
  remediation:
    'Grant the scanning identity the read-only permissions in README.md in that scope (or deploy the scanning role there), enable the region or exclude it in the config, and rerun.',
  references: { nist: ['CM-8', 'AU-12'] },
  scope(input) {
    const c = input.coverage;
    if (c.status === 'complete') return [];
    const regions = c.regions.filter((r) => r.status === 'failed' || r.status === 'partial' || r.status === 'interrupted');
    return [
      {
        severity: c.status === 'partial' ? 'medium' : 'high',
        message: `${input.scope.name} (${input.scope.id}) was ${c.status === 'failed' ? 'not read' : c.status === 'interrupted' ? 'not finished (scan interrupted)' : 'only partly read'}: ${summarise(c.gaps)}.`,
        evidence: {
          status: c.status,
          regions: Object.fromEntries(regions.map((r) => [r.region, r.status])),
          gaps: c.gaps.map((g) => ({ code: g.code, part: g.part, operation: g.operation, region: g.region, message: g.message })),
        },
      },
    ];
  },
  discovery(input) {
    if (input.gaps.length === 0) return [];
    return [
      {
        severity: input.status === 'failed' ? 'high' : 'medium',
        message: `Discovery of ${input.provider} scopes${input.root ? ` under ${input.root}` : ''} was ${input.status === 'failed' ? 'not possible' : 'incomplete'}: ${summarise(input.gaps)}.`,
        evidence: { gaps: input.gaps },
      },
    ];
  },
});
