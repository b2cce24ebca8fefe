/** Builds the adapters a config enables. The CLI and tests use this; nothing else constructs SDK clients. */
import { assertTransport, URL_FIELDS } from '../src/core/config/transport.ts';
import type { Config } from '../src/core/config/schema.ts';
import type { Provider } from '../src/core/model/result.ts';
import type { AwsCredentials } from './aws/adapter.ts';
import { classifyTransport, errorMessage } from './errors.ts';
import type { ProviderAdapter } from './types.ts';

/** Connection overrides that do not belong in a config file: explicit credentials and trust (the lab, tests). */
export interface ProviderConnections {
  aws?: { credentials?: AwsCredentials };
  /** `plainArm: false`: every ARM call through the SDK clients (tests compare the plain reader with them). */
  azure?: { credential?: unknown; ca?: string; plainArm?: boolean };
  /** An auth client (google-auth-library) or `{ accessToken }` (the lab's static token); default: ADC. */
  gcp?: { authClient?: unknown };
}

export function enabledProviders(config: Config, only?: readonly Provider[]): Provider[] {
  return (['aws', 'azure', 'gcp'] as const).filter(
    (p) => config.providers[p] !== undefined && config.providers[p]?.enabled !== false && (!only || only.includes(p)),
  );
}

/**
 * Each adapter (and its cloud SDKs) is loaded only when its provider is enabled: the three SDK families together
 * weigh some 150 MB of heap, mostly library code, that a single-cloud scan has no use for.
 */
export async function createAdapters(
  config: Config,
  providers: readonly Provider[],
  conn: ProviderConnections = {},
): Promise<ProviderAdapter[]> {
  // The transport policy once more where the clients are built: credentials go only to URLs it allows.
  for (const p of providers) assertTransport(`providers.${p}`, config.providers[p], URL_FIELDS[p]);
  return Promise.all(providers.map((p) => createAdapter(config, p, conn).catch((err: unknown) => failedAdapter(p, err))));
}

/**
 * An adapter whose construction failed (its SDK would not load, a credential could not be built): its discovery
 * fails with that error, so the provider ends as a discovery gap naming the cause and the other providers scan on.
 */
export function failedAdapter(provider: Provider, cause: unknown): ProviderAdapter {
  return {
    provider,
    classifyError: (err) =>
      classifyTransport(err) ?? {
        code: 'error',
        retryable: false,
        throttle: false,
        retryAfterMs: null,
        status: null,
        message: `the ${provider} client could not be set up: ${errorMessage(err)}`,
      },
    discover: () => Promise.reject(cause),
    collect: () => Promise.reject(cause),
  };
}

async function createAdapter(config: Config, p: Provider, conn: ProviderConnections): Promise<ProviderAdapter> {
  switch (p) {
    case 'aws': {
      const { createAwsAdapter } = await import('./aws/adapter.ts');
      const aws = config.providers.aws;
      if (!aws) throw new Error('aws is not configured');
      return createAwsAdapter({
        config: aws,
        policy: config.policy,
        baseline: config.baseline,
        chains: config.permissions,
        ...(conn.aws?.credentials ? { credentials: conn.aws.credentials } : {}),
      });
    }
    case 'azure': {
      const azure = config.providers.azure;
      if (!azure) throw new Error('azure is not configured');
      const { createAzureAdapter } = await import('./azure/adapter.ts');
      const { isClientSecretSpec, isTokenCredential } = await import('./azure/clients.ts');
      const credential = conn.azure?.credential;
      return createAzureAdapter({
        config: azure,
        policy: config.policy,
        baseline: config.baseline,
        ...(isTokenCredential(credential) || isClientSecretSpec(credential) ? { credential } : {}),
        ...(conn.azure?.ca ? { ca: conn.azure.ca } : {}),
        ...(conn.azure?.plainArm === false ? { plainArm: false } : {}),
        callTimeoutMs: config.scan.callTimeoutMs,
      });
    }
    case 'gcp': {
      const gcp = config.providers.gcp;
      if (!gcp) throw new Error('gcp is not configured');
      const { createGcpAdapter } = await import('./gcp/adapter.ts');
      return createGcpAdapter({
        config: gcp,
        policy: config.policy,
        baseline: config.baseline,
        ...(conn.gcp?.authClient ? { authClient: conn.gcp.authClient } : {}),
      });
    }
    default:
      throw new Error(`the ${p} provider is not available yet`);
  }
}
