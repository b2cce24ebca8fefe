/**
 * Loopback Jira: the subset of Jira Cloud REST v3 and Jira Data Center REST v2 the sink uses — create, read, edit,
 * comment (add, list newest first), transitions, and search (Cloud: POST /rest/api/3/search/jql with
 * `nextPageToken`/`isLast` paging; Data Center: GET /rest/api/2/search with `startAt`/`maxResults`/`total`) — with
 * Jira's response shapes and error bodies. Search runs on an index that lags behind writes by `searchLagMs`, as
 * Atlassian documents for Cloud (https://developer.atlassian.com/cloud/jira/platform/search-and-reconcile); reading
 * an issue by id or key is immediate. Pages are capped at `maxPage` (Jira caps maxResults too). Cloud accepts only
 * Atlassian Document Format bodies on v3 (as the real API does), Data Center only strings. Auth: Basic e-mail:token
 * (Cloud) or Bearer personal access token (Data Center).
 */
import { type FakeClock, fakeClock, json, knobs, LaggedIndex, type Loopback, type Recorded, type Reply, startLoopback } from './harness.ts';

type Status = 'To Do' | 'In Progress' | 'Done';

export interface JiraIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  description: unknown;
  labels: string[];
  assignee: unknown;
  priority: unknown;
  status: Status;
  created: number;
  comments: Array<{ id: string; body: unknown; created: number }>;
  /** Every workflow transition taken, in order. */
  transitions: Array<{ from: Status; to: Status }>;
}

const categories = {
  'To Do': { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  'In Progress': { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  Done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;
const statusIds = { 'To Do': '10000', 'In Progress': '3', Done: '10001' } as const;
const workflow = [
  { id: '11', name: 'To Do', to: 'To Do' },
  { id: '21', name: 'In Progress', to: 'In Progress' },
  { id: '31', name: 'Done', to: 'Done' },
] as const;

export interface JiraLoopback extends Loopback {
  issues: JiraIssue[];
  clock: FakeClock;
  /** How far the search index lags behind writes. */
  searchLagMs: number;
  /** The most results one search page returns, whatever maxResults asks. */
  maxPage: number;
}

type Indexed = Pick<JiraIssue, 'id' | 'key' | 'project' | 'summary' | 'labels' | 'status' | 'created'>;

/** The JQL the sink sends: clauses joined by AND, then an optional ORDER BY created. */
function jqlFilter(jql: string): ((i: Indexed) => boolean) | null {
  const [where = '', order] = jql.split(/\s+ORDER BY\s+/i);
  if (order !== undefined && !/^created (ASC|DESC)$/i.test(order.trim())) return null;
  const tests: Array<(i: Indexed) => boolean> = [];
  for (const clause of where.split(/\s+AND\s+/i)) {
    const c = clause.trim();
    let m: RegExpExecArray | null;
    if ((m = /^labels\s*=\s*"([^"]+)"$/i.exec(c))) {
      const label = m[1]!;
      tests.push((i) => i.labels.includes(label));
    } else if ((m = /^project\s*=\s*"?([A-Z0-9_]+)"?$/i.exec(c))) {
      const p = m[1]!;
      tests.push((i) => i.project === p);
    } else if ((m = /^project\s+in\s+\(([^)]*)\)$/i.exec(c))) {
      const ps = m[1]!.split(',').map((x) => x.trim().replace(/^"|"$/g, ''));
      tests.push((i) => ps.includes(i.project));
    } else if (/^statusCategory\s*!=\s*"?Done"?$/i.test(c)) {
      tests.push((i) => categories[i.status].key !== 'done');
    } else {
      return null;
    }
  }
  return (i) => tests.every((t) => t(i));
}

export async function startJira(opts: {
  deployment: 'cloud' | 'datacenter';
  email?: string;
  token: string;
  projects?: string[];
  clock?: FakeClock;
  searchLagMs?: number;
  maxPage?: number;
}): Promise<JiraLoopback> {
  const issues: JiraIssue[] = [];
  const projects = opts.projects ?? ['SEC'];
  const clock = opts.clock ?? fakeClock();
  const state = { searchLagMs: opts.searchLagMs ?? 0, maxPage: opts.maxPage ?? 100 };
  const index = new LaggedIndex<Indexed>(clock, () => state.searchLagMs);
  const reindex = (i: JiraIssue) =>
    index.write(i.id, {
      id: i.id,
      key: i.key,
      project: i.project,
      summary: i.summary,
      labels: i.labels,
      status: i.status,
      created: i.created,
    });
  const version = opts.deployment === 'cloud' ? '3' : '2';
  let base = '';
  const expectedAuth =
    opts.deployment === 'cloud' ? `Basic ${Buffer.from(`${opts.email}:${opts.token}`).toString('base64')}` : `Bearer ${opts.token}`;
  const error = (status: number, ...messages: string[]): Reply => ({ status, body: { errorMessages: messages, errors: {} } });
  const iso = (t: number) => new Date(t).toISOString().replace('Z', '+0000');
  const statusOf = (s: Status) => ({
    self: `${base}/rest/api/${version}/status/${statusIds[s]}`,
    description: '',
    iconUrl: `${base}/images/icons/statuses/generic.png`,
    name: s,
    id: statusIds[s],
    statusCategory: { self: `${base}/rest/api/${version}/statuscategory/${categories[s].id}`, ...categories[s] },
  });
  const view = (i: Indexed, fields: string[]) => ({
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: i.id,
    self: `${base}/rest/api/${version}/issue/${i.id}`,
    key: i.key,
    fields: Object.fromEntries(
      fields
        .map((f) => [f, f === 'status' ? statusOf(i.status) : f === 'labels' ? i.labels : f === 'summary' ? i.summary : undefined] as const)
        .filter(([, v]) => v !== undefined),
    ),
  });
  const isDoc = (v: unknown) =>
    typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'doc' && (v as { version?: unknown }).version === 1;
  const bodyOk = (v: unknown) => (version === '3' ? isDoc(v) : typeof v === 'string');
  const author = () => ({
    self: `${base}/rest/api/${version}/user?accountId=557058:snapaudit`,
    accountId: '557058:snapaudit',
    displayName: 'snapaudit',
    active: true,
  });
  const commentView = (i: JiraIssue, c: JiraIssue['comments'][number]) => ({
    self: `${base}/rest/api/${version}/issue/${i.id}/comment/${c.id}`,
    id: c.id,
    author: author(),
    body: c.body,
    created: iso(c.created),
    updated: iso(c.created),
  });

  function search(jql: string, startAt: number, maxResults: number): { page: Indexed[]; total: number } | null {
    const filter = jqlFilter(jql);
    if (!filter) return null;
    const found = index.view().filter(filter);
    found.sort((a, b) => a.created - b.created || Number(a.id) - Number(b.id));
    if (/ORDER BY created DESC/i.test(jql)) found.reverse();
    const size = Math.max(1, Math.min(maxResults, state.maxPage));
    return { page: found.slice(startAt, startAt + size), total: found.length };
  }

  const find = (keyOrId: string) => issues.find((i) => i.key === keyOrId || i.id === keyOrId);

  function createIssue(req: Recorded, v: string): Reply {
    const f = (json(req).fields ?? {}) as Record<string, unknown>;
    const project = (f.project as { key?: string } | undefined)?.key;
    const errors: Record<string, string> = {};
    if (!project || !projects.includes(project)) errors.project = 'valid project is required';
    if (!(f.issuetype as { name?: string } | undefined)?.name) errors.issuetype = 'Specify an issue type';
    if (typeof f.summary !== 'string' || f.summary === '') errors.summary = 'You must specify a summary of the issue.';
    if (f.summary && String(f.summary).length > 255) errors.summary = 'Summary must be less than 255 characters.';
    if (f.description !== undefined && !bodyOk(f.description))
      errors.description =
        version === '3'
          ? 'Operation value must be an Atlassian Document (see the Atlassian Document Format)'
          : 'Operation value must be a string';
    const labels = (f.labels as string[] | undefined) ?? [];
    if (labels.some((l) => /\s/.test(l))) errors.labels = 'The label cannot contain spaces.';
    if (Object.keys(errors).length) return { status: 400, body: { errorMessages: [], errors } };
    const n = issues.filter((i) => i.project === project).length + 1;
    const issue: JiraIssue = {
      id: String(10000 + issues.length + 1),
      key: `${project}-${n}`,
      project: project!,
      summary: String(f.summary),
      description: f.description ?? null,
      labels,
      assignee: f.assignee ?? null,
      priority: f.priority ?? null,
      status: 'To Do',
      created: clock.now(),
      comments: [],
      transitions: [],
    };
    issues.push(issue);
    reindex(issue);
    return { status: 201, body: { id: issue.id, key: issue.key, self: `${base}${v}/issue/${issue.id}` } };
  }

  function onIssue(req: Recorded, issue: JiraIssue, sub: string | undefined, v: string): Reply {
    if (!sub && req.method === 'GET') {
      const fields = (req.query.get('fields') ?? '').split(',').filter(Boolean);
      return { status: 200, body: view(issue, fields) };
    }
    if (!sub && req.method === 'PUT') {
      const f = (json(req).fields ?? {}) as Record<string, unknown>;
      if (f.description !== undefined && !bodyOk(f.description))
        return { status: 400, body: { errorMessages: [], errors: { description: 'Operation value must be an Atlassian Document' } } };
      if (typeof f.summary === 'string') issue.summary = f.summary;
      if (f.description !== undefined) issue.description = f.description;
      reindex(issue);
      return { status: 204 };
    }
    if (sub === '/comment' && req.method === 'GET') {
      const startAt = Number(req.query.get('startAt') ?? 0);
      const maxResults = Math.min(Number(req.query.get('maxResults') ?? 50), state.maxPage);
      const ordered = req.query.get('orderBy') === '-created' ? [...issue.comments].reverse() : issue.comments;
      return {
        status: 200,
        body: {
          startAt,
          maxResults,
          total: issue.comments.length,
          comments: ordered.slice(startAt, startAt + maxResults).map((c) => commentView(issue, c)),
        },
      };
    }
    if (sub === '/comment' && req.method === 'POST') {
      const body = json(req).body;
      if (!bodyOk(body)) return { status: 400, body: { errorMessages: [], errors: { comment: 'Comment body is not valid!' } } };
      const c = { id: String(20000 + issues.reduce((n, i) => n + i.comments.length, 0)), body, created: clock.now() };
      issue.comments.push(c);
      return { status: 201, body: commentView(issue, c) };
    }
    if (sub === '/transitions' && req.method === 'GET') {
      return {
        status: 200,
        body: {
          expand: 'transitions',
          transitions: workflow
            .filter((t) => t.to !== issue.status)
            .map((t) => ({
              id: t.id,
              name: t.name,
              to: statusOf(t.to),
              hasScreen: false,
              isGlobal: true,
              isInitial: false,
              isAvailable: true,
              isConditional: false,
              isLooped: false,
            })),
        },
      };
    }
    if (sub === '/transitions' && req.method === 'POST') {
      const id = (json(req).transition as { id?: string } | undefined)?.id;
      const t = workflow.find((x) => x.id === id && x.to !== issue.status);
      if (!t) return error(400, `Transition id '${id}' is not valid for this issue.`);
      issue.transitions.push({ from: issue.status, to: t.to });
      issue.status = t.to;
      reindex(issue);
      return { status: 204 };
    }
    return error(405, `Method ${req.method} not allowed on ${v}${sub ?? ''}`);
  }

  async function handle(req: Recorded): Promise<Reply> {
    if (req.headers.authorization !== expectedAuth)
      return error(401, 'You are not authenticated. Authentication required to perform this operation.');
    const v = `/rest/api/${version}`;
    if (!req.path.startsWith(`${v}/`)) return error(404, `No endpoint ${req.path} on this Jira (${opts.deployment})`);
    const path = req.path.slice(v.length);

    if (req.method === 'POST' && path === '/search/jql' && version === '3') {
      const b = json(req) as { jql?: string; fields?: string[]; maxResults?: number; nextPageToken?: string };
      const start = b.nextPageToken ? Number(b.nextPageToken) : 0;
      const r = search(b.jql ?? '', start, b.maxResults ?? 50);
      if (!r) return error(400, `Error in the JQL Query: unsupported query "${b.jql}"`);
      const more = start + r.page.length < r.total;
      return {
        status: 200,
        body: {
          issues: r.page.map((i) => view(i, b.fields ?? [])),
          isLast: !more,
          ...(more ? { nextPageToken: String(start + r.page.length) } : {}),
        },
      };
    }
    if (req.method === 'GET' && path === '/search' && version === '2') {
      const startAt = Number(req.query.get('startAt') ?? 0);
      const r = search(req.query.get('jql') ?? '', startAt, Number(req.query.get('maxResults') ?? 50));
      if (!r) return error(400, `Error in the JQL Query: unsupported query "${req.query.get('jql')}"`);
      const fields = (req.query.get('fields') ?? '').split(',').filter(Boolean);
      return {
        status: 200,
        body: { expand: 'schema,names', startAt, maxResults: r.page.length, total: r.total, issues: r.page.map((i) => view(i, fields)) },
      };
    }
    if (req.method === 'POST' && path === '/issue') return createIssue(req, v);
    const m = /^\/issue\/([^/]+)(\/comment|\/transitions)?(?:\/(\d+))?$/.exec(path);
    if (!m) return error(404, `No endpoint ${req.path}`);
    const issue = find(decodeURIComponent(m[1]!));
    if (!issue) return error(404, 'Issue does not exist or you do not have permission to see it.');
    return onIssue(req, issue, m[2], v);
  }

  const lb = await startLoopback(handle, (r) => r.method === 'GET' || r.path.endsWith('/search/jql'));
  base = lb.url;
  return knobs(Object.assign(lb, { issues, clock }), state);
}
