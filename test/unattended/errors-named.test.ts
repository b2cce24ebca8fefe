/**
 * Issue #11 case 7: network failures are named for what they are (DNS, connection refused, TLS, reset, timeout),
 * never as an HTTP status nobody sent; and a gap for an operation called for several purposes in one region
 * (CloudTrail LookupEvents, once per event name) says which call it was.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { selectChecks } from '../../checks/index.ts';
import { startLab } from '../../lab/server.ts';
import { classifyAwsError } from '../../providers/aws/errors.ts';
import { creationEventNames, creationEventsFor, snapshotEventCatalogue } from '../../providers/aws/snapshot-events.ts';
import { classifyAzureError } from '../../providers/azure/errors.ts';
import { networkFailure } from '../../providers/errors.ts';
import { classifyGcpError } from '../../providers/gcp/errors.ts';
import { createAdapters } from '../../providers/index.ts';
import { labConnections } from '../../src/cli/scan-command.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import type { Gap, ScanResult } from '../../src/core/model/result.ts';
import { runScan } from '../../src/engine/scan.ts';
import { demoEstate, demoProviders, fault, scanDemo } from '../resilience/support.ts';
import { fastRetry, NOW } from '../support/lab.ts';

const sys = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('network failures by name, for every SDK shape', () => {
  const cases = [
    {
      name: 'DNS',
      err: sys('ENOTFOUND', 'getaddrinfo ENOTFOUND ec2.eu-west-9.amazonaws.com'),
      kind: 'dns',
      label: /DNS: the host name does not resolve/,
    },
    { name: 'refused', err: sys('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), kind: 'refused', label: /connection refused/ },
    {
      name: 'TLS',
      err: sys('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
      kind: 'tls',
      label: /TLS: the certificate is not trusted/,
    },
    { name: 'reset', err: sys('ECONNRESET', 'read ECONNRESET'), kind: 'reset', label: /connection reset/ },
    { name: 'timeout', err: sys('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443'), kind: 'timeout', label: /timed out/ },
  ] as const;

  it.each(cases)('$name: AWS, Azure and GCP errors carrying it directly, as a cause, or only in their text', ({ err, kind, label }) => {
    // As the AWS SDK and node:http raise it; wrapped as a cause (fetch, undici); and as gax's REST fallback and
    // Azure's REQUEST_SEND_ERROR report it: a status or code of their own, the system error only in the text.
    const wrapped = new TypeError('fetch failed', { cause: err });
    const gax = Object.assign(new Error(`request to https://compute.googleapis.com/x failed, reason: ${err.message}`), { code: 13 });
    const azure = Object.assign(new Error(err.message), { name: 'RestError', code: 'REQUEST_SEND_ERROR' });
    for (const e of [err, wrapped, gax, azure]) expect(networkFailure(e)).toBe(kind);
    for (const [classify, e] of [
      [classifyAwsError, err],
      [classifyGcpError, gax],
      [classifyGcpError, wrapped],
      [classifyAzureError, azure],
    ] as const) {
      const info = classify(e);
      expect(info.message).toMatch(label);
      expect(info.message).not.toMatch(/HTTP 500|^500|^error:/);
      expect(info.status).toBeNull();
      expect(info.code).toBe(kind === 'timeout' ? 'timeout' : 'unavailable');
      // A certificate does not become trusted by retrying; the others may pass.
      expect(info.retryable).toBe(kind !== 'tls');
    }
  });

  it('an answer from the server is never taken for a network failure, whatever its text says', () => {
    const answered = Object.assign(new Error('upstream said: connect ECONNREFUSED'), {
      $metadata: { httpStatusCode: 503 },
      name: 'ServiceUnavailable',
    });
    expect(classifyAwsError(answered).message).not.toMatch(/network error/);
  });
});

describe('endpoints that cannot be reached, end to end', () => {
  it('DNS, refused and TLS failures on every cloud are discovery gaps that name them', async () => {
    const lab = await startLab({ estate: demoEstate(), now: new Date(NOW) });
    // A TLS server whose certificate nobody trusts.
    const { generate } = await import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: 'untrusted' }], { keyType: 'ec', algorithm: 'sha256' } as never);
    const tls = https.createServer({ cert: pems.cert, key: pems.private }, (_req, res) => res.end('{}'));
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', () => r()));
    const untrusted = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    try {
      // Azure's clients send a bearer token only over https, so its endpoint is https where the others' are http.
      const scanWith = async (endpoint: string, azureEndpoint = endpoint.replace(/^http:/, 'https:')): Promise<ScanResult> => {
        const base = parseConfig(
          { version: 1, providers: demoProviders, scan: { retry: { ...fastRetry, maxAttempts: 2 }, callTimeoutMs: 10_000 } },
          't',
        );
        const { config, connections } = labConnections(lab, base);
        const p = config.providers;
        const pointed = {
          ...config,
          providers: { aws: { ...p.aws!, endpoint }, azure: { ...p.azure!, endpoint: azureEndpoint }, gcp: { ...p.gcp!, endpoint } },
        };
        const adapters = await createAdapters(pointed, ['aws', 'azure', 'gcp'], connections);
        return runScan({ adapters, checks: selectChecks(pointed.scan.checks), config: pointed, clock: fixedClock(NOW) });
      };
      const messages = (r: ScanResult): string[] =>
        [...r.discovery.flatMap((d) => d.gaps), ...r.scopes.flatMap((s) => s.coverage.gaps)].map((g: Gap) => `${g.code} ${g.message}`);
      const expectNamed = (r: ScanResult, label: RegExp) => {
        for (const p of ['aws', 'azure', 'gcp']) {
          const mine = [
            ...(r.discovery.find((d) => d.provider === p)?.gaps ?? []),
            ...r.scopes.filter((s) => s.scope.provider === p).flatMap((s) => s.coverage.gaps),
          ];
          expect(mine.length, p).toBeGreaterThan(0);
          expect(mine.map((g) => g.message).join('\n'), p).toMatch(label);
        }
        for (const m of messages(r)) expect(m).not.toMatch(/HTTP 500/);
      };
      expectNamed(await scanWith('https://snapaudit-lab.invalid:8443'), /network error \(DNS: the host name does not resolve\)/);
      expectNamed(await scanWith('http://127.0.0.1:1'), /network error \(connection refused/);
      expectNamed(await scanWith(untrusted), /network error \(TLS: the certificate is not trusted/);
    } finally {
      tls.close();
      await lab.close();
    }
  }, 120_000);
});

describe('an operation with several purposes per region', () => {
  it('a LookupEvents gap says which event name it was looking up', async () => {
    const { result } = await scanDemo({
      faults: [
        fault({ provider: 'aws', scope: '222222222222', region: 'eu-west-1', operation: 'cloudtrail:LookupEvents', kind: 'access_denied' }),
      ],
    });
    const gaps = result.scopes.find((s) => s.scope.id === '222222222222')?.coverage.gaps ?? [];
    // One gap per event name looked up, each saying which: the region holds EBS snapshots and RDS DB snapshots.
    const names = creationEventsFor(new Set(['disk-snapshot', 'db-snapshot']));
    expect(names).toEqual(expect.arrayContaining([...creationEventNames, 'CreateDBSnapshot', 'CopyDBSnapshot']));
    const named = (part: string) =>
      gaps
        .filter((g) => g.part === part)
        .map((g) => `${g.operation} ${g.region} ${g.message.split(':')[0]}`)
        .sort();
    expect(named('creators')).toEqual(names.map((name) => `cloudtrail:LookupEvents eu-west-1 LookupEvents for EventName=${name}`).sort());
    // The activity review reads every name of the family's catalogue (the creator lookup's among them, read once).
    expect(named('activity')).toEqual(
      snapshotEventCatalogue.map((e) => `cloudtrail:LookupEvents eu-west-1 LookupEvents for EventName=${e.name}`).sort(),
    );
  });
});
