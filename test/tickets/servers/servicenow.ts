/**
 * Loopback ServiceNow Table API: query a table with an encoded query (`correlation_id=X^ORDERBYsys_created_on`),
 * create and update records, `{result: …}` envelopes, `sysparm_fields` projection, and the data-policy failure an
 * instance returns when a record is resolved without close code and close notes.
 */
import { randomBytes } from 'node:crypto';
import { json, type Loopback, type Recorded, type Reply, startLoopback } from './harness.ts';

export type SnRecord = Record<string, string> & { sys_id: string; number: string; state: string };

export interface ServiceNowLoopback extends Loopback {
  records: SnRecord[];
  workNotes: Map<string, string[]>;
}

export async function startServiceNow(opts: { user: string; password: string; table?: string }): Promise<ServiceNowLoopback> {
  const table = opts.table ?? 'incident';
  const records: SnRecord[] = [];
  const workNotes = new Map<string, string[]>();
  const expected = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
  const failure = (status: number, message: string, detail = ''): Reply => ({
    status,
    body: { error: { message, detail }, status: 'failure' },
  });
  const project = (r: SnRecord, fields: string | null) =>
    fields ? Object.fromEntries(fields.split(',').map((f) => [f, r[f] ?? ''])) : { ...r };

  function handle(req: Recorded): Reply {
    if (req.headers.authorization !== expected) return failure(401, 'User Not Authenticated', 'Required to provide Auth information');
    const m = /^\/api\/now\/table\/([a-z0-9_]+)(?:\/([0-9a-f]{32}))?$/.exec(req.path);
    if (!m || m[1] !== table) return failure(400, 'Invalid table', `table ${m?.[1] ?? req.path} does not exist`);
    const fields = req.query.get('sysparm_fields');
    if (!m[2] && req.method === 'GET') {
      const q = req.query.get('sysparm_query') ?? '';
      let found = records;
      for (const term of q.split('^').filter(Boolean)) {
        if (term.startsWith('ORDERBY')) continue;
        const [k, v] = term.split('=') as [string, string | undefined];
        found = found.filter((r) => r[k] === v);
      }
      const limit = Number(req.query.get('sysparm_limit') ?? 10000);
      return { status: 200, body: { result: found.slice(0, limit).map((r) => project(r, fields)) } };
    }
    if (!m[2] && req.method === 'POST') {
      const b = json(req) as Record<string, string>;
      const { work_notes, ...rest } = b;
      const rec: SnRecord = {
        ...rest,
        sys_id: randomBytes(16).toString('hex'),
        number: `INC${String(10001 + records.length).padStart(7, '0')}`,
        state: '1',
        sys_created_on: '2026-11-26 00:00:00',
      } as SnRecord;
      records.push(rec);
      if (work_notes) workNotes.set(rec.sys_id, [work_notes]);
      return { status: 201, body: { result: project(rec, fields) } };
    }
    const rec = records.find((r) => r.sys_id === m[2]);
    if (!rec) return failure(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
    if (req.method === 'PATCH' || req.method === 'PUT') {
      const b = json(req) as Record<string, string>;
      if (b.state === '6' && (!(b.close_code ?? rec.close_code) || !(b.close_notes ?? rec.close_notes))) {
        return failure(
          403,
          'Operation Failed',
          'Data Policy Exception: the following fields are mandatory: Resolution code, Resolution notes',
        );
      }
      const { work_notes, ...rest } = b;
      Object.assign(rec, rest);
      if (work_notes) workNotes.set(rec.sys_id, [...(workNotes.get(rec.sys_id) ?? []), work_notes]);
      return { status: 200, body: { result: project(rec, fields) } };
    }
    if (req.method === 'GET') return { status: 200, body: { result: project(rec, fields) } };
    return failure(405, 'Method not supported');
  }

  const lb = await startLoopback(handle);
  return Object.assign(lb, { records, workNotes });
}
