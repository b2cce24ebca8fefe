/**
 * A grant path as people read it: a chain from the principal through the group or trust, the hops to another
 * identity (an assumed AWS role, an impersonated GCP service account, an Azure PIM eligibility), the policy,
 * assignment, role or binding that carries the permission, to the action, with the scope it applies to. The path's other steps
 * (statements, patterns, repeated bindings) stay in result.json and principals.csv's `path` column.
 */
import type { Grant, PathStep } from '../src/core/model/result.ts';

/** The steps that name how a principal got a permission, in path order. */
const CHAIN_STEPS: ReadonlySet<PathStep['kind']> = new Set([
  'principal',
  'group',
  'trust',
  'assume-role',
  'impersonation',
  'eligibility',
  'policy',
  'assignment',
  'role',
  'binding',
]);

/** How a grant is held, as people read it: `indirect (2 hops)`, `eligible`, or null for a direct grant. */
export function grantReach(g: Grant): string | null {
  if (g.reach === 'eligible') return 'eligible';
  if (g.reach === 'indirect') return `indirect (${g.hops ?? 1} ${(g.hops ?? 1) === 1 ? 'hop' : 'hops'})`;
  return null;
}

/** How a principal holds its capabilities: `direct`, `indirect`, `eligible`, or a mix (`direct, eligible`). */
export function principalReach(grants: readonly Grant[]): string {
  const order = ['direct', 'indirect', 'eligible'] as const;
  const held = new Set(grants.map((g) => g.reach ?? 'direct'));
  return order.filter((r) => held.has(r)).join(', ');
}

export const CHAIN_ARROW = ' → ';

function stepText(s: PathStep): string {
  return s.label ?? s.id;
}

/** principal → group/trust → policy/assignment/role/binding (each link once, in order). */
export function grantVia(g: Grant): string[] {
  const links: string[] = [];
  for (const s of g.path) {
    if (!CHAIN_STEPS.has(s.kind)) continue;
    const text = stepText(s);
    if (!links.includes(text)) links.push(text);
  }
  return links;
}

/** Where the grant applies: the path's scope step when it names one, else the resource scope (`*`: everywhere). */
export function grantScope(g: Grant): string {
  const scope = [...g.path].reverse().find((s) => s.kind === 'scope');
  if (scope) return stepText(scope);
  return g.resourceScope === '*' ? 'every resource of the scope' : g.resourceScope;
}

/** The action with the pattern that matched it, when they differ (`ec2:CreateImage (via ec2:Create*)`). */
export function grantAction(g: Grant): string {
  const pattern = g.path.find((s) => s.kind === 'action-pattern');
  const p = pattern ? stepText(pattern).replace(/^(Not)?Actions /, '') : null;
  return p && p !== g.action ? `${g.action} (via ${p})` : g.action;
}

export function grantFlags(g: Grant): string[] {
  const conditions = [...new Set([...g.path.filter((s) => s.kind === 'condition').map(stepText), ...g.conditions])];
  const reach = grantReach(g);
  return [
    ...(reach ? [reach] : []),
    ...(g.broad ? ['broad'] : []),
    ...(g.external ? ['external'] : []),
    ...(g.conditional || conditions.length ? [`conditional${conditions.length ? `: ${conditions.join('; ')}` : ''}`] : []),
  ];
}

/** One grant as one line: `create: bob → group ops → policy P → ec2:CreateImage (via ec2:Create*) · scope: … [broad]`. */
export function grantChain(g: Grant): string {
  const flags = grantFlags(g);
  return `${g.capability}: ${[...grantVia(g), grantAction(g)].join(CHAIN_ARROW)} · scope: ${grantScope(g)}${flags.length ? ` [${flags.join(', ')}]` : ''}`;
}

export interface GrantGroup {
  capabilities: string[];
  via: string[];
  actions: string[];
  scope: string;
  flags: string[];
}

/**
 * Grants that share a chain, a scope and flags, as one line with their actions: a principal with AdministratorAccess
 * reads as one chain to a dozen actions, not a dozen chains.
 */
export function groupGrants(grants: readonly Grant[]): GrantGroup[] {
  const groups = new Map<string, GrantGroup>();
  for (const g of grants) {
    const via = grantVia(g);
    const scope = grantScope(g);
    const flags = grantFlags(g);
    const key = JSON.stringify([via, scope, flags]);
    const group = groups.get(key) ?? { capabilities: [], via, actions: [], scope, flags };
    if (!group.capabilities.includes(g.capability)) group.capabilities.push(g.capability);
    const action = grantAction(g);
    if (!group.actions.includes(action)) group.actions.push(action);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** A group as one line; at most `maxActions` actions are named. */
export function groupLine(x: GrantGroup, maxActions = 4): string {
  const shown =
    x.actions.slice(0, maxActions).join(', ') + (x.actions.length > maxActions ? ` +${x.actions.length - maxActions} more` : '');
  return `${x.capabilities.join(', ')}: ${[...x.via, shown].join(CHAIN_ARROW)} · scope: ${x.scope}${x.flags.length ? ` [${x.flags.join(', ')}]` : ''}`;
}
