/**
 * A tiny loopback HTTP server for the ticket-system emulators. It records every request and injects what real
 * ticket systems do under load and failure:
 * - scripted faults on the next matching requests (`faults`) and a fault schedule (`chaos`): 429 with or without
 *   Retry-After, 5xx before the server acts, 5xx or a connection reset *after* it acted, and a crash of the client
 *   process as the answer is on its way (`crash`: the request is handled, the answer never arrives, and every later
 *   request of that process is lost until `client.dead` is cleared — a restart);
 * - a search index that lags behind writes (`LaggedIndex`, driven by a shared fake clock).
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
  /** Which requests: `METHOD /path` against this pattern. */
  match?: RegExp;
  status?: number;
  retryAfter?: string;
  /** Run the real handler first (the server acted), then answer with the fault. */
  afterHandling?: boolean;
  /** Drop the connection instead of answering. */
  reset?: boolean;
  /** The client dies as the answer leaves: handled, never answered, and the client is dead from now on. */
  crash?: boolean;
  times: number;
}

export type Handler = (req: Recorded) => Reply | Promise<Reply>;

export interface FakeClock {
  now(): number;
  advance(ms: number): void;
}

export function fakeClock(start = Date.parse('2026-11-01T02:00:00.000Z')): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += Math.max(0, ms);
    },
  };
}

export interface Loopback {
  url: string;
  requests: Recorded[];
  faults: Fault[];
  /** A fault schedule consulted for every request a scripted fault does not claim. */
  chaos: ((req: Recorded) => Fault | null) | null;
  /** The client process: dead after a crash fault, until the test restarts it. */
  client: { dead: boolean };
  /** Requests that changed something (anything but GET, and not a search POST). */
  writes(): Recorded[];
  close(): Promise<void>;
}

/**
 * What a search index shows: each item as it was `lag()` milliseconds ago (an item written more recently than that
 * is invisible, a change more recent than that is not seen yet).
 */
export class LaggedIndex<T> {
  private readonly versions = new Map<string, Array<{ at: number; value: T }>>();
  private readonly clock: FakeClock;
  private readonly lag: () => number;
  constructor(clock: FakeClock, lag: () => number) {
    this.clock = clock;
    this.lag = lag;
  }

  write(id: string, value: T): void {
    const list = this.versions.get(id) ?? [];
    list.push({ at: this.clock.now(), value: structuredClone(value) });
    this.versions.set(id, list);
  }

  view(): T[] {
    const horizon = this.clock.now() - this.lag();
    const out: T[] = [];
    for (const list of this.versions.values()) {
      const seen = list.filter((v) => v.at <= horizon).at(-1);
      if (seen) out.push(seen.value);
    }
    return out;
  }
}

function pickFault(faults: Fault[], chaos: Loopback['chaos'], rec: Recorded): Fault | null {
  const scripted = faults.find((f) => f.times > 0 && (!f.match || f.match.test(`${rec.method} ${rec.path}`)));
  if (scripted) {
    scripted.times--;
    return scripted;
  }
  return chaos?.(rec) ?? null;
}

export async function startLoopback(handler: Handler, isRead: (r: Recorded) => boolean = (r) => r.method === 'GET'): Promise<Loopback> {
  const requests: Recorded[] = [];
  const faults: Fault[] = [];
  const lb = { chaos: null as Loopback['chaos'], client: { dead: false } };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (lb.client.dead) {
        // a dead process sends nothing: this request never happened
        req.socket.destroy();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rec: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(rec);
      const fault = pickFault(faults, lb.chaos, rec);
      let reply: Reply;
      try {
        if (fault && !fault.afterHandling && !fault.crash) {
          if (fault.reset) {
            req.socket.destroy();
            return;
          }
          reply = {
            status: fault.status ?? 503,
            body: { error: 'injected fault' },
            headers: fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {},
          };
        } else {
          reply = await handler(rec);
          if (fault?.crash) {
            lb.client.dead = true;
            req.socket.destroy();
            return;
          }
          if (fault?.reset) {
            req.socket.destroy();
            return;
          }
          if (fault) reply = { status: fault.status ?? 500, body: { error: 'injected fault after handling' } };
        }
      } catch (err) {
        reply = { status: 500, body: { error: String(err) } };
      }
      const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        connection: 'close',
        ...(body ? { 'content-type': 'application/json;charset=UTF-8' } : {}),
        ...reply.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(lb, {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    writes: () => requests.filter((r) => !isRead(r)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export function json(req: Recorded): Record<string, unknown> {
  return req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
}

/** An RFC 8288 Link header for offset pages, the way GitHub (page/per_page) and ServiceNow (sysparm_offset) send it. */
export function linkHeader(base: string, req: Recorded, param: string, values: Record<string, number | null>): string {
  const parts: string[] = [];
  for (const [rel, value] of Object.entries(values)) {
    if (value === null) continue;
    const q = new URLSearchParams(req.query);
    q.set(param, String(value));
    parts.push(`<${base}${req.path}?${q.toString()}>; rel="${rel}"`);
  }
  return parts.join(', ');
}

/** Exposes a server's mutable settings (search lag, page size) as live properties of its handle. */
export function knobs<T extends object, S extends Record<string, unknown>>(target: T, state: S): T & S {
  for (const key of Object.keys(state)) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get: () => state[key],
      set: (v) => {
        (state as Record<string, unknown>)[key] = v;
      },
    });
  }
  return target as T & S;
}
