import { defineCheck } from './define-check.ts';
import { principalRef } from './support.ts';

export default defineCheck({
  id: 'permissions.broad-grant',
  title: 'Snapshot capability comes from a broad grant',
  severity: 'medium',
  needs: ['principals'],
  rationale:
    'Wildcard actions and owner-class roles at a wide scope grant snapshot rights nobody chose to grant, and they keep granting new snapshot-related actions as the clouds add them.',
  remediation:
    'Replace wildcard actions and Owner/Editor/Contributor-class roles at account, subscription, folder or organisation level with roles that list the actions needed, scoped to the resources needed.',
  references: { nist: ['AC-6'] },
  scope(input) {
    return input.principals
      .filter((p) => p.grants.some((g) => g.broad))
      .map((p) => {
        const broad = p.grants.filter((g) => g.broad);
        return {
          resource: principalRef(p),
          message: `${p.type} ${p.name} gets ${[...new Set(broad.map((g) => g.capability))].join(', ')} snapshot rights from a broad grant (${[...new Set(broad.map((g) => g.path.find((s) => s.kind === 'action-pattern' || s.kind === 'role')?.id ?? '?'))].join(', ')}).`,
          evidence: { paths: broad.slice(0, 10).map((g) => g.path.map((s) => s.label ?? s.id).join(' → ')) },
        };
      });
  },
});
