/**
 * The lab: a loopback emulator of the cloud APIs the scanner reads, one listener per provider (HTTP for AWS and
 * GCP, HTTPS with a generated self-signed certificate for Azure, whose SDK refuses bearer tokens over plain HTTP).
 * It serves an estate, records every request and injects the faults it is told to.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { sleep } from '../src/core/clock.ts';
import {
  FaultInjector,
  type FaultKind,
  type FaultRule,
  type LabProvider,
  type LabRequest,
  type LabResponse,
  type ProviderLab,
  type ProviderLabContext,
  modifierKinds,
  RequestLog,
} from './core.ts';
import { type Estate, shiftEstate } from './estate.ts';
import { labModules } from './modules.ts';
import { PageTokenFaults } from './page-tokens.ts';

export interface LabOptions {
  estate: Estate;
  /** Serve the estate as of this time: timestamps move with it when the estate has a `referenceTime`. */
  now?: Date;
  /** Providers to serve; default: every provider the estate describes. */
  providers?: LabProvider[];
  /** Latency added to every request. */
  latencyMs?: number;
  /** Keep every request and response body in the log. */
  keepBodies?: boolean;
  /** Extra fault rules on top of the estate's own. */
  faults?: FaultRule[];
  seed?: number;
  port?: number;
  host?: string;
}

export interface Lab {
  endpoints: Partial<Record<LabProvider, string>>;
  credentials: Partial<Record<LabProvider, Record<string, string>>>;
  /** PEM of the certificate the HTTPS listeners use: trust it to talk to them. */
  ca: string | null;
  log: RequestLog;
  faults: FaultInjector;
  close(): Promise<void>;
}

let certCache: Promise<{ cert: string; key: string }> | null = null;

async function loopbackCertificate(): Promise<{ cert: string; key: string }> {
  certCache ??= (async () => {
    const { generate } = await import('selfsigned');
    const notBefore = new Date(Date.now() - 86_400_000);
    const notAfter = new Date(Date.now() + 30 * 86_400_000);
    const pems = await generate([{ name: 'commonName', value: 'snapaudit-lab' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: notBefore,
      notAfterDate: notAfter,
      extensions: [
        { name: 'basicConstraints', cA: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 2, value: 'localhost' },
          ],
        },
      ],
    });
    return { cert: pems.cert, key: pems.private };
  })();
  return certCache;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function serve(module: ProviderLab, ctx: ProviderLabContext, latencyMs: number, pageTokens: PageTokenFaults) {
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const arrived = performance.now();
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      // The client went away while sending its body (an interrupted scan aborts its calls): nothing to answer.
      res.destroy();
      return;
    }
    const request: LabRequest = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', ctx.baseUrl),
      headers: req.headers,
      body,
    };
    const id = module.identify(request);
    const faults = ctx.faults.pick(module.provider, id);
    const delay = latencyMs + faults.filter((f) => f.kind === 'latency').reduce((s, f) => s + f.ms, 0);
    // The latency is the time from the request's arrival to its answer, the lab's own work inside it (as a service's
    // processing is inside its response time), not on top of it: the answer is made at once and leaves `delay` after
    // the request came (a held request is held from then on).
    const waitOut = async () => {
      const rest = arrived + delay - performance.now();
      if (rest > 0) await sleep(rest);
    };
    const failure = faults.find((f) => !modifierKinds.has(f.kind));
    const paging = faults.find((f) => f.kind === 'repeat_page_token' || f.kind === 'cycle_page_tokens')?.kind as
      | 'repeat_page_token'
      | 'cycle_page_tokens'
      | undefined;
    let response: LabResponse;
    let rewrote: FaultKind | null = null;
    try {
      if (failure?.kind === 'timeout') {
        // Hold the request; a client that gives up first (its own deadline) closes the connection, which ends the
        // wait, so a hung call neither outlives the test nor goes unrecorded.
        await waitOut();
        const gone = new AbortController();
        res.once('close', () => gone.abort());
        const answered = await sleep(failure.ms || 60_000, gone.signal).then(
          () => true,
          () => false,
        );
        response = answered ? { status: 504, body: '' } : { status: 0, body: '', reset: true };
      } else if (failure?.kind === 'reset') {
        response = { status: 0, body: '', reset: true };
      } else if (failure?.kind === 'not_implemented') {
        // What AWS-compatible emulators answer for an operation they lack: the provider's own 5xx body, as HTTP 501.
        response = { ...module.fault('server_error', request, id, failure), status: 501 };
      } else if (failure) {
        response = module.fault(failure.kind as Parameters<ProviderLab['fault']>[0], request, id, failure);
      } else {
        response = await module.handle(request, id);
        if (ctx.faults.pagingRules) {
          const answered = response;
          response = pageTokens.apply(request, response, paging ?? null);
          if (response !== answered) rewrote = paging ?? null;
        }
      }
    } catch (err) {
      response = { status: 500, headers: { 'content-type': 'text/plain' }, body: `lab error: ${(err as Error).message}` };
    }
    await waitOut();
    ctx.log.record({
      provider: module.provider,
      ...id,
      method: request.method,
      path: request.url.pathname,
      query: request.url.search,
      status: response.status,
      fault: failure?.kind ?? rewrote,
      ...(ctx.log.keepBodies ? { bodies: { request: body, response: response.body } } : {}),
    });
    if (response.reset) {
      req.socket.destroy();
      return;
    }
    res.writeHead(response.status, { 'content-length': Buffer.byteLength(response.body), ...response.headers });
    res.end(response.body);
  };
}

export async function startLab(input: LabOptions): Promise<Lab> {
  const opts = input.now ? { ...input, estate: shiftEstate(input.estate, input.now) } : input;
  const log = new RequestLog();
  log.keepBodies = opts.keepBodies ?? false;
  const faults = new FaultInjector([...(opts.estate.faults ?? []), ...(opts.faults ?? [])], opts.seed ?? 1);
  const host = opts.host ?? '127.0.0.1';
  const wanted = opts.providers ?? (['aws', 'azure', 'gcp'] as const).filter((p) => opts.estate[p] !== undefined);
  const servers: Array<http.Server | https.Server> = [];
  const endpoints: Lab['endpoints'] = {};
  const credentials: Lab['credentials'] = {};
  let ca: string | null = null;
  const pageTokens = new PageTokenFaults();

  for (const provider of wanted) {
    const factory = labModules[provider];
    const tls = factory.tls;
    const pem = tls ? await loopbackCertificate() : null;
    if (pem) ca = pem.cert;
    const ctx: ProviderLabContext = { log, faults, baseUrl: '' };
    const module = factory.create(opts.estate, ctx);
    const handler = serve(module, ctx, opts.latencyMs ?? 0, pageTokens);
    const server = pem ? https.createServer({ cert: pem.cert, key: pem.key }, handler) : http.createServer(handler);
    // Like the real endpoints, keep idle connections open long enough that clients do not race a close.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 70_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port && wanted.length === 1 ? opts.port : 0, host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    ctx.baseUrl = `${tls ? 'https' : 'http'}://${host}:${port}`;
    endpoints[provider] = ctx.baseUrl;
    credentials[provider] = module.credentials;
    servers.push(server);
  }

  return {
    endpoints,
    credentials,
    ca,
    log,
    faults,
    async close() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
