/**
 * The SDK clients of a scan: built per service, account and region on first use, the least recently used dropped
 * beyond a bound (providers/aws/clients.ts MAX_CLIENTS). Dropping one must change nothing a user sees: the same
 * result and the same calls, however few clients are kept.
 */
import { describe, expect, it } from 'vitest';
import { scanAws } from './support.ts';

const calls = (lab: Awaited<ReturnType<typeof scanAws>>['lab']) =>
  lab.log.entries.map((e) => `${e.scope ?? ''}:${e.service}:${e.operation}:${e.region ?? ''}`).sort();

describe('AWS SDK clients', () => {
  it('scans the demo organisation the same way keeping one client at a time as keeping all of them', async () => {
    const all = await scanAws('demo');
    const one = await scanAws('demo', { maxClients: 1 });
    expect(one.result.scopes.length).toBeGreaterThan(1);
    expect(JSON.stringify(one.result.scopes)).toBe(JSON.stringify(all.result.scopes));
    expect(one.result.stats.apiCalls).toBe(all.result.stats.apiCalls);
    expect(calls(one.lab)).toEqual(calls(all.lab));
  });
});
