/**
 * How the Azure adapter talks to ARM: one credential (DefaultAzureCredential in production; a ClientSecretCredential
 * or any TokenCredential handed in through ProviderConnections), the same client options for every SDK client
 * (endpoint, token scope, trust, SDK retries off, user agent), one keep-alive pool, and the SDK clients themselves,
 * built lazily per subscription and dropped once it is read, their modules loaded only when one is first needed (sdk.ts:
 * with the plain reader, arm.ts, a scan needs none). Nothing else: calls go through scope-io.ts.
 */
import https from 'node:https';
import { createSecureContext } from 'node:tls';
import type { AuthorizationManagementClient } from '@azure/arm-authorization';
import type { ComputeManagementClient } from '@azure/arm-compute';
import type { ManagementGroupsAPI } from '@azure/arm-managementgroups';
import type { MonitorClient } from '@azure/arm-monitor';
import type { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import {
  type AccessToken,
  ClientSecretCredential,
  DefaultAzureCredential,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity';
import { ArmReader } from './arm.ts';
import { armErrorMessagePolicy } from './errors.ts';
import { GraphClient } from './graph.ts';

/** The SDK clients' module (sdk.ts), loaded on first use. */
export type AzureSdk = typeof import('./sdk.ts');

export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';
const USER_AGENT = 'snapaudit';

/** A service principal secret handed in programmatically (the lab, tests): never read from a config file. */
export interface ClientSecretSpec {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface AzureConnection {
  endpoint: string;
  /** Microsoft Graph endpoint (graph.ts `graphEndpointFor`); absent: the directory is not read. */
  graphEndpoint?: string;
  /** Microsoft Entra ID authority host (sovereign clouds, the lab); default: the SDK's (login.microsoftonline.com). */
  authorityHost?: string;
  tenantId?: string;
  /** PEM of extra trusted CAs for this provider's clients only (the lab's self-signed certificate). */
  ca?: string;
  credential?: TokenCredential | ClientSecretSpec;
  /**
   * Deadline of one sign-in request (the engine's call deadline). The ARM calls get theirs from the engine; the
   * credential's own requests run inside the SDK's token refresh, which every call of the scan shares, so a hung
   * token request must fail by itself for a retry to sign in again.
   */
  requestTimeoutMs?: number;
  /**
   * One keep-alive connection pool for every ARM client of the scan (clients are per subscription; each with its own
   * pool would keep a TLS connection open per subscription, and with it tens of KB of native memory).
   */
  agent?: https.Agent;
  /**
   * false: every ARM call through the SDK clients, none through the plain reader (arm.ts); tests read the same lab
   * answers both ways and compare. Default: the listings the plain reader knows are read plainly.
   */
  plainArm?: boolean;
}

/**
 * The shared pool for a connection; it carries the extra trusted CA, so requests through it need no TLS options. The
 * CA is built into one TLS context for every connection of the pool: given as `ca`, it was parsed again for each
 * connection and, as part of the pool's key, copied into a new string for each request.
 */
export function createAgent(ca: string | undefined): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets: 64, ...(ca ? { secureContext: createSecureContext({ ca }) } : {}) });
}

/** Sets a timeout on every request of the pipeline it is added to (core-rest-pipeline aborts the request past it). */
function requestTimeoutPolicy(ms: number) {
  return {
    name: 'snapauditRequestTimeout',
    sendRequest<Q extends { timeout: number }, R>(request: Q, next: (request: Q) => Promise<R>): Promise<R> {
      if (!request.timeout) request.timeout = ms;
      return next(request);
    },
  };
}

export function isTokenCredential(x: unknown): x is TokenCredential {
  return typeof x === 'object' && x !== null && typeof (x as { getToken?: unknown }).getToken === 'function';
}

export function isClientSecretSpec(x: unknown): x is ClientSecretSpec {
  const o = x as Partial<ClientSecretSpec> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.tenantId === 'string' &&
    typeof o.clientId === 'string' &&
    typeof o.clientSecret === 'string'
  );
}

function transport(conn: AzureConnection) {
  return {
    // The engine's call runner retries, backs off and counts: the SDK must not retry on its own.
    retryOptions: { maxRetries: 0 },
    userAgentOptions: { userAgentPrefix: USER_AGENT },
    ...(conn.ca ? { tlsOptions: { ca: conn.ca } } : {}),
  };
}

/** Transport of the ARM clients: the shared pool when there is one. */
function armTransport(conn: AzureConnection) {
  if (!conn.agent) return transport(conn);
  const { tlsOptions: _tls, ...rest } = transport(conn);
  return { ...rest, agent: conn.agent };
}

/**
 * The credential: an explicit TokenCredential as is; a client secret spec as a real ClientSecretCredential (the
 * OAuth2 client-credentials grant, the same one DefaultAzureCredential's EnvironmentCredential makes); otherwise
 * DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI, …).
 */
export function createCredential(conn: AzureConnection): TokenCredential {
  if (isTokenCredential(conn.credential)) return conn.credential;
  return new RenewingCredential(() => buildCredential(conn));
}

/**
 * A credential that starts afresh after a failed sign-in. MSAL remembers a failed token request (a 5xx or 429 from
 * the token endpoint) and answers every later request from that memory for a while (60 s, or the Retry-After), so a
 * retry through the same instance replays the failure instead of asking again. Building a new credential (cheap, no
 * network) gives the engine's retry a real second attempt.
 */
export class RenewingCredential implements TokenCredential {
  private current: TokenCredential;
  private readonly build: () => TokenCredential;
  /** How many times a failed sign-in made a new credential (for tests and logs). */
  renewals = 0;

  constructor(build: () => TokenCredential) {
    this.build = build;
    this.current = build();
  }

  async getToken(...args: Parameters<TokenCredential['getToken']>): ReturnType<TokenCredential['getToken']> {
    const used = this.current;
    try {
      return await used.getToken(...args);
    } catch (err) {
      if (this.current === used) {
        this.current = this.build();
        this.renewals++;
      }
      throw err;
    }
  }
}

/** A token is handed out again until this long before it expires (MSAL's own refresh offset, 300 s). */
export const TOKEN_REUSE_MARGIN_MS = 5 * 60_000;

/**
 * One token per scope (and kind: CAE-capable or not) for every SDK client of the scan. Each SDK client's bearer policy
 * asks the credential once and keeps what it got; with three clients per subscription that was three sign-in lookups
 * per subscription, each through MSAL's cache (a cache search, an authority object, a request id: 0.1–0.2 ms of CPU), and
 * clients starting together each signed in on the wire. A token is reused until TOKEN_REUSE_MARGIN_MS before it
 * expires, or its refresh time if earlier (when MSAL would renew it); callers arriving while a sign-in is under way
 * wait for it and share its outcome, unless it was abandoned by its own caller (its deadline, an interrupt): then
 * they sign in themselves. A request carrying claims (a Continuous Access Evaluation challenge) or naming another
 * tenant always goes to the credential.
 */
export class ReusedTokenCredential implements TokenCredential {
  private readonly inner: TokenCredential;
  private readonly held = new Map<string, AccessToken>();
  private readonly signing = new Map<string, { token: Promise<AccessToken | null>; signal: GetTokenOptions['abortSignal'] }>();
  private firstToken: () => void = () => undefined;
  /** Settles when a sign-in first gives a token (of any audience); never, if none does. */
  readonly signedIn: Promise<void> = new Promise((resolve) => {
    this.firstToken = resolve;
  });

  constructor(inner: TokenCredential) {
    this.inner = inner;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    if (options?.claims || options?.tenantId) return this.inner.getToken(scopes, options);
    // A CAE-capable token (what the SDKs' bearer policy asks for) is another token than a plain one (Graph's): MSAL
    // keeps them apart, and a client that cannot answer a claims challenge must not be handed one.
    const key = `${(Array.isArray(scopes) ? scopes : [scopes]).join(' ')}${options?.enableCae ? ' cae' : ''}`;
    const held = this.held.get(key);
    if (held && Date.now() < reuseUntil(held)) return held;
    const under = this.signing.get(key);
    if (under) {
      try {
        return await waitFor(under.token, options?.abortSignal);
      } catch (err) {
        if (options?.abortSignal?.aborted || !under.signal?.aborted) throw err;
      }
    }
    return this.signIn(key, scopes, options);
  }

  private signIn(key: string, scopes: string | string[], options: GetTokenOptions | undefined): Promise<AccessToken | null> {
    const token = this.inner.getToken(scopes, options).then((t) => {
      if (t) {
        this.held.set(key, t);
        this.firstToken();
      } else this.held.delete(key);
      return t;
    });
    const entry = { token, signal: options?.abortSignal };
    this.signing.set(key, entry);
    const done = () => {
      if (this.signing.get(key) === entry) this.signing.delete(key);
    };
    token.then(done, done);
    return token;
  }
}

/** What a waiter whose own signal aborted gets: an abort, as the SDKs name theirs. */
class SignInAbandoned extends Error {
  override name = 'AbortError';
}

/** A shared promise, given up on when the waiter's own signal aborts. */
function waitFor<T>(p: Promise<T>, signal: GetTokenOptions['abortSignal']): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new SignInAbandoned('the sign-in was abandoned'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SignInAbandoned('the sign-in was abandoned'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function reuseUntil(t: AccessToken): number {
  return Math.min(t.expiresOnTimestamp - TOKEN_REUSE_MARGIN_MS, t.refreshAfterTimestamp ?? Number.POSITIVE_INFINITY);
}

function buildCredential(conn: AzureConnection): TokenCredential {
  const common = {
    ...transport(conn),
    ...(conn.authorityHost ? { authorityHost: conn.authorityHost, disableInstanceDiscovery: true } : {}),
    ...(conn.requestTimeoutMs
      ? { additionalPolicies: [{ policy: requestTimeoutPolicy(conn.requestTimeoutMs), position: 'perCall' as const }] }
      : {}),
  };
  if (isClientSecretSpec(conn.credential)) {
    const c = conn.credential;
    return new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, common);
  }
  return new DefaultAzureCredential({ ...common, ...(conn.tenantId ? { tenantId: conn.tenantId } : {}) });
}

function scopeFor(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/.default`;
}

const armPolicies = [{ policy: armErrorMessagePolicy, position: 'perCall' as const }];

/** Options for the generated ("modular") clients: compute, monitor, subscriptions. */
export function modularOptions(conn: AzureConnection) {
  return {
    endpoint: conn.endpoint,
    credentials: { scopes: [scopeFor(conn.endpoint)] },
    additionalPolicies: armPolicies,
    ...armTransport(conn),
  };
}

/** Options for the AutoRest ("classic") clients: authorization, management groups. */
export function classicOptions(conn: AzureConnection) {
  return {
    endpoint: conn.endpoint,
    $host: conn.endpoint,
    credentialScopes: [scopeFor(conn.endpoint)],
    additionalPolicies: armPolicies,
    ...armTransport(conn),
  };
}

/** The ARM clients of one subscription. */
export interface SubscriptionClients {
  compute: ComputeManagementClient;
  monitor: MonitorClient;
  authz: AuthorizationManagementClient;
}

/**
 * Every SDK client of a scan, built on first use over one credential and one connection pool. A subscription's
 * clients are kept while it is read and dropped after (kept, they would grow memory with the tenant). The SDKs'
 * modules are loaded when a client is first asked for, not before.
 */
export class AzureClients {
  private readonly conn: AzureConnection;
  private cred: ReusedTokenCredential | null = null;
  private readonly perSubscription = new Map<string, SubscriptionClients>();
  private graphClient: GraphClient | null = null;
  private armReader: ArmReader | null = null;
  private sdkModule: Promise<AzureSdk> | null = null;
  private sdkLoaded: AzureSdk | null = null;

  constructor(conn: AzureConnection) {
    this.conn = conn;
  }

  /** The scan's credential, its tokens reused by every client (ReusedTokenCredential). */
  credential(): ReusedTokenCredential {
    this.cred ??= new ReusedTokenCredential(createCredential(this.conn));
    return this.cred;
  }

  /** The SDK clients' module, loaded once, on first use (a failed load is tried again by the next call). */
  sdk(): Promise<AzureSdk> {
    if (!this.sdkModule) {
      const loading = import('./sdk.ts').then((m) => (this.sdkLoaded = m));
      loading.catch(() => {
        if (this.sdkModule === loading) this.sdkModule = null;
      });
      this.sdkModule = loading;
    }
    return this.sdkModule;
  }

  /** The SDK clients' module once sdk() has loaded it (a page's continuation token is read after its client ran). */
  loadedSdk(): AzureSdk {
    if (!this.sdkLoaded) throw new Error('the Azure SDK clients are not loaded');
    return this.sdkLoaded;
  }

  async subscriptions(): Promise<SubscriptionClient> {
    const { SubscriptionClient } = await this.sdk();
    return new SubscriptionClient(this.credential(), modularOptions(this.conn));
  }

  async managementGroups(): Promise<ManagementGroupsAPI> {
    const { ManagementGroupsAPI } = await this.sdk();
    return new ManagementGroupsAPI(this.credential(), classicOptions(this.conn));
  }

  /**
   * Signs in to Microsoft Graph in the background (graph.ts signInAhead) once the credential has signed in for ARM
   * (the first token of the scan: discovery's listings ask for it): its token is then ready when the first directory
   * read comes. After ARM's rather than beside it, the two sign-ins do not race, and a credential that cannot sign in
   * at all does not try Graph too. Nothing without a Graph endpoint.
   */
  signInToGraphAhead(signal: AbortSignal): void {
    const graph = this.graph();
    if (!graph) return;
    void this.credential().signedIn.then(() => {
      if (!signal.aborted) graph.signInAhead(signal);
    });
  }

  /** Microsoft Graph over the same credential and pool; null when no Graph endpoint is set. */
  graph(): GraphClient | null {
    const endpoint = this.conn.graphEndpoint;
    if (!endpoint) return null;
    this.graphClient ??= new GraphClient({
      endpoint,
      credential: () => this.credential(),
      ...(this.conn.agent ? { agent: this.conn.agent } : {}),
    });
    return this.graphClient;
  }

  /** The plain ARM reader over the same credential and pool (arm.ts); null when the SDK clients read everything. */
  arm(): ArmReader | null {
    if (this.conn.plainArm === false) return null;
    this.armReader ??= new ArmReader({
      endpoint: this.conn.endpoint,
      credential: () => this.credential(),
      ...(this.conn.agent ? { agent: this.conn.agent } : {}),
    });
    return this.armReader;
  }

  /** A subscription's clients, each built when first used (the plain reader makes most calls without any). */
  async forSubscription(subscriptionId: string): Promise<SubscriptionClients> {
    const sdk = await this.sdk();
    let c = this.perSubscription.get(subscriptionId);
    if (!c) {
      const conn = this.conn;
      const credential = () => this.credential();
      let compute: ComputeManagementClient | undefined;
      let monitor: MonitorClient | undefined;
      let authz: AuthorizationManagementClient | undefined;
      c = {
        get compute() {
          compute ??= new sdk.ComputeManagementClient(credential(), subscriptionId, modularOptions(conn));
          return compute;
        },
        get monitor() {
          monitor ??= new sdk.MonitorClient(credential(), subscriptionId, modularOptions(conn));
          return monitor;
        },
        get authz() {
          authz ??= new sdk.AuthorizationManagementClient(credential(), subscriptionId, classicOptions(conn));
          return authz;
        },
      };
      this.perSubscription.set(subscriptionId, c);
    }
    return c;
  }

  /** A monitor client for a resource in another subscription (an action group shared from a central one). */
  async monitorIn(subscriptionId: string): Promise<MonitorClient> {
    const sdk = await this.sdk();
    return (
      this.perSubscription.get(subscriptionId)?.monitor ??
      new sdk.MonitorClient(this.credential(), subscriptionId, modularOptions(this.conn))
    );
  }

  /**
   * A plain ARM GET of `path` (`/subscriptions/…`, no host, or a nextLink ARM returned) at `apiVersion`, for resource
   * types no installed SDK covers (Log Analytics workspaces, Microsoft Sentinel rules): through the plain reader, or
   * with `plainArm: false` through a monitor client's pipeline; either way with the same credential, trust, pool and
   * error reading. A status of 400 or more throws an error read as the SDKs' RestError; the parsed JSON body otherwise.
   */
  async armGet(subscriptionId: string, path: string, apiVersion: string, signal?: AbortSignal): Promise<unknown> {
    const arm = this.arm();
    if (arm) return arm.get(path, apiVersion, signal ?? new AbortController().signal, 'resource');
    const url = path.startsWith('http')
      ? path
      : `${this.conn.endpoint}${path}${path.includes('?') ? '&' : '?'}api-version=${encodeURIComponent(apiVersion)}`;
    const sdk = await this.sdk();
    return sdk.pipelineGet(await this.monitorIn(subscriptionId), url, path, signal);
  }

  release(subscriptionId: string): void {
    this.perSubscription.delete(subscriptionId);
  }

  close(): void {
    this.perSubscription.clear();
    this.conn.agent?.destroy();
  }
}
