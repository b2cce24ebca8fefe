/**
 * The five ticket sinks as test cases: each starts its loopback server on a shared fake clock and describes what the
 * ticket system holds in one shape (a marker, a state, the comments, the state changes), so one story can be told
 * against all of them.
 */
import { lastLine } from '../../src/tickets/sinks/compose.ts';
import type { SinkCredentials } from '../../src/tickets/credentials.ts';
import { startGithub } from './servers/github.ts';
import type { FakeClock, Loopback } from './servers/harness.ts';
import { startJira } from './servers/jira.ts';
import { startServiceNow } from './servers/servicenow.ts';
import { startWebhookReceiver } from './servers/webhook.ts';

export interface View {
  marker: string;
  state: 'open' | 'closed';
  /** The last line of every comment (where the operation tag sits). */
  comments: string[];
  /** State changes the ticket went through. */
  transitions: number;
}

export interface SinkEnv {
  server: Loopback & { searchLagMs?: number; maxPage?: number };
  tickets: Record<string, unknown>;
  creds: SinkCredentials;
  view(): View[];
  /** Deletes the ticket carrying this marker, as an administrator can (searchable sinks). */
  remove?(marker: string): void;
}

export interface SinkCase {
  name: string;
  /** Whether the system can be searched and read back (everything but the webhook). */
  searchable: boolean;
  start(o: { clock: FakeClock; base: Record<string, unknown>; searchLagMs?: number; maxPage?: number }): Promise<SinkEnv>;
}

const markerOf = (labels: string[]) => labels.find((l) => /^snapaudit-[0-9a-f]{24,}$/.test(l))!;

function jiraCase(deployment: 'cloud' | 'datacenter'): SinkCase {
  return {
    name: deployment === 'cloud' ? 'Jira Cloud (REST v3, jira.js)' : 'Jira Data Center (REST v2, jira.js transport)',
    searchable: true,
    async start({ clock, base, searchLagMs, maxPage }) {
      const server = await startJira({
        deployment,
        email: 'bot@example.com',
        token: deployment === 'cloud' ? 'jira-cloud-secret-token' : 'jira-dc-personal-access-token',
        clock,
        ...(searchLagMs !== undefined ? { searchLagMs } : {}),
        ...(maxPage !== undefined ? { maxPage } : {}),
      });
      return {
        server,
        tickets: { ...base, sink: 'jira', jira: { url: server.url, project: 'SEC', deployment } },
        creds:
          deployment === 'cloud'
            ? { kind: 'jira-basic', email: 'bot@example.com', apiToken: 'jira-cloud-secret-token' }
            : { kind: 'jira-bearer', token: 'jira-dc-personal-access-token' },
        view: () =>
          server.issues.map((i) => ({
            marker: markerOf(i.labels),
            state: i.status === 'Done' ? 'closed' : 'open',
            comments: i.comments.map((c) => lastLine(c.body)),
            transitions: i.transitions.length,
          })),
        remove: (marker) => {
          server.issues.splice(
            server.issues.findIndex((i) => i.labels.includes(marker)),
            1,
          );
        },
      };
    },
  };
}

export const sinkCases: SinkCase[] = [
  jiraCase('cloud'),
  jiraCase('datacenter'),
  {
    name: 'GitHub Issues (@octokit/rest)',
    searchable: true,
    async start({ clock, base, searchLagMs, maxPage }) {
      const server = await startGithub({
        token: 'ghp_secretgithubtoken',
        repos: ['acme/security'],
        clock,
        ...(searchLagMs !== undefined ? { searchLagMs } : {}),
        ...(maxPage !== undefined ? { maxPage } : {}),
      });
      return {
        server,
        tickets: { ...base, sink: 'github', github: { repo: 'acme/security', apiUrl: server.url } },
        creds: { kind: 'github', token: 'ghp_secretgithubtoken' },
        view: () =>
          (server.issues.get('acme/security') ?? []).map((i) => ({
            marker: markerOf(i.labels),
            state: i.state,
            comments: i.comments.map((c) => lastLine(c)),
            transitions: i.transitions.length,
          })),
        remove: (marker) => {
          const list = server.issues.get('acme/security')!;
          list.splice(
            list.findIndex((i) => i.labels.includes(marker)),
            1,
          );
        },
      };
    },
  },
  {
    name: 'ServiceNow (Table API)',
    searchable: true,
    async start({ clock, base, searchLagMs, maxPage }) {
      const server = await startServiceNow({
        user: 'snapaudit',
        password: 'sn-secret-password',
        clock,
        ...(searchLagMs !== undefined ? { searchLagMs } : {}),
        ...(maxPage !== undefined ? { maxPage } : {}),
      });
      return {
        server,
        tickets: { ...base, sink: 'servicenow', servicenow: { instanceUrl: server.url } },
        creds: { kind: 'servicenow-basic', user: 'snapaudit', password: 'sn-secret-password' },
        view: () =>
          server.records.map((r) => ({
            marker: r.correlation_id!,
            state: r.state === '6' ? 'closed' : 'open',
            comments: (server.workNotes.get(r.sys_id) ?? []).map((n) => lastLine(n)),
            transitions: server.transitions.get(r.sys_id)?.length ?? 0,
          })),
        remove: (marker) => {
          server.records.splice(
            server.records.findIndex((r) => r.correlation_id === marker),
            1,
          );
        },
      };
    },
  },
  {
    name: 'webhook (HMAC-signed JSON)',
    searchable: false,
    async start({ base }) {
      const server = await startWebhookReceiver({ secret: 'webhook-shared-secret' });
      return {
        server,
        tickets: { ...base, sink: 'webhook', webhook: { url: `${server.url}/hooks/snapaudit` } },
        creds: { kind: 'webhook', secret: 'webhook-shared-secret' },
        view: () =>
          [...server.tickets.values()].map((t) => ({
            marker: t.marker,
            state: t.state,
            comments: t.events.filter((e) => e === 'ticket.updated'),
            transitions: t.changes,
          })),
      };
    },
  },
];
