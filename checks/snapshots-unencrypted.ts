import { z } from 'zod';
import { type ArtifactKind, artifactKindLabels, type Snapshot } from '../src/core/model/result.ts';
import { defineCheck } from './define-check.ts';
import { factsOf, snapshotLabel, snapshotRef, ownArtifacts } from './support.ts';

type Encryption = { kind: ArtifactKind; snapshot: string; region: string; encryption: Snapshot['encryption'] } & ReturnType<typeof factsOf>;

const options = z.strictObject({
  requireCustomerManagedKey: z
    .boolean()
    .default(false)
    .describe('a snapshot encrypted with a provider-managed key is reported too (at low severity)'),
});

export default defineCheck({
  id: 'snapshots.unencrypted',
  title: 'Snapshots are encrypted (with a customer key where required)',
  severity: 'medium',
  needs: ['snapshots', 'keys'],
  rationale:
    'An unencrypted snapshot can be shared or copied without any key policy in the way; a customer-managed key adds a second, separately controlled gate on who can restore it.',
  remediation:
    'Copy the snapshot with encryption enabled (a customer-managed key where policy demands it), delete the unencrypted one, and turn on encryption by default for new volumes and disks.',
  options,
  legacy: (config) => ({ requireCustomerManagedKey: config.policy.requireCustomerManagedKeys }),
  messages: {
    unencrypted: (e: Encryption) => `${artifactKindLabels[e.kind]} ${e.snapshot} in ${e.region} is not encrypted.`,
    providerKey: (e: Encryption) =>
      `${artifactKindLabels[e.kind]} ${e.snapshot} in ${e.region} is encrypted with a provider-managed key; policy requires a customer-managed key.`,
  },
  scope(input, ctx) {
    return ownArtifacts(input.snapshots).flatMap((s) => {
      const status = s.encryption.status;
      if (status !== 'unencrypted' && !(ctx.options.requireCustomerManagedKey && status === 'provider-key')) return [];
      const placement = { region: s.region, resource: snapshotRef(s), owner: s.owner.value };
      const evidence = {
        kind: s.kind,
        snapshot: snapshotLabel(s),
        region: s.region,
        encryption: s.encryption,
        ...factsOf(s, 'encryption'),
      };
      return [
        status === 'unencrypted'
          ? { ...placement, severity: 'medium' as const, message: 'unencrypted' as const, evidence }
          : { ...placement, severity: 'low' as const, message: 'providerKey' as const, evidence },
      ];
    });
  },
});
