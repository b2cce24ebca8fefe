import { defineCheck } from './define-check.ts';
import { factsOf, snapshotRef } from './support.ts';

export default defineCheck({
  id: 'snapshots.unencrypted',
  title: 'Snapshots are encrypted (with a customer key where required)',
  severity: 'medium',
  needs: ['snapshots', 'keys'],
  rationale:
    'An unencrypted snapshot can be shared or copied without any key policy in the way; a customer-managed key adds a second, separately controlled gate on who can restore it.',
  remediation:
    'Copy the snapshot with encryption enabled (a customer-managed key where policy demands it), delete the unencrypted one, and turn on encryption by default for new volumes and disks.',
  references: { nist: ['SC-28'], cis: ['cis-aws:6.1.1'] },
  scope(input, ctx) {
    return input.snapshots.flatMap((s) => {
      const bad =
        s.encryption.status === 'unencrypted' || (ctx.policy.requireCustomerManagedKeys && s.encryption.status === 'provider-key');
      if (!bad) return [];
      return [
        {
          region: s.region,
          resource: snapshotRef(s),
          owner: s.owner.value,
          severity: s.encryption.status === 'unencrypted' ? ('medium' as const) : ('low' as const),
          message:
            s.encryption.status === 'unencrypted'
              ? `Snapshot ${s.name ?? s.id} in ${s.region} is not encrypted.`
              : `Snapshot ${s.name ?? s.id} in ${s.region} is encrypted with a provider-managed key; policy requires a customer-managed key.`,
          evidence: { encryption: s.encryption, ...factsOf(s, 'encryption') },
        },
      ];
    });
  },
});
