/** Every paged listing is followed to the end: the same organisation served one item per page gives the same result. */
import { describe, expect, it } from 'vitest';
import { loadEstate } from '../../lab/estate.ts';
import { evaluateAccount } from '../../providers/aws/evaluator.ts';
import type { AccountAuthorizationInput } from '../../providers/aws/collect/principals.ts';
import { renderJson } from '../../reports/json.ts';
import { DEMO, scanAws } from './support.ts';

const paged = [
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListPolicies',
  'organizations:ListTargetsForPolicy',
  'iam:GetAccountAuthorizationDetails',
  'cloudtrail:LookupEvents',
  'events:ListRules',
  'logs:DescribeLogGroups',
  'logs:DescribeMetricFilters',
  'ec2:DescribeVolumes',
  'ec2:DescribeSnapshots',
];

describe('pagination', () => {
  it('reads every page of every listing (one item per page) and gets the same inventory', async () => {
    const inputs: string[] = [];
    const evaluate = (input: AccountAuthorizationInput) => {
      inputs.push(JSON.stringify([input.details, input.serviceControlPolicies]));
      return evaluateAccount(input);
    };
    const whole = await scanAws('demo', { evaluate });
    const wholeInputs = inputs.splice(0).sort();
    const estate = loadEstate(DEMO);
    if (!estate.aws) throw new Error('the demo has an aws section');
    estate.aws.pageLimits = Object.fromEntries(paged.map((op) => [op, 1]));
    const small = await scanAws(estate, { evaluate });
    const strip = (r: typeof whole.result) => ({ ...r, stats: null });
    expect(renderJson(strip(small.result) as never)).toBe(renderJson(strip(whole.result) as never));
    expect(inputs.sort()).toEqual(wholeInputs);
    const calls = (s: typeof whole, op: string) => s.lab.log.counts('aws')[op] ?? 0;
    expect(calls(small, 'organizations:ListTargetsForPolicy')).toBeGreaterThan(calls(whole, 'organizations:ListTargetsForPolicy') + 5);
    expect(calls(small, 'iam:GetAccountAuthorizationDetails')).toBeGreaterThan(calls(whole, 'iam:GetAccountAuthorizationDetails') + 10);
    for (const op of paged) expect(calls(small, op), op).toBeGreaterThanOrEqual(calls(whole, op));
  });
});
