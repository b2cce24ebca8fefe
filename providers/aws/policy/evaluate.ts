/**
 * `evaluate()`: the AWS policy evaluation logic for one principal, one action and one resource, as the IAM User
 * Guide documents it ("Policy evaluation logic", "Cross-account policy evaluation logic"):
 *
 * 1. An explicit Deny in any policy that applies — identity (user, group, role), permissions boundary, SCP at any
 *    level, resource policy — denies.
 * 2. SCPs (when the principal's account is in an organisation, is not the management account, and the principal is
 *    not a service-linked role): every level from the root down to the account must have an Allow.
 * 3. Same account: an identity-based Allow (intersected with the permissions boundary when there is one), or a
 *    resource-policy Allow naming the principal (a resource policy naming a user or a session is not limited by the
 *    boundary; one naming a role is; one naming only the account delegates to the identity policies).
 *    Cross-account: both the identity side (with its boundary) and a resource policy must allow.
 *
 * Each answer is three-valued. With a `context`, the context is complete and a missing key is absent, exactly as
 * AWS sees it. Without one, keys not known offline are unknown: a statement that depends on them is `maybe`. A
 * `maybe` Allow makes the answer allowed-but-conditional; a `maybe` Deny leaves the Allow standing, conditional;
 * only a certain Deny is an explicit deny.
 */
import { and, completeContext, type ContextInput, or, partialContext, type RequestContext, type Truth } from './context.ts';
import type { ConditionResult } from './conditions.ts';
import { type Effect, parsePolicy, PolicyParseError, type Statement, statementLabel } from './parse.ts';
import { describePrincipal, isServiceLinkedPath, type PrincipalInfo, type PrincipalMatch } from './principal.ts';
import { type ActionMatch, evaluateStatement, type RequestShape, type ResourceMatch } from './statement.ts';
import { variablesEnabled } from './variables.ts';
import { hasWildcard, parseGlob } from './wildcard.ts';

/** A policy document with the labels that let a result explain itself. */
export interface PolicyInput {
  /** Stable id: a managed policy ARN, `inline:user/alice/PolicyName`, an SCP id… */
  id: string;
  /** Human label (the policy name); defaults to the id. */
  name?: string;
  /** An object, a JSON string, or URL-encoded JSON (as IAM returns it). */
  document: string | object;
  /** The group the policy reaches the principal through (group policies are identity policies of the member). */
  group?: { id: string; name: string };
}

export interface RequestPrincipalInput {
  /** `arn:aws:iam::111122223333:user/alice`, `…:role/path/name`, `arn:aws:sts::…:assumed-role/name/session`. */
  arn: string;
  /** Service-linked roles are exempt from SCPs. Default: the role's path starts with `/aws-service-role/`. */
  serviceLinked?: boolean;
}

export interface EvaluateInput {
  principal: RequestPrincipalInput | string;
  action: string;
  /** A resource ARN, or in pattern mode an ARN pattern (`arn:aws:ec2:*::snapshot/*`). */
  resource: string;
  /** The account that owns the resource; default the principal's (snapshot ARNs carry no account). */
  resourceAccount?: string | null;
  /** `auto` (default): pattern mode when the resource contains `*` or `?`. */
  resourceMode?: 'exact' | 'pattern' | 'auto';
  /** The complete request context: a key it lacks is absent. */
  context?: ContextInput;
  /**
   * Without `context`: what is known offline (a key set to null is known absent; any other missing key is
   * unknown). `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType` and `aws:username` are derived from
   * the principal ARN unless given here.
   */
  knownContext?: ContextInput;
  /**
   * Key prefixes `knownContext` lists completely, e.g. `aws:PrincipalTag/` when it holds every tag of the principal:
   * a key under them that it lacks is known absent rather than unknown.
   */
  knownKeyPrefixes?: readonly string[];
  identityPolicies: readonly PolicyInput[];
  /** The permissions boundary (IAM allows one; several are intersected). Absent or empty: no boundary. */
  permissionBoundaries?: readonly PolicyInput[];
  /** SCPs of the principal's account, one array per level from the root down to the account. Absent/null: no organisation. */
  serviceControlPolicies?: ReadonlyArray<readonly PolicyInput[]> | null;
  /** The principal's account is the organisation's management account: SCPs do not apply. */
  isManagementAccount?: boolean;
  /** Resource-based policies attached to the resource. */
  resourcePolicies?: readonly PolicyInput[];
}

export type Layer = 'identity' | 'resource' | 'boundary' | 'scp';

/** One statement that applies (or may apply) to the request, with everything needed to explain it. */
export interface StatementMatch {
  layer: Layer;
  policyId: string;
  policyName: string;
  group: { id: string; name: string } | null;
  /** SCP level, 0 = root. */
  scpLevel: number | null;
  statement: { index: number; sid: string | null; label: string };
  effect: Effect;
  action: ActionMatch;
  resource: ResourceMatch | null;
  /** Resource policies: how the Principal element names the caller. */
  principal: PrincipalMatch | null;
  /** The statement's effect depends on something not known (context, or only part of a requested pattern). */
  conditional: boolean;
  conditions: ConditionResult[];
  notes: string[];
}
export type GrantPath = StatementMatch;
export type DenialPath = StatementMatch;

export interface LayerSummary {
  /** Is there an Allow (yes), only a conditional one (maybe), or none (no)? */
  allow: Truth;
  deny: Truth;
  matches: StatementMatch[];
}

export type Decision = 'allowed' | 'explicit-deny' | 'implicit-deny';

export interface EvaluationResult {
  decision: Decision;
  /** Allowed, but only under conditions not known offline (or a Deny that may apply). */
  conditional: boolean;
  /** Allow statements of identity and resource policies that admit the request. */
  grants: GrantPath[];
  /** Deny statements that apply (certain ones made the decision; conditional ones make an Allow conditional). */
  denials: DenialPath[];
  explains: {
    reason: string;
    principal: PrincipalInfo;
    resourceMode: 'exact' | 'pattern';
    crossAccount: boolean;
    context: 'complete' | 'partial';
    identity: LayerSummary;
    resource: LayerSummary | null;
    boundary: LayerSummary | null;
    scp: {
      applies: boolean;
      exemptBecause: 'not-in-organization' | 'management-account' | 'service-linked-role' | null;
      levels: LayerSummary[];
    };
  };
}

interface ParsedPolicy {
  input: PolicyInput;
  statements: Statement[];
  variables: boolean;
}

function parseAll(policies: readonly PolicyInput[] | undefined): ParsedPolicy[] {
  return (policies ?? []).map((p) => {
    try {
      const doc = parsePolicy(p.document);
      return { input: p, statements: doc.statements, variables: variablesEnabled(doc.version) };
    } catch (e) {
      throw new PolicyParseError(`policy ${p.id}: ${(e as Error).message}`);
    }
  });
}

function evaluateLayer(layer: Layer, policies: ParsedPolicy[], req: RequestShape, scpLevel: number | null = null): LayerSummary {
  let allow: Truth = 'no';
  let deny: Truth = 'no';
  const matches: StatementMatch[] = [];
  for (const p of policies) {
    for (const st of p.statements) {
      const ev = evaluateStatement(st, req, { variables: p.variables, resourcePolicy: layer === 'resource' });
      if (ev.applies === 'no' || !ev.action) continue;
      let applies = ev.applies;
      const notes = [...ev.notes];
      // pattern mode: a Deny that reaches only part of the requested shape does not deny all of it
      if (st.effect === 'Deny' && ev.resource?.coverage === 'partial' && applies === 'yes') {
        applies = 'maybe';
        notes.push('the Deny covers only part of the requested resources');
      }
      matches.push({
        layer,
        policyId: p.input.id,
        policyName: p.input.name ?? p.input.id,
        group: p.input.group ?? null,
        scpLevel,
        statement: { index: st.index, sid: st.sid, label: statementLabel(st) },
        effect: st.effect,
        action: ev.action,
        resource: ev.resource,
        principal: ev.principal,
        conditional: applies === 'maybe',
        conditions: ev.conditions,
        notes,
      });
      if (st.effect === 'Deny') deny = or(deny, applies);
      else allow = or(allow, applies);
    }
  }
  return { allow, deny, matches };
}

function derivedContext(p: PrincipalInfo): ContextInput {
  const type: Record<string, string> = {
    user: 'User',
    role: 'AssumedRole',
    'assumed-role': 'AssumedRole',
    root: 'Account',
    'federated-user': 'FederatedUser',
  };
  const roleArn = p.kind === 'assumed-role' ? `arn:${p.partition}:iam::${p.accountId}:role/${p.name}` : null;
  return {
    ...(p.accountId ? { 'aws:PrincipalAccount': p.accountId } : {}),
    ...(p.kind === 'user' || p.kind === 'role' ? { 'aws:PrincipalArn': p.arn } : {}),
    ...(roleArn ? { 'aws:PrincipalArn': roleArn } : {}),
    ...(type[p.kind] ? { 'aws:PrincipalType': type[p.kind] } : {}),
    ...(p.kind === 'user' ? { 'aws:username': p.name } : p.kind !== 'unknown' ? { 'aws:username': null } : {}),
    ...(p.kind === 'service' ? { 'aws:PrincipalIsAWSService': true } : { 'aws:PrincipalIsAWSService': false }),
  };
}

function describeMatch(m: StatementMatch): string {
  const where =
    m.layer === 'scp'
      ? `SCP ${m.policyName} (level ${m.scpLevel})`
      : m.layer === 'boundary'
        ? `permissions boundary ${m.policyName}`
        : m.layer === 'resource'
          ? `resource policy ${m.policyName}`
          : m.group
            ? `policy ${m.policyName} of group ${m.group.name}`
            : `policy ${m.policyName}`;
  return `${where} statement ${m.statement.label}`;
}

function certain(matches: StatementMatch[], effect: Effect): StatementMatch | undefined {
  return matches.find((m) => m.effect === effect && !m.conditional);
}

export function evaluate(input: EvaluateInput): EvaluationResult {
  const principalInput = typeof input.principal === 'string' ? { arn: input.principal } : input.principal;
  const principal = describePrincipal(principalInput.arn);
  const serviceLinked = principalInput.serviceLinked ?? (principal.kind === 'role' && isServiceLinkedPath(principal.path));
  const ctx: RequestContext = input.context
    ? completeContext(input.context)
    : partialContext({ ...derivedContext(principal), ...input.knownContext }, input.knownKeyPrefixes);
  const resourceTokens = parseGlob(input.resource);
  const mode = input.resourceMode ?? 'auto';
  const pattern = mode === 'pattern' || (mode === 'auto' && hasWildcard(resourceTokens));
  const req: RequestShape = { action: input.action, resource: input.resource, resourceTokens, pattern, principal, ctx };

  const identity = evaluateLayer('identity', parseAll(input.identityPolicies), req);
  const boundaryPolicies = parseAll(input.permissionBoundaries);
  const boundary = boundaryPolicies.length > 0 ? evaluateLayer('boundary', boundaryPolicies, req) : null;
  const resource = input.resourcePolicies ? evaluateLayer('resource', parseAll(input.resourcePolicies), req) : null;

  const scpLevels = input.serviceControlPolicies ?? null;
  const exemptBecause =
    scpLevels === null
      ? ('not-in-organization' as const)
      : input.isManagementAccount
        ? ('management-account' as const)
        : serviceLinked
          ? ('service-linked-role' as const)
          : null;
  const scpApplies = exemptBecause === null;
  const levels = scpApplies ? (scpLevels ?? []).map((level, i) => evaluateLayer('scp', parseAll(level), req, i)) : [];

  // 1. explicit deny anywhere
  const layers = [identity, ...(boundary ? [boundary] : []), ...(resource ? [resource] : []), ...levels];
  const allMatches = layers.flatMap((l) => l.matches);
  const denials = allMatches.filter((m) => m.effect === 'Deny');
  const grants = [...identity.matches, ...(resource?.matches ?? [])].filter((m) => m.effect === 'Allow');
  const denyTruth = layers.reduce<Truth>((t, l) => or(t, l.deny), 'no');

  // 2. the allow side
  const boundaryAllow: Truth = boundary ? boundary.allow : 'yes';
  const scpAllow: Truth = levels.reduce<Truth>((t, l) => and(t, l.allow), 'yes');
  const resourceAccount = input.resourceAccount ?? principal.accountId;
  const crossAccount = resourceAccount !== null && principal.accountId !== null && resourceAccount !== principal.accountId;
  const resAllow = (kinds: PrincipalMatch[]): Truth =>
    (resource?.matches ?? [])
      .filter((m) => m.effect === 'Allow' && m.principal !== null && kinds.includes(m.principal))
      .reduce<Truth>((t, m) => or(t, m.conditional ? 'maybe' : 'yes'), 'no');
  // the root user needs no identity policy (SCPs still limit it in a member account)
  const identitySide = and(principal.kind === 'root' ? 'yes' : identity.allow, boundaryAllow);
  let allowSide: Truth;
  if (crossAccount) allowSide = and(identitySide, resAllow(['direct', 'role', 'account']));
  else allowSide = or(identitySide, or(resAllow(['direct']), and(resAllow(['role']), boundaryAllow)));
  const total = and(allowSide, scpAllow);

  let decision: Decision;
  let conditional = false;
  let reason: string;
  const firstDeny = certain(denials, 'Deny');
  if (denyTruth === 'yes' && firstDeny) {
    decision = 'explicit-deny';
    reason = `explicitly denied by ${describeMatch(firstDeny)}`;
  } else if (total === 'no') {
    decision = 'implicit-deny';
    const missingLevel = levels.findIndex((l) => l.allow === 'no');
    if (missingLevel >= 0) reason = `no SCP at level ${missingLevel} allows ${input.action}`;
    else if (crossAccount && identitySide !== 'no')
      reason = `cross-account request: no resource policy of account ${resourceAccount} allows it`;
    else if (boundary && boundary.allow === 'no' && identity.allow !== 'no')
      reason = `the permissions boundary does not allow ${input.action}`;
    else if (crossAccount) reason = `no identity-based policy allows ${input.action}`;
    else reason = `no identity-based or resource policy allows ${input.action}`;
  } else {
    decision = 'allowed';
    conditional = total === 'maybe' || denyTruth !== 'no';
    const by = certain(grants, 'Allow') ?? grants[0];
    reason = by ? `allowed by ${describeMatch(by)}` : `allowed`;
    if (conditional) {
      const why = [
        ...(total === 'maybe' ? ['the Allow depends on conditions not known offline'] : []),
        ...denials.filter((d) => d.conditional).map((d) => `unless ${describeMatch(d)} applies`),
      ];
      reason += ` (conditional: ${why.join('; ')})`;
    }
  }

  return {
    decision,
    conditional,
    grants,
    denials,
    explains: {
      reason,
      principal,
      resourceMode: pattern ? 'pattern' : 'exact',
      crossAccount,
      context: ctx.complete ? 'complete' : 'partial',
      identity,
      resource,
      boundary,
      scp: { applies: scpApplies, exemptBecause, levels },
    },
  };
}
