/**
 * A webhook receiver as docs/tickets.md tells customers to write one: verifies the HMAC signature and the timestamp
 * window, drops a delivery it has seen, upserts tickets by marker to the state each event carries, and applies a
 * `tickets.reconcile` list once all its pages arrived (listed markers take the listed state; markers it holds that
 * the list leaves out are closed when the scan read everything).
 */
import { verifyWebhook } from '../../../src/tickets/sinks/webhook.ts';
import { type Loopback, type Recorded, type Reply, startLoopback } from './harness.ts';

export interface ReceivedTicket {
  marker: string;
  state: 'open' | 'closed';
  title: string;
  /** Events applied to this ticket, in order. */
  events: string[];
  /** How often its state changed. */
  changes: number;
}

export interface WebhookLoopback extends Loopback {
  accepted: Array<{ event: string; delivery: string; payload: Record<string, unknown> }>;
  rejected: Array<{ reason: string }>;
  tickets: Map<string, ReceivedTicket>;
}

interface ReconcilePayload {
  scanId: string;
  page: number;
  pages: number;
  scanComplete: boolean;
  tickets: Array<{ marker: string; state: 'open' | 'closed'; title: string }>;
}

export async function startWebhookReceiver(opts: { secret: string; now?: () => number }): Promise<WebhookLoopback> {
  const accepted: WebhookLoopback['accepted'] = [];
  const rejected: WebhookLoopback['rejected'] = [];
  const tickets = new Map<string, ReceivedTicket>();
  const seen = new Set<string>();
  const pages = new Map<string, ReconcilePayload[]>();

  function apply(event: string, payload: Record<string, unknown>) {
    if (event === 'tickets.reconcile') {
      const p = payload as unknown as ReconcilePayload;
      const got = [...(pages.get(p.scanId) ?? []).filter((x) => x.page !== p.page), p];
      pages.set(p.scanId, got);
      if (got.length < p.pages) return;
      const listed = new Map(got.flatMap((x) => x.tickets).map((t) => [t.marker, t]));
      for (const t of listed.values()) upsert(t.marker, t.state, t.title, event);
      if (p.scanComplete) for (const t of [...tickets.values()]) if (!listed.has(t.marker)) upsert(t.marker, 'closed', t.title, event);
      return;
    }
    const t = payload.ticket as { marker: string; state: 'open' | 'closed'; title: string };
    upsert(t.marker, t.state, t.title, event);
  }

  function upsert(marker: string, state: 'open' | 'closed', title: string, event: string) {
    const mine = tickets.get(marker) ?? { marker, state, title, events: [], changes: 0 };
    tickets.set(marker, { ...mine, state, title, events: [...mine.events, event], changes: mine.changes + (mine.state !== state ? 1 : 0) });
  }

  function handle(req: Recorded): Reply {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const check = verifyWebhook({
      secret: opts.secret,
      body: req.body,
      timestamp: header('x-snapaudit-timestamp'),
      signature: header('x-snapaudit-signature'),
      ...(opts.now ? { now: opts.now() } : {}),
    });
    if (!check.ok) {
      rejected.push({ reason: check.reason });
      return { status: 401, body: { error: check.reason } };
    }
    const delivery = String(header('x-snapaudit-delivery'));
    if (seen.has(delivery)) return { status: 200, body: { duplicate: true } };
    seen.add(delivery);
    const payload = JSON.parse(req.body) as Record<string, unknown>;
    const event = String(header('x-snapaudit-event'));
    accepted.push({ event, delivery, payload });
    apply(event, payload);
    return { status: 202, body: { accepted: true } };
  }
  const lb = await startLoopback(handle);
  return Object.assign(lb, { accepted, rejected, tickets });
}
