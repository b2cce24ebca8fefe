/**
 * A generic webhook: every ticket operation is POSTed as a JSON event, signed with HMAC-SHA256 over
 * `<timestamp>.<body>` using a shared secret from the environment. Receivers verify the signature and reject
 * timestamps outside a small window (replay protection), and deduplicate on the delivery id, which is the same for
 * the same operation on the same scan — a retried or repeated delivery is recognisable as such.
 *
 * Headers: `X-Snapaudit-Event`, `X-Snapaudit-Delivery`, `X-Snapaudit-Timestamp` (Unix seconds),
 * `X-Snapaudit-Signature: sha256=<hex>`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { WebhookSettings } from '../../core/config/tickets.ts';
import type { SinkCredentials } from '../credentials.ts';
import type { RemoteTicket, TicketDoc, TicketDraft, TicketSink } from '../model.ts';
import { toMarkdown } from '../render.ts';
import { requestJson } from './http.ts';

type Settings = z.infer<typeof WebhookSettings>;

export type WebhookEvent = 'ticket.opened' | 'ticket.updated' | 'ticket.resolved' | 'ticket.reopened';

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

  async function send(
    event: WebhookEvent,
    draft: TicketDraft,
    comment: TicketDoc | null,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    const delivery = createHash('sha256').update(`${draft.marker}|${event}|${opts.scanId}`).digest('hex').slice(0, 32);
    const body = JSON.stringify({
      event,
      delivery,
      scanId: opts.scanId,
      ticket: {
        key: draft.key,
        marker: draft.marker,
        title: draft.title,
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

  const remote = (draft: TicketDraft, state: RemoteTicket['state']): RemoteTicket => ({
    id: draft.marker,
    key: draft.marker,
    url: null,
    state,
  });

  return {
    kind: 'webhook',
    // a webhook has no remote state to search: the ledger and the receiver's delivery-id deduplication keep it idempotent
    find: async () => null,
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
  };
}
