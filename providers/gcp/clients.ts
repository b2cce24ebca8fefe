/**
 * The Google clients the adapter uses, built from one auth client and one optional endpoint override. Production
 * uses Application Default Credentials; the lab passes a static bearer token. Everything else — the clients, their
 * REST transport, paging, the calls — is the same code path. Compute Engine is read over REST through the auth client
 * alone (scope-io.ts): its client library would load the whole Compute API's protobuf descriptors for a wire that is
 * REST/JSON anyway.
 *
 * Client-side retries are off (`retry: { retryCodes: [] }`, gaxios `retry: false`): the engine's call runner
 * retries, backs off (honouring RetryInfo / Retry-After) and counts.
 */
import { PoliciesClient } from '@google-cloud/iam';
import { v2 as loggingV2 } from '@google-cloud/logging';
import { AlertPolicyServiceClient, NotificationChannelServiceClient } from '@google-cloud/monitoring';
import { FoldersClient, OrganizationsClient, ProjectsClient } from '@google-cloud/resource-manager';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { CredentialsError, classifyTransport, errorMessage } from '../errors.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** What the adapter needs of an auth client: request headers for the SDK clients, request() for raw REST calls. */
export interface AuthLike {
  request<T>(opts: {
    url: string;
    method?: 'GET' | 'POST';
    data?: unknown;
    signal?: AbortSignal;
    retry?: boolean;
    timeout?: number;
    responseType?: 'json' | 'text';
  }): Promise<{ data: T }>;
}

/**
 * The auth client: the one given (an AuthClient or GoogleAuth), a static token (`{ accessToken }`, what the lab
 * hands out), or Application Default Credentials.
 */
export function gcpAuth(given: unknown): GoogleAuth | OAuth2Client {
  if (given instanceof GoogleAuth || given instanceof OAuth2Client) return given;
  const g = given as { getRequestHeaders?: unknown; accessToken?: unknown } | null | undefined;
  if (g && typeof g.getRequestHeaders === 'function') return g as unknown as OAuth2Client;
  if (g && typeof g.accessToken === 'string') {
    const client = new OAuth2Client();
    client.setCredentials({ access_token: g.accessToken, expiry_date: Date.now() + 365 * 86_400_000 });
    return client;
  }
  return new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
}

/**
 * Signs in once, before any client is built: resolves Application Default Credentials to an auth client and asks it
 * for a token. A credential chain that cannot produce a token (no ADC, a key file that is missing or garbled, an
 * external-account token exchange that fails) fails here, as one awaited error the engine turns into a discovery gap.
 * Left to the SDK clients, the same failure surfaces inside their constructors as a rejection nobody awaits.
 * Network failures on the way (the token endpoint unreachable) stay network errors, so the engine retries them.
 */
export async function signIn(given: unknown): Promise<GoogleAuth | OAuth2Client> {
  const auth = gcpAuth(given);
  try {
    const client = auth instanceof GoogleAuth ? ((await auth.getClient()) as unknown as OAuth2Client) : auth;
    await client.getAccessToken();
    return client;
  } catch (err) {
    const network = classifyTransport(err);
    if (network && (network.code === 'unavailable' || network.code === 'timeout')) throw err;
    throw new CredentialsError(
      `Google sign-in failed (${given ? 'the given auth client' : 'Application Default Credentials'}): ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
}

export interface Endpoint {
  /** For the SDK clients. */
  options: { apiEndpoint?: string; port?: number; protocol?: string };
  /** Base URL for raw REST calls to a service, e.g. `https://iam.googleapis.com`. */
  base(service: 'iam' | 'logging' | 'compute' | 'storage' | 'bigquery' | 'pubsub' | 'cloudidentity'): string;
}

export function endpointFor(endpoint: string | undefined): Endpoint {
  if (!endpoint) return { options: {}, base: (service) => `https://${service}.googleapis.com` };
  const u = new URL(endpoint);
  const protocol = u.protocol.replace(':', '');
  const port = u.port ? Number(u.port) : protocol === 'http' ? 80 : 443;
  const root = `${u.protocol}//${u.host}`;
  return { options: { apiEndpoint: u.hostname, port, protocol }, base: () => root };
}

export interface GcpClients {
  auth: GoogleAuth | OAuth2Client;
  endpoint: Endpoint;
  projects: ProjectsClient;
  folders: FoldersClient;
  organizations: OrganizationsClient;
  config: InstanceType<typeof loggingV2.ConfigServiceV2Client>;
  metrics: InstanceType<typeof loggingV2.MetricsServiceV2Client>;
  alerts: AlertPolicyServiceClient;
  channels: NotificationChannelServiceClient;
  deny: PoliciesClient;
  close(): Promise<void>;
}

export function createClients(authClient: unknown, endpointUrl: string | undefined): GcpClients {
  const auth = gcpAuth(authClient);
  const endpoint = endpointFor(endpointUrl);
  // fallback: HTTP/1.1 REST (JSON) instead of gRPC, for every client.
  // The clients depend on two majors of google-auth-library; the auth client is duck-typed at run time.
  const opts = { ...endpoint.options, fallback: true, ...(auth instanceof GoogleAuth ? { auth } : { authClient: auth }) } as never;
  const c = {
    projects: new ProjectsClient(opts),
    folders: new FoldersClient(opts),
    organizations: new OrganizationsClient(opts),
    config: new loggingV2.ConfigServiceV2Client(opts),
    metrics: new loggingV2.MetricsServiceV2Client(opts),
    alerts: new AlertPolicyServiceClient(opts),
    channels: new NotificationChannelServiceClient(opts),
    deny: new PoliciesClient(opts),
  };
  return {
    auth,
    endpoint,
    ...c,
    async close() {
      await Promise.all(Object.values(c).map((x) => x.close().catch(() => undefined)));
    },
  };
}

/** Call options for every SDK call: no client-side retries, one page at a time. */
export const callOptions = { autoPaginate: false, retry: { retryCodes: [] as number[] }, timeout: 60_000 };

/** Resolves `promise`, or rejects with an AbortError (and cancels it when it can) when the scan is interrupted. */
export function withSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    (promise as { cancel?: () => void }).cancel?.();
    promise.catch(() => undefined);
    return Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      (promise as { cancel?: () => void }).cancel?.();
      reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
