import type { Capability } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';
import { principalInBaseline, principalRef, reachEvidence, reachText } from './support.ts';

interface Gained {
  principalType: string;
  principal: string;
  gained: Capability[];
  before: Capability[];
  /** Absent when the gained capabilities are its own; else indirect (role chain, impersonation) or eligible (PIM), and the shortest path in hops. */
  reach?: 'indirect' | 'eligible';
  hops?: number;
}

export default defineCheck({
  id: 'permissions.newly-granted',
  title: 'No principal newly gained a snapshot capability',
  severity: 'medium',
  needs: ['principals'],
  rationale:
    'An attacker preparing snapshot exfiltration often grants themselves the right first. A principal that gained a snapshot capability since the previous scan deserves a look even when the grant looks routine.',
  remediation: 'Confirm the change was approved (change record); if it was not, revoke it and investigate who made it.',
  messages: {
    gained: (e: Gained) =>
      `${e.principalType} ${e.principal} gained ${e.gained.join(', ')} snapshot capability${reachText(e)} since the previous scan.`,
    gainedApproved: (e: Gained & { approvedBy: string }) =>
      `${e.principalType} ${e.principal} gained ${e.gained.join(', ')} snapshot capability${reachText(e)} since the previous scan (approved by baseline pattern ${e.approvedBy}).`,
  },
  scope(input, ctx) {
    const prev = ctx.previous;
    if (prev === null || !prev.scopeSeen(input.scope.provider, input.scope.id)) return [];
    return input.principals.flatMap((p) => {
      const before = new Set(prev.capabilities(input.scope.provider, input.scope.id, p.id));
      const gained = p.capabilities.filter((c) => !before.has(c));
      if (gained.length === 0) return [];
      const evidence: Gained = {
        principalType: p.type,
        principal: p.name,
        gained,
        before: [...before].sort(),
        // how it holds what it gained: nothing when its own (the evidence stays what it always was), else the path length
        ...reachEvidence(p.grants.filter((g) => gained.includes(g.capability))),
      };
      // an identity the baseline approves (e.g. a new backup role) is still reported, at low severity
      const approved = principalInBaseline(ctx.baseline, p);
      return [
        approved
          ? {
              resource: principalRef(p),
              severity: 'low' as const,
              message: 'gainedApproved' as const,
              evidence: { ...evidence, approvedBy: approved },
            }
          : { resource: principalRef(p), message: 'gained' as const, evidence },
      ];
    });
  },
});
