/**
 * Loopback GitHub REST API: list a repository's issues filtered by labels (comma: all of them) and state, sorted by
 * creation, paged with `page`/`per_page` and an RFC 8288 Link header (rel next/last/first/prev) as GitHub sends it
 * (https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api); read one issue; create, update
 * (title, body, state, state_reason) and comment (add, list paged) — with GitHub's issue and comment shapes,
 * 401/404/422 errors, and labels created on first use. The issue listing can lag behind writes (`searchLagMs`:
 * immediate on GitHub today, but snapaudit must not depend on it); reading one issue never lags.
 */
import {
  type FakeClock,
  fakeClock,
  json,
  knobs,
  LaggedIndex,
  type Loopback,
  linkHeader,
  type Recorded,
  type Reply,
  startLoopback,
} from './harness.ts';

export interface GithubIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  assignees: string[];
  comments: string[];
  created: number;
  /** Every state change, in order. */
  transitions: Array<{ from: 'open' | 'closed'; to: 'open' | 'closed' }>;
}

export interface GithubLoopback extends Loopback {
  issues: Map<string, GithubIssue[]>;
  clock: FakeClock;
  searchLagMs: number;
  /** The largest page GitHub serves (per_page is capped at 100). */
  maxPage: number;
}

type Indexed = Pick<GithubIssue, 'number' | 'labels' | 'state' | 'created'> & { repo: string };

export async function startGithub(opts: {
  token: string;
  repos: string[];
  users?: string[];
  clock?: FakeClock;
  searchLagMs?: number;
  maxPage?: number;
}): Promise<GithubLoopback> {
  const issues = new Map<string, GithubIssue[]>(opts.repos.map((r) => [r, []]));
  const users = new Set(opts.users ?? []);
  const clock = opts.clock ?? fakeClock();
  const state = { searchLagMs: opts.searchLagMs ?? 0, maxPage: opts.maxPage ?? 100 };
  const index = new LaggedIndex<Indexed>(clock, () => state.searchLagMs);
  const reindex = (repo: string, i: GithubIssue) =>
    index.write(`${repo}#${i.number}`, { repo, number: i.number, labels: i.labels, state: i.state, created: i.created });
  let base = '';
  const err = (status: number, message: string, extra: Record<string, unknown> = {}): Reply => ({
    status,
    body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...extra },
  });
  const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
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
    created_at: iso(i.created),
    updated_at: iso(i.created),
    closed_at: i.state === 'closed' ? iso(i.created) : null,
    author_association: 'NONE',
  });
  const commentView = (repo: string, i: GithubIssue, n: number) => ({
    id: 900000 + i.number * 1000 + n,
    node_id: 'IC_x',
    url: `${base}/repos/${repo}/issues/comments/${n}`,
    html_url: `https://github.com/${repo}/issues/${i.number}#issuecomment-${n}`,
    body: i.comments[n - 1],
    user: user('snapaudit-bot'),
    created_at: iso(i.created),
    updated_at: iso(i.created),
    issue_url: `${base}/repos/${repo}/issues/${i.number}`,
    author_association: 'NONE',
  });

  /** One page of a list, with GitHub's Link header. */
  function paged<T>(req: Recorded, all: T[]): Reply {
    const perPage = Math.max(1, Math.min(Number(req.query.get('per_page') ?? 30), state.maxPage));
    const page = Math.max(1, Number(req.query.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = linkHeader(base, req, 'page', {
      prev: page > 1 ? page - 1 : null,
      next: page < last ? page + 1 : null,
      last: page < last ? last : null,
      first: page > 1 ? 1 : null,
    });
    return { status: 200, body: all.slice((page - 1) * perPage, page * perPage), headers: link ? { link } : {} };
  }

  function list(req: Recorded, repo: string): Reply {
    const labels = (req.query.get('labels') ?? '').split(',').filter(Boolean);
    const wanted = req.query.get('state') ?? 'open';
    const found = index
      .view()
      .filter((i) => i.repo === repo && labels.every((l) => i.labels.includes(l)) && (wanted === 'all' || i.state === wanted))
      .sort((a, b) => a.created - b.created || a.number - b.number);
    if ((req.query.get('direction') ?? 'desc') === 'desc') found.reverse();
    const live = new Map(issues.get(repo)!.map((i) => [i.number, i]));
    // a deleted issue is gone from the listing too
    return paged(
      req,
      found.flatMap((i) => (live.has(i.number) ? [view(repo, live.get(i.number)!)] : [])),
    );
  }

  function create(req: Recorded, repo: string): Reply {
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
      created: clock.now(),
      transitions: [],
    };
    issues.get(repo)!.push(issue);
    reindex(repo, issue);
    return { status: 201, body: view(repo, issue) };
  }

  function update(req: Recorded, repo: string, issue: GithubIssue): Reply {
    const b = json(req) as { title?: string; body?: string; state?: 'open' | 'closed'; state_reason?: string };
    if (b.state && b.state !== 'open' && b.state !== 'closed') return err(422, 'Validation Failed');
    if (b.title !== undefined) issue.title = b.title;
    if (b.body !== undefined) issue.body = b.body;
    if (b.state && b.state !== issue.state) {
      issue.transitions.push({ from: issue.state, to: b.state });
      issue.state = b.state;
      issue.state_reason = b.state === 'closed' ? (b.state_reason ?? 'completed') : 'reopened';
    }
    reindex(repo, issue);
    return { status: 200, body: view(repo, issue) };
  }

  function handle(req: Recorded): Reply {
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${opts.token}` && auth !== `bearer ${opts.token}` && auth !== `Bearer ${opts.token}`) {
      return err(401, 'Bad credentials');
    }
    const m = /^\/repos\/([\w.-]+\/[\w.-]+)\/issues(?:\/(\d+)(\/comments)?)?$/.exec(req.path);
    if (!m) return err(404, 'Not Found');
    const repo = m[1]!;
    const all = issues.get(repo);
    if (!all) return err(404, 'Not Found');
    if (!m[2]) {
      if (req.method === 'GET') return list(req, repo);
      if (req.method === 'POST') return create(req, repo);
      return err(404, 'Not Found');
    }
    const issue = all.find((i) => i.number === Number(m[2]));
    if (!issue) return err(404, 'Not Found');
    if (!m[3] && req.method === 'GET') return { status: 200, body: view(repo, issue) };
    if (!m[3] && req.method === 'PATCH') return update(req, repo, issue);
    if (m[3] && req.method === 'GET')
      return paged(
        req,
        issue.comments.map((_, n) => commentView(repo, issue, n + 1)),
      );
    if (m[3] && req.method === 'POST') {
      const b = json(req) as { body?: string };
      if (!b.body) return err(422, 'Validation Failed', { errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }] });
      issue.comments.push(b.body);
      return { status: 201, body: commentView(repo, issue, issue.comments.length) };
    }
    return err(404, 'Not Found');
  }

  const lb = await startLoopback(handle);
  base = lb.url;
  return knobs(Object.assign(lb, { issues, clock }), state);
}
