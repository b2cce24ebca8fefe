/**
 * Credentials and SDK clients per account. The caller's account uses the ambient credentials (or explicit ones);
 * every other account uses session credentials from STS AssumeRole with the configured role name, external id and
 * session name. Sessions are renewed before they expire, and when a call fails with ExpiredToken the session is
 * re-assumed once and the call retried. Clients are cached per service, account, region and session generation.
 */
import http from 'node:http';
import https from 'node:https';
import type { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { RDSClient } from '@aws-sdk/client-rds';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { AwsConfig } from '../../src/core/config/schema.ts';
import { CallFailedError } from '../../src/core/calls.ts';
import type { CallRunner } from '../../src/core/calls.ts';

export type AwsCredentials = NonNullable<EC2ClientConfig['credentials']>;

const clientClasses = {
  ec2: EC2Client,
  cloudtrail: CloudTrailClient,
  sts: STSClient,
  organizations: OrganizationsClient,
  iam: IAMClient,
  events: EventBridgeClient,
  logs: CloudWatchLogsClient,
  kms: KMSClient,
  rds: RDSClient,
  backup: BackupClient,
} as const;

/**
 * Clients of services only some scans call, loaded on their first call (the SDK package is not read at start-up):
 * each entry imports its client class. IAM Identity Center is read once per scan, and only when principals are read.
 */
const lazyClientClasses = {
  'access-analyzer': async () => (await import('@aws-sdk/client-accessanalyzer')).AccessAnalyzerClient,
  sso: async () => (await import('@aws-sdk/client-sso-admin')).SSOAdminClient,
  identitystore: async () => (await import('@aws-sdk/client-identitystore')).IdentitystoreClient,
  securityhub: async () => (await import('@aws-sdk/client-securityhub')).SecurityHubClient,
} as const;
interface LazyClients {
  'access-analyzer': AccessAnalyzerClient;
  sso: SSOAdminClient;
  identitystore: IdentitystoreClient;
  securityhub: SecurityHubClient;
}
type LazyKind = keyof typeof lazyClientClasses;

export type ServiceKind = keyof typeof clientClasses | LazyKind;
export type ClientOf<K extends ServiceKind> = K extends keyof typeof clientClasses
  ? InstanceType<(typeof clientClasses)[K]>
  : K extends LazyKind
    ? LazyClients[K]
    : never;
type ClientCtor = new (cfg: Record<string, unknown>) => { destroy(): void };
const isLazy = (kind: ServiceKind): kind is LazyKind => kind in lazyClientClasses;

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
  /** The lazily loaded client classes, once imported. */
  private readonly loaded = new Map<LazyKind, Promise<ClientCtor>>();
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

  constructor(cfg: AwsConfig) {
    this.cfg = cfg;
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

  /** Re-assumes once per generation, however many calls noticed the expiry at the same time. */
  private async renew(call: CallRunner, accountId: string, seenGeneration: number): Promise<void> {
    const cur = this.accounts.get(accountId);
    if (cur?.kind !== 'assumed' || cur.generation !== seenGeneration) return;
    cur.renewing ??= this.assume(call, accountId);
    await cur.renewing;
  }

  client<K extends ServiceKind>(kind: K, accountId: string, region: string): ClientOf<K> {
    const acct = this.accounts.get(accountId);
    const key = `${kind}/${accountId}/${region}/${acct?.generation ?? 0}`;
    let c = this.clients.get(key);
    if (!c) {
      const Ctor = this.ctorOf(kind);
      c = new Ctor({
        region,
        maxAttempts: 1, // the engine retries, counts and backs off
        requestHandler: this.agents,
        ...(this.cfg.endpoint ? { endpoint: this.cfg.endpoint } : {}),
        ...(acct?.credentials ? { credentials: acct.credentials } : {}),
      });
      this.clients.set(key, c);
    }
    return c as ClientOf<K>;
  }

  /** The constructor of a kind's client: eager ones at once, lazy ones once `load` has imported them. */
  private ctorOf(kind: ServiceKind): ClientCtor {
    if (!isLazy(kind)) return clientClasses[kind] as unknown as ClientCtor;
    const ctor = this.ctors.get(kind);
    if (!ctor) throw new Error(`the ${kind} client is not loaded yet`);
    return ctor;
  }

  private readonly ctors = new Map<LazyKind, ClientCtor>();

  /** Imports a lazily loaded client class (once per scan). */
  private async load(kind: LazyKind): Promise<void> {
    if (this.ctors.has(kind)) return;
    let p = this.loaded.get(kind);
    if (!p) {
      p = lazyClientClasses[kind]().then((c) => c as unknown as ClientCtor);
      this.loaded.set(kind, p);
    }
    this.ctors.set(kind, await p);
  }

  /**
   * One API call in an account: through the engine's runner, with a fresh client; an ExpiredToken answer
   * re-assumes the role once and retries.
   */
  async send<K extends ServiceKind, T>(
    call: CallRunner,
    kind: K,
    accountId: string,
    region: string,
    operation: string | { name: string; purpose: string },
    fn: (client: ClientOf<K>, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const generation = this.accounts.get(accountId)?.generation ?? 0;
    const named = typeof operation === 'string' ? { name: operation } : operation;
    const op = { service: kind, ...named, region: kind === 'iam' || kind === 'organizations' || kind === 'sts' ? null : region };
    if (isLazy(kind)) await this.load(kind);
    try {
      return await call(op, (signal) => fn(this.client(kind, accountId, region), signal));
    } catch (err) {
      if (!isExpiredToken(err) || this.accounts.get(accountId)?.kind !== 'assumed') throw err;
      await this.renew(call, accountId, generation);
      return call(op, (signal) => fn(this.client(kind, accountId, region), signal));
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
