/**
 * GitHub Issues through @octokit/rest. The marker is a label (found again by listing the repository's issues filtered
 * by label, paged through the Link header — immediate today, unlike the search API, but nothing here relies on it)
 * plus a hidden comment in the body; every issue also carries the fixed `snapaudit` label that reconciliation lists
 * by. Comments end with a hidden operation tag. Closing uses state_reason `completed` (resolved) or `not_planned`
 * (suppressed, duplicate, untracked).
 */
import { Octokit } from '@octokit/rest';
import type { z } from 'zod';
import type { GithubSettings } from '../../core/config/tickets.ts';
import type { SinkCredentials } from '../credentials.ts';
import type { ListedTicket, RemoteTicket, TicketDraft, TicketSink } from '../model.ts';
import { ticketTitle, toMarkdown } from '../render.ts';
import { classify } from '../retry.ts';
import { composeSink, lastLine, MAX_PAGES } from './compose.ts';

type Settings = z.infer<typeof GithubSettings>;

const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface Issue {
  number: number;
  html_url: string;
  state: string;
  title: string;
  pull_request?: unknown;
  labels: Array<string | { name?: string | null | undefined }>;
}

function repoOf(project: string | null, settings: Settings): { owner: string; repo: string } {
  const full = project && /^[\w.-]+\/[\w.-]+$/.test(project) ? project : settings.repo;
  const [owner, repo] = full.split('/') as [string, string];
  return { owner, repo };
}

function parseId(id: string): { owner: string; repo: string; issue_number: number } {
  const m = /^([\w.-]+)\/([\w.-]+)#(\d+)$/.exec(id);
  if (!m) throw new Error(`not a GitHub issue id: ${id}`);
  return { owner: m[1]!, repo: m[2]!, issue_number: Number(m[3]) };
}

const hiddenTag = (tag: string) => `<!-- ${tag} -->`;

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
  const toRemote = (owner: string, repo: string, i: Issue): RemoteTicket => ({
    id: `${owner}/${repo}#${i.number}`,
    key: `#${i.number}`,
    url: i.html_url,
    state: i.state === 'closed' ? 'closed' : 'open',
  });

  /** Issues (not pull requests) of a repository, following the Link header, bounded. */
  async function listIssues(owner: string, repo: string, labels: string, state: 'open' | 'all'): Promise<Issue[]> {
    const out: Issue[] = [];
    let page = 0;
    for await (const res of octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels,
      state,
      per_page: 100,
      sort: 'created',
      direction: 'asc',
    })) {
      out.push(...(res.data as Issue[]).filter((i) => !i.pull_request));
      if (++page >= MAX_PAGES) break;
    }
    return out;
  }

  return composeSink({
    kind: 'github',
    async search(marker, project) {
      const { owner, repo } = repoOf(project, settings);
      return (await listIssues(owner, repo, marker, 'all')).map((i) => toRemote(owner, repo, i));
    },
    async get(ticket) {
      try {
        const { data } = await octokit.rest.issues.get(parseId(ticket.id));
        const { owner, repo } = parseId(ticket.id);
        return toRemote(owner, repo, data as Issue);
      } catch (err) {
        const status = classify(err).status;
        // 410: the issue was deleted or issues were turned off
        if (status === 404 || status === 410) return null;
        throw err;
      }
    },
    async listOpen(projects) {
      const repos = [...new Set(projects.map((p) => `${repoOf(p, settings).owner}/${repoOf(p, settings).repo}`))].sort();
      const out: ListedTicket[] = [];
      for (const full of repos) {
        const [owner, repo] = full.split('/') as [string, string];
        for (const i of await listIssues(owner, repo, 'snapaudit', 'open')) {
          const names = i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? '')));
          const marker = names.find((l) => /^snapaudit-[0-9a-f]{24,}$/.test(l));
          if (marker) out.push({ ...toRemote(owner, repo, i), marker, title: i.title, project: full });
        }
      }
      return out;
    },
    async create(draft): Promise<RemoteTicket> {
      const { owner, repo } = repoOf(draft.project, settings);
      const { data } = await octokit.rest.issues.create({
        owner,
        repo,
        title: ticketTitle(draft.title, 250),
        body: body(draft),
        labels: [...new Set([...draft.labels, draft.marker])],
        ...(draft.assignee ? { assignees: [draft.assignee] } : {}),
      });
      return toRemote(owner, repo, data as Issue);
    },
    async update(ticket, draft) {
      await octokit.rest.issues.update({ ...parseId(ticket.id), title: ticketTitle(draft.title, 250), body: body(draft) });
    },
    async hasComment(ticket, tag) {
      let page = 0;
      for await (const res of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...parseId(ticket.id), per_page: 100 })) {
        if (res.data.some((c) => lastLine(c.body ?? '') === hiddenTag(tag))) return true;
        if (++page >= MAX_PAGES) break;
      }
      return false;
    },
    async comment(ticket, doc, tag) {
      await octokit.rest.issues.createComment({ ...parseId(ticket.id), body: `${toMarkdown(doc)}\n${hiddenTag(tag)}\n` });
    },
    async transition(ticket, to, reason) {
      await octokit.rest.issues.update({
        ...parseId(ticket.id),
        state: to,
        ...(to === 'closed' ? { state_reason: reason === 'resolved' ? ('completed' as const) : ('not_planned' as const) } : {}),
      });
    },
  });
}
