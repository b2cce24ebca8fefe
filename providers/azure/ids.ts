/** ARM resource ids: normalised spelling and the parts the adapter needs (subscription, resource group). */
/** ARM ids sometimes come without the leading slash (the diagnostic-settings example does). */
export function armId(id: string): string {
  return `/${id.replace(/^\/+/, '')}`;
}

export function subscriptionOf(id: string | undefined | null): string | null {
  return id ? (/^\/?subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase() ?? null) : null;
}

export function resourceGroupOf(id: string): string | null {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? null;
}
