/**
 * Ticket planning at organisation scale (issue #23): a dry run plans from the state store without holding the
 * latest scan's findings or a draft per ticket — the groups keep what decides each ticket, and each operation is
 * drafted, its findings read back, only when it is reached.
 */
import { describe, expect, it } from 'vitest';
import { inSmallHeap } from '../state/small-heap.ts';

describe('planning tickets for many findings', () => {
  it('plans a first sync of 40,000 high findings within a 72 MiB heap, each finding once, in fingerprint order', () => {
    const run = inSmallHeap(
      72,
      `recordScan(store, t, '2026-11-01T02:00:00.000Z', manyScopes(t, 40, 1000, 'high'));
       const { TicketsConfig } = await mod('src/core/config/tickets.ts');
       const { runTicketSync } = await mod('src/tickets/sync.ts');
       const { silentLogger } = await mod('src/core/log.ts');
       const tickets = TicketsConfig.parse({ sink: 'jira', jira: { url: 'https://jira.example.invalid', project: 'SEC' } });
       const report = await runTicketSync({ store, tickets, credentials: null, dryRun: true, log: silentLogger });
       const keys = report.planned.map((op) => op.key);
       process.stdout.write(JSON.stringify({
         kinds: [...new Set(report.planned.map((op) => op.kind))],
         count: keys.length,
         distinct: new Set(keys).size,
         sorted: keys.every((k, i) => i === 0 || keys[i - 1] < k),
         first: report.planned[0],
       }));`,
    );
    expect(run.heapErrors).toEqual([]);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ kinds: ['create'], count: 40_000, distinct: 40_000, sorted: true });
    // the report keeps what it shows: the marker a create searches for, and the title drafted from the finding
    expect(out.first).toMatchObject({
      kind: 'create',
      key: '000000000000000000000000',
      target: 'snapaudit-000000000000000000000000',
      reason: 'new finding',
    });
    expect(out.first.title).toMatch(/^\[snapaudit\] HIGH .*\(copy 0\)$/);
  }, 150_000);
});

describe('reconciling against a long finding history', () => {
  it('adopts the one listed ticket from a history of 150,000 findings within a 48 MiB heap', () => {
    // --reconcile names the markers the ticket system lists from the latest scan and the history: it reads both once,
    // keeping only what a listed marker needs (on the code before, every lifecycle and finding went into maps)
    const run = inSmallHeap(
      48,
      `recordScan(store, t, '2026-11-01T02:00:00.000Z', manyScopes(t, 150, 1000, 'low'));
       const { fp } = await mod('test/state/large-scan.ts');
       const { TicketsConfig } = await mod('src/core/config/tickets.ts');
       const { syncTickets } = await mod('src/tickets/sync.ts');
       const { silentLogger } = await mod('src/core/log.ts');
       const tickets = TicketsConfig.parse({ sink: 'jira', minSeverity: 'low', checks: { exclude: ['*'] }, jira: { url: 'https://jira.example.invalid', project: 'SEC' } });
       const key = fp('100000000042', 7);
       const ticket = { id: '10001', key: 'SEC-1', url: null, state: 'open' };
       const listed = { ...ticket, marker: 'snapaudit-' + key, title: 'listed', project: 'SEC' };
       const sink = {
         kind: 'jira', searchable: true,
         listOpen: async () => [listed], search: async () => [ticket], get: async () => ticket,
         create: async () => { throw new Error('no create expected'); },
         refresh: async () => {}, close: async () => {}, reopen: async () => {},
       };
       const report = await syncTickets({ store, tickets, sink, credentials: null, log: silentLogger, reconcile: true });
       const link = store.ticketLinks('jira')[0];
       process.stdout.write(JSON.stringify({ done: report.done, unknown: report.unknown.length, failed: report.failed, link: link && { key: link.key, members: link.members } }));`,
    );
    expect(run.heapErrors).toEqual([]);
    expect(run.status).toBe(0);
    const key = '000042000000000000000007';
    expect(JSON.parse(run.stdout)).toEqual({
      // adopted, then its body brought up to date from the history (no comment: it was adopted)
      done: [
        { kind: 'create', key, ticket: 'SEC-1', outcome: 'adopted' },
        { kind: 'refresh', key, ticket: 'SEC-1', outcome: 'updated' },
      ],
      unknown: 0,
      failed: [],
      link: { key, members: { [key]: { state: 'open', evidenceHash: '', label: key } } },
    });
  }, 150_000);
});
