/**
 * Loopback ServiceNow Table API: query a table with an encoded query (`=`, `STARTSWITH`, `LIKE`, `NOT IN`, `^`
 * between terms, `ORDERBY`), paged with `sysparm_offset`/`sysparm_limit` and answered with the Link and
 * X-Total-Count headers the real API sends (https://docs.servicenow.com/bundle/geneva-servicenow-platform/page/integrate/inbound_rest/reference/r_TableAPI-GET.html);
 * read, create and update records, `{result: …}` envelopes, `sysparm_fields` projection, work notes kept in the
 * `sys_journal_field` table as the platform does, and the data-policy failure an instance returns when a record is
 * resolved without close code and close notes. Queries can lag behind writes (`searchLagMs`: immediate on a real
 * instance, but snapaudit must not depend on it); reading one record by sys_id never lags.
 */
import { randomBytes } from 'node:crypto';
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

export type SnRecord = Record<string, string> & { sys_id: string; number: string; state: string };

export interface ServiceNowLoopback extends Loopback {
  records: SnRecord[];
  workNotes: Map<string, string[]>;
  /** Every state change per record, in order. */
  transitions: Map<string, Array<{ from: string; to: string }>>;
  clock: FakeClock;
  searchLagMs: number;
  maxPage: number;
}

type Term = (r: Record<string, string>) => boolean;

/** An encoded query; null for what this emulator does not understand (the real API ignores invalid terms). */
function encodedQuery(q: string): { test: Term; order: string[] } | null {
  const tests: Term[] = [];
  const order: string[] = [];
  for (const term of q.split('^').filter(Boolean)) {
    if (term.startsWith('ORDERBY')) {
      order.push(term.replace(/^ORDERBY(DESC)?/, ''));
      continue;
    }
    const m = /^([a-z_]+?)(STARTSWITH|NOT IN|LIKE|!=|=)(.*)$/.exec(term);
    if (!m) return null;
    const [, field, op, value] = m as unknown as [string, string, string, string];
    const get = (r: Record<string, string>) => r[field] ?? '';
    if (op === '=') tests.push((r) => get(r) === value);
    else if (op === '!=') tests.push((r) => get(r) !== value);
    else if (op === 'STARTSWITH') tests.push((r) => get(r).startsWith(value));
    else if (op === 'LIKE') tests.push((r) => get(r).includes(value));
    else tests.push((r) => !value.split(',').includes(get(r)));
  }
  return { test: (r) => tests.every((t) => t(r)), order };
}

export async function startServiceNow(opts: {
  user: string;
  password: string;
  table?: string;
  clock?: FakeClock;
  searchLagMs?: number;
  maxPage?: number;
}): Promise<ServiceNowLoopback> {
  const table = opts.table ?? 'incident';
  const records: SnRecord[] = [];
  const journal: Array<Record<string, string>> = [];
  const workNotes = new Map<string, string[]>();
  const transitions = new Map<string, Array<{ from: string; to: string }>>();
  const clock = opts.clock ?? fakeClock();
  const state = { searchLagMs: opts.searchLagMs ?? 0, maxPage: opts.maxPage ?? 10_000 };
  const index = new LaggedIndex<SnRecord>(clock, () => state.searchLagMs);
  let base = '';
  const expected = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
  const failure = (status: number, message: string, detail = ''): Reply => ({
    status,
    body: { error: { message, detail }, status: 'failure' },
  });
  const project = (r: Record<string, string>, fields: string | null) =>
    fields ? Object.fromEntries(fields.split(',').map((f) => [f, r[f] ?? ''])) : { ...r };
  const stamp = () => new Date(clock.now()).toISOString().replace('T', ' ').slice(0, 19);

  function addNote(rec: SnRecord, text: string) {
    workNotes.set(rec.sys_id, [...(workNotes.get(rec.sys_id) ?? []), text]);
    journal.push({
      sys_id: randomBytes(16).toString('hex'),
      element_id: rec.sys_id,
      element: 'work_notes',
      name: table,
      value: text,
      sys_created_on: stamp(),
    });
  }

  function list(req: Recorded, rows: Array<Record<string, string>>): Reply {
    const q = encodedQuery(req.query.get('sysparm_query') ?? '');
    if (!q) return failure(400, 'Invalid query', String(req.query.get('sysparm_query')));
    const found = rows.filter(q.test);
    const cmp = (a: Record<string, string>, b: Record<string, string>) => {
      for (const f of q.order) {
        const [x, y] = [a[f] ?? '', b[f] ?? ''];
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    };
    found.sort(cmp);
    const limit = Math.max(1, Math.min(Number(req.query.get('sysparm_limit') ?? 10_000), state.maxPage));
    const offset = Number(req.query.get('sysparm_offset') ?? 0);
    const last = Math.max(0, Math.floor((found.length - 1) / limit) * limit);
    const link = linkHeader(base, req, 'sysparm_offset', {
      first: 0,
      prev: offset > 0 ? Math.max(0, offset - limit) : null,
      next: offset + limit < found.length ? offset + limit : null,
      last,
    });
    const fields = req.query.get('sysparm_fields');
    return {
      status: 200,
      body: { result: found.slice(offset, offset + limit).map((r) => project(r, fields)) },
      headers: { link, 'x-total-count': String(found.length) },
    };
  }

  function update(req: Recorded, rec: SnRecord): Reply {
    const b = json(req) as Record<string, string>;
    if (b.state === '6' && (!(b.close_code ?? rec.close_code) || !(b.close_notes ?? rec.close_notes))) {
      return failure(
        403,
        'Operation Failed',
        'Data Policy Exception: the following fields are mandatory: Resolution code, Resolution notes',
      );
    }
    const { work_notes, ...rest } = b;
    if (rest.state !== undefined && rest.state !== rec.state)
      transitions.set(rec.sys_id, [...(transitions.get(rec.sys_id) ?? []), { from: rec.state, to: rest.state }]);
    Object.assign(rec, rest);
    if (work_notes) addNote(rec, work_notes);
    index.write(rec.sys_id, rec);
    return { status: 200, body: { result: project(rec, req.query.get('sysparm_fields')) } };
  }

  function handle(req: Recorded): Reply {
    if (req.headers.authorization !== expected) return failure(401, 'User Not Authenticated', 'Required to provide Auth information');
    const m = /^\/api\/now\/table\/([a-z0-9_]+)(?:\/([0-9a-f]{32}))?$/.exec(req.path);
    if (m?.[1] === 'sys_journal_field' && !m[2] && req.method === 'GET') return list(req, journal);
    if (!m || m[1] !== table) return failure(400, 'Invalid table', `table ${m?.[1] ?? req.path} does not exist`);
    const fields = req.query.get('sysparm_fields');
    if (!m[2] && req.method === 'GET') return list(req, index.view());
    if (!m[2] && req.method === 'POST') {
      const { work_notes, ...rest } = json(req) as Record<string, string>;
      const rec: SnRecord = {
        ...rest,
        sys_id: randomBytes(16).toString('hex'),
        number: `INC${String(10001 + records.length).padStart(7, '0')}`,
        state: '1',
        sys_created_on: stamp(),
      } as SnRecord;
      records.push(rec);
      if (work_notes) addNote(rec, work_notes);
      index.write(rec.sys_id, rec);
      return { status: 201, body: { result: project(rec, fields) } };
    }
    const rec = records.find((r) => r.sys_id === m[2]);
    if (!rec) return failure(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
    if (req.method === 'PATCH' || req.method === 'PUT') return update(req, rec);
    if (req.method === 'GET') return { status: 200, body: { result: project(rec, fields) } };
    return failure(405, 'Method not supported');
  }

  const lb = await startLoopback(handle);
  base = lb.url;
  return knobs(Object.assign(lb, { records, workNotes, transitions, clock }), state);
}
