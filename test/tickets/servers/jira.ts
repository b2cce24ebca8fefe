/**
 * Loopback Jira: the subset of Jira Cloud REST v3 and Jira Data Center REST v2 the sink uses — create, edit,
 * comment, transitions, and search (Cloud: POST /rest/api/3/search/jql with token paging; Data Center:
 * GET /rest/api/2/search with startAt paging) — with Jira's response shapes and error bodies. Cloud accepts only
 * Atlassian Document Format bodies on v3 (as the real API does), Data Center only strings. Auth: Basic e-mail:token
 * (Cloud) or Bearer personal access token (Data Center).
 */
import { json, type Loopback, type Recorded, type Reply, startLoopback } from './harness.ts';

export interface JiraIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  description: unknown;
  labels: string[];
  assignee: unknown;
  priority: unknown;
  status: 'To Do' | 'In Progress' | 'Done';
  comments: Array<{ id: string; body: unknown }>;
}

const categories = {
  'To Do': { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  'In Progress': { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  Done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;
const statusIds = { 'To Do': '10000', 'In Progress': '3', Done: '10001' } as const;
const transitions = [
  { id: '11', name: 'To Do', to: 'To Do' },
  { id: '21', name: 'In Progress', to: 'In Progress' },
  { id: '31', name: 'Done', to: 'Done' },
] as const;

export interface JiraLoopback extends Loopback {
  issues: JiraIssue[];
}

export async function startJira(opts: {
  deployment: 'cloud' | 'datacenter';
  email?: string;
  token: string;
  projects?: string[];
}): Promise<JiraLoopback> {
  const issues: JiraIssue[] = [];
  const projects = opts.projects ?? ['SEC'];
  const version = opts.deployment === 'cloud' ? '3' : '2';
  let base = '';
  const expectedAuth =
    opts.deployment === 'cloud' ? `Basic ${Buffer.from(`${opts.email}:${opts.token}`).toString('base64')}` : `Bearer ${opts.token}`;
  const error = (status: number, ...messages: string[]): Reply => ({ status, body: { errorMessages: messages, errors: {} } });
  const statusOf = (s: JiraIssue['status']) => ({
    self: `${base}/rest/api/${version}/status/${statusIds[s]}`,
    description: '',
    iconUrl: `${base}/images/icons/statuses/generic.png`,
    name: s,
    id: statusIds[s],
    statusCategory: { self: `${base}/rest/api/${version}/statuscategory/${categories[s].id}`, ...categories[s] },
  });
  const view = (i: JiraIssue, fields: string[]) => ({
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

  /** The JQL the sink sends: `labels = "x"` [AND project = KEY] [ORDER BY created ASC]. */
  function runJql(jql: string): JiraIssue[] | null {
    const m = /^labels\s*=\s*"([^"]+)"(?:\s+AND\s+project\s*=\s*"?([A-Z0-9_]+)"?)?(?:\s+ORDER BY created (?:ASC|DESC))?$/i.exec(jql.trim());
    if (!m) return null;
    return issues.filter((i) => i.labels.includes(m[1]!) && (!m[2] || i.project === m[2]));
  }

  const find = (keyOrId: string) => issues.find((i) => i.key === keyOrId || i.id === keyOrId);

  async function handle(req: Recorded): Promise<Reply> {
    if (req.headers.authorization !== expectedAuth)
      return error(401, 'You are not authenticated. Authentication required to perform this operation.');
    const v = `/rest/api/${version}`;
    if (!req.path.startsWith(`${v}/`)) return error(404, `No endpoint ${req.path} on this Jira (${opts.deployment})`);
    const path = req.path.slice(v.length);

    if (req.method === 'POST' && path === '/search/jql' && version === '3') {
      const b = json(req) as { jql?: string; fields?: string[]; maxResults?: number; nextPageToken?: string };
      const found = runJql(b.jql ?? '');
      if (!found) return error(400, `Error in the JQL Query: unsupported query "${b.jql}"`);
      const start = b.nextPageToken ? Number(b.nextPageToken) : 0;
      const size = Math.min(b.maxResults ?? 50, 5000);
      const page = found.slice(start, start + size);
      const more = start + size < found.length;
      return {
        status: 200,
        body: { issues: page.map((i) => view(i, b.fields ?? [])), isLast: !more, ...(more ? { nextPageToken: String(start + size) } : {}) },
      };
    }
    if (req.method === 'GET' && path === '/search' && version === '2') {
      const found = runJql(req.query.get('jql') ?? '');
      if (!found) return error(400, `Error in the JQL Query: unsupported query "${req.query.get('jql')}"`);
      const startAt = Number(req.query.get('startAt') ?? 0);
      const maxResults = Number(req.query.get('maxResults') ?? 50);
      const fields = (req.query.get('fields') ?? '').split(',').filter(Boolean);
      return {
        status: 200,
        body: {
          expand: 'schema,names',
          startAt,
          maxResults,
          total: found.length,
          issues: found.slice(startAt, startAt + maxResults).map((i) => view(i, fields)),
        },
      };
    }
    if (req.method === 'POST' && path === '/issue') {
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
        comments: [],
      };
      issues.push(issue);
      return { status: 201, body: { id: issue.id, key: issue.key, self: `${base}${v}/issue/${issue.id}` } };
    }
    const m = /^\/issue\/([^/]+)(\/comment|\/transitions)?(?:\/(\d+))?$/.exec(path);
    const issue = m ? find(decodeURIComponent(m[1]!)) : undefined;
    if (!m) return error(404, `No endpoint ${req.path}`);
    if (!issue) return error(404, 'Issue does not exist or you do not have permission to see it.');
    if (!m[2] && req.method === 'PUT') {
      const f = (json(req).fields ?? {}) as Record<string, unknown>;
      if (f.description !== undefined && !bodyOk(f.description))
        return { status: 400, body: { errorMessages: [], errors: { description: 'Operation value must be an Atlassian Document' } } };
      if (typeof f.summary === 'string') issue.summary = f.summary;
      if (f.description !== undefined) issue.description = f.description;
      return { status: 204 };
    }
    if (m[2] === '/comment' && req.method === 'POST') {
      const body = json(req).body;
      if (!bodyOk(body)) return { status: 400, body: { errorMessages: [], errors: { comment: 'Comment body is not valid!' } } };
      const c = { id: String(20000 + issue.comments.length + issues.reduce((n, i) => n + i.comments.length, 0)), body };
      issue.comments.push(c);
      const now = new Date().toISOString();
      return {
        status: 201,
        body: {
          self: `${base}${v}/issue/${issue.id}/comment/${c.id}`,
          id: c.id,
          author: {
            self: `${base}${v}/user?accountId=557058:snapaudit`,
            accountId: '557058:snapaudit',
            displayName: 'snapaudit',
            active: true,
          },
          body,
          created: now,
          updated: now,
        },
      };
    }
    if (m[2] === '/transitions' && req.method === 'GET') {
      return {
        status: 200,
        body: {
          expand: 'transitions',
          transitions: transitions
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
    if (m[2] === '/transitions' && req.method === 'POST') {
      const id = (json(req).transition as { id?: string } | undefined)?.id;
      const t = transitions.find((x) => x.id === id && x.to !== issue.status);
      if (!t) return error(400, `Transition id '${id}' is not valid for this issue.`);
      issue.status = t.to;
      return { status: 204 };
    }
    return error(405, `Method ${req.method} not allowed on ${req.path}`);
  }

  const lb = await startLoopback(handle, (r) => r.method === 'GET' || r.path.endsWith('/search/jql'));
  base = lb.url;
  return Object.assign(lb, { issues });
}
