/**
 * A webhook receiver as a customer would write one: verifies the HMAC signature and the timestamp window, rejects
 * replays of a delivery it has seen, and keeps the events it accepted.
 */
import { verifyWebhook } from '../../../src/tickets/sinks/webhook.ts';
import { type Loopback, type Recorded, type Reply, startLoopback } from './harness.ts';

export interface WebhookLoopback extends Loopback {
  accepted: Array<{ event: string; delivery: string; payload: Record<string, unknown> }>;
  rejected: Array<{ reason: string }>;
}

export async function startWebhookReceiver(opts: { secret: string; now?: () => number }): Promise<WebhookLoopback> {
  const accepted: WebhookLoopback['accepted'] = [];
  const rejected: WebhookLoopback['rejected'] = [];
  const seen = new Set<string>();
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
    accepted.push({ event: String(header('x-snapaudit-event')), delivery, payload });
    return { status: 202, body: { accepted: true } };
  }
  const lb = await startLoopback(handle);
  return Object.assign(lb, { accepted, rejected });
}
