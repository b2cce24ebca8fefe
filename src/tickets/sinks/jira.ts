/**
 * Jira through jira.js. Cloud: the REST v3 client (`createCloudClient`) with Atlassian Document Format bodies and
 * e-mail + API token. Data Center / Server: REST v2 through jira.js's transport (`createClient().sendRequest`) with
 * wiki-markup bodies and a personal access token. The marker is a label; resolving and reopening are workflow
 * transitions chosen by name (config) or by status category (`done` / not done).
 */
import { createCloudClient } from 'jira.js';
import { type Client, createClient } from 'jira.js/core';
import type { z } from 'zod';
import type { JiraSettings } from '../../core/config/tickets.ts';
import type { SinkCredentials } from '../credentials.ts';
import type { RemoteTicket, TicketDoc, TicketDraft, TicketSink } from '../model.ts';
import { toAdf, toJiraWiki, truncate } from '../render.ts';

type Settings = z.infer<typeof JiraSettings>;

interface Transition {
  id?: string | undefined;
  name?: string | undefined;
  to?: { name?: string | undefined; statusCategory?: { key?: string | undefined } | undefined } | undefined;
}

interface FoundIssue {
  id?: string | undefined;
  key?: string | undefined;
  fields?: Record<string, unknown> | undefined;
}

/** The handful of Jira operations the sink needs, implemented once per REST version. */
interface JiraApi {
  search(jql: string): Promise<FoundIssue[]>;
  create(fields: Record<string, unknown>): Promise<{ id: string; key: string }>;
  edit(key: string, fields: Record<string, unknown>): Promise<void>;
  comment(key: string, doc: TicketDoc): Promise<void>;
  transitions(key: string): Promise<Transition[]>;
  transition(key: string, id: string): Promise<void>;
  body(doc: TicketDoc): unknown;
  assignee(who: string): Record<string, string>;
}

export interface JiraSinkOptions {
  /** What to do when a response does not match jira.js's schema (tests: 'throw'). */
  onSchemaMismatch?: 'throw' | ((report: { endpoint: string }) => void);
}

function cloudApi(client: Client): JiraApi {
  const jira = createCloudClient(client);
  return {
    async search(jql) {
      const r = await jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
        jql,
        fields: ['status', 'labels', 'summary'],
        maxResults: 10,
      });
      return r.issues ?? [];
    },
    create: (fields) => jira.issues.createIssue({ fields }),
    edit: (key, fields) => jira.issues.editIssue({ issueIdOrKey: key, fields }),
    async comment(key, doc) {
      await jira.issueComments.addComment({ issueIdOrKey: key, body: toAdf(doc) });
    },
    async transitions(key) {
      return (await jira.issues.getTransitions({ issueIdOrKey: key })).transitions ?? [];
    },
    transition: (key, id) => jira.issues.doTransition({ issueIdOrKey: key, transition: { id } }),
    body: (doc) => toAdf(doc),
    assignee: (who) => ({ accountId: who }),
  };
}

function dataCenterApi(client: Client): JiraApi {
  return {
    async search(jql) {
      const r = await client.sendRequest<{ issues?: FoundIssue[] }>({
        url: '/rest/api/2/search',
        method: 'GET',
        searchParams: { jql, fields: 'status,labels,summary', maxResults: 10 },
      });
      return r?.issues ?? [];
    },
    async create(fields) {
      const r = await client.sendRequest<{ id: string; key: string }>({ url: '/rest/api/2/issue', method: 'POST', body: { fields } });
      return { id: String(r.id), key: String(r.key) };
    },
    async edit(key, fields) {
      await client.sendRequest({ url: `/rest/api/2/issue/${encodeURIComponent(key)}`, method: 'PUT', body: { fields } });
    },
    async comment(key, doc) {
      await client.sendRequest({
        url: `/rest/api/2/issue/${encodeURIComponent(key)}/comment`,
        method: 'POST',
        body: { body: toJiraWiki(doc) },
      });
    },
    async transitions(key) {
      const r = await client.sendRequest<{ transitions?: Transition[] }>({
        url: `/rest/api/2/issue/${encodeURIComponent(key)}/transitions`,
        method: 'GET',
      });
      return r?.transitions ?? [];
    },
    async transition(key, id) {
      await client.sendRequest({
        url: `/rest/api/2/issue/${encodeURIComponent(key)}/transitions`,
        method: 'POST',
        body: { transition: { id } },
      });
    },
    body: (doc) => toJiraWiki(doc),
    assignee: (who) => ({ name: who }),
  };
}

const isDone = (t: Transition) => t.to?.statusCategory?.key === 'done';
const named = (name: string) => (t: Transition) =>
  t.name?.toLowerCase() === name.toLowerCase() || t.to?.name?.toLowerCase() === name.toLowerCase();

export function jiraSink(settings: Settings, creds: SinkCredentials, opts: JiraSinkOptions = {}): TicketSink {
  const auth =
    creds.kind === 'jira-basic'
      ? ({ type: 'basic', email: creds.email, apiToken: creds.apiToken } as const)
      : creds.kind === 'jira-bearer'
        ? ({ type: 'bearer', token: creds.token } as const)
        : null;
  if (!auth) throw new Error('jira sink needs Jira credentials');
  const client = createClient({
    host: settings.url,
    auth,
    headers: { 'User-Agent': 'snapaudit' },
    onSchemaMismatch: opts.onSchemaMismatch ?? (() => {}),
  });
  const api = settings.deployment === 'cloud' ? cloudApi(client) : dataCenterApi(client);
  const browse = (key: string) => `${settings.url.replace(/\/$/, '')}/browse/${key}`;

  const toRemote = (i: FoundIssue): RemoteTicket => {
    const status = i.fields?.status as { statusCategory?: { key?: string } } | undefined;
    return {
      id: String(i.id),
      key: String(i.key),
      url: browse(String(i.key)),
      state: status?.statusCategory?.key === 'done' ? 'closed' : 'open',
    };
  };

  async function move(ticket: RemoteTicket, toDone: boolean): Promise<void> {
    const available = await api.transitions(ticket.key);
    const wanted = toDone ? settings.resolveTransition : settings.reopenTransition;
    const pick = wanted
      ? available.find(named(wanted))
      : toDone
        ? available.find(isDone)
        : (available.find((t) => t.to?.statusCategory?.key === 'new') ?? available.find((t) => !isDone(t)));
    if (!pick?.id) {
      throw new Error(
        `Jira ${ticket.key}: no transition ${wanted ? `named "${wanted}"` : toDone ? 'into a done status' : 'out of done'} is available (have: ${
          available.map((t) => t.name).join(', ') || 'none'
        }). Fix: set tickets.jira.${toDone ? 'resolveTransition' : 'reopenTransition'} to one of them.`,
      );
    }
    await api.transition(ticket.key, pick.id);
  }

  const content = (draft: TicketDraft) => ({ summary: truncate(draft.title, 250), description: api.body(draft.doc) });

  return {
    kind: 'jira',
    async find(draft) {
      const issues = await api.search(`labels = "${draft.marker}" ORDER BY created ASC`);
      return issues[0] ? toRemote(issues[0]) : null;
    },
    async create(draft) {
      const priority = settings.priorities[draft.severity];
      const fields: Record<string, unknown> = {
        project: { key: draft.project ?? settings.project },
        issuetype: { name: settings.issueType },
        ...content(draft),
        labels: [...new Set([...draft.labels, draft.marker])],
        ...(draft.assignee ? { assignee: api.assignee(draft.assignee) } : {}),
        ...(priority ? { priority: { name: priority } } : {}),
      };
      const created = await api.create(fields);
      return { id: created.id, key: created.key, url: browse(created.key), state: 'open' };
    },
    async refresh(ticket, draft, comment) {
      await api.edit(ticket.key, content(draft));
      await api.comment(ticket.key, comment);
    },
    async close(ticket, _draft, comment) {
      await api.comment(ticket.key, comment);
      await move(ticket, true);
    },
    async reopen(ticket, draft, comment) {
      await move(ticket, false);
      await api.edit(ticket.key, content(draft));
      await api.comment(ticket.key, comment);
    },
  };
}
