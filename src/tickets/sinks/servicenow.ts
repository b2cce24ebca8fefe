/**
 * ServiceNow through the Table API (plain fetch): records in `incident` (or another task table such as
 * `sn_si_incident`). The marker is the record's `correlation_id` (the field ServiceNow keeps for an external system's
 * id), so a lost ledger is recovered with one filtered query; listings page with `sysparm_offset`/`sysparm_limit`.
 * Comments are work notes ending with the operation tag, looked for in the journal (`sys_journal_field`) before a
 * resumed operation writes its note again; resolving sets the state, close code and close notes the instance
 * requires; reopening sets the configured state.
 */
import type { z } from 'zod';
import type { Severity } from '../../core/model/result.ts';
import type { ServiceNowSettings } from '../../core/config/tickets.ts';
import type { SinkCredentials } from '../credentials.ts';
import type { ListedTicket, RemoteTicket, TicketDraft, TicketSink } from '../model.ts';
import { ticketTitle, toPlainText } from '../render.ts';
import { classify } from '../retry.ts';
import { composeSink, lastLine, MAX_PAGES } from './compose.ts';
import { requestJson } from './http.ts';

type Settings = z.infer<typeof ServiceNowSettings>;

interface SnRecord {
  sys_id: string;
  number?: string;
  state?: string;
  correlation_id?: string;
  short_description?: string;
}

/** Urgency and impact (1 high … 3 low) per severity. */
const priority: Record<Severity, string> = { critical: '1', high: '2', medium: '2', low: '3', info: '3' };
const PAGE = 100;

export function servicenowSink(settings: Settings, creds: SinkCredentials, opts: { fetch?: typeof fetch } = {}): TicketSink {
  const auth =
    creds.kind === 'servicenow-basic'
      ? `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`
      : creds.kind === 'servicenow-bearer'
        ? `Bearer ${creds.token}`
        : null;
  if (!auth) throw new Error('servicenow sink needs ServiceNow credentials');
  const fetchImpl = opts.fetch ?? fetch;
  const base = settings.instanceUrl.replace(/\/$/, '');
  const table = `${base}/api/now/table/${settings.table}`;
  const fields = 'sysparm_fields=sys_id,number,state,correlation_id,short_description&sysparm_exclude_reference_link=true';
  const headers = { authorization: auth };
  const closedStates = [...new Set([settings.resolvedState, '7', '8'])];
  const toRemote = (r: SnRecord): RemoteTicket => ({
    id: r.sys_id,
    key: r.number ?? r.sys_id,
    url: `${base}/${settings.table}.do?sys_id=${r.sys_id}`,
    state: closedStates.includes(String(r.state ?? '')) ? 'closed' : 'open',
  });
  const patch = (id: string, body: Record<string, unknown>) =>
    requestJson<{ result: SnRecord }>(fetchImpl, { method: 'PATCH', url: `${table}/${id}?${fields}`, headers, body: JSON.stringify(body) });
  const content = (draft: TicketDraft) => ({
    short_description: ticketTitle(draft.title, 160),
    description: `${toPlainText(draft.doc)}\n\nLabels: ${draft.labels.join(', ')}`,
  });

  /** Every record matching an encoded query, paged with sysparm_offset/sysparm_limit, bounded. */
  async function query(q: string): Promise<SnRecord[]> {
    const out: SnRecord[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const { data, headers: h } = await requestJson<{ result: SnRecord[] }>(fetchImpl, {
        method: 'GET',
        url: `${table}?sysparm_query=${encodeURIComponent(q)}&sysparm_limit=${PAGE}&sysparm_offset=${out.length}&${fields}`,
        headers,
      });
      out.push(...data.result);
      // the Link header names the next page (an instance may serve fewer rows than sysparm_limit asks)
      const link = h.get('link');
      const more = link !== null ? /rel="next"/.test(link) : data.result.length === PAGE;
      if (!more || data.result.length === 0) break;
    }
    return out;
  }

  return composeSink({
    kind: 'servicenow',
    async search(marker) {
      return (await query(`correlation_id=${marker}^ORDERBYsys_created_on^ORDERBYnumber`)).map(toRemote);
    },
    async get(ticket) {
      try {
        const { data } = await requestJson<{ result: SnRecord }>(fetchImpl, {
          method: 'GET',
          url: `${table}/${ticket.id}?${fields}`,
          headers,
        });
        return toRemote(data.result);
      } catch (err) {
        if (classify(err).status === 404) return null;
        throw err;
      }
    },
    async listOpen() {
      const records = await query(
        `correlation_idSTARTSWITHsnapaudit-^stateNOT IN${closedStates.join(',')}^ORDERBYsys_created_on^ORDERBYnumber`,
      );
      const out: ListedTicket[] = [];
      for (const r of records) {
        if (/^snapaudit-[0-9a-f]{24,}$/.test(r.correlation_id ?? ''))
          out.push({ ...toRemote(r), marker: r.correlation_id!, title: r.short_description ?? '', project: null });
      }
      return out;
    },
    async create(draft) {
      const group = draft.project ?? settings.assignmentGroup;
      const { data } = await requestJson<{ result: SnRecord }>(fetchImpl, {
        method: 'POST',
        url: `${table}?${fields}`,
        headers,
        body: JSON.stringify({
          ...content(draft),
          correlation_id: draft.marker,
          correlation_display: 'snapaudit',
          urgency: priority[draft.severity],
          impact: priority[draft.severity],
          ...(group ? { assignment_group: group } : {}),
          ...(draft.assignee ? { assigned_to: draft.assignee } : {}),
        }),
      });
      return toRemote(data.result);
    },
    async update(ticket, draft) {
      await patch(ticket.id, content(draft));
    },
    async hasComment(ticket, tag) {
      const q = `element_id=${ticket.id}^element=work_notes^valueLIKE${tag}`;
      try {
        const { data } = await requestJson<{ result: Array<{ value?: string }> }>(fetchImpl, {
          method: 'GET',
          url: `${base}/api/now/table/sys_journal_field?sysparm_query=${encodeURIComponent(q)}&sysparm_limit=10&sysparm_fields=value`,
          headers,
        });
        return data.result.some((r) => lastLine(r.value ?? '') === tag);
      } catch (err) {
        // without read access to the journal the note cannot be checked: it is written again (at least once)
        if (classify(err).status === 403) return false;
        throw err;
      }
    },
    async comment(ticket, doc, tag) {
      await patch(ticket.id, { work_notes: `${toPlainText(doc)}\n\n${tag}` });
    },
    async transition(ticket, to, _reason, comment) {
      await patch(
        ticket.id,
        to === 'closed'
          ? {
              state: settings.resolvedState,
              close_code: settings.closeCode,
              close_notes: comment ? toPlainText(comment) : 'Resolved by snapaudit.',
            }
          : { state: settings.reopenState },
      );
    },
  });
}
