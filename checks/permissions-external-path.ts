import { defineCheck } from './define-check.ts';
import { exfiltrationCapabilities, grantPaths, principalRef, reachEvidence, reachText } from './support.ts';

interface ExternalPath {
  principalType: string;
  principal: string;
  capabilities: string[];
  /** Every external grant of these capabilities carries a condition that could not be decided offline. */
  conditional: boolean;
  paths: string[];
  /** Absent when direct; else indirect (role chain, impersonation) or eligible (PIM), and the shortest path in hops. */
  reach?: 'indirect' | 'eligible';
  hops?: number;
}

export default defineCheck({
  id: 'permissions.external-path',
  title: 'No external identity can reach a snapshot capability',
  severity: 'high',
  needs: ['principals'],
  rationale:
    'An account outside the organisation, a guest, a federated identity provider or an out-of-domain member that can snapshot disks can copy data out of the organisation without any internal credential being stolen.',
  remediation:
    'Remove the cross-account trust, guest assignment or external binding, or restrict it with conditions (external id, source account, MFA) and to the minimum actions.',
  messages: {
    externalPath: (e: ExternalPath) =>
      `External path: ${e.principalType} ${e.principal} reaches ${e.capabilities.join(', ')} snapshot capability${reachText(e)}${e.conditional ? ' (conditionally)' : ''}.`,
  },
  scope(input) {
    return input.principals
      .filter((p) => p.grants.some((g) => (g.external || p.external) && exfiltrationCapabilities.has(g.capability)))
      .map((p) => {
        const ext = p.grants.filter((g) => (g.external || p.external) && exfiltrationCapabilities.has(g.capability));
        return {
          resource: principalRef(p),
          message: 'externalPath',
          evidence: {
            principalType: p.type,
            principal: p.name,
            capabilities: [...new Set(ext.map((g) => g.capability))],
            conditional: ext.every((g) => g.conditional),
            paths: grantPaths(ext),
            ...reachEvidence(ext),
          },
        };
      });
  },
});
