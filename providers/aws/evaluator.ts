/**
 * The switch between the AWS adapter and the policy evaluator (providers/aws/policy, written separately). Until the
 * evaluator is part of this build the adapter collects and hands over its input, and gets no principals back.
 */
import type { Principal } from '../../src/model/result.ts';
import type { AccountAuthorizationInput } from './principals.ts';

/** null when no evaluator is available in this build. */
export function evaluateAccount(_input: AccountAuthorizationInput): Principal[] | null {
  return null;
}
