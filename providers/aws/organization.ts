/**
 * The organisation as the scanner sees it: accounts, the OU tree, the accounts filter and the SCPs on the path from
 * the root to an account. Pure helpers first; the fetchers take a `send` function so they never build clients.
 */
import type { Account, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { AwsConfig } from '../../src/core/config/schema.ts';
import type { Ancestor } from '../../src/core/model/result.ts';
import type { Listing } from '../paging.ts';
import type { Sdks } from './clients.ts';
import { allPages } from './scope-io.ts';

export interface OrgUnit {
  id: string;
  name: string;
  parentId: string;
}

export interface OrgTree {
  id: string;
  managementAccountId: string;
  rootId: string;
  rootName: string;
  scpEnabled: boolean;
  ous: Map<string, OrgUnit>;
}

export interface OrgAccount {
  id: string;
  name: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED… (State, else the older Status). */
  state: string;
  /** Direct parent (root or OU id); null when ListParents failed. */
  parentId: string | null;
}

/** Root → … → direct parent, as ids (the root first). */
export function pathIds(tree: OrgTree, parentId: string): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  let cur: string | undefined = parentId;
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    chain.unshift(cur);
    if (cur === tree.rootId) break;
    cur = tree.ous.get(cur)?.parentId;
  }
  return chain;
}

/** Scope.parents: the organisation, its root, then the OUs down to the account's direct parent. */
export function ancestors(tree: OrgTree, parentId: string | null): Ancestor[] {
  const org: Ancestor = { kind: 'organization', id: tree.id, name: null };
  if (parentId === null) return [org];
  return [
    org,
    ...pathIds(tree, parentId).map(
      (id): Ancestor =>
        id === tree.rootId ? { kind: 'root', id, name: tree.rootName } : { kind: 'ou', id, name: tree.ous.get(id)?.name ?? null },
    ),
  ];
}

/** Is the account selected by the config's include / exclude ids and OUs (at any depth)? */
export function accountSelected(
  cfg: AwsConfig['accounts'],
  tree: OrgTree,
  account: OrgAccount,
): { selected: boolean; reason: string | null } {
  if (cfg.include.length > 0 && !cfg.include.includes(account.id)) return { selected: false, reason: 'not in accounts.include' };
  if (cfg.exclude.includes(account.id)) return { selected: false, reason: 'in accounts.exclude' };
  if (cfg.ous.length > 0) {
    if (account.parentId === null) return { selected: false, reason: 'its OU could not be read' };
    const path = pathIds(tree, account.parentId);
    if (!cfg.ous.some((ou) => path.includes(ou))) return { selected: false, reason: 'not under accounts.ous' };
  }
  return { selected: true, reason: null };
}

export function accountState(a: Account): string {
  return String(a.State ?? a.Status ?? 'ACTIVE');
}

/** Sends one Organizations call through the engine (the caller's credentials); `maxPages` bounds its listings. */
export type OrgSend = (<T>(
  operation: string,
  fn: (client: OrganizationsClient, signal: AbortSignal, sdk: Sdks['organizations']) => Promise<T>,
) => Promise<T>) & {
  maxPages?: number;
};

function listing(send: OrgSend, operation: string): Listing {
  return { operation: `organizations:${operation}`, region: null, ...(send.maxPages ? { maxPages: send.maxPages } : {}) };
}

/** DescribeOrganization, ListRoots and the OU tree (ListOrganizationalUnitsForParent from the root down). */
export async function fetchTree(send: OrgSend): Promise<OrgTree> {
  const org = await send('DescribeOrganization', (c, abortSignal, sdk) => c.send(new sdk.DescribeOrganizationCommand({}), { abortSignal }));
  const roots = await send('ListRoots', (c, abortSignal, sdk) => c.send(new sdk.ListRootsCommand({}), { abortSignal }));
  const root = roots.Roots?.[0];
  if (!org.Organization?.Id || !org.Organization.MasterAccountId || !root?.Id)
    throw new Error('Organizations returned no organisation or root');
  const tree: OrgTree = {
    id: org.Organization.Id,
    managementAccountId: org.Organization.MasterAccountId,
    rootId: root.Id,
    rootName: root.Name ?? 'Root',
    scpEnabled: (root.PolicyTypes ?? []).some((p) => p.Type === 'SERVICE_CONTROL_POLICY' && p.Status === 'ENABLED'),
    ous: new Map(),
  };
  const walk = async (parentId: string): Promise<void> => {
    const children = await allPages(listing(send, 'ListOrganizationalUnitsForParent'), async (token) => {
      const out = await send('ListOrganizationalUnitsForParent', (c, abortSignal, sdk) =>
        c.send(new sdk.ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: token }), { abortSignal }),
      );
      return { items: out.OrganizationalUnits ?? [], next: out.NextToken };
    });
    for (const ou of children) if (ou.Id) tree.ous.set(ou.Id, { id: ou.Id, name: ou.Name ?? ou.Id, parentId });
    await Promise.all(children.filter((ou) => ou.Id).map((ou) => walk(ou.Id as string)));
  };
  await walk(tree.rootId);
  return tree;
}

/**
 * Every account with its direct parent: ListAccountsForParent per container (the root and each OU), the fewest calls
 * that name both (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html).
 */
export async function fetchAccounts(send: OrgSend, tree: OrgTree): Promise<Array<{ account: Account; parentId: string }>> {
  const containers = [tree.rootId, ...tree.ous.keys()];
  const perContainer = await Promise.all(
    containers.map(async (parentId) => {
      const accounts = await allPages(listing(send, 'ListAccountsForParent'), async (token) => {
        const out = await send('ListAccountsForParent', (c, abortSignal, sdk) =>
          c.send(new sdk.ListAccountsForParentCommand({ ParentId: parentId, NextToken: token }), { abortSignal }),
        );
        return { items: out.Accounts ?? [], next: out.NextToken };
      });
      return accounts.map((account) => ({ account, parentId }));
    }),
  );
  return perContainer.flat().sort((a, b) => ((a.account.Id ?? '') < (b.account.Id ?? '') ? -1 : 1));
}

export interface ScpDocument {
  id: string;
  name: string;
  document: string;
}

/**
 * SCPs on the path root → OUs → account, one list per level. Where each policy is attached is read once per scan,
 * per policy (ListPolicies, then ListTargetsForPolicy for each: far fewer calls than ListPoliciesForTarget per root,
 * OU and account; https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListTargetsForPolicy.html), and
 * each policy's document once (DescribePolicy), when an account first needs it.
 */
export class ScpCache {
  private attachments: Promise<Map<string, Array<{ id: string; name: string }>>> | null = null;
  private readonly documents = new Map<string, Promise<ScpDocument>>();

  private readonly send: OrgSend;

  constructor(send: OrgSend) {
    this.send = send;
  }

  /** Target (root, OU, account) → the SCPs attached to it, in ListPolicies order. */
  private async readAttachments(): Promise<Map<string, Array<{ id: string; name: string }>>> {
    const policies = await allPages(listing(this.send, 'ListPolicies'), async (token) => {
      const out = await this.send('ListPolicies', (c, abortSignal, sdk) =>
        c.send(new sdk.ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY', NextToken: token }), { abortSignal }),
      );
      return {
        items: (out.Policies ?? []).map((x) => ({ id: x.Id ?? '', name: x.Name ?? x.Id ?? '' })).filter((x) => x.id),
        next: out.NextToken,
      };
    });
    const targets = await Promise.all(
      policies.map((policy) =>
        allPages(listing(this.send, 'ListTargetsForPolicy'), async (token) => {
          const out = await this.send('ListTargetsForPolicy', (c, abortSignal, sdk) =>
            c.send(new sdk.ListTargetsForPolicyCommand({ PolicyId: policy.id, NextToken: token }), { abortSignal }),
          );
          return { items: (out.Targets ?? []).map((t) => t.TargetId ?? '').filter(Boolean), next: out.NextToken };
        }),
      ),
    );
    const byTarget = new Map<string, Array<{ id: string; name: string }>>();
    policies.forEach((policy, i) => {
      for (const target of targets[i] ?? []) byTarget.set(target, [...(byTarget.get(target) ?? []), policy]);
    });
    return byTarget;
  }

  private async policiesFor(targetId: string) {
    this.attachments ??= this.readAttachments();
    return (await this.attachments).get(targetId) ?? [];
  }

  private document(policy: { id: string; name: string }) {
    let p = this.documents.get(policy.id);
    if (!p) {
      p = this.send('DescribePolicy', (c, abortSignal, sdk) =>
        c.send(new sdk.DescribePolicyCommand({ PolicyId: policy.id }), { abortSignal }),
      ).then((out) => ({
        id: policy.id,
        name: out.Policy?.PolicySummary?.Name ?? policy.name,
        document: out.Policy?.Content ?? '{}',
      }));
      this.documents.set(policy.id, p);
    }
    return p;
  }

  /** Root first, the account last. */
  async forAccount(tree: OrgTree, accountId: string, parentId: string): Promise<ScpDocument[][]> {
    const levels = [...pathIds(tree, parentId), accountId];
    return Promise.all(levels.map(async (target) => Promise.all((await this.policiesFor(target)).map((p) => this.document(p)))));
  }
}
