/** Microsoft.Resources subscriptions and Microsoft.Management management groups: what discovery reads. */
import { descendantBody, managementGroupBody, subscriptionBody } from '../resources/tenant.ts';
import { MG_PREFIX, mgScope } from '../state.ts';
import { armError, type Route } from '../wire.ts';
import type { RouteContext } from './context.ts';

export function tenantRoutes(c: RouteContext): Route[] {
  const { state, access } = c;
  const estate = state.estate;
  return [
    {
      method: 'GET',
      pattern: /^\/subscriptions$/i,
      service: 'Microsoft.Resources',
      operation: 'ListSubscriptions',
      handle: (req) =>
        c.page(
          req,
          estate.subscriptions.filter((s) => s.visible && access.listsSubscription(s.id)).map((s) => subscriptionBody(s, state.tenantId)),
          'subscriptions',
        ),
    },
    {
      method: 'GET',
      pattern: /^\/providers\/Microsoft\.Management\/managementGroups$/i,
      service: 'Microsoft.Management',
      operation: 'ListManagementGroups',
      handle: (req) =>
        c.page(
          req,
          [...state.managementGroups.values()]
            .filter((g) => access.can('Microsoft.Management/managementGroups/read', mgScope(g.id)))
            .map((g) => managementGroupBody(g.id, g.name, state.tenantId)),
          'managementGroups',
        ),
    },
    {
      method: 'GET',
      pattern: /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\/descendants$/i,
      service: 'Microsoft.Management',
      operation: 'ListManagementGroupDescendants',
      scope: (m) => m[1] ?? null,
      auth: { action: 'Microsoft.Management/managementGroups/descendants/read', scope: (m) => mgScope(m[1] ?? '') },
      handle(req, m) {
        const root = (m[1] ?? '').toLowerCase();
        if (!state.managementGroups.has(root)) return armError(404, 'NotFound', `'${MG_PREFIX}${m[1]}' not found`);
        const under = (mg: string) => state.mgChain(mg).some((x) => x.toLowerCase() === root);
        const items = [
          ...estate.managementGroups
            .filter((g) => g.id.toLowerCase() !== root && under(g.id))
            .map((g) => descendantBody('mg', g.id, g.name, state.parentOfMg(g.id) ?? state.tenantId)),
          ...estate.subscriptions
            .filter((s) => under(state.parentOfSubscription(s)))
            .map((s) => descendantBody('subscription', s.id, s.name, state.parentOfSubscription(s))),
        ];
        return c.page(req, items, `descendants-${root}`);
      },
    },
  ];
}
