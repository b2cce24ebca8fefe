/**
 * What a scan costs the Azure client side beyond its calls: one keep-alive pool for every SDK client (TLS connections
 * bounded by the calls in flight, not by subscriptions or clients), one sign-in per token audience however many
 * clients ask (ReusedTokenCredential), and discovery's listings started together rather than one after another.
 */
import tls from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseEstate } from '../../lab/estate.ts';
import { generateEstate } from '../../lab/generate.ts';
import { type ClientSecretSpec, createCredential, ReusedTokenCredential, TOKEN_REUSE_MARGIN_MS } from '../../providers/azure/clients.ts';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { azureEstate } from './support.ts';
import { scanEstate } from '../support/lab.ts';
import { startLab } from '../../lab/server.ts';
import { selectChecks } from '../../checks/index.ts';
import { createAdapters } from '../../providers/index.ts';
import { labConnections } from '../../src/cli/scan-command.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { runScan } from '../../src/engine/scan.ts';
import { fastRetry, NOW } from '../support/lab.ts';
import { fault, substance } from '../resilience/support.ts';
import type { FaultRule } from '../../lab/core.ts';
import type { ConfigInput } from '../../src/core/config/schema.ts';

const HOUR = 3_600_000;

/** A credential that counts its sign-ins and answers each after `delayMs` (or fails with `fail`). */
function counting(opts: { delayMs?: number; expiresInMs?: number; refreshInMs?: number; fail?: Error } = {}) {
  const asked: Array<{ scopes: string | string[]; options: GetTokenOptions | undefined }> = [];
  const credential: TokenCredential = {
    async getToken(scopes, options) {
      asked.push({ scopes, options });
      const n = asked.length;
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (options?.abortSignal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      if (opts.fail) throw opts.fail;
      const now = Date.now();
      return {
        token: `t${n}`,
        expiresOnTimestamp: now + (opts.expiresInMs ?? HOUR),
        ...(opts.refreshInMs !== undefined ? { refreshAfterTimestamp: now + opts.refreshInMs } : {}),
      } satisfies AccessToken;
    },
  };
  return { credential, asked };
}

const ARM = 'https://management.azure.com/.default';

describe('ReusedTokenCredential', () => {
  afterEach(() => vi.useRealTimers());

  it('signs in once for any number of clients asking for the same audience, at once or later', async () => {
    const { credential, asked } = counting({ delayMs: 5 });
    const reused = new ReusedTokenCredential(credential);
    const together = await Promise.all(Array.from({ length: 10 }, () => reused.getToken(ARM)));
    const later = await reused.getToken([ARM]);
    expect(new Set([...together, later].map((t) => t?.token))).toEqual(new Set(['t1']));
    expect(asked).toHaveLength(1);
    // another audience is another token, and so is a CAE-capable one
    expect((await reused.getToken('https://graph.microsoft.com/.default'))?.token).toBe('t2');
    expect((await reused.getToken(ARM, { enableCae: true }))?.token).toBe('t3');
    expect((await reused.getToken(ARM, { enableCae: true }))?.token).toBe('t3');
  });

  it('renews when MSAL would: TOKEN_REUSE_MARGIN_MS before expiry, or at the refresh time if earlier', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    const { credential, asked } = counting();
    const reused = new ReusedTokenCredential(credential);
    await reused.getToken(ARM);
    vi.setSystemTime(HOUR - TOKEN_REUSE_MARGIN_MS - 1);
    expect((await reused.getToken(ARM))?.token).toBe('t1');
    vi.setSystemTime(HOUR - TOKEN_REUSE_MARGIN_MS);
    expect((await reused.getToken(ARM))?.token).toBe('t2');
    expect(asked).toHaveLength(2);

    const early = counting({ refreshInMs: 60_000 });
    const reusedEarly = new ReusedTokenCredential(early.credential);
    vi.setSystemTime(0);
    await reusedEarly.getToken(ARM);
    vi.setSystemTime(60_000);
    expect((await reusedEarly.getToken(ARM))?.token).toBe('t2');
  });

  it('sends a claims challenge or another tenant to the credential, and does not keep a failed sign-in', async () => {
    const { credential, asked } = counting();
    const reused = new ReusedTokenCredential(credential);
    await reused.getToken(ARM);
    await reused.getToken(ARM, { claims: 'e30=' });
    await reused.getToken(ARM, { tenantId: 'other' });
    expect(asked).toHaveLength(3);

    const failing = counting({ fail: new Error('AADSTS7000215: invalid client secret') });
    const reusedFailing = new ReusedTokenCredential(failing.credential);
    await expect(Promise.all([reusedFailing.getToken(ARM), reusedFailing.getToken(ARM)])).rejects.toThrow(/AADSTS7000215/);
    // the two callers shared one failed sign-in; the next caller asks again
    expect(failing.asked).toHaveLength(1);
    await expect(reusedFailing.getToken(ARM)).rejects.toThrow(/AADSTS7000215/);
    expect(failing.asked).toHaveLength(2);
  });

  it('lets a waiter sign in itself when the caller whose sign-in it waited on gave up', async () => {
    const { credential, asked } = counting({ delayMs: 20 });
    const reused = new ReusedTokenCredential(credential);
    const owner = new AbortController();
    const first = reused.getToken(ARM, { abortSignal: owner.signal });
    const waiter = reused.getToken(ARM);
    owner.abort();
    await expect(first).rejects.toThrow(/aborted/);
    expect((await waiter)?.token).toBe('t2');
    expect(asked).toHaveLength(2);
    // and a waiter whose own deadline passes stops waiting
    const slow = new ReusedTokenCredential(counting({ delayMs: 200 }).credential);
    void slow.getToken(ARM).catch(() => undefined);
    const impatient = new AbortController();
    const waiting = slow.getToken(ARM, { abortSignal: impatient.signal });
    impatient.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('an Azure scan over the wire', () => {
  afterEach(() => vi.restoreAllMocks());

  it('keeps its TLS connections to the calls in flight, however many subscriptions and clients, and signs in once', async () => {
    const estate = generateEstate({
      seed: 5,
      azure: { subscriptions: 12, snapshotsPerSubscription: 2, assignmentsPerSubscription: 3, familyPerSubscription: 1 },
    });
    const connect = vi.spyOn(tls, 'connect');
    const lab = await startLab({ estate: parseEstate(estate), providers: ['azure'] });
    try {
      const base = parseConfig(
        {
          version: 1,
          providers: { azure: {} },
          scan: { retry: fastRetry, concurrency: { scopes: 4, callsPerScope: 4, callsPerProvider: 6 } },
        },
        'test',
      );
      const { config, connections } = labConnections(lab, base);
      // the lab's own credential (a real ClientSecretCredential), counted
      const inner = createCredential({
        endpoint: lab.endpoints.azure!,
        authorityHost: lab.endpoints.azure!,
        ...(lab.ca ? { ca: lab.ca } : {}),
        credential: lab.credentials.azure as unknown as ClientSecretSpec,
      });
      let signIns = 0;
      const credential: TokenCredential = {
        getToken: (scopes, options) => {
          signIns++;
          return inner.getToken(scopes, options);
        },
      };
      const adapters = await createAdapters(config, ['azure'], { azure: { ...connections.azure, credential } });
      const result = await runScan({ adapters, checks: selectChecks(config.scan.checks), config, clock: fixedClock(NOW) });
      expect(result.scan.complete).toBe(true);
      expect(result.stats.scopes.total).toBe(12);
      const requests = lab.log.entries.filter((e) => e.service !== 'login').length;
      expect(requests).toBeGreaterThan(150);
      // 36 SDK clients (three per subscription) and Graph: one sign-in for the SDKs' CAE-capable token, one for Graph's
      expect(signIns).toBe(2);
      // at most one connection per call in flight (6), plus the sign-in's own (metadata and token)
      expect(connect.mock.calls.length).toBeLessThanOrEqual(6 + 2);
    } finally {
      await lab.close();
    }
  });

  it('lists the management groups while the subscriptions are being listed', async () => {
    // The subscription listing answers 300 ms late; the management-group listing, started beside it, answers first.
    const { result, lab } = await scanEstate(azureEstate(), {
      providers: ['azure'],
      faults: [fault({ provider: 'azure', operation: 'Microsoft.Resources:ListSubscriptions', kind: 'latency', ms: 300 })],
      keepOpen: true,
    });
    try {
      expect(result.scan.complete).toBe(true);
      // The lab logs a request when it answers: both pages of the management groups were answered before the first
      // (late) page of subscriptions; the tree under the tenant root is read once the subscriptions name the tenant.
      const ops = lab.log.entries.filter((e) => e.service !== 'login').map((e) => e.operation);
      expect(ops.lastIndexOf('ListManagementGroups')).toBeLessThan(ops.indexOf('ListSubscriptions'));
      expect(ops.lastIndexOf('ListSubscriptions')).toBeLessThan(ops.indexOf('ListManagementGroupDescendants'));
      expect(ops.filter((op) => op === 'ListManagementGroups')).toHaveLength(2);
    } finally {
      await lab.close();
    }
  });
});

/**
 * The demo's Azure part scanned over the lab with its subscription listing answering 300 ms late, so that what the scan
 * starts before the listing answers is answered (and logged: the lab logs a request when it answers) before it.
 */
async function lateListing(opts: { faults?: FaultRule[]; config?: Partial<ConfigInput> } = {}) {
  const lab = await startLab({
    estate: parseEstate(azureEstate(), 'demo'),
    providers: ['azure'],
    faults: [
      fault({ provider: 'azure', operation: 'Microsoft.Resources:ListSubscriptions', kind: 'latency', ms: 300 }),
      ...(opts.faults ?? []),
    ],
  });
  try {
    const base = parseConfig(
      { version: 1, providers: { azure: {} }, ...opts.config, scan: { retry: fastRetry, ...opts.config?.scan } },
      'test',
    );
    const { config, connections } = labConnections(lab, base);
    const adapters = await createAdapters(config, ['azure'], connections);
    const result = await runScan({ adapters, checks: selectChecks(config.scan.checks), config, clock: fixedClock(NOW) });
    const log = lab.log.entries.map((e) => ({ op: `${e.service}:${e.operation}`, scope: e.scope, status: e.status }));
    return { result, log };
  } finally {
    await lab.close();
  }
}

describe("Microsoft Graph's sign-in, started during discovery", () => {
  // Graph's token is a sign-in of its own. Signed in lazily, it came when the first subscription asked for a group's
  // members, and every subscription at that step waited for it (some 60 ms with nothing else in flight at ×1, issue #19).
  const LIST = 'Microsoft.Resources:ListSubscriptions';

  it('signs in to Microsoft Graph once the credential has signed in to ARM, during discovery, not when the first directory read asks', async () => {
    const { result, log } = await lateListing();
    expect(result.scan.complete).toBe(true);
    // ARM's sign-in (the listings' token), then Graph's: one each, as before.
    expect(log.filter((e) => e.op.startsWith('login:')).map((e) => e.op)).toEqual([
      'login:GetOpenIdConfiguration',
      'login:GetToken',
      'login:GetOpenIdConfiguration',
      'login:GetToken',
    ]);
    const graphToken = log.findLastIndex((e) => e.op === 'login:GetToken');
    expect(graphToken).toBeLessThan(log.findIndex((e) => e.op === LIST));
    expect(graphToken).toBeLessThan(log.findIndex((e) => e.op.startsWith('Microsoft.Graph:')));
  });

  it('a failed early Graph sign-in is no gap: the first directory read signs in again', async () => {
    const clean = await lateListing();
    // Graph's token request (the second) fails once, as the token endpoint fails.
    const { result, log } = await lateListing({
      faults: [fault({ provider: 'azure', operation: 'login:GetToken', kind: 'server_error', after: 1, times: 1 })],
    });
    expect(log.filter((e) => e.op === 'login:GetToken').map((e) => e.status)).toEqual([200, 500, 200]);
    expect(substance(result)).toEqual(substance(clean.result));
    expect(result.stats.retries).toBe(clean.result.stats.retries);
  });

  it('a Graph sign-in that keeps failing is reported by the directory reads, as without the early sign-in', async () => {
    // Every token request after ARM's fails: the early sign-in (dropped), then each directory read's own: the sign-in
    // service failing (503), retried, then one gap per read, as before the sign-in started early.
    const { result } = await lateListing({
      faults: [fault({ provider: 'azure', operation: 'login:GetToken', kind: 'server_error', after: 1 })],
    });
    expect(result.discovery[0]).toMatchObject({ status: 'complete', gaps: [] });
    const names = ['Microsoft.Graph:GetDirectoryObjectsByIds'];
    const members = [...names, 'Microsoft.Graph:ListGroupTransitiveMembers'];
    expect(result.scopes.map((s) => [s.scope.name, s.coverage.gaps.map((g) => `${g.part} ${g.code} ${g.operation}`)])).toEqual([
      ['prod-payments', members.map((op) => `principals unavailable ${op}`)],
      ['dev-sandbox', members.map((op) => `principals unavailable ${op}`)],
      ['security', names.map((op) => `principals unavailable ${op}`)],
    ]);
    for (const g of result.scopes.flatMap((s) => s.coverage.gaps))
      expect(g.message).toMatch(/^SignInUnavailable: Microsoft Entra ID sign-in for Microsoft Graph failed: server_error/);
    // The early sign-in is no call of the scan's: the failed calls are the gaps' own.
    expect(result.stats.errors).toBe(5);
  });

  it('does not sign in to Microsoft Graph when the directory will not be read', async () => {
    const tokens = (log: Array<{ op: string }>) => log.filter((e) => e.op === 'login:GetToken').length;
    // No check needs the principals, or the directory lookup is off: ARM's sign-in only.
    const stale = await lateListing({ config: { scan: { checks: { include: ['snapshots.stale'], exclude: [] } } } });
    expect(stale.result.scan.complete).toBe(true);
    expect(tokens(stale.log)).toBe(1);
    const off = await lateListing({ config: { providers: { azure: { directoryLookup: false } } } });
    expect(off.result.scan.complete).toBe(true);
    expect(tokens(off.log)).toBe(1);
  });
});
