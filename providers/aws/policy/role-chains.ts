/**
 * Role chains: a principal allowed to call sts:AssumeRole on a role whose trust policy admits it gains that role's
 * snapshot capabilities, and so on for up to `maxChainDepth` hops (default 2).
 *
 * One hop caller → role is allowed when `evaluate()` allows sts:AssumeRole on the role's ARN with the caller's
 * identity policies, permissions boundary and SCPs, and the role's trust policy as the resource policy
 * ([policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
 * [cross-account](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)):
 * - the trust policy must admit the caller, even in the same account (a role is never assumable through identity
 *   policies alone: AWS removed the implicit self-trust of roles, and a trust policy is required);
 * - same account: a trust statement naming the caller's ARN suffices; one naming only the account (`…:root`)
 *   delegates to the caller's identity policies, which must allow sts:AssumeRole on the role;
 * - another account: the identity side (with its boundary) and the trust policy must both allow;
 * - a permissions boundary must allow sts:AssumeRole even when the trust policy names the caller
 *   ([update a role trust policy](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html));
 * - the caller's SCPs apply; the root user cannot assume roles
 *   ([AssumeRole](https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)).
 *
 * The search is bounded. Edges are evaluated only into roles at most `maxChainDepth` hops from a role that holds a
 * capability directly (reverse breadth-first from the capable roles, nearest level first), and only for callers the
 * trust policy names (its account, its ARN, or `*`): at most roles × identities evaluations, each pair once, and at
 * most `maxChainEvaluations` (default 25,000, about 0.2 ms each); past it the search stops with a warning. Then each identity walks the
 * evaluated edges breadth-first with a visited set (no cycles), at most `maxChainDepth` hops: the shortest chain to
 * each capable role wins (ties: the role ARN). A (capability, action) the principal already holds directly keeps its
 * direct grant; otherwise it gains the chained grant, whose path reads principal → assume-role … → the role's own
 * path, with `reach: 'indirect'` and `hops`.
 */
import { catalogueFor } from '../../../src/core/catalogue/index.ts';
import type { Grant, PathStep, Principal } from '../../../src/core/model/result.ts';
import {
  type AccountAnalysis,
  type AccountAuthorizationInput,
  capabilityOrder,
  classifyTrust,
  conditionsOf,
  type PreparedAccount,
  pickGrant,
  prepareAccount,
  type Subject,
  type TrustClass,
} from './account-principals.ts';
import { evaluate, type StatementMatch } from './evaluate.ts';

export const DEFAULT_CHAIN_DEPTH = 2;
/**
 * Hop evaluations allowed per analysis (config `permissions.maxChainEvaluations`): about 0.2 ms each, so the default
 * bounds the search to a few seconds. Reaching it stops the search (the hops found so far are kept) with a warning.
 */
export const DEFAULT_CHAIN_EVALUATIONS = 25_000;

export interface ChainLimits {
  maxDepth: number;
  maxEvaluations?: number;
}

export interface Node {
  subject: Subject;
  account: PreparedAccount;
}

export interface Edge {
  to: string;
  conditional: boolean;
  conditions: string[];
  step: PathStep;
}

/** Does the role's trust policy name the caller at all (its ARN, its account, a session of it, or `*`)? */
function trustNames(role: Subject, caller: Node): boolean {
  const account = caller.account.input.accountId;
  const session = `:assumed-role/${caller.subject.name}/`;
  return role.trust.some(
    (e) =>
      e.actions.includes('sts:AssumeRole') &&
      (e.type === 'public' ||
        (e.type === 'account' && e.accountId === account) ||
        (e.type === 'principal' && (e.id === caller.subject.arn || (e.accountId === account && e.id.includes(session))))),
  );
}

function statementText(m: StatementMatch): string {
  const where = m.group ? `policy ${m.policyName} of group ${m.group.name}` : `policy ${m.policyName}`;
  return `${where} statement ${m.statement.label}`;
}

/** caller → role: allowed (with its evidence), or null. */
function hop(caller: Node, role: Node): Edge | null {
  const c = caller.subject;
  const r = role.subject;
  if (!r.trustDocument) return null;
  const res = evaluate({
    principal: { arn: c.arn, serviceLinked: c.serviceLinked },
    action: 'sts:AssumeRole',
    resource: r.arn,
    resourceMode: 'exact',
    resourceAccount: role.account.input.accountId,
    knownContext: c.knownContext,
    knownKeyPrefixes: c.tagsComplete ? ['aws:PrincipalTag/'] : [],
    identityPolicies: c.identity,
    permissionBoundaries: c.boundary,
    serviceControlPolicies: caller.account.scps,
    isManagementAccount: caller.account.input.isManagementAccount,
    resourcePolicies: [{ id: `${r.arn}#trust`, name: `trust policy of ${r.name}`, document: r.trustDocument }],
  });
  const trust = res.explains.resource;
  const boundary = res.explains.boundary;
  if (res.decision !== 'allowed' || !trust || trust.allow === 'no' || boundary?.allow === 'no') return null;
  const trustStatement = pickGrant(res.grants.filter((g) => g.layer === 'resource'));
  const identityStatement = pickGrant(res.grants.filter((g) => g.layer === 'identity'));
  const evidence = [
    ...(trustStatement ? [`trust statement ${trustStatement.statement.label}`] : []),
    ...(identityStatement ? [statementText(identityStatement)] : []),
  ];
  const conditions = [
    ...conditionsOf(res, identityStatement ?? trustStatement, `sts:AssumeRole ${r.name}: `),
    ...(trustStatement?.conditional ? conditionsOf({ ...res, conditional: true }, trustStatement, `trust of ${r.name}: `) : []),
  ];
  const conditional = res.conditional || trust.allow === 'maybe' || boundary?.allow === 'maybe';
  const crossAccount = role.account.input.accountId !== caller.account.input.accountId;
  return {
    to: r.arn,
    conditional,
    conditions: [...new Set(conditions)],
    step: {
      kind: 'assume-role',
      id: r.arn,
      label: `assumes role ${r.name}${crossAccount ? ` in account ${role.account.input.accountId}` : ''} (${evidence.join('; ')})`,
    },
  };
}

/**
 * The role's grant as seen through a chain: its path after the role itself, without the role's own trust steps.
 * A caller that is itself a role trusted from outside the organisation (another account, a federation, anyone) makes
 * the chained grant external, its trust steps first: whoever is behind that trust reaches the capability too.
 */
function chainedGrant(g: Grant, caller: Node, hops: Edge[]): Grant {
  const s = caller.subject;
  const trusted = new Set(g.path.filter((x) => x.kind === 'trust').map((x) => x.id));
  const rest = g.path.slice(1).filter((x) => x.kind !== 'trust' && !(x.kind === 'condition' && trusted.has(x.id)));
  const hopConditions = hops.flatMap((h) => h.conditions);
  const own =
    s.type === 'role' ? s.trust.map((e) => classifyTrust(e, caller.account.input)).filter((t): t is TrustClass => t !== null) : [];
  const outside = own.filter((t) => t.external);
  const trustSteps: PathStep[] = outside.flatMap((t) => [
    { kind: 'trust' as const, id: t.entity.id, label: t.label },
    ...t.entity.conditions.map((c) => ({ kind: 'condition' as const, id: t.entity.id, label: c })),
  ]);
  return {
    ...g,
    external: outside.length > 0,
    conditional: g.conditional || hops.some((h) => h.conditional),
    conditions: [
      ...new Set([
        ...outside.filter((t) => t.entity.conditional).map((t) => `trust ${t.entity.id}: ${t.entity.conditions.join('; ')}`),
        ...hopConditions,
        ...g.conditions.filter((c) => !c.startsWith('trust ')),
      ]),
    ],
    path: [{ kind: 'principal', id: s.arn, label: s.name }, ...trustSteps, ...hops.map((h) => h.step), ...rest],
    reach: 'indirect',
    hops: hops.length,
  };
}

/** The callers by what a trust statement can name — their ARN, their account — as positions in the callers' list. */
interface CallerIndex {
  all: number[];
  byArn: Map<string, number[]>;
  byAccount: Map<string, number[]>;
}

function indexCallers(callers: Node[]): CallerIndex {
  const index: CallerIndex = { all: callers.map((_, i) => i), byArn: new Map(), byAccount: new Map() };
  const add = (map: Map<string, number[]>, key: string, at: number) => {
    const list = map.get(key);
    if (list) list.push(at);
    else map.set(key, [at]);
  };
  callers.forEach((c, at) => {
    add(index.byArn, c.subject.arn, at);
    add(index.byAccount, c.account.input.accountId, at);
  });
  return index;
}

/**
 * The callers a role's trust policy could name (every one `trustNames` admits, maybe more), in the callers' order:
 * looked up by ARN and account instead of trying every caller of every account against every role, which made the
 * organisation-wide search grow with the square of the accounts.
 */
function candidates(role: Subject, index: CallerIndex): number[] {
  const picked = new Set<number>();
  for (const e of role.trust) {
    if (!e.actions.includes('sts:AssumeRole')) continue;
    if (e.type === 'public') return index.all;
    if (e.type === 'account' && e.accountId !== null) for (const at of index.byAccount.get(e.accountId) ?? []) picked.add(at);
    if (e.type !== 'principal') continue;
    for (const at of index.byArn.get(e.id) ?? []) picked.add(at);
    if (e.accountId !== null && e.id.includes(':assumed-role/')) for (const at of index.byAccount.get(e.accountId) ?? []) picked.add(at);
  }
  return [...picked].sort((a, b) => a - b);
}

/**
 * Evaluated edges, from the capable roles backwards, `depth` hops deep (each pair at most once), nearest levels
 * first; `stopped` when the evaluation budget ran out.
 */
function searchEdges(
  nodes: Map<string, Node>,
  capable: ReadonlySet<string>,
  depth: number,
  budget: number,
): { edges: Map<string, Edge[]>; stopped: boolean } {
  const out = new Map<string, Edge[]>();
  const callers = [...nodes.values()].filter((n) => !n.subject.root);
  const index = indexCallers(callers);
  let frontier = [...capable].sort();
  const expanded = new Set<string>();
  let evaluations = 0;
  let stopped = false;
  for (let level = 0; level < depth && frontier.length > 0 && !stopped; level++) {
    const next: string[] = [];
    for (const target of frontier) {
      if (expanded.has(target) || stopped) continue;
      expanded.add(target);
      const role = nodes.get(target)!;
      for (const at of candidates(role.subject, index)) {
        const caller = callers[at]!;
        if (caller.subject.arn === target || !trustNames(role.subject, caller)) continue;
        if (evaluations >= budget) {
          stopped = true;
          break;
        }
        evaluations++;
        const e = hop(caller, role);
        if (!e) continue;
        const list = out.get(caller.subject.arn) ?? [];
        list.push(e);
        out.set(caller.subject.arn, list);
        if (caller.subject.type === 'role') next.push(caller.subject.arn);
      }
    }
    frontier = [...new Set(next)].sort();
  }
  for (const list of out.values()) list.sort((a, b) => a.to.localeCompare(b.to));
  return { edges: out, stopped };
}

/** Breadth-first from one identity over the edges: the shortest chain to each reachable role (no cycles). */
function chainsFrom(start: string, edges: Map<string, Edge[]>, depth: number): Map<string, Edge[]> {
  const reached = new Map<string, Edge[]>();
  const visited = new Set([start]);
  let frontier: Array<{ at: string; hops: Edge[] }> = [{ at: start, hops: [] }];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: typeof frontier = [];
    for (const f of frontier)
      for (const e of edges.get(f.at) ?? []) {
        if (visited.has(e.to)) continue;
        visited.add(e.to);
        const hops = [...f.hops, e];
        reached.set(e.to, hops);
        next.push({ at: e.to, hops });
      }
    frontier = next;
  }
  return reached;
}

/** One chain the search found: `caller` reaches `role` (the ARN of a role holding a capability directly) through `hops`. */
export interface FoundChain {
  caller: Node;
  role: string;
  /** The role's account: where the chained grants are listed. */
  account: string;
  hops: Edge[];
}

/**
 * The role chains across the given accounts (one account, or every scanned account of an organisation) into the
 * roles of `capable`, in the order their grants are given: by caller ARN, then breadth-first from each caller.
 */
export function findChains(
  accounts: readonly PreparedAccount[],
  capable: ReadonlySet<string>,
  limits: ChainLimits,
): { chains: FoundChain[]; warnings: string[] } {
  const nodes = new Map<string, Node>();
  for (const account of accounts) for (const subject of account.subjects) nodes.set(subject.arn, { subject, account });
  const targets = new Set(
    [...nodes.values()].filter((n) => n.subject.type === 'role' && capable.has(n.subject.arn)).map((n) => n.subject.arn),
  );
  const budget = limits.maxEvaluations ?? DEFAULT_CHAIN_EVALUATIONS;
  const { edges, stopped } = searchEdges(nodes, targets, limits.maxDepth, budget);
  const warnings = stopped
    ? [
        `role chain search stopped after ${budget} sts:AssumeRole evaluations (permissions.maxChainEvaluations): chains found so far are reported, longer or later ones may be missing`,
      ]
    : [];
  const chains: FoundChain[] = [];
  for (const start of [...edges.keys()].sort()) {
    const caller = nodes.get(start)!;
    for (const [role, hops] of chainsFrom(start, edges, limits.maxDepth)) {
      if (!capable.has(role)) continue;
      chains.push({ caller, role, account: nodes.get(role)!.account.input.accountId, hops });
    }
  }
  return { chains, warnings };
}

/**
 * Direct grants plus role chains across the given accounts (one account, or every scanned account of an
 * organisation): the principals of each account, by account id. A chained grant is listed in the account of the
 * role that holds it, under the principal who can reach it.
 */
export function withRoleChains(
  accounts: readonly PreparedAccount[],
  limits: ChainLimits,
): { principals: Map<string, Principal[]>; warnings: string[] } {
  const result = new Map<string, Map<string, Principal>>();
  const direct = new Map<string, Principal>();
  for (const account of accounts) {
    result.set(account.input.accountId, new Map(account.principals.map((p) => [p.id, { ...p, grants: [...p.grants] }])));
    for (const p of account.principals) direct.set(p.id, p);
  }
  let warnings: string[] = [];
  if (limits.maxDepth > 0) {
    const found = findChains(accounts, new Set(direct.keys()), limits);
    warnings = found.warnings;
    for (const c of found.chains) addChained(result.get(c.account)!, c.caller, direct.get(c.role)!, c.hops);
  }
  const out = new Map<string, Principal[]>();
  for (const [id, principals] of result) {
    const list = [...principals.values()].map(sortedPrincipal);
    list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    out.set(id, list);
  }
  return { principals: out, warnings };
}

/** Gives the caller (in the role's account) each grant of the role it does not already hold by a shorter way. */
export function addChained(target: Map<string, Principal>, caller: Node, role: Principal, hops: Edge[]): void {
  const s = caller.subject;
  const p = target.get(s.arn) ?? { id: s.arn, type: s.type, name: s.name, external: false, capabilities: [], grants: [] };
  for (const g of role.grants) {
    const held = p.grants.find((x) => x.capability === g.capability && x.action === g.action);
    const better = !held || (held.hops ?? 0) > hops.length || ((held.hops ?? 0) === hops.length && pathRole(held) > role.id);
    if (!better) continue;
    const chained = chainedGrant(g, caller, hops);
    p.grants = held ? p.grants.map((x) => (x === held ? chained : x)) : [...p.grants, chained];
  }
  target.set(s.arn, p);
}

function pathRole(g: Grant): string {
  return [...g.path].reverse().find((s) => s.kind === 'assume-role')?.id ?? '';
}

let actionOrderCache: ReadonlyMap<string, number> | null = null;

/** The principal with its grants in catalogue order (capability, then action) and its capabilities from them. */
export function sortedPrincipal(p: Principal): Principal {
  actionOrderCache ??= new Map(catalogueFor('aws').map((e, i) => [e.action, i]));
  const actionOrder = actionOrderCache;
  const grants = [...p.grants].sort(
    (a, b) =>
      capabilityOrder.get(a.capability)! - capabilityOrder.get(b.capability)! ||
      (actionOrder.get(a.action) ?? 0) - (actionOrder.get(b.action) ?? 0),
  );
  const capabilities = [...new Set(grants.map((g) => g.capability))].sort((a, b) => capabilityOrder.get(a)! - capabilityOrder.get(b)!);
  return { ...p, grants, capabilities };
}

/** Who can snapshot in one account: its direct grants and the role chains inside it (`maxChainDepth`, default 2). */
export function analyzeWithChains(input: AccountAuthorizationInput): AccountAnalysis {
  return analyzePrepared(prepareAccount(input));
}

/** `analyzeWithChains` of an account already prepared (its direct grants evaluated). */
export function analyzePrepared(prepared: PreparedAccount): AccountAnalysis {
  const input = prepared.input;
  const limits = {
    maxDepth: input.maxChainDepth ?? DEFAULT_CHAIN_DEPTH,
    maxEvaluations: input.maxChainEvaluations ?? DEFAULT_CHAIN_EVALUATIONS,
  };
  const chained = withRoleChains([prepared], limits);
  return {
    principals: chained.principals.get(input.accountId) ?? [],
    warnings: [...new Set([...prepared.warnings, ...chained.warnings])].sort(),
  };
}

/** Several accounts at once (an organisation): role chains may cross between them. Principals by account id. */
export function analyzeAccountsWithChains(
  inputs: readonly AccountAuthorizationInput[],
  limits: ChainLimits = { maxDepth: DEFAULT_CHAIN_DEPTH },
) {
  const prepared = inputs.map(prepareAccount);
  const chained = withRoleChains(prepared, limits);
  return new Map(
    prepared.map((p) => [
      p.input.accountId,
      {
        principals: chained.principals.get(p.input.accountId) ?? [],
        warnings: [...new Set([...p.warnings, ...chained.warnings])].sort(),
      } satisfies AccountAnalysis,
    ]),
  );
}
