import { defineCheck } from './define-check.ts';
import { exfiltrationCapabilities, inBaseline, principalRef } from './support.ts';

export default defineCheck({
  id: 'permissions.snapshot-capable-principal',
  title: 'Principals able to create, copy or share snapshots',
  severity: 'medium',
  needs: ['principals'],
  rationale:
    'Every identity that can create, copy or share snapshots can take a copy of any disk it reaches. The set should be small, known and approved; an identity outside the baseline holding the capability widens the attack surface.',
  remediation:
    'Remove snapshot permissions the identity does not need (prefer narrowly scoped backup roles), or add the identity to the baseline in the config if it is approved.',
  references: { nist: ['AC-2', 'AC-6'] },
  scope(input, ctx) {
    return input.principals
      .filter((p) => p.capabilities.some((c) => exfiltrationCapabilities.has(c)))
      .map((p) => {
        const approved = inBaseline(ctx.baseline, p.id) ?? inBaseline(ctx.baseline, p.name);
        const caps = p.capabilities.filter((c) => exfiltrationCapabilities.has(c));
        const conditional = p.grants.every((g) => g.conditional);
        return {
          resource: principalRef(p),
          severity: approved ? ('info' as const) : ('medium' as const),
          message: `${p.type} ${p.name} can ${caps.join(', ')} snapshots${conditional ? ' (conditionally)' : ''}${approved ? ` (approved by baseline pattern ${approved})` : ' and is not in the baseline'}.`,
          evidence: {
            capabilities: caps,
            approvedBy: approved,
            conditional,
            paths: p.grants
              .filter((g) => exfiltrationCapabilities.has(g.capability))
              .slice(0, 10)
              .map((g) => g.path.map((s) => s.label ?? s.id).join(' → ')),
          },
        };
      });
  },
});
