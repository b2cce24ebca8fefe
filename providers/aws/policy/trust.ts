/**
 * Who can become a role: the entities a role's trust policy (AssumeRolePolicyDocument) admits through
 * sts:AssumeRole, sts:AssumeRoleWithSAML or sts:AssumeRoleWithWebIdentity, with the conditions that guard them.
 * Offline, a trust condition (sts:ExternalId, aws:PrincipalOrgID, SAML audience…) makes the entity conditional,
 * unless the keys it reads are known (`known`, e.g. the scan time as aws:CurrentTime / aws:EpochTime): then it is
 * decided — a statement whose conditions are false now admits nobody, one whose conditions hold admits
 * unconditionally. A Deny in the trust policy removes an entity it names (or everyone, with `*`) when it applies,
 * and makes it conditional when that cannot be decided.
 */
import { describeCondition, evaluateConditions } from './conditions.ts';
import { type ContextInput, partialContext, type Truth } from './context.ts';
import { parsePolicy, type PrincipalElement, type Statement, statementLabel } from './parse.ts';
import { matchAction } from './statement.ts';

export type TrustedType = 'account' | 'principal' | 'service' | 'federated' | 'public' | 'canonical-user';

export interface TrustedEntity {
  type: TrustedType;
  /** As written in the trust policy: account id, ARN, service or provider name, `*`. */
  id: string;
  /** The account it belongs to, when it is an AWS account or IAM principal. */
  accountId: string | null;
  /** The sts actions that admit it. */
  actions: string[];
  conditional: boolean;
  /** Human-readable trust conditions. */
  conditions: string[];
  /** The trust statements that admit it (Sid or index). */
  statements: string[];
}

export const assumeActions = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'] as const;

function entitiesOf(el: PrincipalElement): Array<{ type: TrustedType; id: string; accountId: string | null }> {
  if (el.wildcard) return [{ type: 'public', id: '*', accountId: null }];
  const out: Array<{ type: TrustedType; id: string; accountId: string | null }> = [];
  for (const [rawType, values] of Object.entries(el.byType)) {
    const type = rawType.toLowerCase();
    for (const v of values) {
      if (type === 'aws') {
        if (v === '*') out.push({ type: 'public', id: v, accountId: null });
        else if (/^\d{12}$/.test(v)) out.push({ type: 'account', id: v, accountId: v });
        else {
          const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):(.*)$/.exec(v);
          if (m?.[2] === 'root') out.push({ type: 'account', id: v, accountId: m[1]! });
          else if (/^A[A-Z0-9]{15,}$/.test(v))
            continue; // a unique id: the principal was deleted, nobody can use it
          else out.push({ type: 'principal', id: v, accountId: m?.[1] ?? null });
        }
      } else if (type === 'service') out.push({ type: 'service', id: v, accountId: null });
      else if (type === 'federated') out.push({ type: 'federated', id: v, accountId: null });
      else if (type === 'canonicaluser') out.push({ type: 'canonical-user', id: v, accountId: null });
    }
  }
  return out;
}

function actionsOf(st: Statement): string[] {
  return assumeActions.filter((a) => matchAction(st, a) !== null);
}

/** A statement's Condition block against what is known: its truth, and the entries that stay open. */
function decide(st: Statement, known: ContextInput): { truth: Truth; open: string[] } {
  const r = evaluateConditions(st.conditions, partialContext(known), true);
  return { truth: r.result, open: r.details.filter((d) => d.result === 'maybe').map(describeCondition) };
}

/** Parses a trust policy (object, JSON or URL-encoded) into the entities it admits, sorted by type and id. */
export function trustedEntities(document: unknown, known: ContextInput = {}): TrustedEntity[] {
  const doc = parsePolicy(document);
  const byKey = new Map<string, TrustedEntity>();
  for (const st of doc.statements) {
    if (st.effect !== 'Allow' || st.principal?.element !== 'Principal') continue;
    const actions = actionsOf(st);
    if (actions.length === 0) continue;
    const decided = decide(st, known);
    if (decided.truth === 'no') continue;
    const conditions = decided.truth === 'yes' ? [] : decided.open;
    for (const e of entitiesOf(st.principal.value)) {
      const key = `${e.type}|${e.id}`;
      const prev = byKey.get(key);
      if (prev) {
        prev.actions = [...new Set([...prev.actions, ...actions])].sort();
        // admitted unconditionally by any statement = unconditional
        prev.conditional = prev.conditional && conditions.length > 0;
        if (!prev.conditional) prev.conditions = [];
        else prev.conditions = [...new Set([...prev.conditions, ...conditions])];
        prev.statements.push(statementLabel(st));
      } else {
        byKey.set(key, { ...e, actions, conditional: conditions.length > 0, conditions, statements: [statementLabel(st)] });
      }
    }
  }
  // Deny statements take entities away
  for (const st of doc.statements) {
    if (st.effect !== 'Deny' || actionsOf(st).length === 0) continue;
    const named = st.principal ? entitiesOf(st.principal.value) : [];
    const everyone = st.principal?.element === 'Principal' && named.some((n) => n.type === 'public');
    for (const [key, e] of byKey) {
      const hit =
        st.principal?.element === 'NotPrincipal'
          ? !named.some((n) => n.id === e.id)
          : everyone || named.some((n) => n.type === e.type && n.id === e.id);
      if (!hit) continue;
      const decided = decide(st, known);
      if (decided.truth === 'yes') byKey.delete(key);
      else if (decided.truth === 'maybe') {
        e.conditional = true;
        e.conditions.push(`unless trust Deny ${statementLabel(st)} applies (${decided.open.join('; ')})`);
      }
    }
  }
  return [...byKey.values()].sort((a, b) => (a.type === b.type ? a.id.localeCompare(b.id) : a.type.localeCompare(b.type)));
}

/** Does the trust policy let callers set session tags (which override the role's own tags)? */
export function allowsSessionTags(document: unknown): boolean {
  const doc = parsePolicy(document);
  return doc.statements.some((st) => st.effect === 'Allow' && matchAction(st, 'sts:TagSession') !== null);
}
