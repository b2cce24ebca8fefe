import { defineCheck } from './define-check.ts';
import { exfiltrationCapabilities, grantPaths, principalInBaseline, principalRef } from './support.ts';

interface Capable {
  principalType: string;
  principal: string;
  capabilities: string[];
  approvedBy: string | null;
  /** Every grant the principal holds carries a condition that could not be decided offline. */
  conditional: boolean;
  paths: string[];
}

const can = (e: Capable) =>
  `${e.principalType} ${e.principal} can ${e.capabilities.join(', ')} snapshots${e.conditional ? ' (conditionally)' : ''}`;

export default defineCheck({
  id: 'permissions.snapshot-capable-principal',
  title: 'Principals able to create, copy or share snapshots',
  severity: 'medium',
  needs: ['principals'],
  rationale:
    'Every identity that can create, copy or share snapshots can take a copy of any disk it reaches. The set should be small, known and approved; an identity outside the baseline holding the capability widens the attack surface.',
  remediation:
    'Remove snapshot permissions the identity does not need (prefer narrowly scoped backup roles), or add the identity to the baseline in the config if it is approved.',
  messages: {
    notInBaseline: (e: Capable) => `${can(e)} and is not in the baseline.`,
    approved: (e: Capable) => `${can(e)} (approved by baseline pattern ${e.approvedBy}).`,
  },
  scope(input, ctx) {
    return input.principals
      .filter((p) => p.capabilities.some((c) => exfiltrationCapabilities.has(c)))
      .map((p) => {
        const approved = principalInBaseline(ctx.baseline, p);
        return {
          resource: principalRef(p),
          severity: approved ? ('info' as const) : ('medium' as const),
          message: approved ? ('approved' as const) : ('notInBaseline' as const),
          evidence: {
            principalType: p.type,
            principal: p.name,
            capabilities: p.capabilities.filter((c) => exfiltrationCapabilities.has(c)),
            approvedBy: approved,
            conditional: p.grants.every((g) => g.conditional),
            paths: grantPaths(p.grants.filter((g) => exfiltrationCapabilities.has(g.capability))),
          },
        };
      });
  },
});
