import { defineCheck } from './define-check.ts';
import type { PathStep } from '../src/core/model/result.ts';
import { grantPaths, principalRef } from './support.ts';

/** A role by the name people know it by (an Azure role definition's id is a GUID), a pattern as written. */
const via = (s: PathStep | undefined) => (s ? (s.kind === 'role' ? (s.label ?? s.id) : s.id) : '?');

interface BroadGrant {
  principalType: string;
  principal: string;
  capabilities: string[];
  /** The wildcard action patterns or owner-class roles (by name where the role has one) the capability comes from. */
  via: string[];
  paths: string[];
}

export default defineCheck({
  id: 'permissions.broad-grant',
  title: 'Snapshot capability comes from a broad grant',
  severity: 'medium',
  needs: ['principals'],
  rationale:
    'Wildcard actions and owner-class roles at a wide scope grant snapshot rights nobody chose to grant, and they keep granting new snapshot-related actions as the clouds add them.',
  remediation:
    'Replace wildcard actions and Owner/Editor/Contributor-class roles at account, subscription, folder or organisation level with roles that list the actions needed, scoped to the resources needed.',
  messages: {
    broadGrant: (e: BroadGrant) =>
      `${e.principalType} ${e.principal} gets ${e.capabilities.join(', ')} snapshot rights from a broad grant (${e.via.join(', ')}).`,
  },
  scope(input) {
    return input.principals
      .filter((p) => p.grants.some((g) => g.broad))
      .map((p) => {
        const broad = p.grants.filter((g) => g.broad);
        return {
          resource: principalRef(p),
          message: 'broadGrant',
          evidence: {
            principalType: p.type,
            principal: p.name,
            capabilities: [...new Set(broad.map((g) => g.capability))],
            via: [...new Set(broad.map((g) => via(g.path.find((s) => s.kind === 'action-pattern' || s.kind === 'role'))))],
            paths: grantPaths(broad),
          },
        };
      });
  },
});
