/**
 * Does one statement apply to a request? Action/NotAction (case-insensitive wildcards), Resource/NotResource
 * (case-sensitive wildcards, ARN part by part, policy variables), Principal/NotPrincipal (resource policies only)
 * and the Condition block, each three-valued.
 *
 * Pattern mode (the requested resource is itself a pattern such as `arn:aws:ec2:*::snapshot/*`): a Resource
 * pattern that covers the whole requested pattern matches `full`; one that can match only some resources of that
 * shape matches `partial`. A NotResource list excludes the request when one of its patterns covers it, and leaves a
 * `partial` match when one overlaps it. The caller decides what partial means for Allow and for Deny.
 */
import { and, type RequestContext, type Truth } from './context.ts';
import { type ConditionResult, evaluateConditions } from './conditions.ts';
import type { Statement } from './parse.ts';
import { matchPrincipalElement, type PrincipalInfo, type PrincipalMatch } from './principal.ts';
import { expand } from './variables.ts';
import { arnCovers, arnMatches, arnOverlaps, globMatches, hasWildcard, parseGlob, type Token } from './wildcard.ts';

export interface RequestShape {
  action: string;
  resource: string;
  resourceTokens: Token[];
  /** The requested resource is a pattern (pattern mode). */
  pattern: boolean;
  principal: PrincipalInfo;
  ctx: RequestContext;
}

export interface ActionMatch {
  element: 'Action' | 'NotAction';
  /** The Action pattern that matched; for NotAction, null (the action is simply not excluded). */
  pattern: string | null;
  patterns: string[];
  /** The match comes from a wildcard pattern or from NotAction. */
  broad: boolean;
}

export interface ResourceMatch {
  element: 'Resource' | 'NotResource' | null;
  /** Resource patterns that match (pattern mode: that overlap the request); for NotResource, the excluded list. */
  matched: string[];
  /** `partial`: pattern mode, the statement reaches only some resources of the requested shape. */
  coverage: 'full' | 'partial';
}

export interface StatementEvaluation {
  applies: Truth;
  action: ActionMatch | null;
  resource: ResourceMatch | null;
  principal: PrincipalMatch | null;
  conditions: ConditionResult[];
  /** Why the answer is `maybe`. */
  notes: string[];
}

export function matchAction(st: Statement, action: string): ActionMatch | null {
  if (!st.action) return null;
  const { element, patterns } = st.action;
  const hits = patterns.filter((p) => globMatches(parseGlob(p), action, true));
  if (element === 'NotAction') return hits.length > 0 ? null : { element, pattern: null, patterns, broad: true };
  if (hits.length === 0) return null;
  const exact = hits.find((p) => !hasWildcard(parseGlob(p)));
  const pattern = exact ?? hits[0]!;
  return { element, pattern, patterns, broad: exact === undefined };
}

type Reach = 'none' | 'partial' | 'full' | 'maybe';

function reach(patternText: string, req: RequestShape, variables: boolean): Reach {
  const x = expand(patternText, req.ctx, { variables, wildcards: true });
  if (x.state === 'unknown') return 'maybe';
  if (x.state === 'absent') return 'none';
  if (!req.pattern) return arnMatches(x.tokens, req.resource) ? 'full' : 'none';
  if (arnCovers(x.tokens, req.resourceTokens)) return 'full';
  return arnOverlaps(x.tokens, req.resourceTokens) ? 'partial' : 'none';
}

export function matchResource(st: Statement, req: RequestShape, variables: boolean): { truth: Truth; match: ResourceMatch | null } {
  if (!st.resource) return { truth: 'yes', match: { element: null, matched: [], coverage: 'full' } };
  const { element, patterns } = st.resource;
  const reaches = patterns.map((p) => reach(p, req, variables));
  if (element === 'Resource') {
    const matched = patterns.filter((_, i) => reaches[i] === 'full' || reaches[i] === 'partial');
    if (reaches.includes('full')) return { truth: 'yes', match: { element, matched, coverage: 'full' } };
    if (reaches.includes('partial')) return { truth: 'yes', match: { element, matched, coverage: 'partial' } };
    if (reaches.includes('maybe')) return { truth: 'maybe', match: { element, matched: patterns, coverage: 'full' } };
    return { truth: 'no', match: null };
  }
  // NotResource: applies to what none of the patterns names
  if (reaches.includes('full')) return { truth: 'no', match: null };
  if (reaches.includes('maybe')) return { truth: 'maybe', match: { element, matched: patterns, coverage: 'full' } };
  return { truth: 'yes', match: { element, matched: patterns, coverage: reaches.includes('partial') ? 'partial' : 'full' } };
}

export function evaluateStatement(
  st: Statement,
  req: RequestShape,
  opts: { variables: boolean; resourcePolicy: boolean },
): StatementEvaluation {
  const notes: string[] = [];
  const action = matchAction(st, req.action);
  if (!action) return { applies: 'no', action: null, resource: null, principal: null, conditions: [], notes };
  const res = matchResource(st, req, opts.variables);
  if (res.truth === 'no') return { applies: 'no', action, resource: null, principal: null, conditions: [], notes };
  if (res.truth === 'maybe') notes.push('resource pattern uses a policy variable not known offline');

  let principal: PrincipalMatch | null = null;
  let principalTruth: Truth = 'yes';
  if (opts.resourcePolicy) {
    if (!st.principal) principalTruth = 'no';
    else {
      const m = matchPrincipalElement(st.principal.value, req.principal);
      if (st.principal.element === 'Principal') {
        principal = m;
        principalTruth = m === 'none' ? 'no' : 'yes';
      } else {
        // NotPrincipal: applies to everyone not named
        principal = m === 'none' ? 'direct' : 'none';
        principalTruth = m === 'none' ? 'yes' : 'no';
      }
    }
  }
  if (principalTruth === 'no') return { applies: 'no', action, resource: res.match, principal, conditions: [], notes };

  const cond = evaluateConditions(st.conditions, req.ctx, opts.variables);
  for (const c of cond.details) if (c.result === 'maybe') notes.push(c.note ?? `${c.operator} ${c.key}`);
  return {
    applies: and(and(res.truth, principalTruth), cond.result),
    action,
    resource: res.match,
    principal,
    conditions: cond.details,
    notes,
  };
}
