/**
 * A plain ARM reader for the listings the scanner makes most (issue #19): a GET over the scan's keep-alive pool with
 * the scan's token, `JSON.parse`, and the `nextLink` of each page, as Microsoft Graph is read (graph.ts). The SDK
 * clients spend 0.15–0.4 ms of CPU per call more on their pipelines and paging helpers (docs/large-organisations.md,
 * "Azure's time, measured again"); what they return is rebuilt here in the SDK's shape (arm-shapes.ts), so the
 * normalisers read the same objects whichever way a listing was read. Only reads: every request is a GET.
 *
 * The token is asked for as the SDKs' bearer policy asks (`enableCae`: the same token, no second sign-in), and a
 * Continuous Access Evaluation challenge (401 with `error="insufficient_claims"`) is answered as the SDKs answer it:
 * one new token carrying the claims, the request sent once more.
 * https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge
 *
 * Errors are shaped as the generated clients' RestError (status, ARM's `error.code` and `error.message`, the response
 * headers for Retry-After), so classifyAzureError reads them, and a gap says the same, whichever way the call went.
 * A nextLink is followed only on the ARM endpoint itself, so the token is never sent anywhere a response names.
 * https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/azure-resource-manager-error-response
 */
import http from 'node:http';
import https from 'node:https';
import type { TokenCredential } from '@azure/identity';

/** A response body larger than this is refused rather than held in memory. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** An ARM error answer, shaped as the SDKs' RestError is read (statusCode, code, response headers). */
export class ArmError extends Error {
  override readonly name = 'RestError';
  readonly statusCode: number;
  readonly code: string | undefined;
  readonly response: { status: number; headers: Record<string, string>; bodyAsText: string };

  constructor(message: string, statusCode: number, code: string | undefined, headers: Record<string, string>, body: string) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.response = { status: statusCode, headers, bodyAsText: body };
  }
}

export interface ArmConnection {
  endpoint: string;
  credential: () => TokenCredential;
  agent?: https.Agent;
}

interface RawResponse {
  status: number;
  /** As node:http gives them: read (stringHeaders) only for an answer that is an error. */
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The single-valued headers of an answer, as an error carries them (Retry-After, a claims challenge). */
function stringHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') h[k] = v;
  return h;
}

/**
 * Whose words a failed request without ARM's own message reads in: a listing's page as the generated pagers say it
 * (`page`), a GET as the generated clients do (`get`), a request of the AutoRest clients as they do (`classic`: the
 * body as it came), a resource no SDK covers as the scanner's own GET through an SDK pipeline did (`resource`: the
 * request and its status).
 */
export type ArmRead = 'page' | 'get' | 'classic' | 'resource';

export class ArmReader {
  private readonly conn: ArmConnection;
  private readonly endpoint: string;
  private readonly origin: string;
  private readonly scope: string;

  constructor(conn: ArmConnection) {
    this.conn = conn;
    this.endpoint = conn.endpoint.replace(/\/+$/, '');
    this.origin = new URL(this.endpoint).origin;
    this.scope = `${this.endpoint}/.default`;
  }

  /**
   * One GET: `target` is a path under the endpoint (`/subscriptions/…?…`, `api-version` added) or a nextLink ARM
   * returned (followed as it is). The parsed body; an ArmError for a status of 400 or more.
   */
  async get(target: string, apiVersion: string, signal: AbortSignal, read: ArmRead = 'page'): Promise<unknown> {
    const url = target.startsWith('/')
      ? new URL(`${this.endpoint}${target}${target.includes('?') ? '&' : '?'}api-version=${encodeURIComponent(apiVersion)}`)
      : new URL(target);
    if (url.origin !== this.origin) throw new Error(`Azure Resource Manager named a link outside ${this.endpoint}: not followed`);
    let token = await this.conn.credential().getToken(this.scope, { abortSignal: signal, enableCae: true });
    let res = await this.send(url, token?.token, signal);
    const claims = res.status === 401 ? caeClaims(stringHeaders(res.headers)['www-authenticate']) : null;
    if (claims) {
      token = await this.conn.credential().getToken(this.scope, { abortSignal: signal, enableCae: true, claims });
      if (token) res = await this.send(url, token.token, signal);
    }
    if (res.status >= 400) throw errorOf(res, read, target);
    try {
      return res.body ? JSON.parse(res.body) : null;
    } catch (err) {
      // a resource no SDK covers: JSON's own error, as the scanner's GET through a pipeline raised it
      if (read === 'resource') throw err;
      // as the SDKs' pipelines raise it (a PARSE_ERROR with the status, the body echoed: gaps clip and scrub it)
      const text = `Error "${err}" occurred while parsing the response body - ${res.body}.`;
      throw new ArmError(text, res.status, 'PARSE_ERROR', stringHeaders(res.headers), res.body);
    }
  }

  private send(url: URL, token: string | undefined, signal: AbortSignal): Promise<RawResponse> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'snapaudit' };
    if (token) headers.authorization = `Bearer ${token}`;
    const https_ = url.protocol === 'https:';
    const lib = https_ ? https : http;
    const agent = https_ ? this.conn.agent : undefined;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method: 'GET', headers, signal, ...(agent ? { agent } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) {
            req.destroy(new Error(`Azure Resource Manager response larger than ${MAX_BODY_BYTES} bytes: not read`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }
}

/**
 * The claims of a Continuous Access Evaluation challenge (`Bearer …, error="insufficient_claims", claims="base64"`),
 * decoded; null for any other 401.
 */
export function caeClaims(header: string | undefined): string | null {
  if (!header || !/error="insufficient_claims"/i.test(header)) return null;
  const m = /claims="([^"]+)"/i.exec(header);
  if (!m) return null;
  try {
    return Buffer.from(m[1] as string, 'base64').toString('utf8');
  } catch {
    return null;
  }
}

/**
 * ARM's `{error: {code, message}}` (or a bare `{code, message}`) as the SDK clients raise it: the code and the
 * message ARM gave; without a message, the words of the client the request stands in for (`ArmRead`), so a gap reads
 * as it did through the SDK.
 */
function errorOf(res: RawResponse, read: ArmRead, target: string): ArmError {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown }; code?: unknown; message?: unknown } | null;
    const e = body?.error ?? body;
    if (typeof e?.code === 'string') code = e.code;
    if (typeof e?.message === 'string' && e.message) message = e.message;
  } catch {
    // not JSON: the status says it
  }
  const fallback =
    read === 'page'
      ? `Pagination failed with unexpected statusCode ${res.status}`
      : read === 'get'
        ? `Unexpected status code: ${res.status}`
        : read === 'resource'
          ? `GET ${target} answered ${res.status}`
          : res.body;
  return new ArmError(message ?? fallback, res.status, code, stringHeaders(res.headers), res.body);
}
