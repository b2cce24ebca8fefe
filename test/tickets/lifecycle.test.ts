/**
 * The ticket lifecycle, the same story for every sink, through the real client libraries (jira.js, @octokit/rest,
 * fetch) against loopback servers: create → rerun creates nothing → evidence change comments → resolve closes →
 * regression reopens; a crash between create and ledger write is healed by the marker search; dry runs send nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Loopback } from './servers/harness.ts';
import { startGithub } from './servers/github.ts';
import { startJira } from './servers/jira.ts';
import { startServiceNow } from './servers/servicenow.ts';
import { startWebhookReceiver } from './servers/webhook.ts';
import type { SinkCredentials } from '../../src/tickets/credentials.ts';
import { outcomes, publicSnap, TicketWorld } from './support.ts';

interface View {
  marker: string;
  state: 'open' | 'closed';
  comments: number;
}

interface SinkCase {
  name: string;
  /** Whether the system can be searched (everything but the webhook). */
  searchable: boolean;
  start(): Promise<{ server: Loopback; tickets: Record<string, unknown>; creds: SinkCredentials; view(): View[] }>;
}

const base = { sink: 'x', minSeverity: 'critical', labels: ['snapaudit', 'security'] };

const cases: SinkCase[] = [
  {
    name: 'Jira Cloud (REST v3, jira.js)',
    searchable: true,
    async start() {
      const server = await startJira({ deployment: 'cloud', email: 'bot@example.com', token: 'jira-cloud-secret-token' });
      return {
        server,
        tickets: { ...base, sink: 'jira', jira: { url: server.url, project: 'SEC' } },
        creds: { kind: 'jira-basic', email: 'bot@example.com', apiToken: 'jira-cloud-secret-token' },
        view: () =>
          server.issues.map((i) => ({
            marker: i.labels.find((l) => l.startsWith('snapaudit-'))!,
            state: i.status === 'Done' ? 'closed' : 'open',
            comments: i.comments.length,
          })),
      };
    },
  },
  {
    name: 'Jira Data Center (REST v2, jira.js transport)',
    searchable: true,
    async start() {
      const server = await startJira({ deployment: 'datacenter', token: 'jira-dc-personal-access-token' });
      return {
        server,
        tickets: { ...base, sink: 'jira', jira: { url: server.url, project: 'SEC', deployment: 'datacenter' } },
        creds: { kind: 'jira-bearer', token: 'jira-dc-personal-access-token' },
        view: () =>
          server.issues.map((i) => ({
            marker: i.labels.find((l) => l.startsWith('snapaudit-'))!,
            state: i.status === 'Done' ? 'closed' : 'open',
            comments: i.comments.length,
          })),
      };
    },
  },
  {
    name: 'GitHub Issues (@octokit/rest)',
    searchable: true,
    async start() {
      const server = await startGithub({ token: 'ghp_secretgithubtoken', repos: ['acme/security'] });
      return {
        server,
        tickets: { ...base, sink: 'github', github: { repo: 'acme/security', apiUrl: server.url } },
        creds: { kind: 'github', token: 'ghp_secretgithubtoken' },
        view: () =>
          (server.issues.get('acme/security') ?? []).map((i) => ({
            marker: i.labels.find((l) => l.startsWith('snapaudit-'))!,
            state: i.state,
            comments: i.comments.length,
          })),
      };
    },
  },
  {
    name: 'ServiceNow (Table API)',
    searchable: true,
    async start() {
      const server = await startServiceNow({ user: 'snapaudit', password: 'sn-secret-password' });
      return {
        server,
        tickets: { ...base, sink: 'servicenow', servicenow: { instanceUrl: server.url } },
        creds: { kind: 'servicenow-basic', user: 'snapaudit', password: 'sn-secret-password' },
        view: () =>
          server.records.map((r) => ({
            marker: r.correlation_id!,
            state: r.state === '6' ? 'closed' : 'open',
            comments: server.workNotes.get(r.sys_id)?.length ?? 0,
          })),
      };
    },
  },
  {
    name: 'webhook (HMAC-signed JSON)',
    searchable: false,
    async start() {
      const server = await startWebhookReceiver({ secret: 'webhook-shared-secret' });
      return {
        server,
        tickets: { ...base, sink: 'webhook', webhook: { url: `${server.url}/hooks/snapaudit` } },
        creds: { kind: 'webhook', secret: 'webhook-shared-secret' },
        view: () => {
          const byMarker = new Map<string, View>();
          for (const e of server.accepted) {
            const marker = (e.payload.ticket as { marker: string }).marker;
            const v = byMarker.get(marker) ?? { marker, state: 'open', comments: 0 };
            if (e.event === 'ticket.resolved') v.state = 'closed';
            else v.state = 'open';
            if (e.event === 'ticket.updated') v.comments++;
            byMarker.set(marker, v);
          }
          return [...byMarker.values()];
        },
      };
    },
  },
];

const servers: Loopback[] = [];
const worlds: TicketWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) w.close();
  for (const s of servers.splice(0)) await s.close();
});

async function setup(c: SinkCase) {
  const env = await c.start();
  servers.push(env.server);
  const world = new TicketWorld(env.tickets, env.creds);
  worlds.push(world);
  return { ...env, world };
}

const markerOf = (world: TicketWorld, snapId: string) => {
  const f = world.store
    .findingsOf(world.store.latest()!.seq)
    .find((x) => x.checkId === 'snapshots.public' && x.finding.resource?.id.endsWith(snapId));
  return `snapaudit-${f!.fingerprint}`;
};

for (const c of cases) {
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
      expect(view().find((v) => v.marker === m2)?.comments).toBe(1);

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

    it('a crash after create and before the ledger write creates no duplicate on the rerun', async () => {
      const { world, view } = await setup(c);
      await world.scan([publicSnap('snap-000000a1')]);
      // the process "dies" right after the remote create: the ledger write never happens
      const save = world.store.saveTicketLink.bind(world.store);
      world.store.saveTicketLink = () => {
        throw new Error('killed before the ledger write');
      };
      const first = await world.sync();
      expect(first.failed).toHaveLength(1);
      expect(view()).toHaveLength(1);
      world.store.saveTicketLink = save;

      const second = await world.sync();
      expect(second.failed).toEqual([]);
      if (c.searchable) {
        expect(outcomes(second)).toEqual(['adopted']);
        expect(view()).toHaveLength(1);
      } else {
        // no remote state to search: the delivery id is the same, and the receiver drops the repeat
        expect(outcomes(second)).toEqual(['created']);
        expect(view()).toHaveLength(1);
      }
      expect(world.store.ticketLinks(world.tickets.sink)).toHaveLength(1);
      expect((await world.sync()).planned).toEqual([]);
    });

    it('a dry run prints the plan and writes nothing, remotely or locally', async () => {
      const { server, world } = await setup(c);
      await world.scan([publicSnap('snap-000000a1')]);
      const report = await world.sync({ dryRun: true });
      expect(report.planned.map((o) => o.kind)).toEqual(['create']);
      expect(report.done).toEqual([]);
      expect(server.requests).toEqual([]);
      expect(world.store.ticketLinks(world.tickets.sink)).toEqual([]);
    });

    it('retries 429 (honouring Retry-After) and 5xx, and never duplicates a create that failed ambiguously', async () => {
      const { server, world, view } = await setup(c);
      await world.scan([publicSnap('snap-000000a1')]);
      server.faults.push({ match: /^POST /, status: 429, retryAfter: '7', times: 1 });
      server.faults.push({ match: /^POST /, status: 502, times: 1 });
      if (c.searchable)
        server.faults.push({
          match: /^POST \/(rest\/api\/\d\/issue|repos\/[^/]+\/[^/]+\/issues|api\/now\/table\/incident)$/,
          status: 500,
          afterHandling: true,
          times: 1,
        });
      const report = await world.sync();
      expect(report.failed).toEqual([]);
      expect(view()).toHaveLength(1);
      expect(world.sleeps[0]).toBeGreaterThanOrEqual(7000);
      expect(world.log.lines.filter((l) => l.event === 'tickets.retry').length).toBeGreaterThanOrEqual(2);
    });
  });
}
