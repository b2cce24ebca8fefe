/**
 * The "done when" of tickets that never duplicate or go stale: a seeded, randomised schedule of nightly scans (public
 * snapshots appear, change, get fixed, regress; some nights the account cannot be read) and syncs run under faults —
 * search lagging up to 15 s behind writes, 429s with and without Retry-After, 5xx before and after the server acted,
 * connections reset after a create, the snapaudit process crashing between any two steps and rerun at once, the
 * ticket ledger lost and rebuilt with --reconcile — converges, once the faults stop, to exactly one ticket per
 * marker, open exactly when its finding is open in the last scan, with no comment written twice and no more state
 * changes than the finding's own. The same schedule runs against every sink (the webhook through a receiver that
 * follows the documented contract). A failing seed reproduces exactly: rerun it with SNAPAUDIT_TICKET_SEEDS=<seed>.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/clock.ts';
import type { Snapshot } from '../../src/core/model/result.ts';
import { fingerprint } from '../../src/core/model/fingerprint.ts';
import { markerFor } from '../../src/tickets/plan.ts';
import { type Fault, fakeClock, type Recorded } from './servers/harness.ts';
import { type SinkCase, sinkCases } from './sinks.ts';
import { A, publicSnap, TicketWorld } from './support.ts';

const seeds = process.env.SNAPAUDIT_TICKET_SEEDS ? process.env.SNAPAUDIT_TICKET_SEEDS.split(',').map(Number) : [1, 2, 3, 4];
const NIGHTS = 10;
const SNAPSHOTS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];

type SnapState = 'gone' | 'private' | 'public' | 'public-unencrypted';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function snapshotsOf(states: Record<string, SnapState>): Snapshot[] {
  const out: Snapshot[] = [];
  for (const [id, s] of Object.entries(states)) {
    if (s === 'gone') continue;
    const snap = publicSnap(`snap-000000${id}`, s === 'public-unencrypted' ? { encryption: 'unencrypted' } : {});
    out.push(s === 'private' ? { ...snap, sharing: { ...snap.sharing, public: 'no' } } : snap);
  }
  return out;
}

/** Per request, what a bad night on the ticket system does. */
function faultSchedule(random: () => number, intensity: number): (r: Recorded) => Fault | null {
  return () => {
    const x = random() / intensity;
    if (x < 0.06) return { status: 429, retryAfter: String(1 + Math.floor(random() * 5)), times: 1 };
    if (x < 0.12) return { status: 429, times: 1 };
    if (x < 0.17) return { status: [500, 502, 503][Math.floor(random() * 3)]!, times: 1 };
    if (x < 0.22) return { status: 500, afterHandling: true, times: 1 };
    if (x < 0.28) return { afterHandling: true, reset: true, times: 1 };
    if (x < 0.31) return { crash: true, times: 1 };
    return null;
  };
}

async function runSchedule(c: SinkCase, seed: number, sinkIndex: number) {
  const random = seededRandom(seed * 7919 + sinkIndex);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const grouping = seed % 3 === 0 ? 'check-scope' : 'finding';
  const clock = fakeClock();
  const env = await c.start({
    clock,
    base: { minSeverity: 'critical', grouping },
    searchLagMs: Math.floor(random() * 15_000),
    maxPage: pick([2, 3, 100]),
  });
  cleanup.push(() => env.server.close());
  const world = new TicketWorld(env.tickets, env.creds, { clock, client: env.server.client });
  cleanup.push(() => world.close());

  const states: Record<string, SnapState> = Object.fromEntries(SNAPSHOTS.map((s) => [s, pick(['gone', 'public', 'private'] as const)]));
  const history: Array<Record<string, SnapState>> = [];
  let needReconcile = false;
  const log: string[] = [];

  const sync = async (reconcile: boolean) => {
    try {
      const r = await world.sync({ reconcile });
      if (reconcile && !r.failed.some((f) => f.kind === 'reconcile')) needReconcile = false;
      log.push(
        `sync${reconcile ? ' --reconcile' : ''}: ${r.done.map((d) => d.outcome).join(',') || '-'}${r.failed.length ? ` failed ${r.failed.length}` : ''}`,
      );
    } catch (err) {
      log.push(`sync died: ${(err as Error).message.slice(0, 80)}`);
    }
    if (world.client.dead) {
      log.push('restart');
      world.restart();
    }
  };

  for (let night = 1; night <= NIGHTS; night++) {
    if (night > 1 && random() < 0.12) {
      world.store.deleteTicketLinks(world.tickets.sink);
      needReconcile = true;
      log.push('ledger lost');
    }
    for (const s of SNAPSHOTS) if (random() < 0.4) states[s] = pick(['gone', 'private', 'public', 'public', 'public-unencrypted'] as const);
    const unreadable = night < NIGHTS && random() < 0.12;
    await world.scan(snapshotsOf(states), [], { unreadable });
    if (!unreadable) history.push({ ...states });
    log.push(`night ${night}${unreadable ? ' (unreadable)' : ''}: ${JSON.stringify(states)}`);
    const schedule = faultSchedule(random, 0.5 + random());
    env.server.chaos = (r) => {
      const f = schedule(r);
      if (f) {
        log.push(`  fault on ${r.method} ${r.path}: ${JSON.stringify(f)}`);
      }
      return f;
    };
    const runs = 1 + Math.floor(random() * 3);
    for (let run = 0; run < runs; run++) await sync(needReconcile || random() < 0.15);
    env.server.chaos = null;
  }

  // the faults stop; an hour passes (past any search lag and confirmation window); syncs run until nothing is left
  clock.advance(3_600_000);
  if (needReconcile) await sync(true);
  let last = await world.sync();
  for (let i = 0; i < 3 && (last.planned.length > 0 || last.pending.length > 0 || last.failed.length > 0); i++) last = await world.sync();
  return { world, view: env.view, states, history, log, last, grouping };
}

/** The desired state, from the test's own model of the estate: open exactly when the snapshot is public now. */
function expected(states: Record<string, SnapState>, grouping: string) {
  const publicNow = (s: SnapState) => s === 'public' || s === 'public-unencrypted';
  const want = new Map<string, 'open' | 'closed'>();
  if (grouping === 'check-scope') {
    want.set(markerFor(`snapshots.public|aws|${A}`, 'check-scope'), Object.values(states).some(publicNow) ? 'open' : 'closed');
    return want;
  }
  for (const [id, s] of Object.entries(states)) {
    const resourceId = `arn:aws:ec2:us-east-1::snapshot/snap-000000${id}`;
    const fp = fingerprint({ checkId: 'snapshots.public', provider: 'aws', scopeId: A, region: 'us-east-1', resourceId });
    if (publicNow(s)) want.set(`snapaudit-${fp}`, 'open');
  }
  return want;
}

sinkCases.forEach((c, sinkIndex) => {
  describe(`${c.name}: randomised faults converge`, () => {
    for (const seed of seeds) {
      it(`seed ${seed}: exactly one ticket per marker, in the state the last scan asks for`, async () => {
        const { world, view, states, history, log, last, grouping } = await runSchedule(c, seed, sinkIndex);
        const trail = `\n${log.join('\n')}`;
        expect(last.planned, trail).toEqual([]);
        expect(last.pending, trail).toEqual([]);
        expect(last.failed, trail).toEqual([]);
        expect(world.store.pendingTicketOps(world.tickets.sink), trail).toEqual([]);

        const tickets = view();
        const markers = tickets.map((t) => t.marker);
        expect(markers.length, `duplicate tickets${trail}`).toBe(new Set(markers).size);
        const want = expected(states, grouping);
        for (const [marker, state] of want) {
          const t = tickets.find((x) => x.marker === marker);
          if (state === 'open') expect(t?.state, `${marker} should be open${trail}`).toBe('open');
          else if (t) expect(t.state, `${marker} should be closed${trail}`).toBe('closed');
        }
        for (const t of tickets) if (!want.has(t.marker)) expect(t.state, `${t.marker} should be closed${trail}`).toBe('closed');

        // no comment written twice, no state changes beyond the finding's own
        for (const t of tickets) {
          const tags = t.comments.filter((x) => x.startsWith('snapaudit op'));
          expect(tags.length, `repeated comment on ${t.marker}${trail}`).toBe(new Set(tags).size);
        }
        const flips = new Map<string, number>();
        for (const marker of markers) {
          const openOn = history.map((h) => expected(h, grouping).get(marker) === 'open');
          flips.set(marker, openOn.filter((o, i) => i > 0 && o !== openOn[i - 1]).length);
        }
        for (const t of tickets)
          expect(t.transitions, `state changes of ${t.marker}${trail}`).toBeLessThanOrEqual(flips.get(t.marker)! + 1);

        // the ledger points at these tickets, one each
        const links = world.store.ticketLinks(world.tickets.sink);
        for (const l of links) expect(markers.includes(l.marker) || !c.searchable, trail).toBe(true);
      });
    }
  });
});
