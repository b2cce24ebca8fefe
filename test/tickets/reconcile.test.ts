/**
 * `tickets sync --reconcile`: a lost or stale ledger is rebuilt from the ticket system itself (open snapaudit tickets,
 * listed page by page in the real APIs' paging styles), so tickets close, reopen and adopt as the latest scan says;
 * tickets nobody here knows are reported and closed only on request after a scan that read everything; a marker
 * found on two tickets keeps the oldest. The webhook gets the whole desired list as a signed reconcile event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSink } from '../../src/tickets/sync.ts';
import type { TicketDraft } from '../../src/tickets/model.ts';
import { fakeClock } from './servers/harness.ts';
import type { WebhookLoopback } from './servers/webhook.ts';
import { type SinkCase, sinkCases } from './sinks.ts';
import { outcomes, publicSnap, TicketWorld } from './support.ts';

const base = { minSeverity: 'critical' };

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(c: SinkCase, o: { maxPage?: number; grouping?: string; searchLagMs?: number } = {}) {
  const clock = fakeClock();
  const env = await c.start({ clock, base: { ...base, ...(o.grouping ? { grouping: o.grouping } : {}) }, ...o });
  cleanup.push(() => env.server.close());
  const world = new TicketWorld(env.tickets, env.creds, { clock, client: env.server.client });
  cleanup.push(() => world.close());
  return { ...env, world };
}

const markerOf = (world: TicketWorld, snapId: string) => {
  const f = world.store.findingsOf(world.store.latest()!.seq).find((x) => x.finding.resource?.id.endsWith(snapId));
  return `snapaudit-${f!.fingerprint}`;
};

/** A ticket made outside the sync (by hand, or by another run), carrying a marker. */
async function makeTicket(world: TicketWorld, marker: string, title: string): Promise<void> {
  const sink = createSink(world.tickets, world.creds, { scanId: world.store.latest()!.id });
  const draft: TicketDraft = {
    key: marker,
    marker,
    title,
    doc: [{ kind: 'paragraph', text: title }],
    severity: 'critical',
    labels: ['snapaudit'],
    assignee: null,
    project: null,
    findings: [],
  };
  await sink.create(draft);
  world.clock.advance(1000);
}

const gone = (snap: ReturnType<typeof publicSnap>) => ({ ...snap, sharing: { ...snap.sharing, public: 'no' as const } });

for (const c of sinkCases.filter((x) => x.searchable)) {
  describe(c.name, () => {
    it('a lost ledger: --reconcile adopts the open tickets and closes those whose finding resolved', async () => {
      const { world, view } = await setup(c);
      const a1 = publicSnap('snap-000000a1');
      const a2 = publicSnap('snap-000000a2');
      await world.scan([a1, a2]);
      await world.sync();
      const m2 = markerOf(world, 'snap-000000a2');
      world.store.deleteTicketLinks(world.tickets.sink);
      await world.scan([a1, gone(a2)]);

      // without reconcile the resolved finding's ticket is out of reach: nothing in the ledger points at it
      const plain = await world.sync({ dryRun: true });
      expect(plain.planned.map((o) => o.kind)).toEqual(['create']);

      const report = await world.sync({ reconcile: true });
      expect(report.failed).toEqual([]);
      expect(report.reconciled).toBe(true);
      expect(outcomes(report)).toEqual(['adopted', 'adopted', 'closed', 'updated']);
      expect(view()).toHaveLength(2);
      expect(view().find((v) => v.marker === m2)?.state).toBe('closed');
      expect(view().filter((v) => v.state === 'open')).toHaveLength(1);
      expect(world.store.ticketLinks(world.tickets.sink)).toHaveLength(2);
      // adopting writes no comment; the close writes one
      expect(view().flatMap((v) => v.comments)).toHaveLength(1);
      expect((await world.sync()).planned).toEqual([]);
      expect((await world.sync({ reconcile: true })).planned).toEqual([]);
    });

    it('--reconcile reads tickets the ledger believes open: one closed by hand is reopened while its finding is open', async () => {
      const { world, view } = await setup(c);
      const a1 = publicSnap('snap-000000a1');
      await world.scan([a1]);
      await world.sync();
      const link = world.store.ticketLinks(world.tickets.sink)[0]!;
      const sink = createSink(world.tickets, world.creds, { scanId: world.store.latest()!.id });
      await sink.close(
        { id: link.remoteId, key: link.remoteKey, url: link.url, state: 'open' },
        {} as TicketDraft,
        [{ kind: 'paragraph', text: 'closed by a human' }],
        'resolved',
        {
          id: 'human',
          resume: false,
        },
      );
      expect(view()[0]!.state).toBe('closed');
      expect((await world.sync()).planned).toEqual([]); // the ledger alone does not know
      const report = await world.sync({ reconcile: true });
      expect(outcomes(report)).toEqual(['reopened']);
      expect(view()[0]!.state).toBe('open');
    });

    it('open snapaudit tickets this store does not know are reported, and closed only with --close-unknown after a complete scan', async () => {
      const { world, view } = await setup(c);
      await world.scan([publicSnap('snap-000000a1')]);
      await world.sync();
      const stranger = 'snapaudit-0123456789abcdef01234567';
      await makeTicket(world, stranger, 'from another configuration');
      const report = await world.sync({ reconcile: true });
      expect(report.unknown.map((t) => t.marker)).toEqual([stranger]);
      expect(view().find((v) => v.marker === stranger)?.state).toBe('open');

      // a scan that could not read the account says nothing about what is gone
      await world.scan([], [], { unreadable: true });
      const partial = await world.sync({ reconcile: true, closeUnknown: true });
      expect(partial.unknown).toHaveLength(1);
      expect(view().find((v) => v.marker === stranger)?.state).toBe('open');

      await world.scan([publicSnap('snap-000000a1')]);
      const full = await world.sync({ reconcile: true, closeUnknown: true });
      expect(full.done.filter((d) => d.kind === 'untracked').map((d) => d.outcome)).toEqual(['closed']);
      expect(view().find((v) => v.marker === stranger)?.state).toBe('closed');
      expect(view().filter((v) => v.state === 'open')).toHaveLength(1);
    });

    it('a marker on two tickets keeps the oldest and closes the younger as a duplicate', async () => {
      const { world, view } = await setup(c);
      await world.scan([publicSnap('snap-000000a1')]);
      const marker = markerOf(world, 'snap-000000a1');
      await makeTicket(world, marker, 'first');
      await makeTicket(world, marker, 'second');
      const report = await world.sync();
      expect(outcomes(report)).toEqual(['adopted', 'closed']);
      expect(report.done.find((d) => d.kind === 'duplicate')).toBeDefined();
      expect(view().map((v) => v.state)).toEqual(['open', 'closed']);
      const link = world.store.ticketLinks(world.tickets.sink)[0]!;
      expect(report.done.find((d) => d.kind === 'create')?.ticket).toBe(link.remoteKey);
      expect((await world.sync({ reconcile: true })).planned).toEqual([]);
      expect(view().map((v) => v.state)).toEqual(['open', 'closed']);
    });

    it('a duplicate opened while search lagged behind a lost ledger is closed by the next --reconcile, keeping the oldest', async () => {
      const { world, view } = await setup(c, { searchLagMs: 10_000 });
      await world.scan([publicSnap('snap-000000a1')]);
      const marker = markerOf(world, 'snap-000000a1');
      await makeTicket(world, marker, 'made by a run whose ledger was lost');
      // the search does not show it yet: this sync cannot know, and opens a second one
      expect(outcomes(await world.sync())).toEqual(['created']);
      expect(view().map((v) => v.state)).toEqual(['open', 'open']);
      world.clock.advance(60_000);
      const report = await world.sync({ reconcile: true });
      expect(report.failed).toEqual([]);
      expect(view().map((v) => v.state)).toEqual(['open', 'closed']);
      const link = world.store.ticketLinks(world.tickets.sink)[0]!;
      expect(report.done.find((d) => d.kind === 'duplicate')?.ticket).not.toBe(link.remoteKey);
      expect((await world.sync({ reconcile: true })).planned).toEqual([]);
      expect(view().map((v) => v.state)).toEqual(['open', 'closed']);
    });

    it('lists and searches page by page (the API caps every page at 2 here)', async () => {
      const { server, world, view } = await setup(c, { maxPage: 2 });
      const snaps = ['a1', 'a2', 'a3', 'a4', 'a5'].map((s) => publicSnap(`snap-000000${s}`));
      await world.scan(snaps);
      await world.sync();
      world.store.deleteTicketLinks(world.tickets.sink);
      const before = server.requests.length;
      const report = await world.sync({ reconcile: true });
      expect(report.failed).toEqual([]);
      expect(outcomes(report)).toEqual(
        Array(10)
          .fill(0)
          .map((_, i) => (i < 5 ? 'adopted' : 'updated')),
      );
      expect(world.store.ticketLinks(world.tickets.sink)).toHaveLength(5);
      expect(view()).toHaveLength(5);
      const pages = server.requests
        .slice(before)
        .filter((r) => /nextPageToken|startAt=[1-9]|page=[2-9]|sysparm_offset=[1-9]/.test(`${r.query.toString()} ${r.body}`));
      expect(pages.length).toBeGreaterThanOrEqual(2);
    });

    it('grouped tickets (check × scope) are recognised from the finding history', async () => {
      const { world, view } = await setup(c, { grouping: 'check-scope' });
      const a1 = publicSnap('snap-000000a1');
      await world.scan([a1, publicSnap('snap-000000a2')]);
      await world.sync();
      world.store.deleteTicketLinks(world.tickets.sink);
      await world.scan([gone(a1), publicSnap('snap-000000a2')]);
      const report = await world.sync({ reconcile: true });
      expect(report.unknown).toEqual([]);
      expect(outcomes(report)).toEqual(['adopted', 'updated']);
      expect(view()).toHaveLength(1);
      await world.scan([]);
      expect(outcomes(await world.sync())).toEqual(['closed']);
    });
  });
}

describe('webhook reconcile event', () => {
  it('sends the whole desired list, signed and paged, so a receiver that missed events converges', async () => {
    const c = sinkCases.find((x) => !x.searchable)!;
    const env = await setup(c);
    const { world } = env;
    const server = env.server as WebhookLoopback;
    const a1 = publicSnap('snap-000000a1');
    const a2 = publicSnap('snap-000000a2');
    await world.scan([a1, a2]);
    await world.sync();
    const m1 = markerOf(world, 'snap-000000a1');
    // the resolve event is lost on the way (the receiver answers 404 for a while)
    await world.scan([gone(a1), a2]);
    server.faults.push({ match: /./, status: 404, times: 1 });
    expect((await world.sync()).failed).toHaveLength(1);
    world.store.deleteTicketLinks(world.tickets.sink); // and the ledger is lost too
    expect(server.tickets.get(m1)?.state).toBe('open');

    const report = await world.sync({ reconcile: true });
    expect(report.failed).toEqual([]);
    expect(report.reconciled).toBe(true);
    const event = server.accepted.find((e) => e.event === 'tickets.reconcile')!;
    expect(event.payload).toMatchObject({ page: 1, pages: 1, scanComplete: true, scanId: world.store.latest()!.id });
    // the list names what should be open; a receiver closes what it holds beyond it when the scan read everything
    expect((event.payload.tickets as Array<{ marker: string; state: string }>).map((t) => t.state)).toEqual(['open']);
    expect(server.tickets.get(m1)?.state).toBe('closed');
    expect([...server.tickets.values()].filter((t) => t.state === 'open')).toHaveLength(1);
    // the same list again is the same delivery: the receiver drops it
    const deliveries = server.accepted.length;
    await world.sync({ reconcile: true });
    expect(server.accepted.length).toBe(deliveries);
  });
});
