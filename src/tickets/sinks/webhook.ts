/**
 * A generic webhook: every ticket operation is POSTed as a JSON event, signed with HMAC-SHA256 over
 * `<timestamp>.<body>` using a shared secret from the environment. Receivers verify the signature and reject
 * timestamps outside a small window (replay protection), and deduplicate on the delivery id, which is the same for
 * the same operation on the same scan — a retried or repeated delivery is recognisable as such. A webhook has no
 * remote state to search, so deliveries are at least once and every event carries the ticket's state after it
 * (receivers upsert by marker); `tickets sync --reconcile` sends `tickets.reconcile`, the whole desired ticket list,
 * in pages, so a receiver that lost events converges.
 *
 * Headers: `X-Snapaudit-Event`, `X-Snapaudit-Delivery`, `X-Snapaudit-Timestamp` (Unix seconds),
 * `X-Snapaudit-Signature: sha256=<hex>`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { WebhookSettings } from '../../core/config/tickets.ts';
import type { SinkCredentials } from '../credentials.ts';
import type { RemoteTicket, TicketDoc, TicketDraft, TicketSink } from '../model.ts';
import { ticketTitle, toMarkdown } from '../render.ts';
import { requestJson } from './http.ts';

type Settings = z.infer<typeof WebhookSettings>;

export type WebhookEvent = 'ticket.opened' | 'ticket.updated' | 'ticket.resolved' | 'ticket.reopened' | 'tickets.reconcile';

/** Tickets per `tickets.reconcile` delivery. */
export const RECONCILE_PAGE = 500;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers: is this delivery authentic and fresh? */
export function verifyWebhook(opts: {
  secret: string;
  body: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  now?: number;
  toleranceSeconds?: number;
}): { ok: true } | { ok: false; reason: string } {
  const ts = Number(opts.timestamp);
  if (!opts.timestamp || !Number.isInteger(ts)) return { ok: false, reason: 'missing or malformed timestamp' };
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(now - ts) > (opts.toleranceSeconds ?? 300)) return { ok: false, reason: 'timestamp outside the allowed window (replay?)' };
  const expected = Buffer.from(signWebhook(opts.secret, ts, opts.body));
  const given = Buffer.from(opts.signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}

export interface WebhookSinkOptions {
  fetch?: typeof fetch;
  scanId: string;
  /** Seconds since the epoch, for the signature timestamp (the real clock by default). */
  now?: () => number;
}

export function webhookSink(settings: Settings, creds: SinkCredentials, opts: WebhookSinkOptions): TicketSink {
  if (creds.kind !== 'webhook') throw new Error('webhook sink needs a secret');
  const secret = creds.secret;
  const fetchImpl = opts.fetch ?? fetch;
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));

  async function post(event: WebhookEvent, delivery: string, payload: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify({ event, delivery, scanId: opts.scanId, ...payload });
    const timestamp = now();
    await requestJson(fetchImpl, {
      method: 'POST',
      url: settings.url,
      headers: {
        'user-agent': 'snapaudit',
        'x-snapaudit-event': event,
        'x-snapaudit-delivery': delivery,
        'x-snapaudit-timestamp': String(timestamp),
        'x-snapaudit-signature': signWebhook(secret, timestamp, body),
      },
      body,
    });
  }

  const deliveryOf = (...parts: string[]) => createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32);

  async function send(
    event: WebhookEvent,
    draft: TicketDraft,
    comment: TicketDoc | null,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await post(event, deliveryOf(draft.marker, event, opts.scanId), {
      ticket: {
        key: draft.key,
        marker: draft.marker,
        state: event === 'ticket.resolved' ? 'closed' : 'open',
        title: ticketTitle(draft.title, 250),
        severity: draft.severity,
        labels: draft.labels,
        assignee: draft.assignee,
        project: draft.project,
        body: toMarkdown(draft.doc),
      },
      comment: comment ? toMarkdown(comment) : null,
      findings: draft.findings,
      ...extra,
    });
  }

  const remote = (draft: TicketDraft, state: RemoteTicket['state']): RemoteTicket => ({
    id: draft.marker,
    key: draft.marker,
    url: null,
    state,
  });

  return {
    kind: 'webhook',
    // no remote state to search or read back: the ledger, at-least-once delivery and the receiver's upsert by marker
    // (deduplicated on the delivery id) keep it in line
    searchable: false,
    search: async () => [],
    get: async () => null,
    listOpen: async () => [],
    async create(draft) {
      await send('ticket.opened', draft, null);
      return remote(draft, 'open');
    },
    async refresh(_t, draft, comment) {
      await send('ticket.updated', draft, comment);
    },
    async close(_t, draft, comment, reason) {
      await send('ticket.resolved', draft, comment, { reason });
    },
    async reopen(_t, draft, comment) {
      await send('ticket.reopened', draft, comment);
    },
    async reconcile(tickets, scan) {
      const pages = Math.max(1, Math.ceil(tickets.length / RECONCILE_PAGE));
      for (let page = 1; page <= pages; page++) {
        const slice = tickets.slice((page - 1) * RECONCILE_PAGE, page * RECONCILE_PAGE);
        // the same list for the same scan is the same delivery; a list that changed (a retried sync) is a new one
        const content = createHash('sha256').update(JSON.stringify(slice)).digest('hex');
        await post('tickets.reconcile', deliveryOf('reconcile', scan.id, String(page), String(pages), content), {
          page,
          pages,
          scanComplete: scan.complete,
          tickets: slice,
        });
      }
    },
  };
}
