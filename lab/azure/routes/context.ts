/**
 * What every Azure route file is handed: the estate's state, who the caller is, and the ARM helpers routes share
 * (a subscription the caller may read, a readable scope, a paged list of one subscription's resources).
 */
import type { LabRequest, LabResponse, ProviderLabContext } from '../../core.ts';
import type { CallerAccess } from '../access.ts';
import type { AzureSubscription } from '../estate.ts';
import { type AzureLabState, LAB_PRINCIPAL_ID, MG_PREFIX } from '../state.ts';
import { armError, armPage, type Route } from '../wire.ts';

export function denied(action: string, scope: string, principal: string = LAB_PRINCIPAL_ID): LabResponse {
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${principal}' with object id '${principal}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

export class RouteContext {
  readonly state: AzureLabState;
  readonly access: CallerAccess;
  private readonly lab: ProviderLabContext;

  constructor(state: AzureLabState, access: CallerAccess, lab: ProviderLabContext) {
    this.state = state;
    this.access = access;
    this.lab = lab;
  }

  /** Where the lab is served (known once it listens: read at request time). */
  get baseUrl(): string {
    return this.lab.baseUrl;
  }

  /** One page of a list, at the estate's page size. */
  page(req: LabRequest, items: readonly unknown[], salt: string): LabResponse {
    return armPage(req, this.baseUrl, items, this.state.estate.pageSize, salt);
  }

  /** The subscription, or the answer ARM gives for one that does not exist or that the caller cannot see. */
  subscription(id: string): { sub: AzureSubscription } | { error: LabResponse } {
    const sub = this.state.subscriptions.get(id.toLowerCase());
    if (!sub) return { error: armError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`) };
    if (!sub.visible) return { error: denied('Microsoft.Resources/subscriptions/read', `/subscriptions/${id}`, this.access.principalId) };
    return { sub };
  }

  withSub(id: string | undefined, fn: (sub: AzureSubscription) => LabResponse): LabResponse {
    const r = this.subscription(id ?? '');
    return 'error' in r ? r.error : fn(r.sub);
  }

  /** Null when a scope (`/`, a management group, a subscription or below) can be read; otherwise ARM's answer. */
  scopeReadable(scope: string): LabResponse | null {
    const sub = this.state.subscriptionOf(scope);
    if (sub) {
      const r = this.subscription(sub);
      if ('error' in r) return r.error;
    }
    const mg = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)$/i.exec(scope)?.[1];
    if (mg && !this.state.managementGroups.has(mg.toLowerCase())) {
      return armError(404, 'ManagementGroupNotFound', `'${MG_PREFIX}${mg}' not found`);
    }
    return null;
  }

  /**
   * A paged `{value, nextLink}` listing of one subscription's resources at `/subscriptions/{id}/providers/{path}`,
   * authorised by `action` at the subscription.
   */
  subscriptionList(
    path: string,
    op: { service: string; operation: string; action: string },
    items: (sub: AzureSubscription) => unknown[],
    salt: string,
  ): Route {
    return {
      method: 'GET',
      pattern: new RegExp(`^/subscriptions/([^/]+)/providers/${path.replace(/[.]/g, '\\.')}$`, 'i'),
      service: op.service,
      operation: op.operation,
      scope: (m) => m[1] ?? null,
      auth: { action: op.action, scope: (m) => `/subscriptions/${m[1]}` },
      handle: (req, m) => this.withSub(m[1], (sub) => this.page(req, items(sub), salt)),
    };
  }
}
