/**
 * Role chains across accounts, for a scan that collects each account alone: what each account keeps for the
 * after-all-accounts step (`chainSnapshot`, compact), and that step (`crossAccountChains`): the grants principals
 * gain through sts:AssumeRole hops that cross from one scanned account into another (principal in A → role in B →
 * the role's capability in B), evaluated exactly as role-chains.ts evaluates them when every account is in one
 * analysis (identity and trust policy both allow, boundaries and SCPs applied; same depth, same bounded search).
 *
 * Memory: per account only what the chain search reads is kept until every account is done —
 * - the callers (users and roles whose identity policies allow sts:AssumeRole on something), with their identity
 *   and boundary policies cut down to the statements that can match sts:AssumeRole (the others are emptied in
 *   place, so statement labels stay what they were);
 * - the roles another account (or anyone) may assume according to their trust policy, with that trust policy;
 * - which roles hold a snapshot capability themselves (their ARNs: the grants stay in the account's own result);
 * - the account's SCPs, cut down the same way.
 * A scope can gain grants only when its account has a role trusted from another account and a role that can
 * snapshot (`mayGain`): every chain that ends in an account and starts elsewhere enters it through such a role. The
 * step finds the chains; the grants they give are built for one account at a time, when its result is finished,
 * from its roles' direct grants in that result — so the organisation's grant paths are never all in memory at once.
 */
import type { Grant, Principal } from '../../../src/core/model/result.ts';
import type { PolicyInput } from './evaluate.ts';
import { decodeDocument, parsePolicy, type Statement } from './parse.ts';
import type { PreparedAccount, Subject } from './account-principals.ts';
import { addChained, type ChainLimits, DEFAULT_CHAIN_EVALUATIONS, type FoundChain, findChains, sortedPrincipal } from './role-chains.ts';
import { globMatches, parseGlob } from './wildcard.ts';

/** What one account keeps for the cross-account step (plain data: it may be spooled or sent between processes). */
export interface ChainSnapshot {
  accountId: string;
  partition: string;
  isManagementAccount: boolean;
  subjects: Subject[];
  scps: PolicyInput[][] | null;
  /** The roles holding a snapshot capability directly (their ARNs). */
  capable: string[];
  /** The account has a role trusted from another account (or anyone) and a role that can snapshot. */
  mayGain: boolean;
}

const ASSUME = 'sts:AssumeRole';

function matchesAssume(s: Statement): boolean {
  if (!s.action) return false;
  const hit = s.action.patterns.some((p) => globMatches(parseGlob(p), ASSUME, true));
  return s.action.element === 'Action' ? hit : !hit;
}

/**
 * The policy with only its statements that can match sts:AssumeRole (as written); the others become `{Effect}`
 * alone (a statement without Action never matches), so the kept ones keep their index labels.
 */
function compactPolicy(p: PolicyInput): { policy: PolicyInput; allows: boolean; relevant: boolean } {
  const doc = parsePolicy(p.document);
  const raw = decodeDocument(p.document) as Record<string, unknown>;
  const key = Object.keys(raw).find((k) => k.toLowerCase() === 'statement')!;
  const list = Array.isArray(raw[key]) ? (raw[key] as unknown[]) : [raw[key]];
  const relevant = doc.statements.map(matchesAssume);
  const version = doc.version ? { Version: doc.version } : {};
  const document = { ...version, Statement: list.map((s, i) => (relevant[i] ? s : { Effect: doc.statements[i]!.effect })) };
  return {
    policy: { ...p, document },
    allows: doc.statements.some((s, i) => relevant[i] && s.effect === 'Allow'),
    relevant: relevant.some(Boolean),
  };
}

/** Trusted from another account of any kind, or from anyone (`*`). */
function isEntry(s: Subject, accountId: string): boolean {
  return (
    s.type === 'role' &&
    s.trust.some(
      (e) =>
        e.actions.includes(ASSUME) &&
        (e.type === 'public' || ((e.type === 'account' || e.type === 'principal') && e.accountId !== null && e.accountId !== accountId)),
    )
  );
}

/** What the cross-account search needs of one account (see the header). */
export function chainSnapshot(prepared: PreparedAccount): ChainSnapshot {
  const accountId = prepared.input.accountId;
  const capable = new Set(prepared.principals.filter((p) => p.type === 'role').map((p) => p.id));
  const subjects: Subject[] = [];
  let entry = false;
  for (const s of prepared.subjects) {
    if (s.root) continue; // the root user cannot assume roles
    const identity = s.identity.map(compactPolicy);
    const caller = identity.some((c) => c.allows);
    const isEntryRole = isEntry(s, accountId);
    entry ||= isEntryRole;
    if (!caller && !isEntryRole && !capable.has(s.arn)) continue;
    subjects.push({
      ...s,
      identity: identity.filter((c) => c.relevant).map((c) => c.policy),
      // a boundary without any statement for sts:AssumeRole still denies it: keep it, emptied
      boundary: s.boundary.map((b) => compactPolicy(b).policy),
    });
  }
  const scps = prepared.scps ? prepared.scps.map((level) => level.map((p) => compactPolicy(p).policy)) : null;
  return {
    accountId,
    partition: prepared.input.partition ?? 'aws',
    isManagementAccount: prepared.input.isManagementAccount,
    subjects,
    scps,
    capable: [...capable].sort(),
    mayGain: entry && capable.size > 0,
  };
}

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** The chain leaves the account it ends in (its principal or one of its roles is elsewhere). */
function crosses(principal: string, g: Grant, accountId: string): boolean {
  return accountOf(principal) !== accountId || g.path.some((s) => s.kind === 'assume-role' && accountOf(s.id) !== accountId);
}

export interface CrossAccountOutcome {
  /**
   * What a chain crossing accounts gives the principals of `accountId` (those grants only, by principal), built from
   * the account's principals as its own analysis found them (`current`: its roles' direct grants); empty when nothing.
   */
  gained(accountId: string, current: readonly Principal[]): Principal[];
  warnings: string[];
}

/**
 * The role chains that cross between the given accounts. The search is the one role-chains.ts runs, over the
 * snapshots: at most `maxDepth` hops, each (caller, role) pair evaluated at most once, and at most
 * `maxEvaluations` (per account, default 25,000) × the number of accounts evaluations in all. Only the chains are
 * kept (callers, roles, hops); `gained` gives each account its grants from them.
 */
export function crossAccountChains(
  snapshots: readonly ChainSnapshot[],
  organizationAccountIds: ReadonlySet<string> | null,
  limits: ChainLimits,
): CrossAccountOutcome {
  if (snapshots.length < 2 || limits.maxDepth <= 0) return { gained: () => [], warnings: [] };
  const prepared: PreparedAccount[] = snapshots.map((s) => ({
    input: {
      accountId: s.accountId,
      details: {},
      organizationAccountIds,
      serviceControlPolicies: null,
      isManagementAccount: s.isManagementAccount,
      partition: s.partition,
    },
    subjects: s.subjects,
    scps: s.scps,
    principals: [],
    warnings: [],
  }));
  const budget = (limits.maxEvaluations ?? DEFAULT_CHAIN_EVALUATIONS) * snapshots.length;
  const found = findChains(prepared, new Set(snapshots.flatMap((s) => s.capable)), { maxDepth: limits.maxDepth, maxEvaluations: budget });
  // by the account they end in, in the order they were found; only accounts a chain reaches from another account
  const byAccount = new Map<string, FoundChain[]>();
  for (const c of found.chains) {
    const list = byAccount.get(c.account);
    if (list) list.push(c);
    else byAccount.set(c.account, [c]);
  }
  for (const [accountId, chains] of byAccount)
    if (!chains.some((c) => accountOf(c.caller.subject.arn) !== accountId || c.hops.some((h) => accountOf(h.to) !== accountId)))
      byAccount.delete(accountId);
  const warnings = found.warnings.map((w) =>
    w
      .replace('role chain search stopped', 'cross-account role chain search stopped')
      .replace('sts:AssumeRole evaluations', `sts:AssumeRole evaluations over ${snapshots.length} accounts`),
  );
  return { gained: (accountId, current) => gainedIn(accountId, current, byAccount.get(accountId) ?? []), warnings };
}

/**
 * The grants `chains` give in one account, as the organisation-wide analysis gives them: each chain adds the role's
 * direct grants (read from `current`) to its caller unless the caller holds them as directly or by a shorter chain
 * already, starting from the direct grants of the account's roles; only the grants whose chain leaves the account
 * are kept.
 */
function gainedIn(accountId: string, current: readonly Principal[], chains: readonly FoundChain[]): Principal[] {
  if (chains.length === 0) return [];
  const direct = new Map<string, Principal>();
  for (const p of current) {
    if (p.type !== 'role') continue;
    const grants = p.grants.filter((g) => g.reach !== 'indirect');
    if (grants.length > 0) direct.set(p.id, { ...p, grants });
  }
  const target = new Map([...direct].map(([id, p]) => [id, { ...p, grants: [...p.grants] }]));
  for (const c of chains) {
    const role = direct.get(c.role);
    if (role) addChained(target, c.caller, role, c.hops);
  }
  return [...target.values()]
    .flatMap((p) => {
      const grants = p.grants.filter((g) => g.reach === 'indirect' && crosses(p.id, g, accountId));
      return grants.length === 0 ? [] : [sortedPrincipal({ ...p, grants })];
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A scope's principals with what the cross-account step found: a principal gains each (capability, action) it
 * does not already hold (directly or by a chain inside the account); new principals are added. Sorted by id.
 */
export function withCrossAccountGrants(principals: readonly Principal[], gained: readonly Principal[]): Principal[] {
  const byId = new Map(principals.map((p) => [p.id, p]));
  for (const g of gained) {
    const held = byId.get(g.id);
    if (!held) {
      byId.set(g.id, g);
      continue;
    }
    const have = new Set(held.grants.map((x) => `${x.capability}\u0000${x.action}`));
    const extra = g.grants.filter((x) => !have.has(`${x.capability}\u0000${x.action}`));
    if (extra.length === 0) continue;
    byId.set(g.id, sortedPrincipal({ ...held, grants: [...held.grants, ...extra] }));
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
