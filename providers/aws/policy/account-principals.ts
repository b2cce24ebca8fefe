/**
 * Who can snapshot in one AWS account: its root user, every IAM user and role, every AWS entry of the snapshot capability
 * catalogue, evaluated offline with `evaluate()` from GetAccountAuthorizationDetails (managed policies at their
 * default version, inline policies, group policies, permissions boundaries) and the organisation's SCPs.
 *
 * - One Grant per (capability, action) a principal holds. Its path reads principal → (trust) → (group) → policy →
 *   statement → action pattern (→ boundary, → SCP when they make it conditional). The statement shown is the most
 *   telling one: unconditional before conditional, specific before wildcard, the principal's own before a group's.
 *   Grants are sorted by capability, then catalogue order; principals by id.
 * - An action is held when every resource type it is authorised against is allowed (action-resources.ts), in
 *   pattern mode: a statement on part of those resources counts and its Resource becomes the grant's resourceScope;
 *   a Deny on only part of them makes the grant conditional rather than absent.
 * - backup:StartBackupJob is held only together with iam:PassRole (the catalogue's `requires`).
 * - Groups are not principals: nobody signs in as a group. A group shows up as a step of its members' paths.
 * - Roles: the trust policy says who can become the role. Another account outside the organisation (or any other
 *   account when the organisation is unknown), a SAML/OIDC provider, or `*` make the role's grants `external`, with a
 *   `trust` step naming each such entity. Accounts of the organisation and AWS services get a trust step too but are
 *   not external (a service acts for resources of this account). When every way into the role is conditional
 *   (sts:ExternalId, aws:PrincipalOrgID…), its grants are conditional.
 * - SCPs do not apply to the management account nor to service-linked roles (path /aws-service-role/).
 * - The root user holds every permission of its account without any policy; in a member account the SCPs still
 *   limit it (a Deny, or a level without an Allow, takes the capability away).
 * - Time conditions (aws:CurrentTime, aws:EpochTime) are decided against the scan time when `now` is given.
 * - Offline context: the principal's ARN, account and type are known; a user's tags are known completely
 *   (aws:PrincipalTag/*: a tag it lacks is absent); so are a role's, unless its trust policy allows sts:TagSession
 *   (session tags could add or override them: then they are unknown). Anything else a condition reads makes the
 *   grant conditional.
 */
import type { GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import { catalogueFor } from '../../../src/core/catalogue/index.ts';
import type { Capability, Grant, PathStep, Principal } from '../../../src/core/model/result.ts';
import { capabilities } from '../../../src/core/model/result.ts';
import { resourcesFor } from './action-resources.ts';
import { describeCondition } from './conditions.ts';
import type { ContextInput } from './context.ts';
import { type EvaluationResult, evaluate, type PolicyInput, type StatementMatch } from './evaluate.ts';
import { decodeDocument, parsePolicy } from './parse.ts';
import { isServiceLinkedPath } from './principal.ts';
import { allowsSessionTags, type TrustedEntity, trustedEntities } from './trust.ts';

export interface AccountAuthorizationInput {
  accountId: string;
  /** GetAccountAuthorizationDetails output merged across pages (SDK shapes from @aws-sdk/client-iam: UserDetailList, GroupDetailList, RoleDetailList, Policies). Policy documents may be URL-encoded JSON strings or plain JSON. */
  details: {
    UserDetailList?: UserDetail[];
    GroupDetailList?: GroupDetail[];
    RoleDetailList?: RoleDetail[];
    Policies?: ManagedPolicyDetail[];
  };
  /** Account ids in the organisation; null = unknown (single-account mode). */
  organizationAccountIds: ReadonlySet<string> | null;
  /** SCP documents per level, root → … → account (each level: the policies attached there); null = not in an organisation. */
  serviceControlPolicies: Array<Array<{ id: string; name: string; document: string | object }>> | null;
  isManagementAccount: boolean;
  /** The account's partition (`aws`, `aws-cn`…), for the root user's ARN; default `aws`. */
  partition?: string;
  /**
   * The scan time. Conditions on aws:CurrentTime / aws:EpochTime are decided against it (a grant that expired is
   * gone, one that has begun is unconditional); without it they leave the grant conditional.
   */
  now?: Date;
  /**
   * How many sts:AssumeRole hops a role chain may take (config `permissions.maxChainDepth`, default 2; 0: direct
   * grants only). Read by role-chains.ts (`analyzeWithChains`); `analyzeAccount` reports direct grants only.
   */
  maxChainDepth?: number;
  /** The most sts:AssumeRole evaluations the chain search may make (config `permissions.maxChainEvaluations`). */
  maxChainEvaluations?: number;
}

/** The request-time keys a scan can decide: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-currenttime */
export function timeContext(now: Date | undefined): ContextInput {
  return now ? { 'aws:CurrentTime': now.toISOString(), 'aws:EpochTime': Math.floor(now.getTime() / 1000) } : {};
}

export interface AccountAnalysis {
  principals: Principal[];
  /** Things that could not be evaluated (missing or malformed policy documents, unknown groups). */
  warnings: string[];
}

/** The principals of the account that hold at least one snapshot capability, sorted by id. */
export function accountPrincipals(input: AccountAuthorizationInput): Principal[] {
  return analyzeAccount(input).principals;
}

export interface Subject {
  arn: string;
  type: 'user' | 'role';
  /** The account's root user: it holds every permission without any policy (SCPs still limit it in a member account). */
  root: boolean;
  name: string;
  serviceLinked: boolean;
  identity: PolicyInput[];
  boundary: PolicyInput[];
  knownContext: ContextInput;
  /** Every aws:PrincipalTag/* is in knownContext (no session tags can add or override them). */
  tagsComplete: boolean;
  trust: TrustedEntity[];
  /** The role's trust policy document (decoded), for role chains; null for users, the root user, or when unreadable. */
  trustDocument: object | null;
}

export const capabilityOrder = new Map<Capability, number>(capabilities.map((c, i) => [c, i]));

function partitionOf(arn: string | undefined): string {
  return /^arn:([^:]+):/.exec(arn ?? '')?.[1] ?? 'aws';
}

/** Loads the account's policy documents once each; what cannot be read becomes a warning. */
function policyLoader(details: AccountAuthorizationInput['details'], warnings: string[]) {
  /** Decodes and validates a document once; a bad one is skipped with a warning. */
  const loaded = new Map<string, object | null>();
  function load(id: string, raw: string | object | undefined, what: string): object | null {
    if (loaded.has(id)) return loaded.get(id)!;
    let doc: object | null = null;
    if (raw === undefined || raw === null) warnings.push(`${what} ${id}: no policy document`);
    else {
      try {
        doc = decodeDocument(raw) as object;
        parsePolicy(doc);
      } catch (e) {
        warnings.push(`${what} ${id}: ${(e as Error).message}; skipped`);
        doc = null;
      }
    }
    loaded.set(id, doc);
    return doc;
  }

  const managed = new Map<string, ManagedPolicyDetail>();
  for (const p of details.Policies ?? []) if (p.Arn) managed.set(p.Arn, p);
  function managedPolicy(arn: string | undefined, name: string | undefined, group?: PolicyInput['group']): PolicyInput[] {
    if (!arn) return [];
    const p = managed.get(arn);
    const version =
      p?.PolicyVersionList?.find((v) => v.IsDefaultVersion) ?? p?.PolicyVersionList?.find((v) => v.VersionId === p?.DefaultVersionId);
    if (!p || !version) {
      if (!loaded.has(arn)) warnings.push(`managed policy ${arn}: not in the authorization details; not evaluated`);
      loaded.set(arn, null);
      return [];
    }
    const doc = load(arn, version.Document, 'managed policy');
    return doc ? [{ id: arn, name: p.PolicyName ?? name ?? arn, document: doc, ...(group ? { group } : {}) }] : [];
  }
  function inlinePolicies(
    owner: string,
    list: Array<{ PolicyName?: string; PolicyDocument?: string }> | undefined,
    group?: PolicyInput['group'],
  ) {
    return (list ?? []).flatMap((p) => {
      const id = `${owner}#inline/${p.PolicyName ?? '?'}`;
      const doc = load(id, p.PolicyDocument, 'inline policy');
      return doc ? [{ id, name: `${p.PolicyName ?? '?'} (inline)`, document: doc, ...(group ? { group } : {}) }] : [];
    });
  }

  const groups = new Map<string, GroupDetail>();
  for (const g of details.GroupDetailList ?? []) if (g.GroupName) groups.set(g.GroupName, g);
  const groupPolicies = new Map<string, PolicyInput[]>();
  function policiesOfGroup(name: string, user: string): PolicyInput[] {
    const hit = groupPolicies.get(name);
    if (hit) return hit;
    const g = groups.get(name);
    if (!g) {
      warnings.push(`group ${name} of ${user}: not in the authorization details; its policies are not evaluated`);
      groupPolicies.set(name, []);
      return [];
    }
    const label = { id: g.Arn ?? name, name };
    const list = [
      ...inlinePolicies(g.Arn ?? `group/${name}`, g.GroupPolicyList, label),
      ...(g.AttachedManagedPolicies ?? []).flatMap((a) => managedPolicy(a.PolicyArn, a.PolicyName, label)),
    ];
    groupPolicies.set(name, list);
    return list;
  }

  return { load, managedPolicy, inlinePolicies, policiesOfGroup };
}

type PolicyLoader = ReturnType<typeof policyLoader>;

/** Every identity of the account that may act: its users, its roles (with their trust) and the root user. */
function subjectsOf(input: AccountAuthorizationInput, policies: PolicyLoader, clock: ContextInput): Subject[] {
  const { details, accountId } = input;
  const { load, managedPolicy, inlinePolicies, policiesOfGroup } = policies;
  const subjects: Subject[] = [];
  for (const u of details.UserDetailList ?? []) {
    if (!u.Arn || !u.UserName) continue;
    const tags = Object.fromEntries((u.Tags ?? []).filter((t) => t.Key).map((t) => [`aws:PrincipalTag/${t.Key}`, t.Value ?? '']));
    subjects.push({
      arn: u.Arn,
      type: 'user',
      root: false,
      name: u.UserName,
      serviceLinked: false,
      identity: [
        ...inlinePolicies(u.Arn, u.UserPolicyList),
        ...(u.AttachedManagedPolicies ?? []).flatMap((a) => managedPolicy(a.PolicyArn, a.PolicyName)),
        ...(u.GroupList ?? []).flatMap((g) => policiesOfGroup(g, u.UserName!)),
      ],
      boundary: managedPolicy(u.PermissionsBoundary?.PermissionsBoundaryArn, undefined),
      knownContext: { ...tags, ...clock },
      tagsComplete: true,
      trust: [],
      trustDocument: null,
    });
  }
  for (const r of details.RoleDetailList ?? []) {
    if (!r.Arn || !r.RoleName) continue;
    let trust: TrustedEntity[] = [];
    let sessionTags = true;
    const trustDoc = load(`${r.Arn}#trust`, r.AssumeRolePolicyDocument, 'trust policy of');
    if (trustDoc) {
      trust = trustedEntities(trustDoc, clock);
      sessionTags = allowsSessionTags(trustDoc);
    }
    const tags = sessionTags
      ? {}
      : Object.fromEntries((r.Tags ?? []).filter((t) => t.Key).map((t) => [`aws:PrincipalTag/${t.Key}`, t.Value ?? '']));
    subjects.push({
      arn: r.Arn,
      type: 'role',
      root: false,
      name: r.RoleName,
      serviceLinked: isServiceLinkedPath(r.Path),
      identity: [
        ...inlinePolicies(r.Arn, r.RolePolicyList),
        ...(r.AttachedManagedPolicies ?? []).flatMap((a) => managedPolicy(a.PolicyArn, a.PolicyName)),
      ],
      boundary: managedPolicy(r.PermissionsBoundary?.PermissionsBoundaryArn, undefined),
      knownContext: { ...tags, ...clock },
      tagsComplete: !sessionTags,
      trust,
      trustDocument: trustDoc,
    });
  }

  // The root user: every permission of the account, whatever its policies (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html).
  subjects.push({
    arn: `arn:${input.partition ?? 'aws'}:iam::${accountId}:root`,
    type: 'user',
    root: true,
    name: 'root',
    serviceLinked: false,
    identity: [],
    boundary: [],
    knownContext: clock,
    tagsComplete: false,
    trust: [],
    trustDocument: null,
  });

  return subjects;
}

/** The principal a subject is, with every catalogue grant the evaluator allows it; null when it has none. */
function principalOf(
  s: Subject,
  input: AccountAuthorizationInput,
  scps: PolicyInput[][] | null,
  entries: ReturnType<typeof catalogueFor>,
  actionOrder: ReadonlyMap<string, number>,
): Principal | null {
  const accountId = input.accountId;
  const partition = partitionOf(s.arn);
  const check = (action: string): EvaluationResult[] =>
    resourcesFor(action, accountId, partition).map((resource) =>
      evaluate({
        principal: { arn: s.arn, serviceLinked: s.serviceLinked },
        action,
        resource,
        resourceMode: 'pattern',
        knownContext: s.knownContext,
        knownKeyPrefixes: s.tagsComplete ? ['aws:PrincipalTag/'] : [],
        identityPolicies: s.identity,
        permissionBoundaries: s.boundary,
        serviceControlPolicies: scps,
        isManagementAccount: input.isManagementAccount,
      }),
    );
  const grants: Grant[] = [];
  for (const entry of entries) {
    const main = check(entry.action);
    if (!main.every((r) => r.decision === 'allowed')) continue;
    const required = (entry.requires ?? []).map((a) => ({ action: a, results: check(a) }));
    if (!required.every((q) => q.results.every((r) => r.decision === 'allowed'))) continue;
    const grant = buildGrant(s, entry.action, entry.capability, main, required, input);
    if (grant) grants.push(grant);
  }
  if (grants.length === 0) return null;
  grants.sort(
    (a, b) =>
      capabilityOrder.get(a.capability)! - capabilityOrder.get(b.capability)! || actionOrder.get(a.action)! - actionOrder.get(b.action)!,
  );
  return {
    id: s.arn,
    type: s.type,
    name: s.name,
    external: false,
    capabilities: [...new Set(grants.map((g) => g.capability))].sort((a, b) => capabilityOrder.get(a)! - capabilityOrder.get(b)!),
    grants,
  };
}

/** One account evaluated for direct grants, with what role chains need: its subjects and its SCPs. */
export interface PreparedAccount {
  input: AccountAuthorizationInput;
  subjects: Subject[];
  scps: PolicyInput[][] | null;
  /** Principals holding a capability directly (their own policies, or the root user), sorted by id. */
  principals: Principal[];
  warnings: string[];
}

/** The direct grants of one account's principals (no role chains). */
export function prepareAccount(input: AccountAuthorizationInput): PreparedAccount {
  const warnings: string[] = [];
  const clock = timeContext(input.now);
  const policies = policyLoader(input.details, warnings);
  const { load } = policies;
  const scps: PolicyInput[][] | null = input.serviceControlPolicies
    ? input.serviceControlPolicies.map((level) =>
        level.flatMap((p) => {
          const doc = load(`scp:${p.id}`, p.document, 'SCP');
          return doc ? [{ id: p.id, name: p.name, document: doc }] : [];
        }),
      )
    : null;

  const subjects = subjectsOf(input, policies, clock);
  const entries = catalogueFor('aws');
  const actionOrder = new Map(entries.map((e, i) => [e.action, i]));
  const principals = subjects.flatMap((s) => principalOf(s, input, scps, entries, actionOrder) ?? []);
  principals.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { input, subjects, scps, principals, warnings };
}

/** Who can snapshot in one account through its own policies (direct grants; role chains: role-chains.ts). */
export function analyzeAccount(input: AccountAuthorizationInput): AccountAnalysis {
  const prepared = prepareAccount(input);
  return { principals: prepared.principals, warnings: [...new Set(prepared.warnings)].sort() };
}

/** The statement that best explains a grant. */
export function pickGrant(grants: StatementMatch[]): StatementMatch | undefined {
  const score = (g: StatementMatch) => [g.conditional ? 1 : 0, g.action.broad ? 1 : 0, g.group ? 1 : 0] as const;
  return [...grants].sort((a, b) => {
    const x = score(a);
    const y = score(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return a.policyId.localeCompare(b.policyId) || a.statement.index - b.statement.index;
  })[0];
}

function maybeConditions(m: StatementMatch): string[] {
  const c = m.conditions.filter((x) => x.result === 'maybe').map(describeCondition);
  return c.length > 0 ? c : m.notes;
}

function where(m: StatementMatch): string {
  const policy = m.layer === 'scp' ? `SCP ${m.policyName}` : m.layer === 'boundary' ? `boundary ${m.policyName}` : `policy ${m.policyName}`;
  return `${policy} statement ${m.statement.label}`;
}

/** Human-readable reasons an allowed result is conditional. */
export function conditionsOf(r: EvaluationResult, chosen: StatementMatch | undefined, prefix = ''): string[] {
  if (!r.conditional) return [];
  const out: string[] = [];
  if (chosen?.conditional) out.push(...maybeConditions(chosen).map((c) => `${prefix}${c}`));
  const b = r.explains.boundary;
  if (b && b.allow === 'maybe')
    for (const m of b.matches.filter((x) => x.effect === 'Allow'))
      out.push(`${prefix}${where(m)} allows only if ${maybeConditions(m).join('; ')}`);
  for (const level of r.explains.scp.levels)
    if (level.allow === 'maybe')
      for (const m of level.matches.filter((x) => x.effect === 'Allow'))
        out.push(`${prefix}${where(m)} allows only if ${maybeConditions(m).join('; ')}`);
  for (const d of r.denials.filter((x) => x.conditional))
    out.push(`${prefix}unless denied by ${where(d)} (${maybeConditions(d).join('; ')})`);
  return out;
}

function resourceScope(m: StatementMatch | undefined): string {
  const r = m?.resource;
  if (!r || r.element === null) return '*';
  if (r.element === 'NotResource') return `NotResource ${r.matched.join(', ')}`;
  return r.matched.includes('*') ? '*' : r.matched.join(', ');
}

export interface TrustClass {
  entity: TrustedEntity;
  external: boolean;
  label: string;
}

/** How a trusted entity reaches the role: null for the account's own principals (they are evaluated as callers). */
export function classifyTrust(e: TrustedEntity, input: AccountAuthorizationInput): TrustClass | null {
  const org = input.organizationAccountIds;
  switch (e.type) {
    case 'account':
    case 'principal': {
      if (e.accountId === input.accountId) return null; // this account's own principals
      if (e.accountId !== null && org?.has(e.accountId))
        return { entity: e, external: false, label: `trusted by ${e.id} (organization account)` };
      const why = org === null ? 'other account; organization unknown' : 'account outside the organization';
      return { entity: e, external: true, label: `trusted by ${e.id} (${why})` };
    }
    case 'service':
      return { entity: e, external: false, label: `trusted by AWS service ${e.id}` };
    case 'federated':
      return { entity: e, external: true, label: `trusted by identity provider ${e.id} (federation)` };
    case 'public':
      return { entity: e, external: true, label: 'trusted by anyone (*)' };
    case 'canonical-user':
      return { entity: e, external: true, label: `trusted by canonical user ${e.id}` };
  }
}

/** group → policy → statement → action pattern: where an identity statement grants the action. */
function statementSteps(chosen: StatementMatch): PathStep[] {
  const steps: PathStep[] = [];
  if (chosen.group) steps.push({ kind: 'group', id: chosen.group.id, label: `group ${chosen.group.name}` });
  steps.push({ kind: 'policy', id: chosen.policyId, label: `policy ${chosen.policyName}` });
  steps.push({ kind: 'statement', id: `${chosen.policyId}#${chosen.statement.label}`, label: `statement ${chosen.statement.label}` });
  if (chosen.action.element === 'NotAction') {
    const id = `NotAction ${chosen.action.patterns.join(', ')}`;
    steps.push({ kind: 'action-pattern', id, label: id });
  } else steps.push({ kind: 'action-pattern', id: chosen.action.pattern!, label: chosen.action.pattern });
  return steps;
}

function buildGrant(
  s: Subject,
  action: string,
  capability: Capability,
  main: EvaluationResult[],
  required: Array<{ action: string; results: EvaluationResult[] }>,
  input: AccountAuthorizationInput,
): Grant | null {
  const primary = main[0]!;
  const chosen = pickGrant(primary.grants);
  if (!chosen && !s.root) return null;

  const trusts = s.trust.map((e) => classifyTrust(e, input)).filter((t): t is TrustClass => t !== null);
  const external = trusts.some((t) => t.external);
  const trustConditional = s.type === 'role' && s.trust.length > 0 && s.trust.every((e) => e.conditional);

  const conditions = [
    ...main.flatMap((r, i) => conditionsOf(r, i === 0 ? chosen : pickGrant(r.grants))),
    ...required.flatMap((q) => q.results.flatMap((r) => conditionsOf(r, pickGrant(r.grants), `${q.action}: `))),
    ...trusts.filter((t) => t.entity.conditional).map((t) => `trust ${t.entity.id}: ${t.entity.conditions.join('; ')}`),
  ];
  const conditional = main.some((r) => r.conditional) || required.some((q) => q.results.some((r) => r.conditional)) || trustConditional;

  const path: PathStep[] = [{ kind: 'principal', id: s.arn, label: s.name }];
  for (const t of trusts) {
    path.push({ kind: 'trust', id: t.entity.id, label: t.label });
    for (const c of t.entity.conditions) path.push({ kind: 'condition', id: t.entity.id, label: c });
  }
  if (chosen) path.push(...statementSteps(chosen));
  else path.push({ kind: 'policy', id: 'root-user', label: 'the root user holds every permission of its account' });
  for (const b of s.boundary) path.push({ kind: 'boundary', id: b.id, label: `boundary ${b.name ?? b.id}` });
  const scpSteps = new Map<string, PathStep>();
  for (const r of main) {
    for (const d of r.denials.filter((x) => x.layer === 'scp' && x.conditional))
      scpSteps.set(d.policyId, { kind: 'scp', id: d.policyId, label: `SCP ${d.policyName} may deny` });
    for (const level of r.explains.scp.levels)
      if (level.allow === 'maybe')
        for (const m of level.matches.filter((x) => x.effect === 'Allow'))
          scpSteps.set(m.policyId, { kind: 'scp', id: m.policyId, label: `SCP ${m.policyName} allows conditionally` });
  }
  path.push(...[...scpSteps.values()].sort((a, b) => a.id.localeCompare(b.id)));

  return {
    capability,
    action,
    resourceScope: resourceScope(chosen),
    conditional,
    external,
    broad: chosen?.action.broad ?? false,
    path,
    conditions: [...new Set(conditions)],
  };
}
