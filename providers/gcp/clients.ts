/**
 * How the GCP adapter talks to Google: one auth client (Application Default Credentials in production; the lab passes
 * a static bearer token) and one optional endpoint override. Every Google API the scanner reads is a REST/JSON API, and
 * every read goes over it through the auth client's request() (scope-io.ts): the Google Cloud client libraries would
 * load their protobuf descriptors and google-gax — three copies of it, of two majors, for the four libraries the
 * scanner used — for the same wire (docs/large-organisations.md: where memory goes).
 *
 * Client-side retries are off (gaxios `retry: false`): the engine's call runner retries, backs off (honouring
 * RetryInfo / Retry-After) and counts.
 */
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { CredentialsError, classifyTransport, errorMessage } from '../errors.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** What the adapter needs of an auth client: request(), for every REST call. */
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

/** The Google APIs the scanner reads, each a REST host of its own (`https://<service>.googleapis.com`). */
export type Service =
  | 'cloudresourcemanager'
  | 'iam'
  | 'logging'
  | 'monitoring'
  | 'compute'
  | 'storage'
  | 'bigquery'
  | 'pubsub'
  | 'cloudidentity'
  | 'securitycenter'
  | 'securitycentermanagement';

export interface Endpoint {
  /** Base URL for REST calls to a service, e.g. `https://iam.googleapis.com`; every service at one root when overridden. */
  base(service: Service): string;
}

export function endpointFor(endpoint: string | undefined): Endpoint {
  if (!endpoint) return { base: (service) => `https://${service}.googleapis.com` };
  const u = new URL(endpoint);
  const root = `${u.protocol}//${u.host}`;
  return { base: () => root };
}

/** What the scan talks to Google with: the signed-in auth client and where each service answers. */
export interface GcpClients {
  auth: GoogleAuth | OAuth2Client;
  endpoint: Endpoint;
}

export function createClients(authClient: unknown, endpointUrl: string | undefined): GcpClients {
  return { auth: gcpAuth(authClient), endpoint: endpointFor(endpointUrl) };
}

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
