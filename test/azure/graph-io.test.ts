/**
 * The Microsoft Graph reads of the Azure I/O object, against a recording Graph client: getByIds in batches of at
 * most 1000 ids (documented limit), each subscription asking for its own principals (the same requests whatever order subscriptions finish in), and a nextLink never followed
 * off the Graph endpoint (the token would go with it).
 */
import { describe, expect, it } from 'vitest';
import type { AzureClients } from '../../providers/azure/clients.ts';
import { GraphClient } from '../../providers/azure/graph.ts';
import { GET_BY_IDS_BATCH, ScanReads, scopeIO } from '../../providers/azure/scope-io.ts';
import type { ScopeRuntime } from '../../providers/types.ts';

function recording() {
  const bodies: string[][] = [];
  const graph = {
    request: async (_method: string, _target: string, body: { ids: string[] }) => {
      bodies.push(body.ids);
      return { value: body.ids.map((id) => ({ '@odata.type': '#microsoft.graph.user', id, displayName: `n-${id}` })) };
    },
  };
  const clients = { graph: () => graph, arm: () => null, forSubscription: () => ({}) } as unknown as AzureClients;
  const rt = {
    call: (_op: unknown, fn: (s: AbortSignal) => Promise<unknown>) => fn(new AbortController().signal),
  } as unknown as ScopeRuntime;
  return { bodies, clients, rt };
}

describe('Microsoft Graph reads', () => {
  it('names 2500 principals in three getByIds batches of at most 1000, each subscription its own, whatever the order', async () => {
    const { bodies, clients, rt } = recording();
    const shared = new ScanReads();
    const ids = Array.from({ length: 2500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const a = await scopeIO(clients, shared, 'sub-a', rt, []).getDirectoryObjects(ids);
    expect(a.size).toBe(2500);
    expect(bodies.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(GET_BY_IDS_BATCH).toBe(1000);
    // Another subscription asking for one of the same ids (twice, in capitals) and a new one: one request of both,
    // whether or not the first subscription's read is still in flight (the scan's calls do not depend on timing).
    const second = ['ffffffff-0000-4000-8000-000000000001', (ids[0] as string).toUpperCase(), ids[0] as string];
    const b = await scopeIO(clients, shared, 'sub-b', rt, []).getDirectoryObjects(second);
    expect(b.size).toBe(2);
    expect(bodies.slice(3)).toEqual([[ids[0], 'ffffffff-0000-4000-8000-000000000001']]);
  });

  it('refuses to follow a nextLink to another host, before any token is asked for', async () => {
    let asked = 0;
    const client = new GraphClient({
      endpoint: 'https://graph.microsoft.com',
      credential: () => ({
        getToken: async () => {
          asked++;
          return { token: 't', expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      }),
    });
    await expect(
      client.request('GET', 'https://evil.example/v1.0/groups/x/transitiveMembers?$skiptoken=1', undefined, new AbortController().signal),
    ).rejects.toThrow(/outside https:\/\/graph\.microsoft\.com: not followed/);
    expect(asked).toBe(0);
  });
});
