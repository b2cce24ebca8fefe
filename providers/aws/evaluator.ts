/**
 * The switch between the AWS adapter and the policy evaluator (providers/aws/policy): the adapter collects the
 * input, the evaluator (pure) answers who can snapshot, directly and through role chains inside the account
 * (`input.maxChainDepth` hops), and keeps what the cross-account chain step needs once every account is done
 * (`chains`, see policy/cross-account.ts). Warnings are things it could not evaluate.
 */
import type { Principal } from '../../src/core/model/result.ts';
import { type ChainSnapshot, chainSnapshot } from './policy/cross-account.ts';
import { type AccountAuthorizationInput, analyzePrepared, prepareAccount } from './policy/index.ts';

export interface AccountEvaluation {
  principals: Principal[];
  warnings: string[];
  /** What the cross-account role-chain step keeps of this account; absent when chains are off. */
  chains?: ChainSnapshot;
}

export function evaluateAccount(input: AccountAuthorizationInput): AccountEvaluation {
  const prepared = prepareAccount(input);
  const analysis = analyzePrepared(prepared);
  return (input.maxChainDepth ?? 1) > 0 ? { ...analysis, chains: chainSnapshot(prepared) } : analysis;
}
