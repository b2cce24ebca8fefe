/**
 * A tiny loopback HTTP server for the ticket-system emulators: records every request, and injects faults (429 with
 * Retry-After, 5xx, or "did the work but answered 500") on the next matching requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Fault {
  /** Which requests: `METHOD /path/regex`. */
  match: RegExp;
  status: number;
  retryAfter?: string;
  /** Run the real handler first (the server acted), then answer with the fault. */
  afterHandling?: boolean;
  times: number;
}

export type Handler = (req: Recorded) => Reply | Promise<Reply>;

export interface Loopback {
  url: string;
  requests: Recorded[];
  faults: Fault[];
  /** Requests that changed something (anything but GET, and not a search POST). */
  writes(): Recorded[];
  close(): Promise<void>;
}

export async function startLoopback(handler: Handler, isRead: (r: Recorded) => boolean = (r) => r.method === 'GET'): Promise<Loopback> {
  const requests: Recorded[] = [];
  const faults: Fault[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rec: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(rec);
      const fault = faults.find((f) => f.times > 0 && f.match.test(`${rec.method} ${rec.path}`));
      let reply: Reply;
      try {
        if (fault && !fault.afterHandling) {
          fault.times--;
          reply = {
            status: fault.status,
            body: { error: 'injected fault' },
            headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
          };
        } else {
          reply = await handler(rec);
          if (fault?.afterHandling) {
            fault.times--;
            reply = { status: fault.status, body: { error: 'injected fault after handling' } };
          }
        }
      } catch (err) {
        reply = { status: 500, body: { error: String(err) } };
      }
      const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(body ? { 'content-type': 'application/json;charset=UTF-8' } : {}),
        ...reply.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    writes: () => requests.filter((r) => !isRead(r)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(req: Recorded): Record<string, unknown> {
  return req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
}
