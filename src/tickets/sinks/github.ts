/**
 * GitHub Issues through @octokit/rest. The marker is a label (found again with the issues list filtered by label,
 * which — unlike the search API — sees an issue the moment it exists) plus a hidden comment in the body. Closing
 * uses state_reason `completed` (resolved) or `not_planned` (suppressed).
 */
import { Octokit } from '@octokit/rest';
import type { z } from 'zod';
import type { GithubSettings } from '../../core/config/tickets.ts';
import type { SinkCredentials } from '../credentials.ts';
import type { RemoteTicket, TicketDraft, TicketSink } from '../model.ts';
import { toMarkdown, truncate } from '../render.ts';

type Settings = z.infer<typeof GithubSettings>;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function repoOf(draft: TicketDraft, settings: Settings): { owner: string; repo: string } {
  const full = draft.project && /^[\w.-]+\/[\w.-]+$/.test(draft.project) ? draft.project : settings.repo;
  const [owner, repo] = full.split('/') as [string, string];
  return { owner, repo };
}

function parseId(id: string): { owner: string; repo: string; issue_number: number } {
  const m = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(id);
  if (!m) throw new Error(`not a GitHub issue id: ${id}`);
  return { owner: m[1]!, repo: m[2]!, issue_number: Number(m[3]) };
}

export function githubSink(settings: Settings, creds: SinkCredentials, opts: { fetch?: typeof fetch } = {}): TicketSink {
  if (creds.kind !== 'github') throw new Error('github sink needs a GitHub token');
  const octokit = new Octokit({
    auth: creds.token,
    baseUrl: settings.apiUrl.replace(/\/$/, ''),
    userAgent: 'snapaudit',
    log: silent,
    ...(opts.fetch ? { request: { fetch: opts.fetch } } : {}),
  });
  const body = (draft: TicketDraft) => `${toMarkdown(draft.doc)}\n<!-- snapaudit:marker=${draft.marker} -->\n`;

  return {
    kind: 'github',
    async find(draft) {
      const { owner, repo } = repoOf(draft, settings);
      const { data } = await octokit.rest.issues.listForRepo({
        owner,
        repo,
        labels: draft.marker,
        state: 'all',
        per_page: 10,
        sort: 'created',
        direction: 'asc',
      });
      const issue = data.find((i) => !i.pull_request);
      if (!issue) return null;
      return {
        id: `${owner}/${repo}#${issue.number}`,
        key: `#${issue.number}`,
        url: issue.html_url,
        state: issue.state === 'closed' ? 'closed' : 'open',
      };
    },
    async create(draft): Promise<RemoteTicket> {
      const { owner, repo } = repoOf(draft, settings);
      const { data } = await octokit.rest.issues.create({
        owner,
        repo,
        title: truncate(draft.title, 250),
        body: body(draft),
        labels: [...new Set([...draft.labels, draft.marker])],
        ...(draft.assignee ? { assignees: [draft.assignee] } : {}),
      });
      return { id: `${owner}/${repo}#${data.number}`, key: `#${data.number}`, url: data.html_url, state: 'open' };
    },
    async refresh(ticket, draft, comment) {
      const ref = parseId(ticket.id);
      await octokit.rest.issues.update({ ...ref, title: truncate(draft.title, 250), body: body(draft) });
      await octokit.rest.issues.createComment({ ...ref, body: toMarkdown(comment) });
    },
    async close(ticket, _draft, comment, reason) {
      const ref = parseId(ticket.id);
      await octokit.rest.issues.createComment({ ...ref, body: toMarkdown(comment) });
      await octokit.rest.issues.update({ ...ref, state: 'closed', state_reason: reason === 'suppressed' ? 'not_planned' : 'completed' });
    },
    async reopen(ticket, draft, comment) {
      const ref = parseId(ticket.id);
      await octokit.rest.issues.update({ ...ref, state: 'open', title: truncate(draft.title, 250), body: body(draft) });
      await octokit.rest.issues.createComment({ ...ref, body: toMarkdown(comment) });
    },
  };
}
