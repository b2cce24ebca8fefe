/** Single-account mode keeps working: ambient credentials, no Organizations or STS AssumeRole calls, membership unknown. */
import { describe, expect, it } from 'vitest';
import { evaluateAccount } from '../../providers/aws/evaluator.ts';
import type { AccountAuthorizationInput } from '../../providers/aws/collect/principals.ts';
import { scanAws } from './support.ts';

describe('single-account mode', () => {
  it('scans the caller account without touching Organizations, and leaves org membership unknown', async () => {
    const inputs: AccountAuthorizationInput[] = [];
    const { result, lab } = await scanAws('demo', {
      aws: { mode: 'account' },
      evaluate: (i) => {
        inputs.push(i);
        return evaluateAccount(i);
      },
    });
    expect(result.discovery[0]).toMatchObject({ root: null, status: 'complete', scopesFound: 1 });
    expect(result.scopes.map((s) => [s.scope.id, s.scope.parents, s.scope.management])).toEqual([['111111111111', [], false]]);
    const services = new Set(lab.log.entries.map((e) => `${e.service}:${e.operation}`));
    expect([...services].filter((s) => s.startsWith('organizations:') || s === 'sts:AssumeRole')).toEqual([]);
    const shared = result.scopes[0]?.snapshots.find((s) => s.id === 'snap-0a1b2c3d4e5f60003');
    expect(shared?.sharing.sharedWith).toEqual([{ id: '999999999999', kind: 'account', inOrganization: 'unknown' }]);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({
      accountId: '111111111111',
      organizationAccountIds: null,
      serviceControlPolicies: null,
      isManagementAccount: false,
    });
    // The organisation trail is still read from the account that owns it; eu-west-1's own trail delivers nowhere.
    expect(result.scopes[0]?.logging.regions.map((r) => `${r.region}:${r.recorded}/${r.alerted}`)).toEqual([
      'eu-west-1:no/broad',
      'us-east-1:yes/exact',
    ]);
  });
});
