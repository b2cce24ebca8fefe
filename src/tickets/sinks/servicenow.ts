/**
 * ServiceNow through the Table API (plain fetch): records in `incident` (or another task table such as
 * `sn_si_incident`). The marker is the record's `correlation_id` (the field ServiceNow keeps for an external system's
 * id), so a lost ledger is recovered with one filtered query. Comments are work notes; resolving sets the state,
 * close code and close notes the instance requires; reopening sets the configured state.
 */
import type { z } from 'zod';
import type { Severity } from '../../core/model/result.ts';
import type { ServiceNowSettings } from '../../core/config/tickets.ts';
import type { SinkCredentials } from '../credentials.ts';
import type { RemoteTicket, TicketDraft, TicketSink } from '../model.ts';
import { toPlainText, truncate } from '../render.ts';
import { requestJson } from './http.ts';

type Settings = z.infer<typeof ServiceNowSettings>;

interface SnRecord {
  sys_id: string;
  number?: string;
  state?: string;
}

/** Urgency and impact (1 high … 3 low) per severity. */
const priority: Record<Severity, string> = { critical: '1', high: '2', medium: '2', low: '3', info: '3' };

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
  const fields = 'sysparm_fields=sys_id,number,state&sysparm_exclude_reference_link=true';
  const headers = { authorization: auth };
  const closedStates = new Set([settings.resolvedState, '7', '8']);
  const toRemote = (r: SnRecord): RemoteTicket => ({
    id: r.sys_id,
    key: r.number ?? r.sys_id,
    url: `${base}/${settings.table}.do?sys_id=${r.sys_id}`,
    state: closedStates.has(String(r.state ?? '')) ? 'closed' : 'open',
  });
  const patch = (id: string, body: Record<string, unknown>) =>
    requestJson<{ result: SnRecord }>(fetchImpl, { method: 'PATCH', url: `${table}/${id}?${fields}`, headers, body: JSON.stringify(body) });
  const content = (draft: TicketDraft) => ({
    short_description: truncate(draft.title, 160),
    description: `${toPlainText(draft.doc)}\n\nLabels: ${draft.labels.join(', ')}`,
  });

  return {
    kind: 'servicenow',
    async find(draft) {
      const q = encodeURIComponent(`correlation_id=${draft.marker}^ORDERBYsys_created_on`);
      const { data } = await requestJson<{ result: SnRecord[] }>(fetchImpl, {
        method: 'GET',
        url: `${table}?sysparm_query=${q}&sysparm_limit=1&${fields}`,
        headers,
      });
      return data.result[0] ? toRemote(data.result[0]) : null;
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
    async refresh(ticket, draft, comment) {
      await patch(ticket.id, { ...content(draft), work_notes: toPlainText(comment) });
    },
    async close(ticket, _draft, comment) {
      await patch(ticket.id, { state: settings.resolvedState, close_code: settings.closeCode, close_notes: toPlainText(comment) });
    },
    async reopen(ticket, draft, comment) {
      await patch(ticket.id, { ...content(draft), state: settings.reopenState, work_notes: toPlainText(comment) });
    },
  };
}
