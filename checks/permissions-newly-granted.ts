import { defineCheck } from './define-check.ts';
import { inBaseline, principalRef } from './support.ts';

export default defineCheck({
  id: 'permissions.newly-granted',
  title: 'No principal newly gained a snapshot capability',
  severity: 'medium',
  needs: ['principals'],
  rationale:
    'An attacker preparing snapshot exfiltration often grants themselves the right first. A principal that gained a snapshot capability since the previous scan deserves a look even when the grant looks routine.',
  remediation: 'Confirm the change was approved (change record); if it was not, revoke it and investigate who made it.',
  references: { nist: ['AC-2', 'SI-4'] },
  scope(input, ctx) {
    const prev = ctx.previous;
    if (prev === null || !prev.scopeSeen(input.scope.provider, input.scope.id)) return [];
    return input.principals.flatMap((p) => {
      const before = new Set(prev.capabilities(input.scope.provider, input.scope.id, p.id));
      const gained = p.capabilities.filter((c) => !before.has(c));
      if (gained.length === 0) return [];
      // an identity the baseline approves (e.g. a new backup role) is still reported, at low severity
      const approved = inBaseline(ctx.baseline, p.id) ?? inBaseline(ctx.baseline, p.name);
      return [
        {
          resource: principalRef(p),
          ...(approved ? { severity: 'low' as const } : {}),
          message: `${p.type} ${p.name} gained ${gained.join(', ')} snapshot capability since the previous scan${approved ? ` (approved by baseline pattern ${approved})` : ''}.`,
          evidence: approved ? { gained, before: [...before].sort(), approvedBy: approved } : { gained, before: [...before].sort() },
        },
      ];
    });
  },
});
