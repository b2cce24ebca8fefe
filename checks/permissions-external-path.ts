import { defineCheck } from './define-check.ts';
import { exfiltrationCapabilities, principalRef } from './support.ts';

export default defineCheck({
  id: 'permissions.external-path',
  title: 'No external identity can reach a snapshot capability',
  severity: 'high',
  needs: ['principals'],
  rationale:
    'An account outside the organisation, a guest, a federated identity provider or an out-of-domain member that can snapshot disks can copy data out of the organisation without any internal credential being stolen.',
  remediation:
    'Remove the cross-account trust, guest assignment or external binding, or restrict it with conditions (external id, source account, MFA) and to the minimum actions.',
  references: { nist: ['AC-2', 'AC-6'] },
  scope(input) {
    return input.principals
      .filter((p) => p.grants.some((g) => (g.external || p.external) && exfiltrationCapabilities.has(g.capability)))
      .map((p) => {
        const ext = p.grants.filter((g) => (g.external || p.external) && exfiltrationCapabilities.has(g.capability));
        return {
          resource: principalRef(p),
          message: `External path: ${p.type} ${p.name} reaches ${[...new Set(ext.map((g) => g.capability))].join(', ')} snapshot capability${ext.every((g) => g.conditional) ? ' (conditionally)' : ''}.`,
          evidence: { paths: ext.slice(0, 10).map((g) => g.path.map((s) => s.label ?? s.id).join(' → ')) },
        };
      });
  },
});
