import type { Gap } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';

type GapEvidence = Pick<Gap, 'code' | 'part' | 'operation' | 'region' | 'message'>;

function summarise(gaps: readonly Pick<Gap, 'code'>[]): string {
  const byCode = new Map<string, number>();
  for (const g of gaps) byCode.set(g.code, (byCode.get(g.code) ?? 0) + 1);
  return [...byCode.entries()].map(([code, n]) => `${n} ${code}`).join(', ');
}

interface ScopeGaps {
  scope: string;
  scopeId: string;
  status: 'partial' | 'failed' | 'interrupted';
  regions: Record<string, string>;
  gaps: GapEvidence[];
}

interface DiscoveryGaps {
  provider: string;
  root: string | null;
  gaps: Gap[];
}

const under = (e: DiscoveryGaps) => (e.root ? ` under ${e.root}` : '');

export default defineCheck({
  id: 'coverage.scope-unreadable',
  title: 'Every scope and region could be read',
  severity: 'high',
  needs: [],
  rationale:
    'A blind spot is itself a posture failure: an account, subscription, project or region the scanner could not read may hold public snapshots or lack logging, and nothing in this report can say otherwise.',
  remediation:
    'Grant the scanning identity the read-only permissions the docs list for its cloud (docs/aws.md, docs/azure.md, docs/gcp.md) in that scope (or deploy the scanning role there), enable the region or exclude it in the config, and rerun.',
  messages: {
    notRead: (e: ScopeGaps) => `${e.scope} (${e.scopeId}) was not read: ${summarise(e.gaps)}.`,
    interrupted: (e: ScopeGaps) => `${e.scope} (${e.scopeId}) was not finished (scan interrupted): ${summarise(e.gaps)}.`,
    partlyRead: (e: ScopeGaps) => `${e.scope} (${e.scopeId}) was only partly read: ${summarise(e.gaps)}.`,
    discoveryFailed: (e: DiscoveryGaps) => `Discovery of ${e.provider} scopes${under(e)} was not possible: ${summarise(e.gaps)}.`,
    discoveryIncomplete: (e: DiscoveryGaps) => `Discovery of ${e.provider} scopes${under(e)} was incomplete: ${summarise(e.gaps)}.`,
  },
  scope(input) {
    const c = input.coverage;
    if (c.status === 'complete') return [];
    const regions = c.regions.filter((r) => r.status === 'failed' || r.status === 'partial' || r.status === 'interrupted');
    const evidence: ScopeGaps = {
      scope: input.scope.name,
      scopeId: input.scope.id,
      status: c.status,
      regions: Object.fromEntries(regions.map((r) => [r.region, r.status])),
      gaps: c.gaps.map((g) => ({ code: g.code, part: g.part, operation: g.operation, region: g.region, message: g.message })),
    };
    const message = c.status === 'failed' ? 'notRead' : c.status === 'interrupted' ? 'interrupted' : 'partlyRead';
    return [{ severity: c.status === 'partial' ? 'medium' : 'high', message, evidence }];
  },
  discovery(input) {
    if (input.gaps.length === 0) return [];
    return [
      {
        severity: input.status === 'failed' ? 'high' : 'medium',
        message: input.status === 'failed' ? 'discoveryFailed' : 'discoveryIncomplete',
        evidence: { provider: input.provider, root: input.root, gaps: input.gaps },
      },
    ];
  },
});
