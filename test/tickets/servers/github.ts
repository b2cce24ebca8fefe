/**
 * Loopback GitHub REST API: list issues of a repository filtered by labels and state, create, update (title, body,
 * state, state_reason) and comment — with GitHub's issue and comment shapes, 401/404/422 errors, and labels created
 * on first use as GitHub does.
 */
import { json, type Loopback, type Recorded, type Reply, startLoopback } from './harness.ts';

export interface GithubIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  assignees: string[];
  comments: string[];
}

export interface GithubLoopback extends Loopback {
  issues: Map<string, GithubIssue[]>;
}

export async function startGithub(opts: { token: string; repos: string[]; users?: string[] }): Promise<GithubLoopback> {
  const issues = new Map<string, GithubIssue[]>(opts.repos.map((r) => [r, []]));
  const users = new Set(opts.users ?? []);
  let base = '';
  const err = (status: number, message: string, extra: Record<string, unknown> = {}): Reply => ({
    status,
    body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...extra },
  });
  const user = (login: string) => ({
    login,
    id: 1000 + login.length,
    node_id: `U_${login}`,
    type: 'User',
    site_admin: false,
    html_url: `https://github.com/${login}`,
  });
  const view = (repo: string, i: GithubIssue) => ({
    id: 5000000 + i.number,
    node_id: `I_${repo}_${i.number}`,
    url: `${base}/repos/${repo}/issues/${i.number}`,
    repository_url: `${base}/repos/${repo}`,
    labels_url: `${base}/repos/${repo}/issues/${i.number}/labels{/name}`,
    comments_url: `${base}/repos/${repo}/issues/${i.number}/comments`,
    events_url: `${base}/repos/${repo}/issues/${i.number}/events`,
    html_url: `https://github.com/${repo}/issues/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.state_reason,
    title: i.title,
    body: i.body,
    user: user('snapaudit-bot'),
    labels: i.labels.map((name, n) => ({
      id: n + 1,
      node_id: `LA_${name}`,
      url: `${base}/repos/${repo}/labels/${encodeURIComponent(name)}`,
      name,
      color: 'ededed',
      default: false,
      description: null,
    })),
    assignee: i.assignees[0] ? user(i.assignees[0]) : null,
    assignees: i.assignees.map(user),
    locked: false,
    comments: i.comments.length,
    created_at: '2026-11-26T00:00:00Z',
    updated_at: '2026-11-26T00:00:00Z',
    closed_at: i.state === 'closed' ? '2026-11-26T00:00:00Z' : null,
    author_association: 'NONE',
  });

  function handle(req: Recorded): Reply {
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${opts.token}` && auth !== `bearer ${opts.token}` && auth !== `Bearer ${opts.token}`) {
      return err(401, 'Bad credentials');
    }
    const m = /^\/repos\/([\w.-]+\/[\w.-]+)\/issues(?:\/(\d+)(\/comments)?)?$/.exec(req.path);
    if (!m) return err(404, 'Not Found');
    const repo = m[1]!;
    const list = issues.get(repo);
    if (!list) return err(404, 'Not Found');
    if (!m[2]) {
      if (req.method === 'GET') {
        const labels = (req.query.get('labels') ?? '').split(',').filter(Boolean);
        const state = req.query.get('state') ?? 'open';
        const perPage = Number(req.query.get('per_page') ?? 30);
        const desc = (req.query.get('direction') ?? 'desc') === 'desc';
        const found = list.filter((i) => labels.every((l) => i.labels.includes(l)) && (state === 'all' || i.state === state));
        const ordered = desc ? [...found].reverse() : found;
        return { status: 200, body: ordered.slice(0, perPage).map((i) => view(repo, i)) };
      }
      if (req.method === 'POST') {
        const b = json(req) as { title?: string; body?: string; labels?: string[]; assignees?: string[] };
        if (!b.title) return err(422, 'Validation Failed', { errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }] });
        const bad = (b.assignees ?? []).find((a) => !users.has(a));
        if (bad) return err(422, 'Validation Failed', { errors: [{ value: bad, resource: 'Issue', field: 'assignees', code: 'invalid' }] });
        const issue: GithubIssue = {
          number: [...issues.values()].reduce((n, l) => n + l.length, 0) + 1,
          title: b.title,
          body: b.body ?? '',
          state: 'open',
          state_reason: null,
          labels: b.labels ?? [],
          assignees: b.assignees ?? [],
          comments: [],
        };
        list.push(issue);
        return { status: 201, body: view(repo, issue) };
      }
      return err(404, 'Not Found');
    }
    const issue = list.find((i) => i.number === Number(m[2]));
    if (!issue) return err(404, 'Not Found');
    if (m[3] && req.method === 'POST') {
      const b = json(req) as { body?: string };
      if (!b.body) return err(422, 'Validation Failed', { errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }] });
      issue.comments.push(b.body);
      return {
        status: 201,
        body: {
          id: 900000 + issue.comments.length,
          node_id: 'IC_x',
          url: `${base}/repos/${repo}/issues/comments/${issue.comments.length}`,
          html_url: `https://github.com/${repo}/issues/${issue.number}#issuecomment-${issue.comments.length}`,
          body: b.body,
          user: user('snapaudit-bot'),
          created_at: '2026-11-26T00:00:00Z',
          updated_at: '2026-11-26T00:00:00Z',
          issue_url: `${base}/repos/${repo}/issues/${issue.number}`,
          author_association: 'NONE',
        },
      };
    }
    if (!m[3] && req.method === 'PATCH') {
      const b = json(req) as { title?: string; body?: string; state?: 'open' | 'closed'; state_reason?: string };
      if (b.state && b.state !== 'open' && b.state !== 'closed') return err(422, 'Validation Failed');
      if (b.title !== undefined) issue.title = b.title;
      if (b.body !== undefined) issue.body = b.body;
      if (b.state) {
        issue.state = b.state;
        issue.state_reason = b.state === 'closed' ? (b.state_reason ?? 'completed') : 'reopened';
      }
      return { status: 200, body: view(repo, issue) };
    }
    return err(404, 'Not Found');
  }

  const lb = await startLoopback(handle);
  base = lb.url;
  return Object.assign(lb, { issues });
}
