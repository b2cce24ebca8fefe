/**
 * The ticket lifecycle, the same story for every sink, through the real client libraries (jira.js, @octokit/rest,
 * fetch) against loopback servers: create → rerun creates nothing → evidence change comments → resolve closes →
 * regression reopens; rate limits are waited out; a create that fails ambiguously is confirmed by searching, never
 * sent again blindly; a crash after any remote step is resumed without a second ticket, comment or transition; dry
 * runs send nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fakeClock, type Recorded } from './servers/harness.ts';
import { type SinkCase, sinkCases } from './sinks.ts';
import { outcomes, publicSnap, TicketWorld } from './support.ts';

const base = { minSeverity: 'critical', labels: ['snapaudit', 'security'] };

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(c: SinkCase, o: { searchLagMs?: number } = {}) {
  const clock = fakeClock();
  const env = await c.start({ clock, base, ...o });
  cleanup.push(() => env.server.close());
  const world = new TicketWorld(env.tickets, env.creds, { clock, client: env.server.client });
  cleanup.push(() => world.close());
  return { ...env, world };
}

const markerOf = (world: TicketWorld, snapId: string) => {
  const f = world.store
    .findingsOf(world.store.latest()!.seq)
    .find((x) => x.checkId === 'snapshots.public' && x.finding.resource?.id.endsWith(snapId));
  return `snapaudit-${f!.fingerprint}`;
};

/** The create request of every sink. */
const CREATE = /^POST \/(rest\/api\/\d\/issue|repos\/[^/]+\/[^/]+\/issues|api\/now\/table\/incident|hooks)/;

/** Requests that change the ticket system (a Jira Cloud search is a POST but reads). */
const isWrite = (r: Recorded) => r.method !== 'GET' && !r.path.endsWith('/search/jql');

/** Operation tags that appear on more than one comment of a ticket. */
const repeatedTags = (comments: string[]) => comments.filter((c, i) => c.startsWith('snapaudit op') && comments.indexOf(c) !== i);

for (const c of sinkCases) {
  describe(c.name, () => {
    it('opens, stays idempotent, comments on changed evidence, closes on resolve and reopens on regression', async () => {
      const { server, world, view } = await setup(c);
      const a1 = publicSnap('snap-000000a1');
      const a2 = publicSnap('snap-000000a2');

      await world.scan([a1, a2]);
      expect(outcomes(await world.sync())).toEqual(['created', 'created']);
      expect(view().map((v) => v.state)).toEqual(['open', 'open']);
      const m1 = markerOf(world, 'snap-000000a1');
      const m2 = markerOf(world, 'snap-000000a2');
      expect(
        view()
          .map((v) => v.marker)
          .sort(),
      ).toEqual([m1, m2].sort());

      // rerun on the same scan, and on an unchanged next scan: nothing is written
      const writes = server.writes().length;
      expect((await world.sync()).planned).toEqual([]);
      await world.scan([a1, a2]);
      expect((await world.sync()).planned).toEqual([]);
      expect(server.writes().length).toBe(writes);

      // the evidence of a2 changes: one comment, no new ticket
      await world.scan([a1, publicSnap('snap-000000a2', { encryption: 'unencrypted' })]);
      expect(outcomes(await world.sync())).toEqual(['commented']);
      expect(view().find((v) => v.marker === m2)?.comments).toHaveLength(1);

      // a1 is fixed: its ticket is resolved
      await world.scan([{ ...a1, sharing: { ...a1.sharing, public: 'no' } }, publicSnap('snap-000000a2', { encryption: 'unencrypted' })]);
      expect(outcomes(await world.sync())).toEqual(['closed']);
      expect(view().find((v) => v.marker === m1)?.state).toBe('closed');

      // a1 is public again: the same ticket is reopened, nothing new is created
      await world.scan([a1, publicSnap('snap-000000a2', { encryption: 'unencrypted' })]);
      expect(outcomes(await world.sync())).toEqual(['reopened']);
      expect(view()).toHaveLength(2);
      expect(view().find((v) => v.marker === m1)?.state).toBe('open');
      expect(world.log.lines.filter((l) => l.level === 'error')).toEqual([]);
    });

    it('a dry run prints the plan and writes nothing, remotely or locally', async () => {
      const { server, world } = await setup(c);
      await world.scan([publicSnap('snap-000000a1')]);
      const report = await world.sync({ dryRun: true });
      expect(report.planned.map((o) => o.kind)).toEqual(['create']);
      expect(report.done).toEqual([]);
      expect(server.requests).toEqual([]);
      expect(world.store.ticketLinks(world.tickets.sink)).toEqual([]);
      expect(world.store.pendingTicketOps(world.tickets.sink)).toEqual([]);
    });

    it('waits out 429s with and without Retry-After', async () => {
      const { server, world, view } = await setup(c);
      await world.scan([publicSnap('snap-000000a1')]);
      server.faults.push({ match: /^POST /, status: 429, retryAfter: '7', times: 1 });
      server.faults.push({ match: /^POST /, status: 429, times: 1 });
      const report = await world.sync();
      expect(report.failed).toEqual([]);
      expect(view()).toHaveLength(1);
      expect(world.sleeps[0]).toBeGreaterThanOrEqual(7000);
      expect(world.log.lines.filter((l) => l.event === 'tickets.retry')).toHaveLength(2);
    });

    it('never sends a create again after a 5xx: it searches, and the next sync settles it', async () => {
      const { server, world, view } = await setup(c);
      await world.scan([publicSnap('snap-000000a1')]);
      // the server refuses the create before acting: nothing exists, but the client cannot know that
      server.faults.push({ match: CREATE, status: 502, times: 1 });
      const first = await world.sync();
      expect(first.failed).toEqual([]);
      if (c.searchable) {
        // searched with backoff for the confirmation window, then left pending: no second create in this run
        expect(first.pending).toHaveLength(1);
        expect(view()).toHaveLength(0);
        expect(server.requests.filter((r) => isWrite(r))).toHaveLength(1);
        const second = await world.sync();
        expect(outcomes(second)).toEqual(['created']);
        expect(second.pending).toEqual([]);
      } else {
        // the webhook repeats the delivery under the same delivery id: the receiver drops a repeat
        expect(outcomes(first)).toEqual(['created']);
      }
      expect(view()).toHaveLength(1);
      expect((await world.sync()).planned).toEqual([]);
    });

    if (c.searchable)
      it('an outage that fails every create costs one confirmation window, not one per finding', async () => {
        const { server, world, view } = await setup(c);
        await world.scan(['a1', 'a2', 'a3'].map((s) => publicSnap(`snap-000000${s}`)));
        server.faults.push({ match: CREATE, status: 503, times: 3 });
        const first = await world.sync();
        expect(first.pending).toHaveLength(3);
        const waited = world.sleeps.reduce((a, b) => a + b, 0);
        expect(waited).toBeGreaterThanOrEqual(60_000);
        expect(waited).toBeLessThan(120_000);
        expect(outcomes(await world.sync())).toEqual(['created', 'created', 'created']);
        expect(view()).toHaveLength(3);
      });

    it('a create answered with a reset after the ticket was made is found by searching past the index lag', async () => {
      const { server, world, view } = await setup(c, { searchLagMs: 10_000 });
      await world.scan([publicSnap('snap-000000a1')]);
      server.faults.push({
        match: CREATE,
        afterHandling: true,
        reset: true,
        times: 1,
      });
      const report = await world.sync();
      expect(report.failed).toEqual([]);
      expect(report.pending).toEqual([]);
      expect(outcomes(report)).toEqual(['created']);
      expect(view()).toHaveLength(1);
      if (c.searchable) expect(world.log.lines.some((l) => l.event === 'tickets.create-unconfirmed')).toBe(true);
      expect((await world.sync()).planned).toEqual([]);
      expect(world.store.ticketLinks(world.tickets.sink)).toHaveLength(1);
    });

    it('a crash right after the create, rerun at once while search still lags, adopts the ticket', async () => {
      const { server, world, view } = await setup(c, { searchLagMs: 10_000 });
      await world.scan([publicSnap('snap-000000a1')]);
      server.chaos = (r) => (isWrite(r) ? { crash: true, times: 1 } : null);
      await world.sync().catch(() => undefined); // what a dead process reports does not matter
      server.chaos = null;
      expect(view()).toHaveLength(1);
      world.restart();
      const second = await world.sync();
      expect(second.failed).toEqual([]);
      expect(outcomes(second)).toEqual([c.searchable ? 'adopted' : 'created']);
      expect(view()).toHaveLength(1);
      expect(world.store.ticketLinks(world.tickets.sink)).toHaveLength(1);
      expect((await world.sync()).planned).toEqual([]);
    });

    if (c.searchable)
      it('a ticket deleted in the ticket system is forgotten, and the next sync opens a new one', async () => {
        const { world, view, remove } = await setup(c);
        const a1 = publicSnap('snap-000000a1');
        await world.scan([a1]);
        await world.sync();
        remove!(markerOf(world, 'snap-000000a1'));
        await world.scan([publicSnap('snap-000000a1', { encryption: 'unencrypted' })]);
        const report = await world.sync();
        expect(report.failed.map((f) => f.message)).toEqual([expect.stringMatching(/no longer exists/)]);
        expect(world.store.ticketLinks(world.tickets.sink)).toEqual([]);
        expect(outcomes(await world.sync())).toEqual(['created']);
        expect(view()).toHaveLength(1);
        expect((await world.sync()).planned).toEqual([]);
      });

    if (c.searchable)
      it('an operation cut short that the next plan no longer asks for is forgotten, not carried out', async () => {
        // the evidence changed, the sync died after its first write (the comment), and before the rerun the evidence
        // went back to what the ticket shows: the settled entry is dropped, nothing is sent
        const { server, world, view } = await setup(c);
        const snap = publicSnap('snap-000000a1');
        await world.scan([snap]);
        await world.sync();
        await world.scan([publicSnap('snap-000000a1', { encryption: 'unencrypted' })]);
        server.chaos = (r) => (isWrite(r) ? { crash: true, times: 1 } : null);
        await world.sync().catch(() => undefined);
        server.chaos = null;
        world.restart();
        expect(world.store.pendingTicketOps(world.tickets.sink).map((op) => op.kind)).toEqual(['refresh']);
        await world.scan([snap]);
        const writes = server.requests.filter(isWrite).length;
        const rerun = await world.sync();
        expect([rerun.planned, rerun.failed]).toEqual([[], []]);
        expect(world.store.pendingTicketOps(world.tickets.sink)).toEqual([]);
        expect(server.requests.filter(isWrite).length).toBe(writes);
        expect(view().map((v) => v.state)).toEqual(['open']);
      });

    for (const step of ['comment', 'close', 'reopen'] as const) {
      it(`a crash after any remote step of a ${step} is resumed: one comment, one state change`, async () => {
        // a clean run counts the writes the operation makes
        const probe = await setup(c);
        const story = async (world: TicketWorld) => {
          const snap = publicSnap('snap-000000a1');
          await world.scan([snap]);
          await world.sync();
          if (step === 'reopen') {
            await world.scan([{ ...snap, sharing: { ...snap.sharing, public: 'no' } }]);
            await world.sync();
          }
          await world.scan(
            step === 'comment'
              ? [publicSnap('snap-000000a1', { encryption: 'unencrypted' })]
              : step === 'close'
                ? [{ ...snap, sharing: { ...snap.sharing, public: 'no' } }]
                : [snap],
          );
        };
        await story(probe.world);
        const before = probe.server.requests.filter(isWrite).length;
        await probe.world.sync();
        const steps = probe.server.requests.filter(isWrite).length - before;
        const clean = probe.view()[0]!;
        expect(steps).toBeGreaterThan(0);

        for (let k = 1; k <= steps; k++) {
          const { server, world, view } = await setup(c);
          await story(world);
          let writes = 0;
          server.chaos = (r) => (isWrite(r) && ++writes === k ? { crash: true, times: 1 } : null);
          await world.sync().catch(() => undefined); // what a dead process reports does not matter
          server.chaos = null;
          world.restart();
          const rerun = await world.sync();
          expect(rerun.failed, `crash after write ${k}`).toEqual([]);
          expect((await world.sync()).planned, `crash after write ${k}`).toEqual([]);
          expect(view(), `crash after write ${k}`).toHaveLength(1);
          const v = view()[0]!;
          expect(v.state).toBe(clean.state);
          expect(v.comments.length, `crash after write ${k}`).toBe(clean.comments.length);
          expect(repeatedTags(v.comments)).toEqual([]);
          expect(v.transitions, `crash after write ${k}`).toBe(clean.transitions);
        }
      });
    }
  });
}
