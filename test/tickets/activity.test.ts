/**
 * Tickets for the creation-activity review (issue #18): one ticket per identity and scope collecting that identity's
 * activity findings — never one per event or per check — with a stable marker, in either grouping mode; it is
 * refreshed when a finding joins or leaves, and closed when all of them are gone. The plan through a dry run, then the
 * same story through every sink's real client against its loopback server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/core/config/schema.ts';
import type { ActivityEvent } from '../../src/core/model/activity.ts';
import { markerFor } from '../../src/tickets/plan.ts';
import { makeActivity } from '../support/factories.ts';
import { fakeClock } from './servers/harness.ts';
import { type SinkCase, sinkCases } from './sinks.ts';
import { A, outcomes, TicketWorld } from './support.ts';

const MALLORY = 'arn:aws:iam::111111111111:user/mallory';
const CI = 'arn:aws:sts::111111111111:assumed-role/ci-runner/i-0c1d2e3f4a5b6c7d8';
const base = { minSeverity: 'medium', labels: ['snapaudit'], checks: { include: ['activity.*'] } };
/** Mallory's address is outside the trusted range; the CI role calls from inside it. */
const config: Partial<ConfigInput> = { policy: { trustedNetworks: { cidrs: ['10.0.0.0/8'] } } };

const mallory = (n: number): ActivityEvent[] =>
  Array.from({ length: n }, (_, i) =>
    makeActivity({
      id: `ev-mallory-${i}`,
      at: `2026-10-2${i}T12:00:00.000Z`,
      identity: { id: MALLORY },
      source: { ip: '198.51.100.23', userAgent: 'aws-cli/2.15.0', agent: 'cli' },
    }),
  );
const ciDenied: ActivityEvent[] = [1, 2, 3].map((i) =>
  makeActivity({
    id: `ev-ci-${i}`,
    at: `2026-10-25T03:1${i}:00.000Z`,
    resource: null,
    outcome: 'failure',
    errorCode: 'Client.UnauthorizedOperation',
    identity: { type: 'AssumedRole', id: CI, issuer: 'arn:aws:iam::111111111111:role/ci-runner' },
    source: { ip: '10.0.3.4', userAgent: 'Boto3/1.34.0', agent: 'sdk' },
  }),
);

/** A dry run sends nothing: the credentials are never used. */
const DRY = { kind: 'webhook', secret: 'unused-in-a-dry-run' } as const;

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('the ticket plan for activity findings', () => {
  for (const grouping of ['finding', 'check-scope'] as const) {
    it(`opens one ticket per identity with its findings as a checklist (grouping: ${grouping})`, async () => {
      const world = new TicketWorld({ ...base, grouping, sink: 'webhook', webhook: { url: 'https://hooks.example.com/x' } }, DRY);
      cleanup.push(() => world.close());
      await world.scan([], [], { activity: [...mallory(2), ...ciDenied], config });
      const plan = world.plan();
      expect((await world.sync({ dryRun: true })).planned.map((op) => [op.kind, op.key])).toEqual(plan.map((op) => [op.kind, op.key]));
      expect(plan.map((op) => op.kind)).toEqual(['create', 'create']);
      const byKey = new Map(plan.map((op) => [op.key, op]));
      const m = byKey.get(`activity|aws|${A}|${MALLORY}`)!;
      const ci = byKey.get(`activity|aws|${A}|${CI}`)!;
      // Mallory: unapproved and from outside the trusted networks, two events — one ticket, two members.
      expect(Object.keys(m.members)).toHaveLength(2);
      expect(m.draft.marker).toBe(markerFor(m.key, grouping));
      expect(m.draft.marker).toMatch(/^snapaudit-[0-9a-f]{24}$/);
      expect(m.draft.title).toBe(`[snapaudit] HIGH snapshot activity by ${MALLORY} in aws ${A}: 2 open finding(s)`);
      expect(m.draft.findings.map((f) => f.checkId).sort()).toEqual(['activity.unapproved-creator', 'activity.untrusted-source']);
      const checklist = m.draft.doc.find((b) => b.kind === 'checklist');
      expect(checklist && checklist.kind === 'checklist' ? checklist.items.map((i) => i.done) : []).toEqual([false, false]);
      const events = m.draft.doc.find((b) => b.kind === 'list' && b.items.some((x) => x.includes('[event ev-mallory-0]')));
      expect(events && events.kind === 'list' ? events.items : []).toHaveLength(2);
      // The CI role: denied three times from inside the network — one finding, one ticket.
      expect(ci.draft.findings.map((f) => f.checkId)).toEqual(['activity.denied-attempts']);
      expect(ci.draft.severity).toBe('high');
    });
  }

  it("keeps the same marker across scans as the identity's events grow", async () => {
    const world = new TicketWorld({ ...base, sink: 'webhook', webhook: { url: 'https://hooks.example.com/x' } }, DRY);
    cleanup.push(() => world.close());
    await world.scan([], [], { activity: [...mallory(2), ...ciDenied], config });
    const first = world
      .plan()
      .map((op) => op.draft.marker)
      .sort();
    await world.scan([], [], { activity: [...mallory(3), ...ciDenied], config });
    const again = world
      .plan()
      .map((op) => op.draft.marker)
      .sort();
    expect(again).toEqual(first);
  });
});

async function setup(c: SinkCase) {
  const clock = fakeClock();
  const env = await c.start({ clock, base });
  cleanup.push(() => env.server.close());
  const world = new TicketWorld(env.tickets, env.creds, { clock, client: env.server.client });
  cleanup.push(() => world.close());
  return { ...env, world };
}

for (const c of sinkCases) {
  describe(`activity tickets through ${c.name}`, () => {
    it('one ticket per identity; a finding leaving comments; the last one leaving closes it', async () => {
      const { world, view } = await setup(c);
      const key = `activity|aws|${A}|${MALLORY}`;
      const marker = markerFor(key, 'finding');

      await world.scan([], [], { activity: [...mallory(2), ...ciDenied], config });
      expect(outcomes(await world.sync())).toEqual(['created', 'created']);
      expect(view().map((v) => v.state)).toEqual(['open', 'open']);
      expect(view().some((v) => v.marker === marker)).toBe(true);

      // The same activity again: nothing to do.
      await world.scan([], [], { activity: [...mallory(2), ...ciDenied], config });
      expect((await world.sync()).planned).toEqual([]);

      // Mallory now calls from inside the network: untrusted-source leaves her ticket, which stays open with a comment.
      const inside = mallory(2).map((e) => ({ ...e, source: { ...e.source, ip: '10.0.9.9' } }));
      await world.scan([], [], { activity: [...inside, ...ciDenied], config });
      expect(outcomes(await world.sync())).toEqual(['commented']);
      expect(view().find((v) => v.marker === marker)).toMatchObject({ state: 'open' });

      // Her activity is out of the window: her ticket closes; the CI role's stays open.
      await world.scan([], [], { activity: ciDenied, config });
      expect(outcomes(await world.sync())).toEqual(['closed']);
      expect(view().find((v) => v.marker === marker)?.state).toBe('closed');
      expect(view().filter((v) => v.state === 'open')).toHaveLength(1);
    });
  });
}
