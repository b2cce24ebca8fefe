/**
 * Microsoft Graph, the directory behind Microsoft Entra ID, read through the scan's Azure credential: a token for
 * `{graph}/.default` and plain HTTPS requests on the scan's keep-alive pool (no Graph SDK: two reads do not need
 * one). Only reads: `POST /v1.0/directoryObjects/getByIds` (a read with a body) and
 * `GET /v1.0/groups/{id}/transitiveMembers`. A nextLink is followed only on the Graph endpoint itself, so the token is
 * never sent anywhere a response names.
 *
 * https://learn.microsoft.com/en-us/graph/api/directoryobject-getbyids?view=graph-rest-1.0
 * https://learn.microsoft.com/en-us/graph/api/group-list-transitivemembers?view=graph-rest-1.0
 */
import http from 'node:http';
import https from 'node:https';
import type { AccessToken, TokenCredential } from '@azure/identity';

export const DEFAULT_GRAPH_ENDPOINT = 'https://graph.microsoft.com';

/** The Graph endpoint of each Azure cloud's ARM endpoint (national clouds); another ARM endpoint (the lab) serves Graph itself. */
const graphOfArm: Record<string, string> = {
  'https://management.azure.com': DEFAULT_GRAPH_ENDPOINT,
  'https://management.usgovcloudapi.net': 'https://graph.microsoft.us',
  'https://management.chinacloudapi.cn': 'https://microsoftgraph.chinacloudapi.cn',
};

/** The Graph endpoint for a configuration: the one configured, the national cloud's for a known ARM endpoint, or the ARM endpoint's own origin. */
export function graphEndpointFor(armEndpoint: string, configured: string | undefined): string {
  const arm = armEndpoint.replace(/\/+$/, '');
  return (configured ?? graphOfArm[arm.toLowerCase()] ?? arm).replace(/\/+$/, '');
}

/** What to grant when Graph refuses: getByIds needs Directory.Read.All (its only permission, delegated or application). */
export const GRAPH_PERMISSION_HINT =
  'grant the scanning identity the Microsoft Graph application permission Directory.Read.All (with admin consent) to read names, account state and group members; or set providers.azure.directoryLookup to false';

/** A directory object as Graph v1.0 returns it (only the properties the scanner reads). */
export interface GraphObject {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  userType?: string | null;
  accountEnabled?: boolean | null;
  appId?: string | null;
  servicePrincipalType?: string | null;
}

export interface GraphPage {
  value?: GraphObject[];
  '@odata.nextLink'?: string;
}

/** Graph's `{error: {code, message}}` answer, shaped as the Azure classifier reads errors (statusCode, code, response headers). */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  readonly statusCode: number;
  readonly code: string;
  readonly response: { headers: Record<string, string> };

  constructor(statusCode: number, code: string, message: string, headers: Record<string, string>) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
    this.response = { headers };
  }
}

/** A token is renewed this long before it expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** A response body larger than this is refused rather than held in memory. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface GraphConnection {
  endpoint: string;
  credential: () => TokenCredential;
  agent?: https.Agent;
}

export class GraphClient {
  private readonly conn: GraphConnection;
  readonly endpoint: string;
  private pending: Promise<AccessToken> | null = null;
  private expires: number | null = null;

  constructor(conn: GraphConnection) {
    this.conn = conn;
    this.endpoint = conn.endpoint.replace(/\/+$/, '');
  }

  /** One token for every request until shortly before it expires; concurrent requests share one sign-in. */
  private token(signal: AbortSignal): Promise<AccessToken> {
    const now = Date.now();
    if (!this.pending || (this.expires !== null && this.expires - REFRESH_MARGIN_MS <= now)) {
      const p = this.conn
        .credential()
        .getToken(`${this.endpoint}/.default`, { abortSignal: signal })
        .then(
          (t) => {
            if (!t) throw new GraphError(401, 'InvalidAuthenticationToken', 'no token for Microsoft Graph', {});
            this.expires = t.expiresOnTimestamp;
            return t;
          },
          (err: unknown) => {
            throw transientSignIn(err) ?? err;
          },
        );
      p.catch(() => {
        if (this.pending === p) this.pending = null;
      });
      this.pending = p;
      this.expires = null;
    }
    return this.pending;
  }

  /**
   * Signs in now, in the background, so that the token is ready when the first request comes (clients.ts
   * signInToGraphAhead, during discovery). The sign-in is the one the requests share (token()); a
   * failed one is not kept: the first request signs in again and meets the failure, if it lasts, as its own (a
   * request arriving while this sign-in is under way shares its outcome, as concurrent requests do).
   */
  signInAhead(signal: AbortSignal): void {
    this.token(signal).catch(() => undefined);
  }

  /** One request: `target` is a path under the endpoint or a nextLink the endpoint returned. */
  async request<T>(method: 'GET' | 'POST', target: string, body: unknown, signal: AbortSignal): Promise<T> {
    const url = new URL(target, `${this.endpoint}/`);
    if (url.origin !== new URL(this.endpoint).origin) {
      throw new Error(`Microsoft Graph named a link outside ${this.endpoint}: not followed`);
    }
    const token = await this.token(signal);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      authorization: `Bearer ${token.token}`,
      accept: 'application/json',
      'user-agent': 'snapaudit',
      ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
    };
    const res = await send(url, method, headers, payload, signal, url.protocol === 'https:' ? this.conn.agent : undefined);
    if (res.status >= 400) throw errorOf(res);
    try {
      return JSON.parse(res.body) as T;
    } catch {
      throw new Error(`Microsoft Graph answered ${method} ${url.pathname} with a body that is not JSON`);
    }
  }
}

/**
 * The credential signed in to ARM before any Graph read (the subscriptions were listed with it), so a Graph sign-in
 * that fails reaching the token or metadata endpoint (network, 5xx, 429: MSAL names them endpoints_resolution_error,
 * network_error, server_error, temporarily_unavailable) is the sign-in service, not the credential: a 503 to retry.
 */
function transientSignIn(err: unknown): GraphError | null {
  const message = err instanceof Error ? err.message : String(err);
  if (!/\b(endpoints_resolution_error|network_error|server_error|temporarily_unavailable)\b/.test(message)) return null;
  // temporarily_unavailable (AADSTS90055) is the token endpoint throttling: a 429, as Microsoft Entra ID sent it.
  const throttled = /\btemporarily_unavailable\b|AADSTS90055/.test(message);
  const text = `Microsoft Entra ID sign-in for Microsoft Graph failed: ${message.split(/\r?\n/)[0]}`;
  return new GraphError(throttled ? 429 : 503, throttled ? 'TooManyRequests' : 'SignInUnavailable', text, {});
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function errorOf(res: RawResponse): GraphError {
  let code = `HTTP${res.status}`;
  let message = `Microsoft Graph answered ${res.status}`;
  try {
    const e = (JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof e?.code === 'string' && e.code) code = e.code;
    if (typeof e?.message === 'string' && e.message) message = e.message;
  } catch {
    // not JSON: the status says it
  }
  if (res.status === 403) message = `${message} (Microsoft Graph: ${GRAPH_PERMISSION_HINT})`;
  return new GraphError(res.status, code, message, res.headers);
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  payload: string | undefined,
  signal: AbortSignal,
  agent: https.Agent | undefined,
): Promise<RawResponse> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method, headers, signal, ...(agent ? { agent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy(new Error(`Microsoft Graph response larger than ${MAX_BODY_BYTES} bytes: not read`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k.toLowerCase()] = v;
        resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
