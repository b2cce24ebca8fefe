/**
 * Credentials and SDK clients per account. The caller's account uses the ambient credentials (or explicit ones);
 * every other account uses session credentials from STS AssumeRole with the configured role name, external id and
 * session name. Sessions are renewed before they expire, and when a call fails with ExpiredToken the session is
 * re-assumed once and the call retried. Clients are cached per service, account, region and session generation,
 * the most recently used MAX_CLIENTS of them.
 */
import https from 'node:https';
import { createRequire } from 'node:module';
import type { EC2ClientConfig } from '@aws-sdk/client-ec2';
import type { AwsConfig } from '../../src/core/config/schema.ts';
import { CallFailedError } from '../../src/core/calls.ts';
import type { CallRunner } from '../../src/core/calls.ts';
import { Sha256 } from './sha256.ts';

export type AwsCredentials = NonNullable<EC2ClientConfig['credentials']>;

// node:http is required, not imported: importing it as a module reads every export, and its lazy WebSocket ones load
// undici (fetch's engine, which the SDK does not use) — some 25 ms of CPU before the first request.
const requireCjs = createRequire(import.meta.url);
const http = requireCjs('node:http') as typeof import('node:http');

/**
 * What the scanner uses of each service's SDK package (its client class and its commands): providers/aws/sdk/, one
 * module per service re-exporting those names, so that the compiled package bundles only them (a command the code
 * uses that its module does not export is a type error).
 */
export interface Sdks {
  ec2: typeof import('./sdk/ec2.ts');
  cloudtrail: typeof import('./sdk/cloudtrail.ts');
  sts: typeof import('./sdk/sts.ts');
  organizations: typeof import('./sdk/organizations.ts');
  iam: typeof import('./sdk/iam.ts');
  events: typeof import('./sdk/eventbridge.ts');
  logs: typeof import('./sdk/cloudwatch-logs.ts');
  kms: typeof import('./sdk/kms.ts');
  rds: typeof import('./sdk/rds.ts');
  backup: typeof import('./sdk/backup.ts');
  'access-analyzer': typeof import('./sdk/accessanalyzer.ts');
  sso: typeof import('./sdk/sso-admin.ts');
  identitystore: typeof import('./sdk/identitystore.ts');
  securityhub: typeof import('./sdk/securityhub.ts');
}
export type ServiceKind = keyof Sdks;

/**
 * True in the compiled package: scripts/build.ts defines it when it bundles the CLI (never set in the TypeScript
 * sources).
 */
declare const SNAPAUDIT_BUNDLED: boolean | undefined;
const bundled = typeof SNAPAUDIT_BUNDLED === 'boolean' && SNAPAUDIT_BUNDLED;

/**
 * Every service's SDK package is loaded on its first call, never at start-up: a package is one bundle of the
 * service's whole API (EC2's alone is 2 MB of code and some 20 MB of heap once loaded), and the path to the first
 * request (STS GetCallerIdentity) needs only STS. A scan that never reads a service never loads it.
 *
 * The compiled package imports providers/aws/sdk/<service>: the bundler puts each service in a chunk of its own,
 * built from the SDK's ES modules with only the client and the commands the scanner uses (EC2's 2 MB become 36 KB),
 * and loads it on first use.
 *
 * From the TypeScript sources the whole package is loaded with require(), not import(): the packages are CommonJS,
 * and node's ES module loader keeps the source text of every CommonJS module it imports on the module object (to hand
 * it to the CommonJS loader) for as long as the process lives, beside the copy V8 keeps for the compiled code — every
 * SDK package's source twice (3.8 MB for the small organisation's nine packages, 4 MB of heap and some 6 MB of RSS for
 * all fourteen, docs/large-organisations.md). require() reads and compiles a file once and keeps one copy.
 */
const sdkLoaders: { [K in ServiceKind]: () => Sdks[K] | Promise<Sdks[K]> } = {
  ec2: () => (bundled ? import('./sdk/ec2.ts') : requireCjs('@aws-sdk/client-ec2')),
  cloudtrail: () => (bundled ? import('./sdk/cloudtrail.ts') : requireCjs('@aws-sdk/client-cloudtrail')),
  sts: () => (bundled ? import('./sdk/sts.ts') : requireCjs('@aws-sdk/client-sts')),
  organizations: () => (bundled ? import('./sdk/organizations.ts') : requireCjs('@aws-sdk/client-organizations')),
  iam: () => (bundled ? import('./sdk/iam.ts') : requireCjs('@aws-sdk/client-iam')),
  events: () => (bundled ? import('./sdk/eventbridge.ts') : requireCjs('@aws-sdk/client-eventbridge')),
  logs: () => (bundled ? import('./sdk/cloudwatch-logs.ts') : requireCjs('@aws-sdk/client-cloudwatch-logs')),
  kms: () => (bundled ? import('./sdk/kms.ts') : requireCjs('@aws-sdk/client-kms')),
  rds: () => (bundled ? import('./sdk/rds.ts') : requireCjs('@aws-sdk/client-rds')),
  backup: () => (bundled ? import('./sdk/backup.ts') : requireCjs('@aws-sdk/client-backup')),
  'access-analyzer': () => (bundled ? import('./sdk/accessanalyzer.ts') : requireCjs('@aws-sdk/client-accessanalyzer')),
  sso: () => (bundled ? import('./sdk/sso-admin.ts') : requireCjs('@aws-sdk/client-sso-admin')),
  identitystore: () => (bundled ? import('./sdk/identitystore.ts') : requireCjs('@aws-sdk/client-identitystore')),
  securityhub: () => (bundled ? import('./sdk/securityhub.ts') : requireCjs('@aws-sdk/client-securityhub')),
};

/** The name of each package's client class. */
const clientNames = {
  ec2: 'EC2Client',
  cloudtrail: 'CloudTrailClient',
  sts: 'STSClient',
  organizations: 'OrganizationsClient',
  iam: 'IAMClient',
  events: 'EventBridgeClient',
  logs: 'CloudWatchLogsClient',
  kms: 'KMSClient',
  rds: 'RDSClient',
  backup: 'BackupClient',
  'access-analyzer': 'AccessAnalyzerClient',
  sso: 'SSOAdminClient',
  identitystore: 'IdentitystoreClient',
  securityhub: 'SecurityHubClient',
} as const satisfies Record<ServiceKind, string>;

/** Each service's client. */
interface Clients {
  ec2: InstanceType<Sdks['ec2']['EC2Client']>;
  cloudtrail: InstanceType<Sdks['cloudtrail']['CloudTrailClient']>;
  sts: InstanceType<Sdks['sts']['STSClient']>;
  organizations: InstanceType<Sdks['organizations']['OrganizationsClient']>;
  iam: InstanceType<Sdks['iam']['IAMClient']>;
  events: InstanceType<Sdks['events']['EventBridgeClient']>;
  logs: InstanceType<Sdks['logs']['CloudWatchLogsClient']>;
  kms: InstanceType<Sdks['kms']['KMSClient']>;
  rds: InstanceType<Sdks['rds']['RDSClient']>;
  backup: InstanceType<Sdks['backup']['BackupClient']>;
  'access-analyzer': InstanceType<Sdks['access-analyzer']['AccessAnalyzerClient']>;
  sso: InstanceType<Sdks['sso']['SSOAdminClient']>;
  identitystore: InstanceType<Sdks['identitystore']['IdentitystoreClient']>;
  securityhub: InstanceType<Sdks['securityhub']['SecurityHubClient']>;
}
export type ClientOf<K extends ServiceKind> = Clients[K];
type ClientCtor = new (cfg: Record<string, unknown>) => { destroy(): void };

interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

interface AccountSession {
  /** Ambient (caller) or assumed. */
  kind: 'ambient' | 'assumed';
  generation: number;
  credentials: AwsCredentials | undefined;
  session: SessionCredentials | null;
  renewing: Promise<void> | null;
}

/**
 * The clients kept at once. A client holds some 25 KB once it has sent a request (its resolved configuration and
 * middleware stack), and a scan uses one per service × region of every account in flight — about 150 per account,
 * 4 MB, 30 MB and more with 8 accounts in flight, most of them idle once their region's listings are read. The least
 * recently used beyond this many are dropped (a later call in their account and region builds a new one): the
 * calls in flight (64 at most per provider by default) need far fewer.
 */
export const MAX_CLIENTS = 192;

/**
 * Settings every client otherwise resolves for itself on its first request, each from the environment, then the
 * shared config files (~/.aws/config and credentials, read and parsed), then its default — one thrown and caught
 * error per source that does not set it. A scan builds a client per service × region × account (thousands), so these
 * are resolved once, from the first client built, and handed to every later client as they were resolved: the same
 * values the client would have found (the environment and the files do not change during a scan).
 */
const SETTLED_SETTINGS = ['useFipsEndpoint', 'useDualstackEndpoint', 'userAgentAppId', 'authSchemePreference', 'retryMode'] as const;
type Settled = Partial<Record<(typeof SETTLED_SETTINGS)[number], () => Promise<unknown>>>;

/** A client's resolved settings, as constant providers; null when one of them cannot be resolved (each client then resolves its own, and fails as it would). */
async function settledSettings(client: { config?: unknown }): Promise<Settled | null> {
  const config = (client.config ?? {}) as Record<string, unknown>;
  const out: Settled = {};
  try {
    for (const key of SETTLED_SETTINGS) {
      const provider = config[key];
      if (typeof provider !== 'function') return null;
      const value: unknown = await (provider as () => Promise<unknown>)();
      out[key] = () => Promise.resolve(value);
    }
  } catch {
    return null;
  }
  return out;
}

/** Renew a session this long before it expires. */
const RENEW_MARGIN_MS = 5 * 60_000;
const expiredCodes = new Set(['ExpiredToken', 'ExpiredTokenException']);

/** Was the call refused because the session credentials expired? */
export function isExpiredToken(err: unknown): boolean {
  const cause = err instanceof CallFailedError ? err.cause : err;
  const name = (cause as { name?: string } | null)?.name ?? '';
  return expiredCodes.has(name);
}

export class AwsSessions {
  private readonly cfg: AwsConfig;
  private readonly accounts = new Map<string, AccountSession>();
  private readonly clients = new Map<string, { destroy(): void }>();
  /** The SDK packages loaded so far (each on its service's first call). */
  private readonly sdks = new Map<ServiceKind, Sdks[ServiceKind]>();
  /** The SDK packages being loaded (an import in the compiled package): the calls that ask meanwhile wait for it. */
  private readonly loading = new Map<ServiceKind, Promise<Sdks[ServiceKind]>>();
  private callerAccountId: string | null = null;
  /** The caller's partition (from its ARN): roles to assume live in the same one. */
  partition = 'aws';
  /** Runner for AssumeRole calls made outside a scope (renewal when the SDK asks for fresh credentials). */
  private runner: CallRunner | null = null;

  /**
   * One keep-alive connection pool for every client of the scan: clients are per account × region × service, and
   * giving each its own pool would open (and keep) a connection per client.
   */
  private readonly agents = {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 256 }),
  };

  /** The clients kept at once (MAX_CLIENTS; tests keep fewer to see that dropping one changes nothing). */
  private readonly maxClients: number;

  /** SETTLED_SETTINGS once the first client resolved them (null until then, or when they could not be). */
  private settled: Settled | null = null;
  private settling: Promise<void> | null = null;

  constructor(cfg: AwsConfig, maxClients = MAX_CLIENTS) {
    this.cfg = cfg;
    this.maxClients = maxClients;
  }

  /** Registers the ambient credentials under a placeholder until the caller's account id is known. */
  setAmbient(accountId: string, credentials: AwsCredentials | undefined): void {
    this.accounts.set(accountId, { kind: 'ambient', generation: 0, credentials, session: null, renewing: null });
  }

  setCaller(accountId: string, credentials: AwsCredentials | undefined, runner: CallRunner): void {
    this.callerAccountId = accountId;
    this.runner = runner;
    this.setAmbient(accountId, credentials);
  }

  get caller(): string | null {
    return this.callerAccountId;
  }

  /** Can this adapter act in the account (ambient or a live session)? */
  has(accountId: string): boolean {
    return this.accounts.has(accountId);
  }

  roleArn(accountId: string): string {
    return `arn:${this.partition}:iam::${accountId}:role/${this.cfg.roleName.replace(/^\/+/, '')}`;
  }

  /** AssumeRole into the account with the caller's credentials; throws (a CallFailedError) when it is refused. */
  async assume(call: CallRunner, accountId: string): Promise<void> {
    const caller = this.callerAccountId;
    if (!caller) throw new Error('the caller account is not known yet');
    const { AssumeRoleCommand } = await this.load('sts');
    const sts = this.client('sts', caller, this.cfg.homeRegion);
    const out = await call({ service: 'sts', name: 'AssumeRole', region: null }, (signal) =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn: this.roleArn(accountId),
          RoleSessionName: this.cfg.sessionName,
          DurationSeconds: 3600,
          ...(this.cfg.externalId ? { ExternalId: this.cfg.externalId } : {}),
        }),
        { abortSignal: signal },
      ),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error(`AssumeRole into ${accountId} returned no credentials`);
    const session: SessionCredentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration ?? new Date(Date.now() + 3_600_000),
    };
    const prev = this.accounts.get(accountId);
    const entry: AccountSession = {
      kind: 'assumed',
      generation: (prev?.generation ?? 0) + 1,
      session,
      renewing: null,
      credentials: undefined,
    };
    entry.credentials = async () => {
      const cur = this.accounts.get(accountId);
      if (cur?.session && cur.session.expiration.getTime() - Date.now() < RENEW_MARGIN_MS && this.runner) {
        await this.renew(this.runner, accountId, cur.generation);
      }
      const s = this.accounts.get(accountId)?.session ?? session;
      return { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken, expiration: s.expiration };
    };
    this.accounts.set(accountId, entry);
  }

  /**
   * Re-assumes once per generation, however many calls noticed the expiry at the same time. Always through the
   * renewal runner when discovery set one (ProviderRuntime.renewalCall): the calls that wait for a renewal hold their
   * slots while they wait, whichever way it was started (an expiry the SDK noticed, or an ExpiredToken answer).
   */
  private async renew(call: CallRunner, accountId: string, seenGeneration: number): Promise<void> {
    const cur = this.accounts.get(accountId);
    if (cur?.kind !== 'assumed' || cur.generation !== seenGeneration) return;
    cur.renewing ??= this.assume(this.runner ?? call, accountId);
    await cur.renewing;
  }

  /** The account's client of a service in a region (built on first use; the service's SDK must be loaded). */
  client<K extends ServiceKind>(kind: K, accountId: string, region: string): ClientOf<K> {
    const acct = this.accounts.get(accountId);
    const key = `${kind}/${accountId}/${region}/${acct?.generation ?? 0}`;
    let c = this.clients.get(key);
    if (c) {
      // most recently used last: the map's order is the eviction order
      this.clients.delete(key);
      this.clients.set(key, c);
    } else {
      const Ctor = (this.sdk(kind) as unknown as Record<string, ClientCtor>)[clientNames[kind]] as ClientCtor;
      c = new Ctor({
        region,
        maxAttempts: 1, // the engine retries, counts and backs off
        requestHandler: this.agents,
        sha256: Sha256, // node:crypto as the SDK's, without an exception per HMAC (sha256.ts)
        ...(this.cfg.endpoint ? { endpoint: this.cfg.endpoint } : {}),
        ...(acct?.credentials ? { credentials: acct.credentials } : {}),
        ...this.settled,
      });
      // A FIPS pseudo-region (fips-…, …-fips) turns its own client's useFipsEndpoint on: settle from another one.
      if (!/^fips-|-fips$/.test(region)) {
        this.settling ??= settledSettings(c as { config?: unknown }).then((s) => {
          this.settled = s;
        });
      }
      this.clients.set(key, c);
      // Dropped, not destroyed: a client's destroy() would close the connection pool every client shares.
      for (const oldest of this.clients.keys()) {
        if (this.clients.size <= this.maxClients) break;
        this.clients.delete(oldest);
      }
    }
    return c as ClientOf<K>;
  }

  /** Settles once the settings later clients share have been read from the first one (tests). */
  whenSettled(): Promise<void> {
    return this.settling ?? Promise.resolve();
  }

  /** A service's SDK package, once `load` has loaded it. */
  private sdk<K extends ServiceKind>(kind: K): Sdks[K] {
    const sdk = this.sdks.get(kind);
    if (!sdk) throw new Error(`the ${kind} SDK is not loaded yet`);
    return sdk as Sdks[K];
  }

  /** Loads a service's SDK package (once per scan, however many calls ask for it). */
  async load<K extends ServiceKind>(kind: K): Promise<Sdks[K]> {
    const done = this.sdks.get(kind);
    if (done) return done as Sdks[K];
    let loading = this.loading.get(kind);
    if (!loading) {
      loading = Promise.resolve(sdkLoaders[kind]()).then(
        (sdk) => {
          this.sdks.set(kind, sdk);
          return sdk;
        },
        (err: unknown) => {
          this.loading.delete(kind);
          throw err;
        },
      );
      this.loading.set(kind, loading);
    }
    return loading as Promise<Sdks[K]>;
  }

  /**
   * One API call in an account: through the engine's runner, with the account's client and the service's SDK
   * package (its commands); an ExpiredToken answer re-assumes the role once and retries.
   */
  async send<K extends ServiceKind, T>(
    call: CallRunner,
    kind: K,
    accountId: string,
    region: string,
    operation: string | { name: string; purpose: string },
    fn: (client: ClientOf<K>, signal: AbortSignal, sdk: Sdks[K]) => Promise<T>,
  ): Promise<T> {
    const generation = this.accounts.get(accountId)?.generation ?? 0;
    const named = typeof operation === 'string' ? { name: operation } : operation;
    const op = { service: kind, ...named, region: kind === 'iam' || kind === 'organizations' || kind === 'sts' ? null : region };
    const sdk = await this.load(kind);
    try {
      return await call(op, (signal) => fn(this.client(kind, accountId, region), signal, sdk));
    } catch (err) {
      if (!isExpiredToken(err) || this.accounts.get(accountId)?.kind !== 'assumed') throw err;
      await this.renew(call, accountId, generation);
      return call(op, (signal) => fn(this.client(kind, accountId, region), signal, sdk));
    }
  }

  /**
   * Frees an account's clients once its collection is done (memory stays flat as the organisation grows). The
   * caller's account keeps its clients: Organizations and AssumeRole calls go through them all scan long.
   */
  release(accountId: string): void {
    if (accountId === this.callerAccountId) return;
    // Dropped, not destroyed: a client's destroy() would close the connection pool every client shares.
    for (const key of this.clients.keys()) {
      if (key.split('/')[1] === accountId) this.clients.delete(key);
    }
  }

  destroy(): void {
    this.clients.clear();
    this.agents.httpAgent.destroy();
    this.agents.httpsAgent.destroy();
  }
}
