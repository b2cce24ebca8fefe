/**
 * Jira through jira.js. Cloud: the REST v3 client (`createCloudClient`) with Atlassian Document Format bodies and
 * e-mail + API token; search is `POST /rest/api/3/search/jql`, paged with `nextPageToken`, and eventually consistent
 * (https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile). Data Center / Server: REST v2 through
 * jira.js's transport (`createClient().sendRequest`) with wiki-markup bodies and a personal access token; search is
 * `GET /rest/api/2/search`, paged with `startAt`/`maxResults`/`total`. The marker is a label (with the fixed
 * `snapaudit` label that reconciliation lists by); resolving and reopening are workflow transitions chosen by name
 * (config) or by status category (`done` / not done), taken only when the issue is not already there.
 */
import type { createCloudClient } from 'jira.js';
import { type Client, createClient } from 'jira.js/core';
import type { z } from 'zod';
import type { JiraSettings } from '../../core/config/tickets.ts';
import type { SinkCredentials } from '../credentials.ts';
import type { ListedTicket, RemoteTicket, TicketDoc, TicketDraft, TicketSink } from '../model.ts';
import { ticketTitle, toAdf, toJiraWiki } from '../render.ts';
import { classify } from '../retry.ts';
import { composeSink, lastLine, MAX_PAGES } from './compose.ts';

type Settings = z.infer<typeof JiraSettings>;

interface Transition {
  id?: string | undefined;
  name?: string | undefined;
  isLooped?: boolean | undefined;
  to?: { name?: string | undefined; statusCategory?: { key?: string | undefined } | undefined } | undefined;
}

interface FoundIssue {
  id?: string | undefined;
  key?: string | undefined;
  fields?: Record<string, unknown> | undefined;
}

const FIELDS = ['status', 'labels', 'summary'];
const PAGE = 100;

/** The handful of Jira operations the sink needs, implemented once per REST version. */
interface JiraApi {
  /** One page of a JQL search; `next` continues it. */
  searchPage(jql: string, next: string | null): Promise<{ issues: FoundIssue[]; next: string | null }>;
  getIssue(key: string): Promise<FoundIssue>;
  create(fields: Record<string, unknown>): Promise<{ id: string; key: string }>;
  edit(key: string, fields: Record<string, unknown>): Promise<void>;
  comment(key: string, doc: TicketDoc): Promise<void>;
  /** Comment bodies, newest first (one page: the operation being looked for is recent). */
  recentComments(key: string): Promise<unknown[]>;
  transitions(key: string): Promise<Transition[]>;
  transition(key: string, id: string): Promise<void>;
  body(doc: TicketDoc): unknown;
  assignee(who: string): Record<string, string>;
}

export interface JiraSinkOptions {
  /** What to do when a response does not match jira.js's schema (tests: 'throw'). */
  onSchemaMismatch?: 'throw' | ((report: { endpoint: string }) => void);
}

/**
 * jira.js's REST v3 client is some 750 modules: it is loaded on the sink's first call, not with the CLI (a scan, a
 * report or `--version` that syncs no Jira tickets never loads it).
 */
function cloudApi(client: Client): JiraApi {
  let loading: Promise<ReturnType<typeof createCloudClient>> | null = null;
  const cloud = () => {
    loading ??= import('jira.js').then((m) => m.createCloudClient(client));
    return loading;
  };
  return {
    async searchPage(jql, next) {
      const r = await (await cloud()).issueSearch.searchAndReconsileIssuesUsingJqlPost({
        jql,
        fields: FIELDS,
        maxResults: PAGE,
        ...(next ? { nextPageToken: next } : {}),
      });
      return { issues: r.issues ?? [], next: r.nextPageToken ?? null };
    },
    getIssue: async (key) => (await cloud()).issues.getIssue({ issueIdOrKey: key, fields: FIELDS }),
    create: async (fields) => (await cloud()).issues.createIssue({ fields }),
    edit: async (key, fields) => (await cloud()).issues.editIssue({ issueIdOrKey: key, fields }),
    async comment(key, doc) {
      await (await cloud()).issueComments.addComment({ issueIdOrKey: key, body: toAdf(doc) });
    },
    async recentComments(key) {
      const r = await (await cloud()).issueComments.getComments({ issueIdOrKey: key, orderBy: '-created', maxResults: PAGE });
      return (r.comments ?? []).map((c) => c.body);
    },
    async transitions(key) {
      return (await (await cloud()).issues.getTransitions({ issueIdOrKey: key })).transitions ?? [];
    },
    transition: async (key, id) => (await cloud()).issues.doTransition({ issueIdOrKey: key, transition: { id } }),
    body: (doc) => toAdf(doc),
    assignee: (who) => ({ accountId: who }),
  };
}

function dataCenterApi(client: Client): JiraApi {
  const issueUrl = (key: string) => `/rest/api/2/issue/${encodeURIComponent(key)}`;
  return {
    async searchPage(jql, next) {
      const startAt = next ? Number(next) : 0;
      const r = await client.sendRequest<{ issues?: FoundIssue[]; startAt?: number; total?: number }>({
        url: '/rest/api/2/search',
        method: 'GET',
        searchParams: { jql, fields: FIELDS.join(','), startAt, maxResults: PAGE },
      });
      const issues = r?.issues ?? [];
      const seen = startAt + issues.length;
      return { issues, next: issues.length > 0 && seen < (r?.total ?? 0) ? String(seen) : null };
    },
    async getIssue(key) {
      return client.sendRequest<FoundIssue>({ url: issueUrl(key), method: 'GET', searchParams: { fields: FIELDS.join(',') } });
    },
    async create(fields) {
      const r = await client.sendRequest<{ id: string; key: string }>({ url: '/rest/api/2/issue', method: 'POST', body: { fields } });
      return { id: String(r.id), key: String(r.key) };
    },
    async edit(key, fields) {
      await client.sendRequest({ url: issueUrl(key), method: 'PUT', body: { fields } });
    },
    async comment(key, doc) {
      await client.sendRequest({ url: `${issueUrl(key)}/comment`, method: 'POST', body: { body: toJiraWiki(doc) } });
    },
    async recentComments(key) {
      const r = await client.sendRequest<{ comments?: Array<{ body?: unknown }> }>({
        url: `${issueUrl(key)}/comment`,
        method: 'GET',
        searchParams: { orderBy: '-created', maxResults: PAGE },
      });
      return (r?.comments ?? []).map((c) => c.body);
    },
    async transitions(key) {
      const r = await client.sendRequest<{ transitions?: Transition[] }>({ url: `${issueUrl(key)}/transitions`, method: 'GET' });
      return r?.transitions ?? [];
    },
    async transition(key, id) {
      await client.sendRequest({ url: `${issueUrl(key)}/transitions`, method: 'POST', body: { transition: { id } } });
    },
    body: (doc) => toJiraWiki(doc),
    assignee: (who) => ({ name: who }),
  };
}

const isDone = (t: Transition) => t.to?.statusCategory?.key === 'done';
const named = (name: string) => (t: Transition) =>
  t.name?.toLowerCase() === name.toLowerCase() || t.to?.name?.toLowerCase() === name.toLowerCase();

/** A JQL string literal. */
const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

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

  async function searchAll(jql: string): Promise<FoundIssue[]> {
    const out: FoundIssue[] = [];
    let next: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await api.searchPage(jql, next);
      out.push(...r.issues);
      next = r.next;
      if (!next) break;
    }
    return out;
  }

  async function move(ticket: RemoteTicket, toDone: boolean): Promise<void> {
    // never a looped transition or one into the status the issue is already in: no transition loops
    const available = (await api.transitions(ticket.key)).filter((t) => !t.isLooped);
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

  const content = (draft: TicketDraft) => ({ summary: ticketTitle(draft.title, 250), description: api.body(draft.doc) });
  const withTag = (doc: TicketDoc, tag: string): TicketDoc => [...doc, { kind: 'paragraph', text: tag }];

  return composeSink({
    kind: 'jira',
    async search(marker) {
      return (await searchAll(`labels = ${quote(marker)} ORDER BY created ASC`)).map(toRemote);
    },
    async get(ticket) {
      try {
        return toRemote(await api.getIssue(ticket.id));
      } catch (err) {
        if (classify(err).status === 404) return null;
        throw err;
      }
    },
    async listOpen(projects) {
      const keys = [...new Set(projects.map((p) => p ?? settings.project))].sort();
      const jql = `project in (${keys.map(quote).join(', ')}) AND labels = "snapaudit" AND statusCategory != Done ORDER BY created ASC`;
      const out: ListedTicket[] = [];
      for (const i of await searchAll(jql)) {
        const labels = (i.fields?.labels as string[] | undefined) ?? [];
        const marker = labels.find((l) => /^snapaudit-[0-9a-f]{24,}$/.test(l));
        if (marker)
          out.push({ ...toRemote(i), marker, title: String(i.fields?.summary ?? ''), project: String(i.key).split('-')[0] ?? null });
      }
      return out;
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
    update: (ticket, draft) => api.edit(ticket.key, content(draft)),
    async hasComment(ticket, tag) {
      return (await api.recentComments(ticket.key)).some((body) => lastLine(body) === tag);
    },
    comment: (ticket, doc, tag) => api.comment(ticket.key, withTag(doc, tag)),
    transition: (ticket, to) => move(ticket, to === 'closed'),
  });
}
