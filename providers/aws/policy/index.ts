/**
 * snapaudit's own AWS IAM policy evaluator (pure, no I/O) and the per-account "who can snapshot" analysis.
 * See README.md in this folder for the semantics honoured and the deliberate limits.
 */
export {
  type AccountAnalysis,
  type AccountAuthorizationInput,
  accountPrincipals,
  analyzeAccount,
  type PreparedAccount,
  prepareAccount,
} from './account-principals.ts';
export { actionResources, resourcesFor } from './action-resources.ts';
export { type ConditionResult, describeCondition, evaluateCondition, evaluateConditions } from './conditions.ts';
export {
  type ContextInput,
  type ContextValue,
  completeContext,
  partialContext,
  type RequestContext,
  type Truth,
} from './context.ts';
export {
  type Decision,
  type DenialPath,
  type EvaluateInput,
  type EvaluationResult,
  evaluate,
  type GrantPath,
  type Layer,
  type LayerSummary,
  type PolicyInput,
  type RequestPrincipalInput,
  type StatementMatch,
} from './evaluate.ts';
export { decodeDocument, type PolicyDocument, PolicyParseError, parsePolicy, type Statement } from './parse.ts';
export { describePrincipal, isServiceLinkedPath, type PrincipalInfo } from './principal.ts';
export {
  analyzeAccountsWithChains,
  analyzePrepared,
  analyzeWithChains,
  type ChainLimits,
  DEFAULT_CHAIN_DEPTH,
  DEFAULT_CHAIN_EVALUATIONS,
  withRoleChains,
} from './role-chains.ts';
export {
  type ChainSnapshot,
  chainSnapshot,
  type CrossAccountOutcome,
  crossAccountChains,
  withCrossAccountGrants,
} from './cross-account.ts';
export { allowsSessionTags, type TrustedEntity, trustedEntities } from './trust.ts';
