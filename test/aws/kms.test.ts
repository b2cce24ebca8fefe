/**
 * KMS aliases through the lab: DescribeSnapshots returns key ARNs (never aliases), ListAliases is read once per region
 * that holds snapshots encrypted with the account's own keys, paged; when it cannot be read the kind of key is
 * unknown (a gap), never guessed.
 */
import { describe, expect, it } from 'vitest';
import type { EstateInput } from '../../lab/estate.ts';
import { allFindings } from '../../src/core/model/order.ts';
import { scanAws } from './support.ts';

const estate: EstateInput = {
  estateVersion: 1,
  aws: {
    pageLimits: { 'kms:ListAliases': 2 },
    accounts: [
      {
        id: '111111111111',
        name: 'keys',
        regions: ['us-east-1', 'eu-west-1'],
        kmsAliases: [
          { name: 'alias/payments', region: 'us-east-1', targetKeyId: '0b7f8e2a-1111-4c3d-9e8f-000000000001' },
          { name: 'alias/zz-late-in-the-listing', region: 'us-east-1', targetKeyId: '0b7f8e2a-1111-4c3d-9e8f-000000000002' },
        ],
        snapshots: [
          { id: 'snap-0d00000000000001', region: 'us-east-1', startTime: '2026-11-01T00:00:00.000Z', encrypted: true },
          {
            id: 'snap-0d00000000000002',
            region: 'us-east-1',
            startTime: '2026-11-01T00:00:00.000Z',
            encrypted: true,
            kmsKeyId: 'alias/zz-late-in-the-listing',
          },
          {
            id: 'snap-0d00000000000003',
            region: 'us-east-1',
            startTime: '2026-11-01T00:00:00.000Z',
            encrypted: true,
            kmsKeyId: 'arn:aws:kms:us-east-1:999999999999:key/0b7f8e2a-9999-4c3d-9e8f-000000000009',
          },
          { id: 'snap-0d00000000000004', region: 'eu-west-1', startTime: '2026-11-01T00:00:00.000Z', encrypted: false },
        ],
      },
    ],
  },
};

describe('KMS keys of snapshots', () => {
  it('classifies key ARNs through the aliases, paging ListAliases, once per region with own-key snapshots', async () => {
    const { result, lab } = await scanAws(estate, { aws: { mode: 'account' } });
    const byId = Object.fromEntries((result.scopes[0]?.snapshots ?? []).map((s) => [s.id, s.encryption]));
    expect(byId['snap-0d00000000000001']?.status).toBe('provider-key');
    expect(byId['snap-0d00000000000001']?.keyId).toMatch(/^arn:aws:kms:us-east-1:111111111111:key\//);
    expect(byId['snap-0d00000000000002']?.status).toBe('customer-key');
    expect(byId['snap-0d00000000000003']?.status).toBe('customer-key');
    expect(byId['snap-0d00000000000004']?.status).toBe('unencrypted');
    const listAliases = lab.log.entries.filter((e) => e.operation === 'ListAliases');
    // us-east-1 only (eu-west-1 holds no encrypted snapshot), over several pages of 2.
    expect(new Set(listAliases.map((e) => e.region))).toEqual(new Set(['us-east-1']));
    expect(listAliases.length).toBeGreaterThan(1);
  });

  it('ListAliases refused: the kind of key is unknown and the gap names the call; no false finding', async () => {
    const { result } = await scanAws(estate, {
      aws: { mode: 'account' },
      config: { policy: { requireCustomerManagedKeys: true } },
      faults: [{ provider: 'aws', operation: 'kms:ListAliases', kind: 'access_denied', rate: 1, after: 0, ms: 0 }],
    });
    const scope = result.scopes[0];
    const own = scope?.snapshots.find((s) => s.id === 'snap-0d00000000000001');
    expect(own?.encryption.status).toBe('unknown');
    expect(own?.facts.filter((f) => f.fact === 'encryption').map((f) => f.value)).toEqual([`KmsKeyId=${own?.encryption.keyId}`]);
    expect(scope?.coverage.gaps).toEqual([
      expect.objectContaining({ code: 'access_denied', operation: 'kms:ListAliases', region: 'us-east-1' }),
    ]);
    const unencrypted = allFindings(result)
      .filter((f) => f.checkId === 'snapshots.unencrypted')
      .map((f) => f.resource?.id.split('/').pop());
    expect(unencrypted.sort()).toEqual(['snap-0d00000000000004']);
  });
});
