/**
 * The switch between the AWS adapter and the policy evaluator (providers/aws/policy): the adapter collects the
 * input, the evaluator (pure) answers who can snapshot, directly and through role chains inside the account
 * (`input.maxChainDepth` hops). Warnings are things it could not evaluate.
 */
import type { Principal } from '../../src/core/model/result.ts';
import { type AccountAuthorizationInput, analyzeWithChains } from './policy/index.ts';

export interface AccountEvaluation {
  principals: Principal[];
  warnings: string[];
}

export function evaluateAccount(input: AccountAuthorizationInput): AccountEvaluation {
  return analyzeWithChains(input);
}
