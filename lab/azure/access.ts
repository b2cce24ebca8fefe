/**
 * Who the lab's client is allowed to read, when the estate names it (`azure.caller`): Azure RBAC over the estate's
 * own role assignments, as ARM authorises every request — the caller (or a group it is in) needs a role assignment at
 * or above the request's scope whose role allows the request's action (Actions minus NotActions, `*` anywhere,
 * case-insensitive; https://learn.microsoft.com/en-us/azure/role-based-access-control/role-definitions#actions).
 * Without `caller`, everything is readable (as with Reader at the tenant root). Deny assignments and conditions on
 * the caller's own assignments are not modelled.
 */
import { globMatch } from '../../src/core/glob.ts';
import type { AzureEstate } from './estate.ts';
import { type AzureLabState, LAB_PRINCIPAL_ID, normScope } from './state.ts';

export class CallerAccess {
  private readonly principals: Set<string> | null;
  /** The object id ARM's error messages name. */
  readonly principalId: string;
  private readonly state: AzureLabState;
  private readonly estate: AzureEstate;

  constructor(state: AzureLabState, estate: AzureEstate) {
    this.state = state;
    this.estate = estate;
    const c = estate.caller;
    this.principalId = c?.principalId ?? LAB_PRINCIPAL_ID;
    this.principals = c ? new Set([c.principalId, ...c.groups].map((x) => x.toLowerCase())) : null;
  }

  /** Is the caller's access modelled at all? */
  get modelled(): boolean {
    return this.principals !== null;
  }

  private mine() {
    const p = this.principals;
    return p ? this.estate.roleAssignments.filter((a) => p.has(a.principalId.toLowerCase())) : [];
  }

  /** May the caller perform `action` at `scope` (an assignment at or above it allows it)? */
  can(action: string, scope: string): boolean {
    if (!this.principals) return true;
    return this.mine().some((a) => {
      if (!this.state.atOrAbove(a.scope, scope)) return false;
      const role = this.state.role(a.role);
      return (role?.permissions ?? []).some(
        (b) => b.actions.some((p) => globMatch(p, action)) && !b.notActions.some((p) => globMatch(p, action)),
      );
    });
  }

  /**
   * Does the subscription appear in the caller's subscription list? When it may read the subscription, or holds any
   * role assignment inside it (a resource-group assignment lists the subscription too).
   */
  listsSubscription(subscriptionId: string): boolean {
    if (!this.principals) return true;
    const scope = `/subscriptions/${subscriptionId}`;
    return (
      this.can('Microsoft.Resources/subscriptions/read', scope) ||
      this.mine().some((a) => normScope(a.scope).startsWith(`${normScope(scope)}/`))
    );
  }
}
